"""Players the receiver drives: mpv, ffplay, or none (logs only, for tests and dry runs).

Playing never blocks the loop: `start` returns a Playback that the loop asks, tick by tick,
whether it has finished, and stops when an emergency bulletin interrupts. `none` finishes when
the audio's duration has passed on the injected clock, so tests compress a day into seconds.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
from datetime import datetime, timedelta

from .clock import Clock

log = logging.getLogger(__name__)


class PlayerError(Exception):
    """The player program is missing, or could not be started."""


class TimedPlayback:
    """A playback that only logs: it ends when its duration has passed on the clock."""

    def __init__(self, clock: Clock, seconds: float):
        self.clock = clock
        self.ends_at: datetime | None = clock() + timedelta(seconds=max(seconds, 0))
        self.error: str | None = None

    def is_done(self) -> bool:
        return self.ends_at is None or self.clock() >= self.ends_at

    def is_running(self) -> bool:
        return not self.is_done()

    def stop(self) -> None:
        self.ends_at = None


class ProcessPlayback:
    def __init__(self, command: list[str]):
        self.command = command
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE)
        except OSError as exc:  # removed or broken since the receiver started
            raise PlayerError(f"{command[0]} could not start: {exc.strerror or exc}") from None
        self.ends_at: datetime | None = None  # unknown: the process says when
        self.error: str | None = None
        self._stopped = False

    def is_running(self) -> bool:
        """Whether the player process is alive right now (the heartbeat says so)."""
        return self.process.poll() is None

    def is_done(self) -> bool:
        if self.process.poll() is None:
            return False
        if not self.process.stderr.closed:
            stderr = self.process.stderr.read().decode("utf-8", "replace").strip()
            self.process.stderr.close()
            if self.process.returncode != 0 and not self._stopped:
                self.error = f"{self.command[0]} exited with {self.process.returncode}: {stderr[-500:]}"
        return True

    def stop(self) -> None:
        self._stopped = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.is_done()  # collect its output and close the pipe


class NonePlayer:
    name = "none"

    def __init__(self, clock: Clock):
        self.clock = clock

    def start(self, source: str, offset_s: float, duration_s: float) -> TimedPlayback:
        log.info("player none: would play %s from %.1f s (%.1f s)", source, offset_s, duration_s - offset_s)
        return TimedPlayback(self.clock, duration_s - offset_s)


class ProcessPlayer:
    """mpv or ffplay as a child process; `extra` are installer's options (e.g. --audio-device=…)."""

    COMMANDS = {
        "mpv": lambda offset: ["mpv", "--no-config", "--no-video", "--really-quiet", "--input-terminal=no",
                               f"--start={offset:.3f}"],
        "ffplay": lambda offset: ["ffplay", "-nodisp", "-autoexit", "-loglevel", "error", "-ss", f"{offset:.3f}"],
    }

    def __init__(self, name: str, extra: list[str] = ()):
        if shutil.which(name) is None:
            raise PlayerError(f"player {name!r} is not installed (apt-get install {name.replace('ffplay', 'ffmpeg')})")
        self.name = name
        self.extra = list(extra)

    def start(self, source: str, offset_s: float, duration_s: float) -> ProcessPlayback:
        command = [*self.COMMANDS[self.name](offset_s), *self.extra, source]
        log.info("%s: playing %s from %.1f s", self.name, source, offset_s)
        return ProcessPlayback(command)


def make_player(name: str, clock: Clock, extra: list[str] = ()):
    if name == "none":
        return NonePlayer(clock)
    if name in ProcessPlayer.COMMANDS:
        return ProcessPlayer(name, extra)
    raise PlayerError(f"unknown player {name!r}: use mpv, ffplay or none")
