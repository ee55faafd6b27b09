"""The pure audio core: probing, storing and voicing audio files.

Plain functions over paths and values; no Flask, no database, nothing from ``radio``.
The external programs it needs are ffmpeg/ffprobe and espeak-ng.
"""

from audio_library.canonical import CANONICAL_FORMAT, CanonicalResult, Loudness, measure_loudness, to_canonical
from audio_library.formats import suffix_for
from audio_library.jingles import JoinResult, join_with_jingles
from audio_library.probe import AudioInfo, NotAudioError, probe
from audio_library.render import RenderResult, render_window
from audio_library.speech import render_espeak
from audio_library.store import ALLOWED_SUFFIXES, MediaStore, StoredMedia
from audio_library.tools import ToolFailedError, ToolMissingError

__all__ = [
    "ALLOWED_SUFFIXES",
    "AudioInfo",
    "CANONICAL_FORMAT",
    "CanonicalResult",
    "JoinResult",
    "Loudness",
    "RenderResult",
    "render_window",
    "join_with_jingles",
    "measure_loudness",
    "suffix_for",
    "to_canonical",
    "MediaStore",
    "NotAudioError",
    "StoredMedia",
    "ToolFailedError",
    "ToolMissingError",
    "probe",
    "render_espeak",
]
