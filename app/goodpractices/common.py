"""Limits and small helpers shared by the good-practices services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import uploads

RATIONALE_MAX = 2000


TITLE_MAX = 200


SECTION_MAX = 10_000


THUMBNAIL_SIZE = uploads.THUMBNAIL_SIZE


NARRATIVE_SECTIONS = {
    "faced": _l("Qué enfrentamos"),
    "tried": _l("Qué intentamos"),
    "happened": _l("Qué pasó"),
    "learned": _l("Qué aprendimos"),
}


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value is not None else ""


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
