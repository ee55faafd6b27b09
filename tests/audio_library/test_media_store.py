"""MediaStore: content addressing, deduplication, safe paths, nothing half-written."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_library import ALLOWED_SUFFIXES, MediaStore, StoredMedia

CONTENT = b"ID3 not really audio, the store does not care" * 100
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media")


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "Bản tin sáng (final).mp3"
    path.write_bytes(CONTENT)
    return path


def files_under(root: Path) -> list[str]:
    """Every file below root, relative, hidden ones included: temp files show up."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir())


# --- layout and deduplication ------------------------------------------------------

def test_add_stores_by_sha256(store: MediaStore, src: Path) -> None:
    stored = store.add(src, "mp3")

    expected = store.root / SHA[:2] / f"{SHA}.mp3"
    assert stored == StoredMedia(sha256=SHA, path=expected, bytes=len(CONTENT), is_new=True)
    assert expected.read_bytes() == CONTENT
    assert files_under(store.root) == [f"{SHA[:2]}/{SHA}.mp3"]


def test_same_content_is_stored_once(store: MediaStore, src: Path, tmp_path: Path) -> None:
    first = store.add(src, "mp3")
    copy = tmp_path / "copy.mp3"
    copy.write_bytes(CONTENT)

    second = store.add(copy, "mp3")

    assert second == StoredMedia(SHA, first.path, len(CONTENT), is_new=False)
    assert files_under(store.root) == [f"{SHA[:2]}/{SHA}.mp3"]


def test_same_content_under_another_suffix_keeps_the_first(store: MediaStore, src: Path) -> None:
    first = store.add(src, "mp3")

    second = store.add(src, "wav")

    assert (second.path, second.is_new) == (first.path, False)
    assert files_under(store.root) == [f"{SHA[:2]}/{SHA}.mp3"]


def test_stored_files_are_readable_by_other_processes(store: MediaStore, src: Path) -> None:
    stored = store.add(src, "mp3")

    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o644


def test_add_stream_takes_an_open_upload(store: MediaStore) -> None:
    stored = store.add_stream(io.BytesIO(CONTENT), "mp3")

    assert (stored.sha256, stored.is_new) == (SHA, True)


def test_empty_content_is_storable(store: MediaStore) -> None:
    # Refusing empty audio is probe's job; the store is only about bytes.
    stored = store.add_stream(io.BytesIO(b""), "wav")

    assert stored.sha256 == hashlib.sha256(b"").hexdigest()
    assert stored.bytes == 0


def test_without_hard_links_the_file_is_renamed_into_place(
    store: MediaStore, src: Path, monkeypatch
) -> None:
    # exFAT/FAT USB disks have no hard links; os.link fails with EPERM there.
    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)

    stored = store.add(src, "mp3")

    assert stored.is_new
    assert files_under(store.root) == [f"{SHA[:2]}/{SHA}.mp3"]


def test_a_concurrent_add_of_the_same_content_is_not_new(store: MediaStore, tmp_path: Path) -> None:
    # The race the hard link guards against: another import placed the same content
    # between our existence check and our link. Only one of the two may undo it.
    from audio_library.store import _place

    final = tmp_path / "final.mp3"
    final.write_bytes(CONTENT)
    temp = tmp_path / ".incoming-1.part"
    temp.write_bytes(CONTENT)

    assert _place(temp, final) is False
    assert final.read_bytes() == CONTENT


def test_repr(tmp_path: Path) -> None:
    assert repr(MediaStore(tmp_path)) == f"MediaStore({str(tmp_path)!r})"


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(sorted(ALLOWED_SUFFIXES)))
def test_any_bytes_round_trip(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as root:
        store = MediaStore(Path(root))
        stored = store.add_stream(io.BytesIO(data), suffix)
        again = store.add_stream(io.BytesIO(data), suffix)

        assert store.path_for(stored.sha256).read_bytes() == data
        assert (again.path, again.is_new) == (stored.path, False)


# --- suffixes ------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".MP3", "Mp3", ".mp3", "mp3"])
def test_suffix_is_normalised(store: MediaStore, src: Path, suffix: str) -> None:
    assert store.add(src, suffix).path.name == f"{SHA}.mp3"


@pytest.mark.parametrize("suffix", ["", "exe", "mp3/../../x", "../mp3", "mp3 ", "m p3", "..mp3", "php"])
def test_suffix_outside_the_allow_list_is_refused(store: MediaStore, src: Path, suffix: str) -> None:
    with pytest.raises(ValueError, match="unsupported media suffix"):
        store.add(src, suffix)

    assert not store.root.exists()


# --- digests --------------------------------------------------------------------------

@pytest.mark.parametrize(
    "digest",
    [
        "../etc/passwd",
        "../../" + "a" * 58,
        SHA.upper(),
        SHA[:-1],
        SHA + "0",
        "g" * 64,
        SHA[:2] + "/" + SHA[3:],
        "",
    ],
)
@pytest.mark.parametrize("method", ["path_for", "exists", "remove"])
def test_only_sha256_hex_digests_are_accepted(store: MediaStore, digest: str, method: str) -> None:
    with pytest.raises(ValueError, match="not a sha256 digest"):
        getattr(store, method)(digest)


@given(st.text(max_size=80).filter(lambda s: not (len(s) == 64 and set(s) <= set("0123456789abcdef"))))
def test_anything_but_a_digest_is_refused(digest: str) -> None:
    with pytest.raises(ValueError):
        MediaStore(Path("/nonexistent")).path_for(digest)


def test_path_for_finds_any_suffix(store: MediaStore, src: Path) -> None:
    stored = store.add(src, "ogg")

    assert store.path_for(SHA) == stored.path
    assert store.exists(SHA)


def test_unknown_digest(store: MediaStore) -> None:
    with pytest.raises(FileNotFoundError, match=SHA):
        store.path_for(SHA)
    assert not store.exists(SHA)


def test_remove_undoes_an_add(store: MediaStore, src: Path) -> None:
    store.add(src, "mp3")

    assert store.remove(SHA) is True
    assert not store.exists(SHA)
    assert store.remove(SHA) is False


# --- failures leave nothing behind ---------------------------------------------------------

class BreaksMidway(io.RawIOBase):
    """A source that yields one chunk, then fails like a dropped upload or a bad disk."""

    def __init__(self) -> None:
        self.calls = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.calls += 1
        if self.calls > 1:
            raise OSError(errno.EIO, "Input/output error")
        return b"x" * max(size, 1)


def test_failing_read_leaves_no_temp_file(store: MediaStore) -> None:
    source = BreaksMidway()

    with pytest.raises(OSError, match="Input/output error"):
        store.add_stream(source, "mp3")

    assert source.calls == 2  # the first chunk was written before the failure
    assert files_under(store.root) == []


def test_failure_to_place_the_file_leaves_no_temp_file(store: MediaStore, src: Path) -> None:
    store.root.mkdir(parents=True)
    (store.root / SHA[:2]).write_text("a file where the shard directory should be")

    with pytest.raises(OSError):
        store.add(src, "mp3")

    assert files_under(store.root) == [SHA[:2]]


def test_missing_source(store: MediaStore, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        store.add(tmp_path / "gone.mp3", "mp3")

    assert not store.root.exists()
