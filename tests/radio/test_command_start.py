"""The `radio` command starts fast: its list of commands costs no feature's import."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from radio.cli import COMMANDS, load_command, main

HEAVY = ("fpdf", "openpyxl", "pydub", "gtts", "fontTools")  # fontTools: fpdf's reader of the PDF fonts


def _modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("code", ["import radio.cli", "from radio.cli import main\ntry:\n main(['--help'])\n"
                                  "except SystemExit:\n pass"])
def test_the_command_and_its_help_load_nothing_heavy(code):
    loaded = _modules_after(code)
    assert "radio.cli" in loaded
    assert {name.split(".")[0] for name in loaded} & set(HEAVY) == set()
    assert not any(name.startswith(("radio.plans", "radio.schedule", "radio.models")) for name in loaded)


def test_an_app_loads_the_heavy_libraries_only_when_used():
    loaded = _modules_after("from radio import create_app\ncreate_app({'TESTING': True, 'SECRET_KEY': 'x'})")
    assert "radio.compliance.pages" in loaded
    assert {name.split(".")[0] for name in loaded} & set(HEAVY) == set()


def test_a_commands_app_imports_no_job_until_one_is_queued():
    loaded = _modules_after("from radio import create_app\ncreate_app({'TESTING': True, 'SECRET_KEY': 'x'}, pages=False)")
    assert "radio.jobs" in loaded and "flask" in loaded
    assert "huey" not in loaded and not any(name.endswith(".jobs") and name != "radio.jobs" for name in loaded)
    queued = _modules_after("from radio import create_app, jobs\napp = create_app({'TESTING': True, 'SECRET_KEY': 'x'},"
                            " pages=False)\nwith app.app_context():\n assert jobs.enqueue(jobs.ping, 'a').get() == 'pong:a'")
    assert {"huey", "radio.schedule.jobs", "radio.devices.jobs", "radio.scripts.jobs"} <= queued


def test_a_commands_app_on_sqlite_loads_neither_the_webs_sign_in_nor_postgresqls_dialect():
    loaded = _modules_after("from radio import create_app\nimport radio.models, sqlalchemy.orm\n"
                            "create_app({'TESTING': True, 'SECRET_KEY': 'x', 'DATABASE_URL': 'sqlite://'}, pages=False)\n"
                            "sqlalchemy.orm.configure_mappers()")
    assert "radio.models.playlogs" in loaded and "sqlalchemy.dialects.sqlite" in loaded
    assert {"flask_wtf", "flask_limiter", "radio.auth.web", "sqlalchemy.dialects.postgresql"} & loaded == set()
    assert not any(name.startswith(("schedules.exports", "icalendar", "audio_library")) for name in loaded)
    whole = _modules_after("from radio import create_app\ncreate_app({'TESTING': True, 'SECRET_KEY': 'x'})")
    assert {"flask_login", "flask_wtf", "flask_limiter", "radio.auth.web"} <= whole  # the pages need them


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_says_what_each_command_says(name):
    command = load_command(name)
    assert command.name == name
    assert command.get_short_help_str(limit=1000) == COMMANDS[name][1]


def test_help_lists_every_command(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert set(COMMANDS) | {"run", "shell", "routes"} <= listed


def test_a_command_whose_notices_link_to_pages_runs_without_them_loaded_first(tmp_path):
    """`radio import` of a plan that brings scripts in submitted tells the approvers, whose notices
    link to the script pages: the command's app (started without its pages) builds those links."""
    env = {"PATH": "/usr/bin:/bin", "RADIO_INSTANCE_PATH": str(tmp_path), "HOME": str(tmp_path)}
    radio = [sys.executable, "-c", "from radio.cli import main; main()"]
    for args in (["init-db"], ["import", "examples/002-thanh-ky.yaml"]):
        done = subprocess.run([*radio, *args], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
