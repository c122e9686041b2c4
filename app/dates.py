"""Dates and times as people in the schools read them: one time zone, one written format.

Stored times are UTC (``app.utils.utcnow``); people read and type them in ``BABEL_DEFAULT_TIMEZONE``
(``TZ_DISPLAY``, Mexico City by default). Pages format them with Babel (``fecha``, ``dia`` filters);
text written outside a page (e-mails, notices, PDFs, CSV, agenda lines) uses ``day_text``:
26/02/2027, as a date is written by hand in Mexico.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from app.utils import as_utc, utcnow

DEFAULT_TIMEZONE = "America/Mexico_City"
DAY_FORMAT = "%d/%m/%Y"


def display_timezone() -> ZoneInfo:
    """The time zone in which people type and read times (BABEL_DEFAULT_TIMEZONE)."""
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local_today() -> date:
    """Today's date where the schools are."""
    return utcnow().astimezone(display_timezone()).date()


def local(moment: datetime | None) -> datetime | None:
    """A stored (UTC) time in the schools' time zone."""
    return as_utc(moment).astimezone(display_timezone()) if moment is not None else None


def day_text(value: date | datetime | str | None) -> str:
    """A date as written by hand: 26/02/2027 (a datetime in local time; "—" when there is none).

    >>> day_text(date(2027, 2, 26))
    '26/02/2027'
    >>> day_text("2027-02-26")
    '26/02/2027'
    >>> day_text(None)
    '—'
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = local(value) if has_app_context() else as_utc(value)
    return value.strftime(DAY_FORMAT)
