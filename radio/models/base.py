"""Declarative base, naming convention and the column types every model shares."""
from __future__ import annotations

import unicodedata
from datetime import timezone

from sqlalchemy import DateTime, MetaData, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

# Alembic needs stable constraint names to alter tables (and SQLite batch mode needs them).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __repr__(self) -> str:
        key = getattr(self, "code", None) or getattr(self, "id", None)
        return f"<{type(self).__name__} {key!r}>"


def nfc(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", value)


class UTCDateTime(TypeDecorator):
    """An instant: only aware datetimes go in, aware UTC datetimes come out (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: instants must carry a time zone")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class NFCString(TypeDecorator):
    """Text stored NFC-normalised: Vietnamese input often arrives decomposed (NFD)."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return nfc(value)


class NFCText(NFCString):
    impl = Text
    cache_ok = True


class CodeList(TypeDecorator):
    """A short ordered list of codes (weekdays, window names, levels) kept as 'MO,TU'."""

    impl = String(200)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        items = tuple(value)
        if any("," in item for item in items):
            raise ValueError(f"codes may not contain commas: {items!r}")
        return ",".join(items)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return tuple(item for item in value.split(",") if item)
