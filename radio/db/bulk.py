"""Many new rows written as plain executemany statements rather than ORM records.

Why not `session.add_all`: for rows by the thousand (a province's plan brings villages, devices,
requirements and their audit rows) the unit of work costs several times a plain executemany,
and sorts self-referencing rows one by one; the ORM's bulk insert goes row by row there too, and
splits the rows wherever the set of None columns changes. benchmarks/bench_import.py measures
the plan import against a raw executemany of the same rows.
"""
from __future__ import annotations

from datetime import datetime
from itertools import groupby

from sqlalchemy import bindparam, inspect, select, tuple_
from sqlalchemy.orm import ColumnProperty, Session

from . import COPY_FROM_ROWS


class NewRows:
    """New records of one model, inserted together as plain rows when the caller is done adding.

    For records that nothing later needs as objects. `values` are what would be set on a new
    object: columns, many-to-one records (their ids are read at insert time, after a flush) and
    many-to-many lists. As in a flush, rows are inserted in the order added, and a None is left
    out where the column has a default (which then applies; a default worked out per row is
    refused, see insert_plain): one executemany per run of rows with the same keys. Rows with
    many-to-many links are found again by `unique` (column names) to learn their ids
    (`inserted_ids`). No ORM event fires for these rows.
    """

    def __init__(self, model, unique: tuple[str, ...] = ()):
        self.mapper, self.unique = inspect(model), unique
        self.values: list[dict] = []
        self.attributes: dict[str, tuple] = {}
        # Where a None is written as such rather than left to a default (as the ORM does).
        self.keeps_none = {column.key: column.type.should_evaluate_none
                           or (column.default is None and column.server_default is None)
                           for column in self.mapper.local_table.columns}

    def add(self, values: dict) -> None:
        self.values.append(values)

    def _attribute(self, key: str) -> tuple:
        """How attribute `key` is written: (its column, None, None) for a column, (None, the
        relationship, None) for a many-to-many list, else (None, None, (column, attribute
        of the record holding its value) pairs) for a many-to-one record. Worked out once
        per key, not once per row."""
        if key not in self.attributes:
            prop = self.mapper.attrs[key]
            if isinstance(prop, ColumnProperty):
                self.attributes[key] = prop.columns[0].key, None, None
            elif prop.secondary is not None:
                self.attributes[key] = None, prop, None
            else:
                self.attributes[key] = None, None, tuple(
                    (local.key, prop.mapper.get_property_by_column(remote).key)
                    for local, remote in prop.local_remote_pairs)
        return self.attributes[key]

    def insert(self, session: Session) -> None:
        if not self.values:
            return
        session.flush()
        table = self.mapper.local_table
        rows, links = [], []
        for values in self.values:
            row, link = {}, {}
            for key, value in values.items():
                column, prop, pairs = self._attribute(key)
                if column is not None:
                    row[column] = value
                elif prop is not None:
                    link[prop] = value
                else:
                    for local, remote in pairs:
                        row[local] = None if value is None else getattr(value, remote)
            rows.append({k: v for k, v in row.items() if v is not None or self.keeps_none[k]})
            links.append(link)
        for _, run in groupby(rows, key=lambda row: tuple(row)):
            insert_plain(session, table, list(run))
        ids = inserted_ids(session, table, self.unique, rows) if any(links) else []
        for prop in dict.fromkeys(prop for link in links for prop in link):
            pairs = [_link_row(prop, row_id, target)
                     for row_id, link in zip(ids, links) for target in link.get(prop, ())]
            if pairs:
                session.execute(prop.secondary.insert(), pairs)
        self.values.clear()


def inserted_ids(session: Session, table, unique: tuple[str, ...], rows: list[dict]) -> list:
    """The ids of rows just inserted, in their order, looked up by their unique key (`unique`,
    column names): one query per 500 rows, where RETURNING in a guaranteed order costs a
    statement per row on SQLite."""
    (pk,) = table.primary_key.columns
    key = [table.c[name] for name in unique]
    wanted = [tuple(row[column.key] for column in key) for row in rows]
    found = {}
    for start in range(0, len(wanted), 500):
        query = select(pk, *key).where(tuple_(*key).in_(wanted[start:start + 500]))
        found.update((tuple(found_key), row_id) for row_id, *found_key in session.execute(query))
    return [found[row_key] for row_key in wanted]


def _link_row(prop, row_id, target) -> dict:
    """A row of a many-to-many table joining a new record (`row_id`) to `target`."""
    (_, own), = prop.synchronize_pairs
    (target_column, other), = prop.secondary_synchronize_pairs
    return {own.key: row_id, other.key: getattr(target, prop.mapper.get_property_by_column(target_column).key)}


def insert_plain(session: Session, table, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) with the driver's own executemany.

    Each value is converted by its column type's bind processor, the very conversion SQLAlchemy
    applies, and a column left out takes its default, so the rows stored are the ones
    `session.execute(table.insert(), rows)` would store; what is skipped is SQLAlchemy's per-row
    work around that (for a province-year of schedule entries, most of the storing time). A
    processor is a function of the value alone, so each distinct value is converted once: a
    year's entries repeat the same few hundred days, times and titles (an unhashable value, a
    JSON column's, each time). From `COPY_FROM_ROWS` rows on PostgreSQL the same values are
    streamed by COPY instead, which takes them faster than any INSERT (benchmarks/bench_build_process.py)."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    defaults = _defaults(table, rows[0])
    keys = [*rows[0], *defaults]
    if dialect.name == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        _copy(connection.connection.driver_connection.cursor(), table.name, keys,
              _bound(table, dialect, keys, rows, defaults))
        return
    compiled = table.insert().values({key: bindparam(key) for key in keys}).compile(dialect=dialect)
    names = compiled.positiontup if dialect.positional else keys
    values = _bound(table, dialect, names, rows, defaults)
    if not dialect.positional:
        values = [dict(zip(names, row)) for row in values]
    connection.exec_driver_sql(str(compiled), values)


def insert_new_by_copy(session: Session, table, rows: list[dict], keys: list[str]) -> set[tuple]:
    """db.insert_new for thousands of rows on PostgreSQL: COPY into a bare temporary table, then
    one INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING. A multi-row INSERT sends every value
    as a bind parameter (the intake's burst of play logs spent more on that than on storing);
    COPY streams them. The values are the bind processors' own, as in insert_plain."""
    defaults = _defaults(table, rows[0])
    names = [*rows[0], *defaults]
    values = _bound(table, session.get_bind().dialect, names, rows, defaults)
    staging, columns = f"new_{table.name}", ", ".join(names)
    cursor = session.connection().connection.driver_connection.cursor()
    cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {columns} FROM {table.name} "
                   "WITH NO DATA")
    _copy(cursor, staging, names, values)
    cursor.execute(f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM {staging} "
                   f"ON CONFLICT ({', '.join(keys)}) DO NOTHING RETURNING {', '.join(keys)}")
    inserted = {tuple(row) for row in cursor.fetchall()}
    cursor.execute(f"DROP TABLE {staging}")
    return inserted


def _copy(cursor, table_name: str, names: list[str], values: list[tuple]) -> None:
    """Stream `values` (bound already) into `table_name`'s columns `names` with psycopg's COPY."""
    with cursor.copy(f"COPY {table_name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


def _defaults(table, given) -> dict:
    """The columns not `given` that have a default of SQLAlchemy's, and its value: a scalar, as a
    default worked out per row (a function) would have to be called row by row."""
    defaults = {}
    for column in table.columns:
        if column.key in given or column.default is None:
            continue
        if not column.default.is_scalar:
            raise ValueError(f"{table.name}.{column.key}: give its value, its default is worked out per row")
        defaults[column.key] = column.default.arg
    return defaults


def _bound(table, dialect, names: list[str], rows: list[dict], defaults: dict) -> list[tuple]:
    """The rows' values as the driver is sent them, column by column through the bind processors."""
    columns = []
    for name in names:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        column = [defaults[name]] * len(rows) if name in defaults else [row[name] for row in rows]
        columns.append(column if process is None else _converted(process, column))
    return list(zip(*columns))


def _converted(process, values: list) -> list:
    """``process`` applied to ``values``, once per distinct value: of the same type (1 and True
    are equal, but may convert differently) and, for instants, the same zone (equal instants in
    two zones may be written as two local times)."""
    done = {}
    converted = []
    for value in values:
        key = (value.__class__, value, value.tzinfo) if value.__class__ is datetime else (value.__class__, value)
        try:
            found = done.get(key, done)
        except TypeError:  # unhashable (a JSON column's dict or list): converted each time
            converted.append(process(value))
            continue
        if found is done:
            found = done[key] = process(value)
        converted.append(found)
    return converted
