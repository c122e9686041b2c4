"""The one error type services raise for bad input: field -> message, in Spanish.

Routes turn it into form errors (keeping what was typed); the API into a 422 JSON error.
"""
from __future__ import annotations


class ValidationError(Exception):
    """Bad input for a service: ``errors`` maps a field name to a message for the person."""

    def __init__(self, errors: dict[str, str] | str):
        if isinstance(errors, str):
            errors = {"_": errors}
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class PermissionDenied(Exception):
    """The actor may not do this. Routes answer 403."""


MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A database id from user input, or None when it is not a positive 64-bit integer."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None
