"""The pure cores never import the shell or its frameworks (docs/architecture.md)."""
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


CLIENT = ROOT / "radio" / "device_client"
CLIENT_MAY_IMPORT = ("radio.device_client", "requests", "urllib3", "paho")  # paho only with --mqtt


def test_the_device_client_imports_only_the_standard_library_and_requests():
    """The receiver runs on a Raspberry Pi with only requests installed: no Flask, no SQLAlchemy,
    none of the server's modules."""
    import sys

    files = sorted(CLIENT.rglob("*.py"))
    assert files, "radio/device_client/ has no modules"
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in files
        for module in _imported_modules(path)
        if module.split(".")[0] not in sys.stdlib_module_names
        and not any(module == allowed or module.startswith(allowed + ".") for allowed in CLIENT_MAY_IMPORT)
    ]
    assert offenders == []


def test_radio_device_starts_where_flask_and_sqlalchemy_are_missing(tmp_path):
    """Importing radio.device_client runs radio/__init__.py too: it must not pull in Flask."""
    import subprocess
    import sys

    blocker = ("import sys\n"
               "for name in ('flask', 'sqlalchemy', 'werkzeug', 'alembic', 'huey', 'click', 'schedules', "
               "'audio_library'):\n"
               "    sys.modules[name] = None  # any import of them now fails\n"
               "from radio.device_client.cli import main\n"
               "sys.exit(main(sys.argv[1:]))\n")
    result = subprocess.run([sys.executable, "-c", blocker, "--server", "http://127.0.0.1:9", "--code", "loa-01",
                             "--token-file", str(tmp_path / "missing"), "--cache", str(tmp_path / "cache")],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2, result.stderr
    assert f"--token-file {tmp_path / 'missing'}: cannot read it" in result.stderr
    assert "Traceback" not in result.stderr
