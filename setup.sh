#!/usr/bin/env bash
# The two set-up commands of README.md:
#   ./setup.sh demo   install everything, load the demo from the seed plans, serve the web app
#   ./setup.sh test   install everything, run the whole test suite (SQLite, then PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")"

SYSTEM_PACKAGES_DEMO="ffmpeg espeak-ng fonts-dejavu"
SYSTEM_PACKAGES_TEST="ffmpeg espeak-ng mpv node npm pdftoppm fonts-dejavu chromium nginx mosquitto openssl pg_dump"
PG_URL_BASE="${PG_URL_BASE:-postgresql://postgres@127.0.0.1:5432}"

say() { printf '\n== %s\n' "$*"; }

missing_commands() {
  local missing=()
  for package in "$@"; do
    case "$package" in
      ffmpeg) command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg) ;;
      node) command -v node >/dev/null || missing+=(nodejs) ;;
      pdftoppm) command -v pdftoppm >/dev/null || missing+=(poppler-utils) ;;
      nginx|mosquitto) [ -x "/usr/sbin/$package" ] || missing+=("$package") ;;  # the tests run Debian's own
      pg_dump) command -v pg_dump >/dev/null || missing+=(postgresql-client) ;;
      fonts-dejavu) [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core) ;;
      *) command -v "$package" >/dev/null || missing+=("$package") ;;
    esac
  done
  echo "${missing[@]:-}"
}

install_system_packages() {
  local missing
  missing=$(missing_commands "$@")
  [ -z "$missing" ] && return 0
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    say "installing system packages: $missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "installing system packages: $missing"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "Missing system packages: $missing" >&2
    echo "Install them, then run this command again:  sudo apt-get install $missing" >&2
    exit 1
  fi
}

install_python() {
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 or newer is needed (found: $($python --version 2>&1 || echo none))." >&2
    echo "Install it, e.g.:  sudo apt-get install python3 python3-venv" >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv"
    "$python" -m venv .venv
  fi
  say "installing Python packages"
  # --no-compile: Python compiles each module when first imported instead of pip compiling every
  # installed file up front (86 s → 56 s for a fresh .venv on a 2-core machine).
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-compile -e ".[dev]"
  # The bytecode, made here on every core at once (about 11 s on 2 cores): where
  # PYTHONDONTWRITEBYTECODE is set, as on many CI machines and containers, Python never caches it,
  # and every command would compile its modules again at each start (`radio device status`:
  # 1.3 s instead of 0.6 s on a 2-core machine). A failure here costs speed only.
  .venv/bin/python -m compileall -q -j 0 .venv/lib radio schedules audio_library >/dev/null ||
    echo "some modules could not be compiled ahead: they are compiled when imported" >&2
}

run_demo() {
  install_system_packages $SYSTEM_PACKAGES_DEMO
  install_python
  say "loading the demo (SQLite and media under ./instance, offline voices)"
  .venv/bin/radio init-db
  .venv/bin/radio demo
  local port="${PORT:-5000}"
  say "starting the worker: the periodic checks (silent loudspeakers, due reports, empty slots) and notices"
  .venv/bin/radio worker --workers 1 &
  local worker=$!
  trap 'kill "$worker" 2>/dev/null' EXIT
  say "serving http://127.0.0.1:$port  (Ctrl+C stops it; log in with a demo login above)"
  .venv/bin/radio run --host 127.0.0.1 --port "$port"
}

# Runs one SQL statement on the server's maintenance database (no psql needed).
postgres() {
  .venv/bin/python - "$PG_URL_BASE/postgres" "$1" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], connect_timeout=3, autocommit=True) as connection:
    connection.execute(sys.argv[2])
PY
}

# The throw-away database and those the tests made beside it (named after it), should a test
# run be cut short before it dropped them.
drop_databases() {
  .venv/bin/python - "$PG_URL_BASE/postgres" "$1" <<'PY'
import sys, psycopg
from psycopg import sql
with psycopg.connect(sys.argv[1], connect_timeout=3, autocommit=True) as connection:
    names = connection.execute("SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
                               (sys.argv[2], sys.argv[2] + "\\_%")).fetchall()
    for (name,) in names:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
PY
}

# The second pass moves the clock of every Python process a year ahead or back (one chosen at
# random per run, or RADIO_TEST_CLOCK_SHIFT_DAYS), so a wall-clock read in the code fails a test.
clock_shift_days() {
  if [ -n "${RADIO_TEST_CLOCK_SHIFT_DAYS:-}" ]; then echo "$RADIO_TEST_CLOCK_SHIFT_DAYS"
  elif [ $((RANDOM % 2)) = 0 ]; then echo 365
  else echo -365
  fi
}

run_tests() {
  install_system_packages $SYSTEM_PACKAGES_TEST
  install_python
  say "installing the JavaScript calendar parser used by the tests (ical.js)"
  npm ci --silent --prefix tests/js >/dev/null
  say "checking the layers (lint-imports, contracts in pyproject.toml)"
  .venv/bin/lint-imports --no-logo
  local shift database_url="" pass2_log
  shift=$(clock_shift_days)
  if postgres "SELECT 1" >/dev/null 2>&1; then
    database="radio_test_$$_$(date +%s)"
    postgres "CREATE DATABASE $database"
    trap 'drop_databases "$database"' EXIT
    database_url="$PG_URL_BASE/$database"
    pass2="pass 2: every test but the pure cores', the browser's, the seasons' and the fuzzing's, with the clock moved $shift days (to $(date -d "$shift days" +%Y-%m-%d)), database tests on PostgreSQL (throw-away database $database)"
  elif [ "${CI:-}" = true ]; then
    echo "PostgreSQL is not reachable at $PG_URL_BASE: CI must run the database tests on it." >&2
    exit 1
  else
    pass2="pass 2: every test but the pure cores', the browser's, the seasons' and the fuzzing's, with the clock moved $shift days (to $(date -d "$shift days" +%Y-%m-%d)), on SQLite: PostgreSQL is not reachable at $PG_URL_BASE"
  fi
  # The two passes run side by side: each spends much of its time waiting on ffmpeg, chromium and
  # servers on loopback, so together they take little longer than one. Pass 2's output follows pass 1's.
  # Pass 2 leaves out the cores' own tests (a third of the suite's time): the cores read no clock
  # and no database (tests/test_purity.py, tests/test_clock_rule.py), so a moved clock and
  # PostgreSQL cannot change what they do; pass 1 runs them. To keep the whole run within CI's
  # 25 minutes on two cores, it also leaves out what pass 1 has already checked and costs the most:
  # the browser tests (chromium; the pages' server side is tested in tests/radio), the two simulated
  # seasons and the fuzzing (hostile bytes, the crawler); and it runs only the tests marked `db`. `RADIO_TEST_CLOCK_SHIFT_DAYS=365 .venv/bin/python -m pytest tests/browser`
  # runs them with the clock moved.
  # Each pass is spread over as many processes as the machine has cores (pytest-xdist, a test
  # file to a process; each process has a database of its own, tests/conftest.py).
  local spread=(-n "$(nproc)" --dist loadfile)
  pass2_log=$(mktemp)
  say "pass 1 and pass 2 side by side; $pass2 (its output follows pass 1's)"
  env RADIO_TEST_CLOCK_SHIFT_DAYS="$shift" PYTHONPATH="$PWD/tests/clock_shift${PYTHONPATH:+:$PYTHONPATH}" \
    ${database_url:+DATABASE_URL="$database_url"} .venv/bin/python -m pytest -q -p no:cacheprovider "${spread[@]}" \
    --ignore=tests/audio_library --ignore=tests/schedules --ignore=tests/browser --ignore=tests/radio/simulation \
    --ignore=tests/fuzz -m db "$@" >"$pass2_log" 2>&1 &
  local pass2_pid=$! pass1_status=0 pass2_status=0
  say "pass 1: every test on SQLite, today's date ($(date +%Y-%m-%d))"
  env -u RADIO_TEST_CLOCK_SHIFT_DAYS .venv/bin/python -m pytest -q -p no:cacheprovider "${spread[@]}" "$@" \
    || pass1_status=$?
  wait "$pass2_pid" || pass2_status=$?
  say "$pass2"
  cat "$pass2_log"
  rm -f "$pass2_log"
  [ "$pass1_status" = 0 ] && [ "$pass2_status" = 0 ]
}

case "${1:-}" in
  demo) shift; run_demo "$@" ;;
  test) shift; run_tests "$@" ;;
  *) echo "usage: ./setup.sh demo | ./setup.sh test [pytest arguments]" >&2; exit 2 ;;
esac
