"""What the benchmarks share: fresh databases of one dialect, and the data tables.

Imported by the scripts beside it (``python benchmarks/bench_*.py`` puts this folder on
``sys.path``); not a package of the project.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from radio.db import make_engine
from radio.models import Base


class Databases:
    """Hands out fresh, empty databases of one dialect, one at a time.

    By default a fresh SQLite file in ``workdir``. With ``sqlite:///FILE`` that file is used
    (it must not exist; it is removed after each use). With
    ``postgresql://USER@HOST:PORT/NAME`` the database NAME (default ``<prefix>_<pid>``) is
    created for each use and dropped after it; it must not exist beforehand.
    """

    def __init__(self, url: str | None, workdir: Path, prefix: str = "bench"):
        self.workdir, self.count = workdir, 0
        self.url = make_url(url) if url else None
        if self.url is not None and self.url.get_backend_name() == "postgresql":
            self.dialect = "postgresql"
            self.name = self.url.database or f"{prefix}_{os.getpid()}"
            self.admin = make_engine(self.url.set(database="postgres").render_as_string(False)
                                     .replace("postgresql+psycopg://", "postgresql://"))
            self.admin = self.admin.execution_options(isolation_level="AUTOCOMMIT")
            with self.admin.connect() as connection:
                exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                           {"n": self.name})
            if exists:
                sys.exit(f"database {self.name!r} exists already; name one that does not "
                         "(this benchmark creates and drops it)")
        elif self.url is None or self.url.get_backend_name() == "sqlite":
            self.dialect = "sqlite"
            self.file = Path(self.url.database) if self.url is not None else None
            if self.file is not None and self.file.exists():
                sys.exit(f"{self.file} exists already; name a file that does not")
        else:
            sys.exit(f"unsupported database URL {url!r} (sqlite or postgresql)")

    @contextmanager
    def fresh(self):
        """The URL of a new empty database, removed when the block ends."""
        self.count += 1
        if self.dialect == "postgresql":
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            url = self.url.set(database=self.name).render_as_string(False)
            try:
                yield url.replace("postgresql+psycopg://", "postgresql://")
            finally:
                with self.admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        else:
            path = self.file or self.workdir / f"bench-{self.count}.db"
            try:
                yield f"sqlite:///{path}"
            finally:
                path.unlink(missing_ok=True)

    def close(self):
        if self.dialect == "postgresql":
            self.admin.dispose()


def data_tables():
    return [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]
