"""atomic_output(): a file appears whole under its name, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_library.files import atomic_output


def test_the_temp_file_is_hidden_beside_out_and_renamed_on_success(tmp_path: Path) -> None:
    out = tmp_path / "spot.mp3"

    with atomic_output(out) as temp:
        assert temp.parent == tmp_path
        assert temp.name.startswith(".spot.mp3.") and temp.suffix == ".part"
        temp.write_bytes(b"audio")
        assert not out.exists()

    assert out.read_bytes() == b"audio"
    assert [p.name for p in tmp_path.iterdir()] == ["spot.mp3"]


def test_an_error_removes_the_temp_file_and_keeps_out(tmp_path: Path) -> None:
    out = tmp_path / "spot.mp3"
    out.write_bytes(b"old")

    with pytest.raises(RuntimeError, match="encoder died"):
        with atomic_output(out) as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("encoder died")

    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["spot.mp3"]


def test_a_missing_folder_is_an_error_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        with atomic_output(tmp_path / "no-such-folder" / "spot.mp3"):
            pytest.fail("the body must not run")  # pragma: no cover
