"""Full-text search over practices: SQLite FTS5 by default, PostgreSQL full-text search on PostgreSQL.

Both index ``practices.search_text``, which the service fills with the practice's words already folded
(lower case, no accents), so that 'matemáticas' finds 'MATEMATICAS' on either database.

The query side never hands the person's text to the search engine's own syntax: the text is folded,
cut into words, and each word becomes a quoted prefix term, so quotes, ``*``, ``OR``, ``-`` or ``(``
typed in the search box are just characters.
"""
from __future__ import annotations

import re

from sqlalchemy import Float, Integer, Select, bindparam, func, literal_column, text
from sqlalchemy.engine import Connection

from app.utils import fold

SQLITE_DDL = [
    # prefix='2 3': extra prefix indexes, so that "ma"* or "lec"* do not scan the whole vocabulary.
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
]
POSTGRES_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_practices_search_tsv ON practices "
    "USING gin (to_tsvector('spanish', search_text))",
]
# The very expression of the GIN index: PostgreSQL uses the index only when the query repeats it.
PG_DOCUMENT = "to_tsvector('spanish', practices.search_text)"

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Words too common to narrow a search. PostgreSQL's 'spanish' configuration drops them too;
# on SQLite we drop them from the query so that both databases answer alike.
STOP_WORDS = frozenset("""
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue ha hay la las
le les lo los mas me mi mis muy ni no nos o os otra otras otro otros para pero poco por porque que
quien se sea ser si sin sobre su sus tambien te tiene todo todos tu un una uno unos y ya yo
""".split())
_WORD = re.compile(r"[^\W_]+")


def install_search(connection: Connection) -> None:
    """Create the full-text index for the connection's database (idempotent)."""
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in statements:
        connection.execute(text(statement))


def query_terms(query: str | None) -> list[str]:
    """The words of a search, folded, without stop words or one-letter words, at most eight.

    >>> query_terms('  "Matemáticas" en la COCINA* OR (')
    ['matematicas', 'cocina', 'or']
    >>> query_terms("de la")
    []
    """
    words = [w[:MAX_TERM_LENGTH] for w in _WORD.findall(fold(query or ""))]
    terms: list[str] = []
    for word in words:
        if len(word) < 2 or word in STOP_WORDS or word in terms:
            continue
        terms.append(word)
    return terms[:MAX_TERMS]


def fts5_match(terms: list[str]) -> str:
    """A safe FTS5 MATCH expression: every term quoted, as a prefix, all of them required.

    >>> fts5_match(['matematicas', 'coc'])
    '"matematicas"* AND "coc"*'
    """
    return " AND ".join('"' + term.replace('"', '""') + '"*' for term in terms)


def pg_tsquery_text(terms: list[str]) -> str:
    """The text for ``to_tsquery('spanish', ...)``: each term quoted, as a prefix, all required.

    >>> pg_tsquery_text(['matematicas', 'cocina'])
    "'matematicas':* & 'cocina':*"
    """
    return " & ".join("'" + term.replace("'", "''").replace("\\", "") + "':*" for term in terms)


def apply_text_search(stmt: Select, dialect: str, terms: list[str], practice_id_column) -> Select:
    """Restrict ``stmt`` to practices matching every term and order it by relevance, best first."""
    if dialect == "sqlite":
        matches = (
            text("SELECT rowid AS id, bm25(practices_fts) AS score FROM practices_fts "
                 "WHERE practices_fts MATCH :fts_query")
            .bindparams(bindparam("fts_query", fts5_match(terms)))
            .columns(id=Integer, score=Float)
            .subquery("fts")
        )
        # bm25() is lower for better matches.
        return stmt.join(matches, matches.c.id == practice_id_column).order_by(
            matches.c.score, practice_id_column.desc()
        )
    document = literal_column(PG_DOCUMENT)
    tsquery = func.to_tsquery(literal_column("'spanish'"), bindparam("ts_query", pg_tsquery_text(terms)))
    return stmt.where(document.op("@@")(tsquery)).order_by(
        func.ts_rank(document, tsquery).desc(), practice_id_column.desc()
    )
