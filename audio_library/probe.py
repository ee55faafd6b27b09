"""Decide whether a file is playable audio, and describe it.

An uploaded or supplied file is only accepted once ffmpeg has *decoded all of it*:
ffprobe alone reads headers, so it happily describes a half-uploaded MP3 with the
duration of the whole programme, and the village loudspeakers would then fall
silent mid-sentence. The duration reported is the decoded one, because that is what
will actually play and what the schedule has to reserve. A caller about to convert the
file asks for its loudness too: it is measured in that same decode, not in a second one.
The decode starts together with ffprobe (two cores), and is stopped if the headers refuse the file.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audio_library.canonical import LOUDNESS_FILTER, Loudness, loudness_from_log
from audio_library.tools import RunningTool, last_line

__all__ = ["AudioInfo", "NotAudioError", "probe"]

# A header may legitimately claim a little more than decodes (encoder delay and
# padding, about one frame); more than this means data is missing from the end.
TRUNCATION_TOLERANCE_S = 0.5
TRUNCATION_TOLERANCE_RATIO = 0.01

# ffmpeg's warning when it had no header to read the duration from and guessed it
# from the bit rate (MP3 without a Xing/Info header, raw AAC). Such a guess says
# nothing about truncation, so the comparison is skipped for it.
_ESTIMATED_DURATION_WARNING = "Estimating duration from bitrate"

_BYTES_PER_MB = 1024 * 1024

# A line ffmpeg logged at error level or worse, under ``-loglevel level+info``.
_ERROR_LINE = re.compile(r"^(\[[^\]]* @ 0x[0-9a-fA-F]+\] )?\[(?:error|fatal|panic)\] ", re.MULTILINE)

# What audio is accepted at all (the limits table in the README): programmes and spots last minutes,
# a long recorded meeting a few hours; more channels or odder rates than these are no broadcast audio.
MAX_DURATION_S = 4 * 3600
MAX_CHANNELS = 8
MIN_SAMPLE_RATE, MAX_SAMPLE_RATE = 8_000, 192_000
CODECS = frozenset({"mp3", "mp2", "aac", "vorbis", "opus", "flac", "alac", "wmav2", "amr_nb", "amr_wb"})
CODEC_PREFIXES = ("pcm_",)  # WAV's many sample formats
# Reading the headers takes a moment; decoding a 4-hour file a few seconds. A file that keeps the
# tools busy far longer is built to (or broken enough to) and is refused, not waited for.
HEADERS_TIMEOUT_S = 30.0
DECODE_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class AudioInfo:
    """What we know about an accepted audio file (its first audio stream)."""

    duration_s: float
    codec: str
    format_name: str
    sample_rate: int
    channels: int
    bit_rate: int | None
    loudness: Loudness | None = None  # measured only when asked for


def N_(message: str) -> str:
    """Marks a Vietnamese message for the web pages' catalog (pybabel extracts it); returns it unchanged."""
    return message


# What each refusal says to people (Vietnamese msgids, translated where shown), by ``reason``;
# ``name`` is the file as the user knows it.
MESSAGES = {
    "empty": N_("“%(name)s” trống (0 byte)"),
    "too_large": N_("“%(name)s” nặng %(size)s, quá giới hạn %(limit)s"),
    "unknown_format": N_("“%(name)s” không phải tệp âm thanh (định dạng lạ, hoặc hỏng tới mức không đọc được)"),
    "no_audio": N_("“%(name)s” không có phần âm thanh nào"),
    "corrupt": N_("“%(name)s” bị hỏng hoặc bị cắt cụt: không giải mã được hết tệp"),
    "truncated": N_("“%(name)s” bị cắt cụt hoặc hỏng: phần đầu tệp ghi %(declared)s giây nhưng chỉ đọc được "
                    "%(decoded)s giây âm thanh"),
    "zero_duration": N_("“%(name)s” không có âm thanh (độ dài bằng 0)"),
    "too_long": N_("“%(name)s” dài %(duration)s giây, quá giới hạn %(limit)s giây"),
    "unsupported": N_("“%(name)s” dùng kiểu âm thanh không được nhận"),
    "too_slow": N_("“%(name)s” không đọc xong trong %(limit)s giây"),
}
# The "unsupported" refusal by what is not accepted (values["kind"]); values["what"] says it in
# English for the CLI and the API.
UNSUPPORTED = {
    "codec": N_("“%(name)s” dùng mã hoá âm thanh “%(codec)s”, không được nhận"),
    "channels": N_("“%(name)s” có %(channels)s kênh âm thanh, chỉ nhận từ 1 đến %(most)s kênh"),
    "sample_rate": N_("“%(name)s” có tần số lấy mẫu %(rate)s Hz, chỉ nhận từ %(lowest)s đến %(highest)s Hz"),
}


class NotAudioError(ValueError):
    """A file was refused as audio; the message names the file and the problem.

    ``reason`` is a stable code for the caller (API error codes, translated UI
    messages): ``empty``, ``too_large``, ``unknown_format``, ``no_audio``,
    ``corrupt``, ``truncated``, ``zero_duration``, ``too_long``, ``unsupported`` (codec,
    channels or sample rate) or ``too_slow`` (the decode time-out). ``detail`` keeps ffmpeg's own
    words for the log. People read ``message_id`` (Vietnamese) filled with ``values``.
    """

    def __init__(self, message: str, *, reason: str, detail: str = "",
                 values: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.detail = detail
        self.values = values or {}

    @property
    def message_id(self) -> str:
        if self.reason == "unsupported" and self.values.get("kind") in UNSUPPORTED:
            return UNSUPPORTED[self.values["kind"]]
        return MESSAGES[self.reason]

    def __reduce__(self):
        """Pickle with its reason and values (a plan file's problems keep it through a job queue)."""
        return _rebuilt, (str(self), self.reason, self.detail, self.values)


def _rebuilt(message: str, reason: str, detail: str, values: dict[str, object]) -> NotAudioError:
    return NotAudioError(message, reason=reason, detail=detail, values=values)


def probe(path: Path, max_bytes: int | None = None, *, name: str | None = None,
          loudness: bool = False) -> AudioInfo:
    """Describe the audio file at ``path`` or raise :class:`NotAudioError`.

    ``name`` is how the user knows the file (the upload's original name); it is only
    used in messages, defaulting to ``path.name``. ``max_bytes`` refuses big files
    before any decoding work is spent on them. With ``loudness`` the decode also
    measures it (see :mod:`audio_library.canonical`), for a conversion to use.
    """
    path = Path(path)
    display = name if name is not None else path.name
    _check_size(path, display, max_bytes)
    with RunningTool(_decode_args(path, loudness)) as decoding:  # stopped if the headers refuse the file
        report, estimated = _read_headers(path, display)
        stream = _first_audio_stream(report, display)
        _check_stream(stream, display)
        _check_duration(_declared_duration(report, stream), display)
        decoded_s, measured = _decoded(decoding, path, display, loudness)
    _check_duration(decoded_s, display)
    if decoded_s <= 0:
        raise NotAudioError(
            f'"{display}" has zero duration (it contains no audio samples)',
            reason="zero_duration", values={"name": display},
        )
    if not estimated:
        _check_not_truncated(display, _declared_duration(report, stream), decoded_s)
    return _audio_info(report, stream, decoded_s, measured)


def _check_size(path: Path, display: str, max_bytes: int | None) -> None:
    """Refuse empty and oversized files before starting any tool."""
    if max_bytes is not None and max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    size = path.stat().st_size
    if size == 0:
        raise NotAudioError(f'"{display}" is empty (0 bytes)', reason="empty", values={"name": display})
    if max_bytes is not None and size > max_bytes:
        size_text, limit_text = _megabytes(size), _megabytes(max_bytes)
        if size_text == limit_text:
            size_text, limit_text = f"{size} bytes", f"{max_bytes} bytes"
        raise NotAudioError(
            f'"{display}" is {size_text}, over the size limit of {limit_text}',
            reason="too_large", values={"name": display, "size": size_text, "limit": limit_text},
        )


def _read_headers(path: Path, display: str) -> tuple[dict[str, Any], bool]:
    """Run ffprobe; return its JSON report and whether the duration was a guess."""
    with RunningTool(["ffprobe", "-v", "warning", "-print_format", "json", "-show_format", "-show_streams",
                      path]) as ffprobe:
        done = _finished(ffprobe, display, HEADERS_TIMEOUT_S)
    if done.returncode != 0:
        raise NotAudioError(
            f'"{display}" is not an audio file (unknown format, or too damaged to read)',
            reason="unknown_format",
            detail=done.stderr,
            values={"name": display},
        )
    return json.loads(done.stdout), _ESTIMATED_DURATION_WARNING in done.stderr


def _finished(tool: RunningTool, display: str, timeout_s: float) -> subprocess.CompletedProcess[str]:
    """Wait for a tool reading the file, refusing the file when it is not done within ``timeout_s``."""
    try:
        return tool.wait(timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise NotAudioError(f'"{display}" could not be read within {timeout_s:g} s', reason="too_slow",
                            values={"name": display, "limit": f"{timeout_s:g}"}) from None


def _check_stream(stream: dict[str, Any], display: str) -> None:
    """Refuse codecs outside the allow-list, and channel counts or sample rates no broadcast uses."""
    codec = str(stream.get("codec_name", "unknown"))
    channels = _as_int(stream.get("channels")) or 0
    rate = _as_int(stream.get("sample_rate")) or 0
    if codec not in CODECS and not codec.startswith(CODEC_PREFIXES):
        what, kind = f"codec {codec}", {"kind": "codec", "codec": codec}
    elif not 1 <= channels <= MAX_CHANNELS:
        what, kind = f"{channels} channels, at most {MAX_CHANNELS}", {"kind": "channels", "channels": channels,
                                                                      "most": MAX_CHANNELS}
    elif not MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE:
        what, kind = f"sample rate {rate} Hz, {MIN_SAMPLE_RATE}–{MAX_SAMPLE_RATE} Hz", {
            "kind": "sample_rate", "rate": rate, "lowest": MIN_SAMPLE_RATE, "highest": MAX_SAMPLE_RATE}
    else:
        return
    raise NotAudioError(f'"{display}" is audio of a kind not accepted ({what})', reason="unsupported",
                        values={"name": display, "what": what, **kind})


def _check_duration(duration_s: float | None, display: str) -> None:
    if duration_s is not None and duration_s > MAX_DURATION_S:
        raise NotAudioError(f'"{display}" lasts {duration_s:.0f} s, over the limit of {MAX_DURATION_S} s',
                            reason="too_long", values={"name": display, "duration": round(duration_s),
                                                       "limit": MAX_DURATION_S})


def _first_audio_stream(report: dict[str, Any], display: str) -> dict[str, Any]:
    """The stream a player would play; images and silent videos have none."""
    streams = report.get("streams", [])
    for stream in streams:
        if stream.get("codec_type") == "audio":
            return stream
    found = ", ".join(
        f"{s.get('codec_type', 'unknown')} ({s.get('codec_name', '?')})" for s in streams
    )
    format_name = report.get("format", {}).get("format_name", "?")
    raise NotAudioError(
        f'"{display}" has no audio stream (found: {found or "nothing"}; format {format_name})',
        reason="no_audio",
        values={"name": display},
    )


def _decode_args(path: Path, loudness: bool) -> list[str | Path]:
    """The ffmpeg command that decodes the whole first audio stream, stopping at the first error,
    and measures its loudness if asked.

    ``-xerror`` turns ffmpeg's "skip the damaged frame and carry on" into a failure;
    ``-progress`` reports how much audio came out, which is the real duration. The
    loudness summary is logged at info level, so errors are told by their level tag.
    """
    measure = ["-filter:a", LOUDNESS_FILTER] if loudness else []
    return ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "level+info", "-xerror", "-i", path,
            "-map", "0:a:0", *measure, "-progress", "pipe:1", "-nostats", "-f", "null", "-"]


def _decoded(decoding: RunningTool, path: Path, display: str, loudness: bool) -> tuple[float, Loudness | None]:
    """The decode's duration and, if asked, loudness; a decode that failed refuses the file."""
    done = _finished(decoding, display, DECODE_TIMEOUT_S)
    if done.returncode != 0:
        errors = "".join(_ERROR_LINE.sub(r"\1", line) for line in done.stderr.splitlines(keepends=True)
                         if _ERROR_LINE.match(line))
        # ffmpeg names the file by its path, which may be a server-side temp file.
        why = last_line(errors).replace(str(path), display)
        raise NotAudioError(
            f'"{display}" is corrupt or truncated: ffmpeg could not decode it '
            f"({why or f'exit status {done.returncode}'})",
            reason="corrupt",
            detail=errors,
            values={"name": display},
        )
    return _last_out_time_s(done.stdout), loudness_from_log(done.stderr) if loudness else None


def _last_out_time_s(progress: str) -> float:
    """The final ``out_time_us`` of ffmpeg's progress report, in seconds (0 if none)."""
    values = [
        line.partition("=")[2] for line in progress.splitlines()
        if line.startswith("out_time_us=")
    ]
    if not values or not values[-1].strip().lstrip("-").isdigit():
        return 0.0
    return max(int(values[-1]) / 1_000_000, 0.0)


def _declared_duration(report: dict[str, Any], stream: dict[str, Any]) -> float | None:
    """The duration the header claims: the stream's own, else the container's."""
    for source in (stream, report.get("format", {})):
        value = _as_float(source.get("duration"))
        if value is not None:
            return value
    return None


def _check_not_truncated(display: str, declared_s: float | None, decoded_s: float) -> None:
    """Refuse a file whose header promises more audio than it holds.

    This is how a cut-off MP3 shows itself: its frames decode cleanly, there are
    just fewer of them than the Xing/Info header counted.
    """
    if declared_s is None:
        return
    tolerance = max(TRUNCATION_TOLERANCE_S, TRUNCATION_TOLERANCE_RATIO * declared_s)
    if declared_s - decoded_s > tolerance:
        raise NotAudioError(
            f'"{display}" is truncated or damaged: its header promises '
            f"{declared_s:.1f} s but only {decoded_s:.1f} s of audio could be decoded",
            reason="truncated",
            values={"name": display, "declared": round(declared_s, 1), "decoded": round(decoded_s, 1)},
        )


def _audio_info(report: dict[str, Any], stream: dict[str, Any], duration_s: float,
                loudness: Loudness | None) -> AudioInfo:
    """Assemble the public description from ffprobe's stream and format records."""
    fmt = report.get("format", {})
    bit_rate = _as_int(stream.get("bit_rate"))
    return AudioInfo(
        duration_s=duration_s,
        codec=str(stream.get("codec_name", "unknown")),
        format_name=str(fmt.get("format_name", "unknown")),
        sample_rate=_as_int(stream.get("sample_rate")) or 0,
        channels=int(stream.get("channels") or 0),
        bit_rate=bit_rate if bit_rate is not None else _as_int(fmt.get("bit_rate")),
        loudness=loudness,
    )


def _as_float(value: object) -> float | None:
    """ffprobe writes numbers as strings and "N/A" when unknown."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _as_int(value: object) -> int | None:
    """Like :func:`_as_float`, for integer fields such as bit and sample rates."""
    number = _as_float(value)
    return int(number) if number is not None else None


def _megabytes(size: int) -> str:
    """Sizes for people: "50 MB", "0.5 MB" (MB meaning MiB, as upload limits do)."""
    return f"{size / _BYTES_PER_MB:.3g} MB"
