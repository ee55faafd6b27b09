"""The library's one canonical audio format, and loudness normalisation into it.

Canonical format: **MP3 (MPEG-1 Layer III), 44.1 kHz, mono, constant 128 kbit/s**,
with an Info (CBR) header, no cover art and no metadata copied from the source.

- *Mono*: village loudspeakers are mono; a stereo file would spend half its bits on a
  channel nobody hears, and stereo panning would be lost in the downmix anyway.
- *MP3*: every playout device and receiver decodes it, and files of one MP3 format
  can be joined by ffmpeg's concat demuxer with ``-c copy`` (a whole day of airings
  without re-encoding). 128 kbit/s mono is transparent for speech and music on horn
  loudspeakers.
- *Constant bit rate*: byte offsets map linearly to time, so receivers and HTTP
  range requests seek exactly, and concatenated files keep a valid bit rate.
- *44.1 kHz*: the MP3 rate every decoder supports; 48 kHz buys nothing audible here.
- *Bit-exact*: ffmpeg's version string is left out of the file, so the same input
  gives the same bytes (the store deduplicates by sha256).

Loudness is normalised to an EBU R128 integrated target (default −16 LUFS, usual for
speech on small speakers) with a peak ceiling (default −1.5 dBTP). The measurement is
ffmpeg's ``ebur128`` filter: one decoding pass, fast on hour-long files (``loudnorm``'s
measurement pass is several times slower). Loudness is always that of the audio
*mixed down to mono*, as the loudspeakers will play it: for a stereo file with the
same signal on both channels that is 3 LU below its stereo loudness.

Normalising is a linear gain plus a lookahead limiter (``alimiter``, run
oversampled so that it limits true peaks), not ``loudnorm``'s dynamic mode, so
speech keeps its dynamics; the limiter is left out when the gain keeps the true peak
well under the ceiling (the render is then checked against it). MP3 encoding can add a few tenths of a dB to the peaks
of hard-limited audio, hence a ceiling below the usual −1 dBTP. The LAME encode plays back
:data:`ENCODE_LOSS_DB` quieter than its input, whatever the signal, so the gain makes up for
that in advance. Limiting peaks lowers the loudness too (up to ~2 LU on peaky speech), by an
amount the source's figures only roughly foretell (the gain makes up for an estimate of it), so
the encoded result is measured and, only if it missed the target by more than
:data:`LOUDNESS_TOLERANCE_LU`, rendered again with the gain corrected (at most
:data:`MAX_RENDERS` renders and :data:`MAX_CORRECTION_DB` of correction; an unreachable
target is reported, not chased). The work is one
measurement of each source (none when the caller measured it already, see
:func:`audio_library.probe.probe`), one render and one measurement of the rendered file,
whose decoded duration is the file's duration. That measurement runs beside the render, on
another core: the encoder's packets go both into the file and, through a pipe, to a second
ffmpeg that decodes them exactly as the finished file decodes (see :func:`_render`).
Digital silence is never amplified; its loudness is reported as −inf.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audio_library.files import atomic_output
from audio_library.tools import progress_seconds, run_piped, run_tool

__all__ = [
    "CANONICAL_FORMAT",
    "CanonicalFormat",
    "CanonicalResult",
    "DEFAULT_TARGET_LUFS",
    "DEFAULT_TRUE_PEAK_DB",
    "ENCODE_LOSS_DB",
    "LOUDNESS_FILTER",
    "Loudness",
    "Rendered",
    "loudness_from_log",
    "measure_loudness",
    "render_normalised",
    "to_canonical",
]

DEFAULT_TARGET_LUFS = -16.0
DEFAULT_TRUE_PEAK_DB = -1.5
# A result within this of the target is kept: the promise is 0.5 LU, and each extra render
# costs a full encode and measurement (most files land within it the first time; hard-limited
# quiet speech can take a third).
LOUDNESS_TOLERANCE_LU = 0.5
MAX_RENDERS = 3
# Limiting and encoding cost a few LU at most; a target still missed after this much
# extra gain cannot be had under the ceiling without crushing the audio.
MAX_CORRECTION_DB = 6.0
# How much quieter LAME's 128 kbit/s mono plays back than what it was given: 0.4-0.5 LU on
# tones, pink and white noise, sweeps and espeak-ng speech alike (ebur128 before and after the
# encode). Without it every render landed 0.5 LU low, on the edge of the tolerance, and any
# limiting pushed it over (a second render).
ENCODE_LOSS_DB = 0.45
# The ebur128 measurement of the mono downmix; the per-frame log is kept below the info level
# at which the summary comes.
LOUDNESS_FILTER = "aformat=channel_layouts=mono,ebur128=peak=true:framelog=verbose"
# ebur128 reports -70 LUFS (the absolute gate) when no block is loud enough to count.
_SILENCE_LUFS = -70.0
# The limiter's sample rate, as a multiple of the output's: enough to catch true peaks.
_OVERSAMPLING = 4
# Without the limiter the gain alone keeps the true peak at least this far under the ceiling
# (MP3 encoding adds a few tenths of a dB to peaks); a render over the ceiling all the same
# is rendered again with the limiter.
_PEAK_HEADROOM_DB = 1.0
# How much of a gain change reaches the loudness of a limited render, until two renders have
# measured it: 0.44-0.6 on espeak-ng speech limited by 2-4 dB (gain without a limiter: exactly 1).
_LIMITED_RESPONSE = 0.5
# Of each dB the limiter takes off a source's peaks, its loudness loses about this much:
# 0.19-0.46 on espeak-ng speech (its peaks reach 0 dBFS, so voicing always limits). The first
# render adds the gain that makes up for it, so most spots need no second one.
_LIMITER_LOSS_PER_DB = 0.3
# alimiter accepts a ceiling between 0.0625 (-24.1 dB) and 1 (0 dB).
_MIN_CEILING_DB = -24.0
# Samples at the start of an encoded stream that are no audio: LAME's encoder delay (576) and the
# MP3 decoder's (529). A player skips them as the file's Info header says; the render's measurement,
# which decodes the packets before that header is written, skips them itself.
_ENCODER_DELAY_SAMPLES = 1105


@dataclass(frozen=True)
class CanonicalFormat:
    """What every canonical file is; ``id`` names it in cache keys and records."""

    codec: str = "mp3"
    sample_rate: int = 44100
    channels: int = 1
    bit_rate: int = 128000

    @property
    def id(self) -> str:
        return f"{self.codec}-{self.sample_rate}hz-{self.channels}ch-cbr{self.bit_rate // 1000}k"

    def encoder_args(self, muxer: str | None = None) -> list[str]:
        """ffmpeg output options that encode, strip metadata and omit version strings; the output
        is written by ``muxer``, by default the format's own."""
        return [
            "-c:a", "libmp3lame", "-b:a", str(self.bit_rate),
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
            "-f", muxer or self.codec,
        ]


CANONICAL_FORMAT = CanonicalFormat()


@dataclass(frozen=True)
class Loudness:
    """EBU R128 figures of a file mixed down to mono; −inf for digital silence."""

    integrated_lufs: float
    true_peak_dbtp: float
    lra: float

    @property
    def is_silent(self) -> bool:
        return self.integrated_lufs == -math.inf


@dataclass(frozen=True)
class CanonicalResult:
    """A converted file: its decoded duration, loudness before and after, gain applied."""

    path: Path
    duration_s: float
    loudness_before: Loudness
    loudness_after: Loudness
    gain_db: float


@dataclass(frozen=True)
class Rendered:
    """What :func:`render_normalised` did: one loudness and gain per source, in order."""

    path: Path
    duration_s: float
    sources_loudness: tuple[Loudness, ...]
    loudness_after: Loudness
    gains_db: tuple[float, ...]


def measure_loudness(path: Path) -> Loudness:
    """Integrated loudness, true peak and loudness range of ``path``'s first audio stream."""
    return _measure(Path(path))[0]


def to_canonical(
    src: Path,
    out: Path,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    true_peak_db: float = DEFAULT_TRUE_PEAK_DB,
    *,
    loudness: Loudness | None = None,
) -> CanonicalResult:
    """Convert ``src`` (any format ffmpeg decodes) to the canonical format at ``out``.

    ``src`` should have passed :func:`audio_library.probe.probe`; a file ffmpeg
    cannot read raises :class:`~audio_library.tools.ToolFailedError`. ``out``
    appears only when complete, and is left as it was on any failure. ``loudness`` is
    ``src``'s, when the probe measured it already (it is then not measured again).
    """
    done = render_normalised([src], out, target_lufs=target_lufs, true_peak_db=true_peak_db,
                             loudness=None if loudness is None else [loudness])
    return CanonicalResult(
        done.path, done.duration_s, done.sources_loudness[0], done.loudness_after, done.gains_db[0]
    )


def render_normalised(
    sources: Sequence[Path],
    out: Path,
    *,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    true_peak_db: float = DEFAULT_TRUE_PEAK_DB,
    loudness: Sequence[Loudness] | None = None,
) -> Rendered:
    """Bring each source to ``target_lufs``, join them in order, limit, encode to ``out``.

    Each source gets its own gain, so a quiet voice between loud jingles ends up as
    loud as they are. The whole is one encode, written atomically. ``loudness`` holds
    the sources' own, in order, when they were measured already.
    """
    _check_targets(target_lufs, true_peak_db)
    if not sources:
        raise ValueError("nothing to render: no source files given")
    sources = [Path(source) for source in sources]
    if loudness is not None and len(loudness) != len(sources):
        raise ValueError(f"{len(loudness)} loudness measurements given for {len(sources)} sources")
    before = tuple(loudness) if loudness is not None else tuple(_measure(source)[0] for source in sources)
    gains = [target_lufs - level.integrated_lufs for level in before]
    # The limiter (4x oversampled) is most of a render's work; a source whose peaks stay well under
    # the ceiling after its gain needs none, and comes out at the target (a linear gain).
    limit = any(level.true_peak_dbtp + gain + ENCODE_LOSS_DB > true_peak_db - _PEAK_HEADROOM_DB
                for level, gain in zip(before, gains) if not level.is_silent)
    silent = [level.is_silent for level in before]
    makeups = [0.0 if quiet else _limiter_makeup(level, gain, true_peak_db)
               for level, gain, quiet in zip(before, gains, silent)]
    gains = [gain + makeup for gain, makeup in zip(gains, makeups)]
    out = Path(out)
    with atomic_output(out) as temp:
        gains, after, duration_s = _render_on_target(sources, gains, silent, temp, target_lufs, true_peak_db,
                                                     limit, max(makeups))
    return Rendered(out, duration_s, before, after, tuple(gains))


def _check_targets(target_lufs: float, true_peak_db: float) -> None:
    """Refuse targets ebur128 could not measure or alimiter could not apply."""
    if not _SILENCE_LUFS < target_lufs < 0:
        raise ValueError(f"target_lufs must be between {_SILENCE_LUFS:g} and 0 LUFS, got {target_lufs}")
    if not _MIN_CEILING_DB <= true_peak_db <= 0:
        raise ValueError(f"true_peak_db must be between {_MIN_CEILING_DB:g} and 0 dB, got {true_peak_db}")


def _limiter_makeup(level: Loudness, gain: float, true_peak_db: float) -> float:
    """The extra gain that makes up for the loudness the limiter will take from a source.

    With ``k`` = :data:`_LIMITER_LOSS_PER_DB`, a gain ``g + x`` (``g`` with the encode's loss
    made up) loses ``k`` times what it puts over the ceiling: ``x = k * (peak + g + x - ceiling)``.
    At most what the correction may add.
    """
    over = level.true_peak_dbtp + gain + ENCODE_LOSS_DB - true_peak_db
    if over <= 0:
        return 0.0
    makeup = _LIMITER_LOSS_PER_DB * over / (1 - _LIMITER_LOSS_PER_DB)
    return min(makeup, MAX_CORRECTION_DB - ENCODE_LOSS_DB)


def _render_on_target(
    sources: list[Path], gains: list[float], silent: list[bool], temp: Path, target_lufs: float,
    true_peak_db: float, limit: bool, makeup: float,
) -> tuple[list[float], Loudness, float]:
    """Render, measure, and re-render with corrected gains until within tolerance.

    The first render makes up for the encode's loss (:data:`ENCODE_LOSS_DB`); ``gains``
    hold the limiter's already, ``makeup`` the largest of them. The correction is a secant
    step: after two renders the measured response of loudness to gain (below 1 when the
    limiter bites) scales the next step. Gains never exceed the target's by more than
    :data:`MAX_CORRECTION_DB`; it stops early when the correction is used up, as another
    render would be the same. Silent sources keep a gain of 0 dB.
    """
    tries: list[tuple[float, float]] = []  # (gain offset, loudness measured)
    offset = ENCODE_LOSS_DB

    def applied() -> list[float]:
        return [0.0 if quiet else gain + offset for gain, quiet in zip(gains, silent)]

    while True:
        after, duration_s = _render(sources, applied(), temp, true_peak_db, limit)
        if not limit and after.true_peak_dbtp > true_peak_db:
            limit = True  # encoding raised the peaks over the ceiling after all
            continue
        error = target_lufs - after.integrated_lufs
        tries.append((offset, after.integrated_lufs))
        if after.is_silent or abs(error) <= LOUDNESS_TOLERANCE_LU or len(tries) == MAX_RENDERS:
            break
        step = offset + error / _response(tries, limit)
        next_offset = min(max(step, -MAX_CORRECTION_DB), MAX_CORRECTION_DB - makeup)
        if next_offset == offset:
            break
        offset = next_offset
    return applied(), after, duration_s


def _response(tries: list[tuple[float, float]], limit: bool) -> float:
    """dLoudness/dGain from the last two renders, kept in [0.25, 1]; after one render, 1 for
    a linear gain and :data:`_LIMITED_RESPONSE` through the limiter."""
    if len(tries) < 2:
        return _LIMITED_RESPONSE if limit else 1.0
    (offset_a, lufs_a), (offset_b, lufs_b) = tries[-2:]
    return min(max((lufs_b - lufs_a) / (offset_b - offset_a), 0.25), 1.0)


def _render(sources: list[Path], gains: list[float], temp: Path, true_peak_db: float,
            limit: bool) -> tuple[Loudness, float]:
    """One ffmpeg pass: per-source mono downmix and gain, concat, limiter (if `limit`), MP3 encode
    to ``temp``; the loudness and decoded duration of the result, measured while it is encoded.

    The ``tee`` muxer writes the encoder's packets to ``temp`` (the file is byte for byte what a
    plain MP3 output gives) and the same packets, in Matroska, to a second ffmpeg that measures them.
    A pipe cannot carry the file itself: the MP3 muxer writes the Info header, which tells a
    player how many samples to skip at either end, only when it can seek back to the start. Matroska
    carries the end's padding; the start's is :data:`_ENCODER_DELAY_SAMPLES`, skipped by hand, and
    the timestamps are counted from the samples (Matroska's are in milliseconds). So the measurement
    decodes the very samples the file decodes to, and its duration is the file's (tests check both).
    """
    inputs: list[str | Path] = []
    for source in sources:
        inputs += ["-i", source]
    file_and_pipe = f"[f={CANONICAL_FORMAT.codec}]{_tee_escaped(temp)}|[f=matroska:onfail=abort]pipe:1"
    _, measured = run_piped(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *inputs,
         "-filter_complex", _filter_graph(gains, true_peak_db, limit), "-map", "[out]",
         *CANONICAL_FORMAT.encoder_args(muxer="tee"), file_and_pipe],
        _measuring(["-f", "matroska", "-i", "pipe:0"],
                   f"atrim=start_sample={_ENCODER_DELAY_SAMPLES},asetpts=round(N/SR/TB)"),
    )
    return loudness_from_log(measured.stderr), progress_seconds(measured.stdout)


def _tee_escaped(path: Path) -> str:
    """``path`` as a file name in the tee muxer's list: backslash, quote, bar and blanks (trimmed) escaped."""
    return re.sub(r"([\\'|\s])", r"\\\1", str(path))


def _filter_graph(gains: list[float], true_peak_db: float, limit: bool) -> str:
    """The ffmpeg filter graph for :func:`_render`.

    The limiter runs at four times the sample rate so that it sees the peaks
    between samples: at 44.1 kHz, speech limited hard came out 2 dB over the
    ceiling. ``alimiter`` must not auto-level (that would undo the gain) and must
    compensate its lookahead delay (else it shifts the audio and cuts its end).
    """
    rate = CANONICAL_FORMAT.sample_rate
    chains = [
        f"[{index}:a:0]aformat=sample_rates={rate}:channel_layouts=mono,volume={gain:.2f}dB[p{index}]"
        for index, gain in enumerate(gains)
    ]
    labels = "".join(f"[p{index}]" for index in range(len(gains)))
    if not limit:
        chains.append(f"{labels}concat=n={len(gains)}:v=0:a=1[out]")
        return ";".join(chains)
    ceiling = 10 ** (true_peak_db / 20)
    chains.append(
        f"{labels}concat=n={len(gains)}:v=0:a=1,aresample={_OVERSAMPLING * rate},"
        f"alimiter=limit={ceiling:.5f}:level=0:latency=1,aresample={rate}[out]"
    )
    return ";".join(chains)


def _measure(path: Path) -> tuple[Loudness, float]:
    """One decoding pass: loudness of the mono downmix and the decoded duration."""
    done = run_tool(_measuring(["-i", path]))
    return loudness_from_log(done.stderr), progress_seconds(done.stdout)


def _measuring(input_args: list[str | Path], prepare: str | None = None) -> list[str | Path]:
    """The ffmpeg command that measures the first audio stream of its input, after the filters
    ``prepare``: the summary goes to stderr (:func:`loudness_from_log`), progress to stdout."""
    filters = LOUDNESS_FILTER if prepare is None else f"{prepare},{LOUDNESS_FILTER}"
    return ["ffmpeg", "-nostdin", "-hide_banner", "-nostats", *input_args, "-map", "0:a:0",
            "-filter:a", filters, "-progress", "pipe:1", "-f", "null", "-"]


_SUMMARY_FIELDS = {
    "integrated_lufs": re.compile(r"^\s*I:\s+(\S+) LUFS", re.MULTILINE),
    "lra": re.compile(r"^\s*LRA:\s+(\S+) LU$", re.MULTILINE),
    "true_peak_dbtp": re.compile(r"^\s*Peak:\s+(\S+) dBFS", re.MULTILINE),
}


def loudness_from_log(stderr: str) -> Loudness:
    """Read the ``Summary:`` that :data:`LOUDNESS_FILTER` logs (at info level) when the stream ends."""
    _, found, summary = stderr.rpartition("Summary:")
    values = {name: pattern.search(summary) for name, pattern in _SUMMARY_FIELDS.items()}
    missing = [name for name, match in values.items() if match is None]
    if not found or missing:
        raise RuntimeError(f"ffmpeg's ebur128 summary is missing or incomplete: {missing or 'no summary'}")
    figures = {name: float(match.group(1)) for name, match in values.items()}  # type: ignore[union-attr]
    if figures["integrated_lufs"] <= _SILENCE_LUFS:
        figures["integrated_lufs"] = -math.inf
    return Loudness(**figures)
