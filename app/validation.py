"""The one error type services raise for bad input: field -> message, in Spanish.

Routes turn it into form errors (keeping what was typed); the API into a 422 JSON error.
"""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter


class ValidationError(Exception):
    """Bad input for a service: ``errors`` maps a field name to a message for the person."""

    def __init__(self, errors: dict[str, str] | str):
        if isinstance(errors, str):
            errors = {"_": errors}
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class PermissionDenied(Exception):
    """The actor may not do this. Routes answer 403."""


#: The largest id a table holds: primary keys are INTEGER columns (PostgreSQL int4). A larger id from
#: a URL, the API or a socket event names nothing: it is a 404, never a database error.
MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """A database id from user input, or None when it is not a positive id a table can hold.

    >>> parse_id("12"), parse_id(0), parse_id(True), parse_id(2**31), parse_id("doce")
    (12, None, None, None, None)
    """
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None


CLIENT_ID_MAX = 64


def check_client_id(value, *, required: bool) -> str | None:
    """A write's client-made id (crypto.randomUUID in the browser), stripped, at most 64 characters.

    Live writes require one (a retry is then stored once); elsewhere it is optional (None).
    """
    text = str(value).strip() if value is not None else ""
    if not text:
        if required:
            raise ValidationError({"client_id": _("Falta el identificador del envío.")})
        return None
    if len(text) > CLIENT_ID_MAX:
        raise ValidationError(
            {
                "client_id": _(
                    "El identificador admite máximo %(CLIENT_ID_MAX)s caracteres.",
                    CLIENT_ID_MAX=CLIENT_ID_MAX,
                )
            }
        )
    return text


def clean_text(value, field: str, limit: int, empty: str | None = None) -> str:
    """``value`` as stripped text of at most ``limit`` characters; empty is refused with ``empty``
    (when given) or allowed ("").

    >>> clean_text("  Leer en voz alta  ", "text", 20), clean_text(None, "reason", 20)
    ('Leer en voz alta', '')
    """
    text = str(value).strip() if value is not None else ""
    if not text and empty is not None:
        raise ValidationError({field: empty})
    if len(text) > limit:
        raise ValidationError({field: _("Admite máximo %(limit)s caracteres.", limit=limit)})
    return text


def digits_up_to(limit: int) -> str:
    """A regular expression matching exactly the ASCII numerals 1..``limit`` (no sign, no leading 0).

    >>> import re
    >>> digits_up_to(25)
    '[1-9]|1[0-9]|2[0-4]|25'
    >>> bool(re.fullmatch(digits_up_to(MAX_ID), str(MAX_ID))), re.fullmatch(digits_up_to(MAX_ID), str(MAX_ID + 1))
    (True, None)
    """
    text = str(limit)
    parts = [f"[1-9][0-9]{{0,{len(text) - 2}}}"] if len(text) > 2 else ["[1-9]"] if len(text) == 2 else []
    for i, digit in enumerate(text):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(text) - i - 1
            tail = f"[0-9]{{{rest}}}" if rest > 1 else "[0-9]" if rest == 1 else ""
            top = int(digit) - 1
            parts.append(f"{text[:i]}{f'[{low}-{top}]' if top > low else low}{tail}")
    parts.append(text)
    return "|".join(parts)


class IdConverter(IntegerConverter):
    """``<int:...>`` in every URL: a positive id a table can hold, anything else is a 404.

    The range is checked by the pattern itself, not only by ``to_python``: werkzeug records a
    method mismatch before converting, so ``PATCH /api/v1/problems/0`` (whose GET twin matched the
    pattern) answered 405 instead of 404, and ``\\d`` also matched non-ASCII digits such as "١".
    """

    regex = f"(?:{digits_up_to(MAX_ID)})"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
