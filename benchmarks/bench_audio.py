"""Benchmark: audio ingest against ffmpeg's plain decode, voicing against espeak-ng + a plain encode.

    python benchmarks/bench_audio.py [--files 20] [--seconds 60] [--scripts 50] [--repeat 3] [--keep DIR]

Generates ``--files`` test files of ``--seconds`` each (ffmpeg tones and noise, mono and
stereo, as MP3, WAV, OGG, M4A and FLAC) and ``--scripts`` short Vietnamese scripts, then
times, in one run:

- baseline: ``ffmpeg -i FILE -f null -`` (decode only) of every test file;
- ingest: ``probe`` (measuring the loudness) + ``to_canonical`` of every test file (what
  ``radio audio add`` and an upload do to the audio, without the store and the database);
- voicing baseline: ``espeak-ng -w`` + ``ffmpeg -i WAV -c:a libmp3lame`` of every script,
  the least that gives an MP3 of it;
- voicing: espeak-ng + ``to_canonical`` of every script (the offline voicing path of a
  script without jingles).

Each pass runs ``--repeat`` times, alternating; prints the median seconds, the ratios of
the medians to their baselines' (goal: 4x at most), how close the outputs came to the loudness
target, and the machine's load. Generating the inputs is not timed. Nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from audio_library import probe
from audio_library.canonical import DEFAULT_TARGET_LUFS, CanonicalResult, to_canonical
from audio_library.tts import EspeakEngine

# (lavfi source, channels) cycled over the files; every kind of signal the limiter and
# the encoder treat differently: steady tone, noise, a sweep, a pulsed tone.
SOURCES = (
    ("sine=frequency=440", 1),
    ("anoisesrc=color=pink:amplitude=0.3:seed={i}", 2),
    ("aevalsrc=0.4*sin(2*PI*(200+50*t)*t)", 1),
    ("anoisesrc=color=white:amplitude=0.05:seed={i}", 1),
    ("aevalsrc=0.8*sin(2*PI*330*t)*lt(mod(t\\,1)\\,0.3)", 2),
)
ENCODINGS = (
    ("mp3", ("-c:a", "libmp3lame", "-b:a", "192k")),
    ("wav", ("-c:a", "pcm_s16le")),
    ("ogg", ("-c:a", "libvorbis", "-q:a", "4")),
    ("m4a", ("-c:a", "aac", "-b:a", "128k")),
    ("flac", ("-c:a", "flac")),
)
SUBJECTS = (
    "Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em",
    "Hội nông dân tổ chức tập huấn kỹ thuật trồng lúa",
    "Trạm y tế xã khám sức khỏe miễn phí cho người cao tuổi",
    "Công an xã hướng dẫn làm căn cước công dân",
    "Đoàn thanh niên ra quân vệ sinh môi trường",
)
WHEN = ("vào sáng thứ hai", "vào chiều thứ tư", "vào sáng chủ nhật", "trong tuần này", "từ ngày mười lăm")
WHERE = ("tại nhà văn hóa thôn", "tại hội trường ủy ban", "tại trạm y tế", "tại sân vận động xã",
         "tại trường tiểu học", "tại chợ trung tâm", "tại các thôn", "tại điểm bưu điện văn hóa",
         "tại nhà văn hóa thôn Đông", "tại nhà văn hóa thôn Tây")


def make_files(folder: Path, count: int, seconds: float) -> list[Path]:
    """``count`` test files of ``seconds`` each, cycling signals and formats."""
    files = []
    for i in range(count):
        source, channels = SOURCES[i % len(SOURCES)]
        suffix, encode = ENCODINGS[i % len(ENCODINGS)]
        out = folder / f"in-{i:02d}.{suffix}"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
             "-i", source.format(i=i),
             "-t", str(seconds), "-ar", "44100", "-ac", str(channels), *encode, str(out)],
            check=True,
        )
        files.append(out)
    return files


def make_scripts(count: int) -> list[str]:
    """``count`` different short announcements of one or two sentences."""
    scripts = []
    for i in range(count):
        sentence = f"{SUBJECTS[i % 5]} {WHEN[(i // 5) % 5]} {WHERE[i % 10]}."
        scripts.append(sentence if i % 2 else f"{sentence} Đề nghị bà con chú ý theo dõi.")
    return scripts


def timed(items: list, work: Callable) -> tuple[float, list]:
    """Run ``work`` on every item; the total seconds and the results."""
    start = time.perf_counter()
    results = [work(i, item) for i, item in enumerate(items)]
    return time.perf_counter() - start, results


def median_of(label: str, runs: list[float], count: int) -> float:
    """Print and return the median of ``runs`` (seconds for ``count`` items)."""
    seconds = statistics.median(runs)
    print(f"{label:<38} {seconds:8.2f} s  ({seconds / count:.3f} s each; runs "
          f"{', '.join(f'{run:.2f}' for run in runs)})")
    return seconds


def decode(_: int, path: Path) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "null", "-"], check=True)


def voice_plainly(folder: Path) -> Callable[[int, str], None]:
    """espeak-ng's own synthesis of a script, then a plain MP3 encode of its WAV."""
    def voice(i: int, text: str) -> None:
        wav, mp3 = folder / "out" / f"plain-{i:02d}.wav", folder / "out" / f"plain-{i:02d}.mp3"
        subprocess.run(["espeak-ng", "--stdin", "-b", "1", "-v", "vi", "-w", str(wav)], input=text.encode(),
                       check=True)
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(wav), "-c:a", "libmp3lame",
                        "-b:a", "128k", str(mp3)], check=True)
    return voice


def load() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def report_loudness(label: str, results: list[CanonicalResult]) -> None:
    """How far the outputs are from the target, and their highest true peak."""
    misses = [abs(r.loudness_after.integrated_lufs - DEFAULT_TARGET_LUFS) for r in results]
    peaks = [r.loudness_after.true_peak_dbtp for r in results]
    print(f"  {label}: |I - target| max {max(misses):.1f} LU, mean {statistics.mean(misses):.2f} LU;"
          f" true peak max {max(peaks):.1f} dBTP")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--scripts", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each pass; the median counts")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-audio-") as temp:
        folder = args.keep or Path(temp)
        (folder / "out").mkdir(parents=True, exist_ok=True)
        run(folder, args.files, args.seconds, args.scripts, args.repeat)


def run(folder: Path, file_count: int, seconds: float, script_count: int, repeat: int) -> None:
    files = make_files(folder, file_count, seconds)
    scripts = make_scripts(script_count)
    audio_s = sum(probe(path).duration_s for path in files)
    print(f"{file_count} files, {audio_s / 60:.1f} min of audio; {script_count} scripts; median of {repeat}; "
          f"load {load()}")
    espeak = EspeakEngine()
    voice_plain = voice_plainly(folder)

    def ingest(i: int, path: Path) -> CanonicalResult:
        info = probe(path, loudness=True)
        return to_canonical(path, folder / "out" / f"file-{i:02d}.mp3", loudness=info.loudness)

    def voice(i: int, text: str) -> CanonicalResult:
        raw = espeak.synthesise(text, folder / "out" / f"raw-{i:02d}.wav", "vi")
        return to_canonical(raw, folder / "out" / f"spot-{i:02d}.mp3")

    runs: dict[str, list[float]] = {"baseline": [], "ingest": [], "voicing baseline": [], "voicing": []}
    for _ in range(repeat):
        runs["baseline"].append(timed(files, decode)[0])
        seconds, ingested = timed(files, ingest)
        runs["ingest"].append(seconds)
        runs["voicing baseline"].append(timed(scripts, voice_plain)[0])
        seconds, voiced = timed(scripts, voice)
        runs["voicing"].append(seconds)
    baseline = median_of("baseline: ffmpeg decode of the files", runs["baseline"], file_count)
    ingest_s = median_of("ingest: probe + to_canonical", runs["ingest"], file_count)
    voicing_baseline = median_of("voicing baseline: espeak-ng + encode", runs["voicing baseline"], script_count)
    voicing_s = median_of("voicing: espeak-ng + to_canonical", runs["voicing"], script_count)
    spoken_s = sum(result.duration_s for result in voiced)
    print(f"{'ingest / baseline':<38} {ingest_s / baseline:8.1f}x  (goal: 4x at most)")
    print(f"{'voicing / voicing baseline':<38} {voicing_s / voicing_baseline:8.1f}x  (goal: 4x at most; "
          f"{spoken_s:.0f} s of speech voiced)")
    print(f"{'ingest speed':<38} {audio_s / ingest_s:8.1f}x real time")
    report_loudness("ingest", ingested)
    report_loudness("voicing", voiced)
    print(f"load after: {load()}")


if __name__ == "__main__":
    main(sys.argv[1:])
