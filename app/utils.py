"""Small helpers shared by every area."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Treat a naive datetime read back from SQLite as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def fold(text: str | None) -> str:
    """Lower-case and strip accents, so that 'Matemáticas' and 'matematicas' compare equal."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def new_token() -> tuple[str, str]:
    """A URL-safe secret and the SHA-256 hash that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The stored form of a secret token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def current_school_year(today: datetime | None = None) -> str:
    """The Mexican school year (ciclo escolar) in force: it starts in late August."""
    today = today or utcnow()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula.

    >>> csv_cell("=1+1"), csv_cell("Lectura"), csv_cell(3)
    ("'=1+1", 'Lectura', '3')
    """
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
