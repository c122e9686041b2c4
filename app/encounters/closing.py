"""Concluding an encounter: the last step of the cycle, after which its minutes are written and its
rooms take no new writes.

What the close sets off elsewhere (the minutes into every school's logbook, the rooms told they are
read-only) happens through the ``encounter_closed`` signal, so this area depends on none of them.

A write that arrives after the close (``late_write``) is accepted only when it was typed before the
close (the client stamps ``typed_at`` with the server's clock) and arrives within
``LATE_WRITE_DAYS``: a phone that lost the connection in the session and came back later. It is
kept, marked *registrado después del cierre* with both times, and shown as an annex of the acta,
which never changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from app import permissions, signals
from app.dates import display_timezone
from app.encounters.models import Encounter
from app.extensions import db
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError

CLOSABLE_STATUSES = ("programado", "en_curso")
#: How long after the close an offline write (typed before it) is still accepted.
LATE_WRITE_DAYS = 7
#: Clock tolerance: a write stamped this little after the close still counts as typed before it
#: (the client's estimate of the server clock is off by up to its round trip).
LATE_WRITE_GRACE = timedelta(minutes=2)


class EncounterClosed(ValidationError):
    """A write refused because the encounter was concluded (answered ``cerrado``)."""

    code = "cerrado"


def close_encounter(encounter: Encounter, *, actor) -> Encounter:
    """Conclude the encounter; closing again writes what is missing, never twice, and changes
    neither the close time nor the acta."""
    if not permissions.can_close_encounter(actor, encounter):
        raise PermissionDenied(_("No puedes cerrar este encuentro."))
    if encounter.status not in CLOSABLE_STATUSES and encounter.status != "concluido":
        raise ValidationError({"status": _("Solo se cierra un encuentro programado o en curso.")})
    if not encounter.groups:
        raise ValidationError({"groups": _("El encuentro no tiene grupos: no hay acta que generar.")})
    encounter.status = "concluido"
    if encounter.closed_at is None:
        encounter.closed_at = utcnow()
    db.session.flush()
    signals.encounter_closed.send(encounter)
    return encounter


def parse_typed_at(value) -> datetime | None:
    """When the client says the write was typed (ISO 8601; naive means UTC); None when absent or bad."""
    if isinstance(value, datetime):
        return as_utc(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return as_utc(parsed)


def _local_text(value: datetime) -> str:
    return as_utc(value).astimezone(display_timezone()).strftime("%d/%m/%Y a las %H:%M")


def late_write(encounter: Encounter, typed_at, *, now: datetime | None = None) -> bool:
    """Whether a write to this encounter comes after its close: False while it is open; True for an
    offline write typed before the close that arrives within LATE_WRITE_DAYS (kept, as an annex);
    otherwise ``EncounterClosed`` with the reason in Spanish."""
    if encounter.status != "concluido" or encounter.closed_at is None:
        return False
    now = now or utcnow()
    closed_at = as_utc(encounter.closed_at)
    typed = parse_typed_at(typed_at)
    when = _local_text(closed_at)
    if typed is None or typed > closed_at + LATE_WRITE_GRACE:
        raise EncounterClosed(
            {"_": _("El encuentro se concluyó el %(when)s: ya no se reciben registros nuevos.", when=when)}
        )
    if now - closed_at > timedelta(days=LATE_WRITE_DAYS):
        raise EncounterClosed(
            {
                "_": _(
                    "Esto se escribió antes del cierre (%(when)s), pero llegó más de %(days)s días después "
                    "y ya no se registra.",
                    when=when,
                    days=LATE_WRITE_DAYS,
                )
            }
        )
    return True


def typed_time(typed_at, *, now: datetime | None = None) -> datetime | None:
    """The client's typing time to store: never in the future of the server."""
    typed = parse_typed_at(typed_at)
    now = now or utcnow()
    return min(typed, now) if typed is not None else None


def late_fields(encounter: Encounter, data: dict) -> dict:
    """The columns every write that may arrive after the close stores: ``typed_at`` (the client's
    stamp) and ``after_close``; refuses the write (``EncounterClosed``) when it is too late."""
    return {
        "after_close": late_write(encounter, data.get("typed_at")),
        "typed_at": typed_time(data.get("typed_at")),
    }
