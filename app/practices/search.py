"""Full-text search over practices: SQLite FTS5 by default, PostgreSQL full-text search on PostgreSQL.

Both index ``practices.search_text``, which the service fills with the practice's words already folded
(lower case, no accents), so that 'matemáticas' finds 'MATEMATICAS' on either database.

The query side never hands the person's text to the search engine's own syntax: the text is folded,
cut into words, and each word becomes a quoted prefix term, so quotes, ``*``, ``OR``, ``-`` or ``(``
typed in the search box are just characters.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    table,
    text,
)
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
PG_VECTOR_COLUMN = "search_vector"
POSTGRES_DDL = [
    # The words of search_text, stored: matched through the GIN index and ranked without
    # recomputing to_tsvector (~70 µs a row), whatever plan PostgreSQL picks.
    f"ALTER TABLE practices ADD COLUMN IF NOT EXISTS {PG_VECTOR_COLUMN} tsvector "
    "GENERATED ALWAYS AS (to_tsvector('spanish', search_text)) STORED",
    # Kept in the row (compressed) rather than in the TOAST table: checking a match then costs ~3 µs
    # instead of ~20 µs of TOAST lookups, and a common word's search checks thousands of rows.
    f"ALTER TABLE practices ALTER COLUMN {PG_VECTOR_COLUMN} SET STORAGE MAIN",
    f"CREATE INDEX IF NOT EXISTS ix_practices_search_tsv ON practices USING gin ({PG_VECTOR_COLUMN})",
]
# What the queries match: the stored vector, the very column of the GIN index.
PG_DOCUMENT = f"practices.{PG_VECTOR_COLUMN}"

# When more practices than this match, relevance is computed over the most recently recorded ones
# (still counting all of them): ranking every match of a word found in most practices would cost
# hundreds of milliseconds for a list nobody reads to the end.
RANK_WINDOW = 1000
# The library counts the matches up to this many and then shows "más de 1,000": counting every
# match of a word found in most practices would cost more than the rest of the search.
COUNT_LIMIT = 1000
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Words too common to narrow a search. PostgreSQL's 'spanish' configuration drops them too;
# on SQLite we drop them from the query so that both databases answer alike.
STOP_WORDS = frozenset(
    """
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue ha hay la las
le les lo los mas me mi mis muy ni no nos o os otra otras otro otros para pero poco por porque que
quien se sea ser si sin sobre su sus tambien te tiene todo todos tu un una uno unos y ya yo
""".split()
)
_WORD = re.compile(r"[^\W_]+")


#: Prefix of the word each category adds to ``search_text`` (see ``category_tag``).
CATEGORY_TAG_PREFIX = "zzcat"


def category_tag(code: str) -> str:
    """The one word a practice's ``search_text`` carries for each of its categories, so that a
    search restricted to a category is answered by the full-text index alone (on PostgreSQL the
    alternative, checking each text match against practice_categories, read thousands of rows).

    >>> category_tag("lectura-escritura")
    'zzcatlecturaescritura'
    """
    return CATEGORY_TAG_PREFIX + re.sub(r"[^a-z0-9]", "", code.lower())


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


def fts5_match(terms: list[str], tags: tuple[str, ...] = ()) -> str:
    """A safe FTS5 MATCH expression: every term quoted, as a prefix, and every tag as a whole word,
    all of them required.

    >>> fts5_match(['matematicas', 'coc'], ('zzcatconvivencia',))
    '"matematicas"* AND "coc"* AND "zzcatconvivencia"'
    """
    return " AND ".join(
        ['"' + term.replace('"', '""') + '"*' for term in terms]
        + ['"' + tag.replace('"', '""') + '"' for tag in tags]
    )


def pg_tsquery_text(terms: list[str], tags: tuple[str, ...] = ()) -> str:
    """The text for ``to_tsquery('spanish', ...)``: each term quoted, as a prefix, each tag as a
    whole word, all required.

    >>> pg_tsquery_text(['matematicas', 'cocina'], ('zzcatconvivencia',))
    "'matematicas':* & 'cocina':* & 'zzcatconvivencia'"
    """

    def quoted(word: str) -> str:
        return "'" + word.replace("'", "''").replace("\\", "") + "'"

    return " & ".join([quoted(term) + ":*" for term in terms] + [quoted(tag) for tag in tags])


def text_search(
    stmt: Select, dialect: str, terms: list[str], practice_id_column, tags: tuple[str, ...] = ()
) -> TextSearch:
    """Restrict ``stmt`` (a select over practices) to those matching every term and every tag
    (``category_tag`` words).

    Returns the restricted statement, the relevance score to select with it, whether a higher score
    is better, the columns that order the matches most recent first, and whether the score may be
    computed over the window of recent matches alone (outside the matching statement).
    """
    if dialect == "sqlite":
        fts = table("practices_fts", column("rowid", Integer))
        matched = stmt.join(fts, fts.c.rowid == practice_id_column).where(
            text("practices_fts MATCH :fts_query").bindparams(bindparam("fts_query", fts5_match(terms, tags)))
        )
        # bm25() is lower for better matches; ordering by the FTS rowid lets FTS5 walk its index
        # backwards and stop at the window instead of sorting every match.
        return TextSearch(matched, func.bm25(literal_column("practices_fts")), False, (fts.c.rowid,))
    # Rendered into the SQL as an escaped literal, not sent as a parameter: psycopg prepares a
    # statement it has run five times, and PostgreSQL's generic plan for it, blind to how common
    # the words are, takes the rare-word plan for a common word (or the reverse) — 10× slower.
    tsquery = func.to_tsquery(
        literal_column("'spanish'"), bindparam("ts_query", pg_tsquery_text(terms, tags), literal_execute=True)
    )
    # Matched on the stored vector, the column of the GIN index: whatever plan PostgreSQL picks (the
    # GIN index for a rare word; created_at's index backwards, stopping at the window, for a word
    # found in most practices), no row recomputes to_tsvector (~70 µs a row).
    matched = stmt.where(literal_column(PG_DOCUMENT).op("@@")(tsquery))
    # Ranked on the stored vector, after the window is cut: reading the vectors of every match of a
    # common word (TOASTed, a few pages each) would cost hundreds of milliseconds.
    return TextSearch(
        matched,
        func.ts_rank(literal_column(PG_DOCUMENT), tsquery),
        True,
        (literal_column("practices.created_at"), practice_id_column),
        True,
    )


class TextSearch(NamedTuple):
    """A statement restricted to the matches, and how to rank them."""

    stmt: Select
    score: ColumnElement
    higher_is_better: bool
    recency: tuple[ColumnElement, ...]
    # True: the score reads only the practices row, so it is computed after the window is cut.
    score_after_window: bool = False
