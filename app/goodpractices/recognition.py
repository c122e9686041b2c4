"""Recognising a practice as a *buena práctica* of a zone (and withdrawing it), and the counts of
adoption outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions
from app.catalogue.models import Zone
from app.extensions import db
from app.goodpractices.common import RATIONALE_MAX, _text
from app.goodpractices.models import Recognition
from app.practices.models import OUTCOMES, Practice
from app.validation import PermissionDenied, ValidationError


def recognition_zones(actor, practice: Practice) -> list[Zone]:
    """The zones in whose name ``actor`` may recognise ``practice``, by number."""
    ids = permissions.recognisable_zone_ids(actor, practice)
    if not ids:
        return []
    return list(
        db.session.execute(select(Zone).where(Zone.id.in_(ids)).order_by(Zone.number, Zone.cct)).scalars()
    )


def recognitions(practice: Practice) -> list[Recognition]:
    """The zones that recognised this practice, oldest first."""
    return list(
        db.session.execute(
            select(Recognition)
            .filter_by(practice_id=practice.id)
            .options(selectinload(Recognition.zone), selectinload(Recognition.recognised_by))
            .order_by(Recognition.created_at, Recognition.id)
        ).scalars()
    )


def recognise_practice(practice: Practice, zone: Zone, data: dict, *, actor) -> Recognition:
    """Mark ``practice`` as a good practice of ``zone`` with a short rationale (again: new rationale);
    refused while the practice shows no evidence or no written results."""
    if not permissions.can_recognise_practice(actor, practice, zone.id):
        raise PermissionDenied(_("No puedes reconocer prácticas en nombre de esta zona."))
    errors: dict[str, str] = {}
    if not practice.evidence:
        errors["_"] = _("Para reconocerla, la práctica debe tener al menos una evidencia.")
    elif not (practice.results or "").strip():
        errors["_"] = _("Para reconocerla, la práctica debe describir sus resultados.")
    rationale = _text(data, "rationale")
    if not rationale:
        errors["rationale"] = _("Escribe por qué es una buena práctica.")
    elif len(rationale) > RATIONALE_MAX:
        errors["rationale"] = _(
            "La justificación admite máximo %(RATIONALE_MAX)s caracteres.", RATIONALE_MAX=RATIONALE_MAX
        )
    if errors:
        raise ValidationError(errors)
    recognition = db.session.execute(
        select(Recognition).filter_by(practice_id=practice.id, zone_id=zone.id)
    ).scalar_one_or_none()
    if recognition is None:
        recognition = Recognition(practice_id=practice.id, zone_id=zone.id)
        db.session.add(recognition)
    recognition.rationale = rationale
    recognition.recognised_by_id = getattr(actor, "id", None)
    recognition.recognised_as = getattr(actor, "role", None)  # as it is today: the booklet says so
    practice.is_recognised = True
    db.session.flush()
    return recognition


def withdraw_recognition(practice: Practice, zone: Zone, *, actor) -> None:
    """Take back a zone's recognition of a practice."""
    if not permissions.can_recognise_practice(actor, practice, zone.id):
        raise PermissionDenied(_("No puedes retirar reconocimientos de esta zona."))
    recognition = db.session.execute(
        select(Recognition).filter_by(practice_id=practice.id, zone_id=zone.id)
    ).scalar_one_or_none()
    if recognition is None:
        raise ValidationError({"_": _("Esta zona no había reconocido la práctica.")})
    db.session.delete(recognition)
    db.session.flush()
    practice.is_recognised = (
        db.session.execute(select(Recognition.id).filter_by(practice_id=practice.id).limit(1)).first()
        is not None
    )
    db.session.flush()


@dataclass
class OutcomeCount:
    """How many adoptions (or practices) have one outcome."""

    code: str
    label: str
    count: int


def outcome_counts(items) -> list[OutcomeCount]:
    """Count the ``outcome`` of adoptions or practices, one row per OUTCOMES key, in that order."""
    counts = {code: 0 for code in OUTCOMES}
    for item in items:
        if item.outcome in counts:
            counts[item.outcome] += 1
    return [OutcomeCount(code, OUTCOMES[code], n) for code, n in counts.items()]
