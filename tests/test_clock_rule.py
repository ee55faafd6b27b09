"""Time is an argument: nothing in radio/ reads the wall clock but radio/clock.py (the device
client keeps a clock of its own). A read anywhere else makes the suite's outcome depend on the
day it runs; this finds them statically, naming file and line."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RADIO = ROOT / "radio"
ALLOWED = (RADIO / "clock.py", RADIO / "device_client")

# Fully qualified functions that read the current time.
CLOCK_READS = {
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
    "time.time", "time.time_ns",
    "sqlalchemy.func.now", "sqlalchemy.func.current_timestamp", "sqlalchemy.func.current_date",
    "sqlalchemy.func.localtimestamp",
}
# Read the clock when called without their time argument.
NOW_WITHOUT_ARGUMENT = {
    "datetime.datetime.fromtimestamp", "datetime.datetime.utcfromtimestamp", "datetime.date.fromtimestamp",
    "time.localtime", "time.gmtime", "time.ctime", "time.asctime",
}
COLUMN_HOOKS = {"default", "onupdate", "server_default", "server_onupdate", "default_factory"}


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> what it names: `from datetime import datetime as dt` gives dt -> datetime.datetime."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(aliases.get(node.id, node.id))
    return ".".join(reversed(parts))


def _is_clock(name: str | None) -> bool:
    """A clock function, or any helper whose name says it is one (utcnow, now, local_now, today …)."""
    if name is None:
        return False
    last = name.rsplit(".", 1)[-1]
    return name in CLOCK_READS or last in ("utcnow", "now", "today") or last.endswith("_now")


def clock_reads(source: str, filename: str = "<source>") -> list[str]:
    """Where `source` reads the wall clock: "file:line: what"."""
    tree = ast.parse(source, filename)
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func, aliases)
            if name in NOW_WITHOUT_ARGUMENT and not node.args and not node.keywords:
                found.append(f"{filename}:{node.lineno}: {name}() reads the clock")
            for keyword in node.keywords:
                if keyword.arg in COLUMN_HOOKS and _is_clock(_dotted(keyword.value, aliases)):
                    found.append(f"{filename}:{node.lineno}: {keyword.arg}={_dotted(keyword.value, aliases)} "
                                 "reads the clock when a row is written")
        if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(node.ctx, ast.Load):
            name = _dotted(node, aliases)
            if name in CLOCK_READS or (isinstance(node, ast.Name) and node.id == "utcnow") or \
                    (isinstance(node, ast.Attribute) and node.attr == "utcnow"):
                found.append(f"{filename}:{node.lineno}: {name}")
    return sorted(set(found), key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


def test_nothing_in_radio_reads_the_wall_clock_but_radio_clock():
    files = [path for path in sorted(RADIO.rglob("*.py"))
             if not any(path == allowed or allowed in path.parents for allowed in ALLOWED)]
    assert len(files) > 50, "radio/ has fewer modules than expected: is the path right?"
    offenders = [line for path in files
                 for line in clock_reads(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert offenders == [], "read radio.clock.now() once and pass the instant on:\n" + "\n".join(offenders)


def test_the_cores_read_no_clock_at_all():
    """The cores take now as an argument, always: so CI's second pass, with the clock moved, can
    leave their own tests out (setup.sh)."""
    files = [path for core in ("schedules", "audio_library") for path in sorted((ROOT / core).rglob("*.py"))]
    assert len(files) > 40, "the cores have fewer modules than expected: is the path right?"
    offenders = [line for path in files
                 for line in clock_reads(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert offenders == [], "a core takes the instant as an argument:\n" + "\n".join(offenders)


SAMPLE = '''
import time
import datetime as dt
from datetime import date, datetime, timezone
from sqlalchemy import func
from sqlalchemy.orm import mapped_column
from .models import utcnow

stamp = datetime.now(timezone.utc)
day = date.today()
seconds = time.time()
when = dt.datetime.utcnow()
created = mapped_column(default=utcnow)
changed = mapped_column(onupdate=datetime.now)
fresh = mapped_column(server_default=func.now())
local = time.localtime()
given = datetime.fromtimestamp(0, timezone.utc)  # a given instant: not a read
later = stamp + dt.timedelta(days=1)
'''


def test_the_checker_names_every_kind_of_clock_read_and_spares_given_instants():
    found = clock_reads(SAMPLE, "sample.py")
    lines = {int(line.split(":")[1]) for line in found}
    assert lines == {9, 10, 11, 12, 13, 14, 15, 16}, found
    assert "sample.py:13: default=utcnow reads the clock when a row is written" in found
    assert any(line.startswith("sample.py:14: onupdate=datetime.datetime.now") for line in found)
