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
    volume = None  # it plays nothing: no volume to tell

    def __init__(self, clock: Clock):
        self.clock = clock

    def start(self, source: str, offset_s: float, duration_s: float) -> TimedPlayback:
        log.info("player none: would play %s from %.1f s (%.1f s)", source, offset_s, duration_s - offset_s)
        return TimedPlayback(self.clock, duration_s - offset_s)


class ProcessPlayer:
    """mpv or ffplay as a child process; `extra` are installer's options (e.g. --audio-device=…).

    `volume` (0 to 100, the player's own volume) is given to each playback after `extra`, so it is
    the one the player uses, and the heartbeat can tell it: with --no-config and no input, nothing
    else changes it. None leaves the player at its default and the heartbeat without a volume (the
    sound card's mixer and the amplifier, which the receiver cannot read, set the loudness too)."""

    COMMANDS = {
        "mpv": lambda offset: ["mpv", "--no-config", "--no-video", "--really-quiet", "--input-terminal=no",
                               f"--start={offset:.3f}"],
        "ffplay": lambda offset: ["ffplay", "-nodisp", "-autoexit", "-loglevel", "error", "-ss", f"{offset:.3f}"],
    }
    VOLUME = {"mpv": lambda volume: [f"--volume={volume}"], "ffplay": lambda volume: ["-volume", str(volume)]}

    def __init__(self, name: str, extra: list[str] = (), volume: int | None = None):
        if shutil.which(name) is None:
            raise PlayerError(f"player {name!r} is not installed (apt-get install {name.replace('ffplay', 'ffmpeg')})")
        if volume is not None and not 0 <= volume <= 100:
            raise PlayerError(f"volume must be 0 to 100, got {volume}")
        self.name = name
        self.extra = list(extra)
        self.volume = volume

    def start(self, source: str, offset_s: float, duration_s: float) -> ProcessPlayback:
        loudness = [] if self.volume is None else self.VOLUME[self.name](self.volume)
        command = [*self.COMMANDS[self.name](offset_s), *self.extra, *loudness, source]
        log.info("%s: playing %s from %.1f s", self.name, source, offset_s)
        return ProcessPlayback(command)


def make_player(name: str, clock: Clock, extra: list[str] = (), volume: int | None = None):
    if name == "none":
        return NonePlayer(clock)
    if name in ProcessPlayer.COMMANDS:
        return ProcessPlayer(name, extra, volume)
    raise PlayerError(f"unknown player {name!r}: use mpv, ffplay or none")
