"""Full-text search over practices: SQLite FTS5 by default, PostgreSQL full-text search on PostgreSQL.

Both index ``practices.search_text``, which the service fills with the practice's words already folded
(lower case, no accents), so that 'matemáticas' finds 'MATEMATICAS' on either database.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_fts USING fts5("
    "search_text, content='practices', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS practices_fts_ai AFTER INSERT ON practices BEGIN "
    "INSERT INTO practices_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS practices_fts_ad AFTER DELETE ON practices BEGIN "
    "INSERT INTO practices_fts(practices_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS practices_fts_au AFTER UPDATE ON practices BEGIN "
    "INSERT INTO practices_fts(practices_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO practices_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
POSTGRES_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_practices_search_tsv ON practices "
    "USING gin (to_tsvector('spanish', search_text))",
]


def install_search(connection: Connection) -> None:
    """Create the full-text index for the connection's database (idempotent)."""
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in statements:
        connection.execute(text(statement))
