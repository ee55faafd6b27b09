"""The pure cores never import the shell or its frameworks (DESIGN.md)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("radio", "flask", "sqlalchemy", "werkzeug", "alembic", "huey")


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("core", ["schedules", "audio_library"])
def test_core_imports_no_shell_or_framework(core):
    files = sorted((ROOT / core).rglob("*.py"))
    assert files, f"{core}/ has no modules"
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in files
        for module in _imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    ]
    assert offenders == []
