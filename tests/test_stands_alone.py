"""A clone stands alone: no tracked file reads or links anything outside the repository."""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Where files outside the repository used to be named from: the folder beside the checkout,
# and the machine's absolute paths.
OUTSIDE = re.compile(r"\.\./shared\b|(?<![\w.])shared/(?:vectors|[A-Z_]+\.md)|/work/")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _tracked() -> list[Path]:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in names.decode().split("\0") if name]


def _text(path: Path) -> str | None:
    data = path.read_bytes()
    return None if b"\0" in data else data.decode("utf-8", "replace")


def test_no_tracked_file_names_a_path_outside_the_repository():
    offenders = []
    for path in _tracked():
        text = _text(path) if path != Path(__file__).resolve() else None  # its patterns name them
        for number, line in enumerate((text or "").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert offenders == []


def test_relative_markdown_links_lead_to_tracked_files():
    tracked = set(_tracked())
    broken = []
    for path in sorted(p for p in tracked if p.suffix == ".md"):
        for target in MARKDOWN_LINK.findall(_text(path) or ""):
            if re.match(r"[a-z]+:|#", target):  # a web address, mail or an anchor on the page
                continue
            resolved = (path.parent / target.split("#")[0]).resolve()
            if not (resolved in tracked or any(p.is_relative_to(resolved) for p in tracked)):
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert broken == []
