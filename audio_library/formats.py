"""Which file suffix a probed container gets in the store (ffprobe's format names are lists), and
the MIME type a stored file is served with."""
from __future__ import annotations

from audio_library.probe import AudioInfo

# ffprobe format_name (first item) -> the suffix files of that container carry.
_SUFFIXES = {"mp3": "mp3", "wav": "wav", "ogg": "ogg", "flac": "flac", "aac": "aac", "mov": "m4a"}


def suffix_for(info: AudioInfo) -> str:
    """The store suffix for a probed file; ValueError for containers the store does not keep."""
    container = info.format_name.split(",")[0]
    if container == "ogg" and info.codec == "opus":
        return "opus"
    if container == "matroska" and info.codec in ("opus", "vorbis"):
        return "webm"  # what browsers record (MediaRecorder); ffprobe names WebM "matroska,webm"
    try:
        return _SUFFIXES[container]
    except KeyError:
        raise ValueError(f"audio in a {container} container is not accepted; "
                         "use MP3, WAV, OGG, FLAC, M4A or WebM") from None


MIME_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "opus": "audio/ogg",
              "m4a": "audio/mp4", "flac": "audio/flac", "aac": "audio/aac", "webm": "audio/webm"}


def mime_type(suffix: str) -> str:
    """The MIME type of a stored file by its suffix (what players and browsers are told)."""
    return MIME_TYPES.get(suffix, "application/octet-stream")
