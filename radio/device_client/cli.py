"""`radio-device`: run a village receiver (argparse, not click: the receiver has only the
standard library and requests).

    radio-device --server URL --code CODE --token-file F --cache DIR [--player mpv|ffplay|none] [--once]

Everything it keeps is under --cache: state.json, media/ (audio by sha256), playlogs/outbox/
(logs not yet acknowledged) and playlogs/refused/ (logs the server refused, with the reason).
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from importlib import metadata
from pathlib import Path

from .cache import MediaCache
from .clock import Clock, system_clock
from .players import PlayerError, make_player
from .playlogs import PlayLogQueue
from .receiver import Receiver, Settings
from .server import ServerClient
from .state import State

log = logging.getLogger("radio.device_client")
LONGEST_WAIT_S, SHORTEST_WAIT_S = 60.0, 0.2


class SetupError(Exception):
    """A wrong option or an unreadable file, said plainly."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="radio-device", description="Village loudspeaker receiver: pulls its "
                                "schedule and audio, plays on time, reports what it played.")
    p.add_argument("--server", required=True, help="the station server, e.g. https://radio.example.vn")
    p.add_argument("--code", required=True, help="this device's code (as in the plan file)")
    p.add_argument("--token-file", required=True, type=Path, help="file holding the token from `radio device-token`")
    p.add_argument("--cache", required=True, type=Path, help="folder for audio, state and queued play logs")
    p.add_argument("--player", choices=["mpv", "ffplay", "none"], default="mpv",
                   help="what plays the audio; none only logs (dry runs, tests)")
    p.add_argument("--player-arg", action="append", default=[], metavar="ARG",
                   help="extra option for the player, e.g. --player-arg=--audio-device=alsa/hw:0 (repeatable)")
    p.add_argument("--volume", type=int, choices=range(0, 101), metavar="0..100",
                   help="the player's volume, given to mpv or ffplay and told in the heartbeat "
                   "(default: the player's own, and none told)")
    p.add_argument("--days", type=int, default=3, choices=range(1, 15), metavar="1..14",
                   help="days of schedule to hold (and play from if the server is unreachable)")
    p.add_argument("--cache-limit-mb", type=float, help="most disk the audio may use (default: no limit)")
    p.add_argument("--bulletin-seconds", type=float, default=30, help="how often to poll for emergency bulletins")
    p.add_argument("--mqtt", metavar="URL", help="mqtt://[user:pass@]host[:port]: also poll at once on a notice")
    p.add_argument("--mqtt-prefix", default="radio", help="topic prefix (the server's MQTT_TOPIC_PREFIX)")
    p.add_argument("--mqtt-keepalive", type=int, default=300, metavar="SECONDS",
                   help="MQTT keepalive: the one packet each way an idle connection costs (the NAT must allow it)")
    p.add_argument("--quiet-poll-seconds", type=float, default=7200, metavar="SECONDS",
                   help="while MQTT notices are heard: poll the schedule and send a heartbeat only this often")
    p.add_argument("--ca-file", type=Path, help="CA certificates to trust for https:// and mqtts:// "
                   "(a private CA) instead of the system's")
    p.add_argument("--once", action="store_true", help="sync once (schedule, audio, logs, heartbeat) and exit: "
                   "status 0 when the server answered and all audio is cached")
    p.add_argument("--verbose", action="store_true", help="log every step")
    return p


def read_token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SetupError(f"--token-file {path}: cannot read it ({exc.strerror})") from None
    if not token or len(token.split()) != 1:
        raise SetupError(f"--token-file {path}: expected one token (from `radio device-token {'{CODE}'}`), "
                         "found " + ("nothing" if not token else "several words"))
    return token


def firmware() -> str:
    try:
        return f"radio-device {metadata.version('radio-schedules')}"
    except metadata.PackageNotFoundError:
        return "radio-device"


def build(argv: list[str], clock: Clock = system_clock) -> tuple[Receiver, argparse.Namespace]:
    """The receiver the options describe, with its folders made."""
    args = parser().parse_args(argv)
    token = read_token(args.token_file)
    if args.cache_limit_mb is not None and args.cache_limit_mb <= 0:
        raise SetupError(f"--cache-limit-mb must be more than 0, got {args.cache_limit_mb:g}")
    if not 1 <= args.mqtt_keepalive <= 65535:
        raise SetupError(f"--mqtt-keepalive must be 1 to 65535 seconds (MQTT's limit), got {args.mqtt_keepalive}")
    if not 5 <= args.quiet_poll_seconds <= 86400:
        raise SetupError(f"--quiet-poll-seconds must be 5 to 86400, got {args.quiet_poll_seconds:g}")
    try:
        args.cache.mkdir(parents=True, exist_ok=True)
        player = make_player(args.player, clock, args.player_arg, args.volume)
    except PlayerError as exc:
        raise SetupError(str(exc)) from None
    except OSError as exc:
        raise SetupError(f"--cache {args.cache}: cannot create it ({exc.strerror})") from None
    limit = int(args.cache_limit_mb * 1024 * 1024) if args.cache_limit_mb else None
    settings = Settings(device_code=args.code, days=args.days, bulletin_seconds=args.bulletin_seconds,
                        quiet_seconds=args.quiet_poll_seconds, firmware=firmware())
    ca_file = str(args.ca_file) if args.ca_file else None
    server = ServerClient(args.server, args.code, token, user_agent=firmware(), ca_file=ca_file)
    receiver = Receiver(settings, server, MediaCache(args.cache / "media", limit), player,
                        PlayLogQueue(args.cache / "playlogs"), State(args.cache / "state.json"), clock)
    return receiver, args


def listen(receiver: Receiver, args: argparse.Namespace, wake: threading.Event):
    """The MQTT "poll now" listener (--mqtt): a notice polls at once; while it is connected the
    receiver is quiet (Receiver.quiet). Either wakes the loop, which then follows the new intervals.
    The connection also carries the play logs while the server offers it; an acknowledgement wakes
    the loop too, to settle its batch."""
    from .notices import PollNotices

    def notice() -> None:
        receiver.request_poll()
        wake.set()

    def listening(connected: bool) -> None:
        receiver.quiet = connected
        wake.set()

    def ack(payload: bytes) -> None:
        receiver.ack_received(payload)
        wake.set()

    notices = PollNotices(args.mqtt, args.mqtt_prefix, args.code, notice, listening, args.mqtt_keepalive,
                          str(args.ca_file) if args.ca_file else None, on_ack=ack)
    receiver.publish_logs_with(notices)
    return notices


def run_forever(receiver: Receiver, wake: threading.Event) -> None:
    """Tick, then wait until the next tick has work (or a notice sets `wake`)."""
    while True:
        receiver.tick()
        seconds = (receiver.next_wake() - receiver.clock()).total_seconds()
        wake.wait(min(max(seconds, SHORTEST_WAIT_S), LONGEST_WAIT_S))
        wake.clear()


def main(argv: list[str] | None = None, clock: Clock = system_clock) -> int:
    """`radio-device`; `clock` is the system's but for a test sharing its clock with a served app."""
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")
    try:
        receiver, args = build(argv, clock)
    except SetupError as exc:
        print(f"radio-device: {exc}", file=sys.stderr)
        return 2
    log.info("device %s, server %s, cache %s, player %s", args.code, args.server, args.cache, args.player)
    if args.once:
        ok = receiver.sync_once()
        log.info("sync %s", "complete" if ok else "incomplete (see above)")
        return 0 if ok else 1
    wake = threading.Event()
    notices = listen(receiver, args, wake) if args.mqtt else None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # systemd stop: leave through `finally`
    try:
        run_forever(receiver, wake)
    except KeyboardInterrupt:
        pass
    finally:
        receiver.close()
        if notices is not None:
            notices.close()
    return 0
