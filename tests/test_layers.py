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


def test_the_ui_kit_importing_a_feature_breaks_the_layers(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    nav = tree / "radio" / "ui" / "nav.py"
    nav.write_text(nav.read_text(encoding="utf-8") + "\nfrom ..today import pages  # noqa: E402,F401\n", encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "radio.ui.nav -> radio.today.pages" in result.stdout


# -- handlers ------------------------------------------------------------------------------------

FEATURES = ("today", "accounts", "plans", "schedule", "scripts", "media", "exports", "devices", "bulletins",
            "compliance", "playlogs", "health")
HANDLERS = ("pages", "api")
IMPORTERS_OF_HANDLERS = """
import sys, grimp
graph = grimp.build_graph("radio", cache_dir=None)
for module in sys.argv[1:]:
    if module in graph.modules:
        for importer in sorted(graph.find_modules_that_directly_import(module)):
            print(importer, module)
"""


def handler_imports_across_features(tree: Path) -> list[str]:
    """Imports of one feature's handlers (pages.py, api.py) from anywhere in radio/ but the
    feature itself and the app factory (radio/__init__.py registers every blueprint). The graph
    is built in a process of its own, so that it reads `tree` and not the radio already imported."""
    handlers = [f"radio.{feature}.{handler}" for feature in FEATURES for handler in HANDLERS]
    result = subprocess.run([sys.executable, "-c", IMPORTERS_OF_HANDLERS, *handlers], cwd=tree,
                            env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True,
                            timeout=120, check=True)
    found = []
    for line in result.stdout.splitlines():
        importer, module = line.split()
        feature = module.rsplit(".", 1)[0]
        if importer != "radio" and not importer.startswith(feature + "."):
            found.append(f"{importer} -> {module}")
    return found


def test_no_feature_imports_another_features_handlers():
    assert handler_imports_across_features(ROOT) == []
    for feature in FEATURES:  # a feature's handlers are in pages.py and api.py, nowhere else
        package = ROOT / "radio" / feature
        assert not (package / "controllers.py").exists() and not (package / "blueprint.py").exists(), feature


def test_the_handler_check_finds_a_feature_importing_anothers_pages(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    placing = tree / "radio" / "bulletins" / "placing.py"
    placing.write_text(placing.read_text(encoding="utf-8") + "\nfrom ..plans import pages  # noqa: E402,F401\n",
                       encoding="utf-8")
    assert handler_imports_across_features(tree) == ["radio.bulletins.placing -> radio.plans.pages"]


def test_two_features_importing_each_other_break_the_cycle_contract(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    presence = tree / "radio" / "devices" / "presence.py"  # the day page (today) reads presence
    presence.write_text(presence.read_text(encoding="utf-8") + "\nfrom ..today import days  # noqa: E402,F401\n",
                        encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "No cycles are allowed in radio" in result.stdout
