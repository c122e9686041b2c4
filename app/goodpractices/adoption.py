"""Adopting a practice writes a commitment into the adopting school's logbook; its outcome is
recorded later and moves that commitment.

This is the one way to adopt: the practice's page and ``POST /api/v1/practices/{id}/adoptions`` both
call ``adopt_with_commitment`` (``app.practices.adoptions`` only keeps the adoption's row, below the
commitments area).
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.catalogue.models import School
from app.commitments import services as commitments
from app.commitments.models import Commitment
from app.commitments.status import follow_status
from app.dates import local_today
from app.extensions import db
from app.goodpractices.common import _int
from app.goodpractices.publishing import _clean_outcome
from app.logbook import services as logbook
from app.logbook.models import LogbookEntry
from app.practices import services as practices
from app.practices.models import OUTCOMES, Adoption, Practice
from app.problems.models import Problem
from app.utils import current_school_year
from app.validation import PermissionDenied, ValidationError


def record_school_commitment(school: School, data: dict, *, actor) -> Commitment:
    """A commitment of a school outside any encounter, written into the school's logbook."""
    if not (permissions.is_admin(actor) or permissions.is_member_of_school(actor, school)):
        raise PermissionDenied(_("No puedes registrar compromisos de esta escuela."))
    clean, errors = commitments.commitment_fields(data)
    problem_id = _int(data.get("problem_id"))
    problem = db.session.get(Problem, problem_id) if problem_id else None
    if problem is not None and problem.school_id != school.id:
        problem = None
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(
        school_id=school.id,
        encounter_id=None,
        **clean,
        status="pendiente",
        school_year=current_school_year(),
        problem_id=problem.id if problem else None,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(commitment)
    db.session.flush()
    title, body = logbook.commitment_entry_text(commitment)
    db.session.add(
        LogbookEntry(
            school_id=school.id,
            kind="compromiso",
            title=title,
            body=body,
            school_year=commitment.school_year,
            commitment_id=commitment.id,
            created_by_id=getattr(actor, "id", None),
        )
    )
    db.session.flush()
    return commitment


def adoption_action(practice: Practice) -> str:
    """The action of the commitment an adoption writes into the logbook."""
    return f"Aplicar la práctica «{practice.title}» ({practice.school.name}, {practice.school.cct})"


#: How long a school gives itself to apply an adopted practice unless it says otherwise.
ADOPTION_DAYS = 30

#: The status an adoption's outcome gives its commitment "Aplicar la práctica": a school that applied
#: it and saw results (good or partial) fulfilled it; one that saw none did not.
OUTCOME_STATUS = {
    "en_proceso": "en_curso",
    "bueno": "cumplido",
    "regular": "cumplido",
    "sin_resultado": "no_cumplido",
}


def adoption_defaults(actor) -> dict:
    """What the adoption's commitment says unless told otherwise: the person adopting is responsible,
    and the deadline is ``ADOPTION_DAYS`` from today (the page's form starts from these; the API
    fills with them what its request leaves out)."""
    return {
        "responsible": getattr(actor, "name", "") or "",
        "due_date": (local_today() + timedelta(days=ADOPTION_DAYS)).isoformat(),
    }


def adopt_with_commitment(practice: Practice, school: School, data: dict, *, actor) -> Adoption:
    """*La adoptamos*: record the adoption and write the commitment to apply the practice (responsible,
    due date) into the adopting school's logbook; the adoption's outcome is then followed up.

    A school that adopted before this commitment existed gets it now (its outcome and notes kept);
    one whose adoption already has its commitment is told to follow that one up."""
    if not (permissions.can_adopt_practice(actor, practice) and actor.school_id == school.id):
        raise PermissionDenied(_("Tu escuela no puede adoptar esta práctica."))
    existing = db.session.execute(
        select(Adoption).filter_by(practice_id=practice.id, school_id=school.id)
    ).scalar_one_or_none()
    if existing is not None and existing.commitment_id is not None:
        raise ValidationError(
            {"_": _("Su escuela ya adoptó esta práctica: den seguimiento a su compromiso.")}
        )
    commitment = record_school_commitment(
        school,
        {
            "action": adoption_action(practice),
            "responsible": data.get("responsible"),
            "due_date": data.get("due_date"),
            "classroom": data.get("classroom"),
            "problem_id": data.get("problem_id"),
            "follow_up": data.get("follow_up") or "Registrar en la práctica cómo nos fue al aplicarla.",
        },
        actor=actor,
    )
    outcome = data.get("outcome") or (existing.outcome if existing is not None else "en_proceso")
    adoption = practices.adopt_practice(
        practice,
        school,
        {
            "outcome": outcome,
            "notes": data.get("notes") if data.get("notes") else (existing.notes if existing else None),
        },
        actor=actor,
    )
    adoption.commitment_id = commitment.id
    db.session.flush()
    if adoption.outcome != "en_proceso":  # adopted with an outcome already (the API allows it)
        _follow_outcome(adoption, commitment, actor=actor)
    return adoption


def adoption_for_commitment(commitment: Commitment) -> Adoption | None:
    """The adoption whose commitment this is, if any."""
    return db.session.execute(select(Adoption).filter_by(commitment_id=commitment.id)).scalars().first()


def record_adoption_outcome(adoption: Adoption, data: dict, *, actor) -> Adoption:
    """How applying the practice went: its outcome, and what the school saw (``outcome_notes``, kept
    apart from the ``notes`` of what it meant to adapt). Feeds the practice's record of adoptions
    and sets the status of the adoption's commitment in the bitácora (``OUTCOME_STATUS``)."""
    errors: dict[str, str] = {}
    _clean_outcome(data.get("outcome"), errors, required=True)
    if errors:
        raise ValidationError(errors)
    values = {"outcome": data["outcome"]}
    if "outcome_notes" in data:
        values["outcome_notes"] = data.get("outcome_notes")
    adoption = practices.update_adoption(adoption, values, actor=actor)
    commitment = db.session.get(Commitment, adoption.commitment_id) if adoption.commitment_id else None
    if commitment is not None:
        _follow_outcome(adoption, commitment, actor=actor)
    return adoption


def _follow_outcome(adoption: Adoption, commitment: Commitment, *, actor) -> None:
    """The commitment takes the status the adoption's outcome gives, with a note that says why."""
    body = _("Resultado de la práctica adoptada: %(outcome)s.", outcome=OUTCOMES[adoption.outcome])
    if adoption.outcome_notes:
        body += "\n" + adoption.outcome_notes
    follow_status(commitment, OUTCOME_STATUS[adoption.outcome], body, actor=actor)
