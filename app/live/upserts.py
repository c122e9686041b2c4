"""``INSERT … ON CONFLICT (…) DO NOTHING RETURNING *`` for the room's tables: a row stored once by
its unique key (a contribution's client id, a room's group) in one statement and no savepoint.

Written as text once per table and key, because the dialects' ``insert().on_conflict_do_nothing()``
is not cacheable in SQLAlchemy 2.0 (``inherit_cache = False``) and was compiled again on every
contribution (a fifth of the event's CPU under load); a text statement is compiled once.
PostgreSQL and SQLite (3.35+) both accept this form.
"""

from __future__ import annotations

from sqlalchemy import bindparam, text

from app.extensions import db

#: What ``insert_unless_taken`` answers on a database without ``ON CONFLICT`` (the caller falls
#: back to a read and a savepoint).
NO_UPSERT = object()

_STATEMENTS: dict[tuple, object] = {}


def _statement(model, key: str, where: str | None, dialect):
    table = model.__table__
    cache_key = (table.name, key, where, dialect.name)
    if cache_key not in _STATEMENTS:
        columns = [c for c in table.columns if c.name != "id"]
        names = ", ".join(c.name for c in columns)
        if where is None:
            rows = f"VALUES ({', '.join(':' + c.name for c in columns)})"
        elif dialect.name == "postgresql":  # a SELECT list's parameters have no column to type them
            rows = f"SELECT {', '.join(f'CAST(:{c.name} AS {c.type.compile(dialect)})' for c in columns)} WHERE {where}"
        else:
            rows = f"SELECT {', '.join(':' + c.name for c in columns)} WHERE {where}"
        sql = (
            f"INSERT INTO {table.name} ({names}) {rows} "
            f"ON CONFLICT ({key}) DO NOTHING RETURNING {', '.join(c.name for c in table.columns)}"
        )
        typed = text(sql).bindparams(*(bindparam(c.name, type_=c.type) for c in columns))
        _STATEMENTS[cache_key] = db.select(model).from_statement(typed.columns(*table.columns))
    return _STATEMENTS[cache_key]


def _column_defaults(model, values: dict) -> dict:
    """``values`` plus each missing column's Python-side default (None when it has none)."""
    full = dict(values)
    for column in model.__table__.columns:
        if column.name == "id" or column.name in full:
            continue
        default = column.default
        if default is None:
            full[column.name] = None
        else:
            full[column.name] = default.arg(None) if default.is_callable else default.arg
    return full


def insert_unless_taken(model, values: dict, *, key: str = "client_id", where: str | None = None, **params):
    """Insert ``values`` unless a row with the same unique ``key`` is stored (or being stored by
    another transaction, whose commit PostgreSQL waits for), or unless the SQL condition ``where``
    (over the values' and ``params``' names) is false: the new row, or None; ``NO_UPSERT`` on
    databases without ``ON CONFLICT``."""
    dialect = db.session.get_bind().dialect
    if dialect.name not in ("postgresql", "sqlite"):  # pragma: no cover
        return NO_UPSERT
    statement = _statement(model, key, where, dialect)
    return db.session.execute(statement, {**_column_defaults(model, values), **params}).scalar_one_or_none()
