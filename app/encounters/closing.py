"""Concluding an encounter: the last step of the cycle, after which its minutes are written.

What the close sets off elsewhere (the minutes into every school's logbook) happens through the
``encounter_closed`` signal, so this area does not depend on the logbook.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app import permissions, signals
from app.encounters.models import Encounter
from app.extensions import db
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError

CLOSABLE_STATUSES = ("programado", "en_curso")


def close_encounter(encounter: Encounter, *, actor) -> Encounter:
    """Conclude the encounter; closing again regenerates what the close produces, never twice."""
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
