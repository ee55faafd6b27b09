"""The layers in pyproject.toml ([tool.importlinter]) hold for the tree, and they bite: a copy of
the tree with one import pointing up a layer fails `lint-imports`, naming that import."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on `tree`, its packages found there (not in the installed project)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([LINT_IMPORTS, "--no-logo", "--no-cache"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=120)


def copy_of_the_tree(target: Path) -> Path:
    for package in ("radio", "schedules", "audio_library"):
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_tree_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_shared_piece_importing_a_feature_breaks_the_layers(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    jobs = tree / "radio" / "jobs.py"
    jobs.write_text(jobs.read_text(encoding="utf-8") + "\nfrom .scripts import voicing  # noqa: E402,F401\n",
                    encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "radio.jobs -> radio.scripts.voicing" in result.stdout


def test_a_core_importing_the_shell_breaks_its_contract(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    week = tree / "schedules" / "__init__.py"
    week.write_text(week.read_text(encoding="utf-8") + "\nimport radio.clock  # noqa: E402,F401\n", encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "schedules -> radio.clock" in result.stdout
