"""Editing a commitment until its encounter closes, each edit kept as a ``CommitmentEdit`` (who, when,
each changed field before → after), stored once by its client id.

Who may edit: the person who recorded it and whoever facilitates its group's room.
The fields are checked as when it was added (``services.commitment_fields``); after the close an
edit is refused with ``cerrado``. Services flush and never commit.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import permissions
from app.commitments.models import Commitment, CommitmentEdit
from app.commitments.services import as_bool, by_client_id, commitment_fields, insert_once
from app.encounters.closing import EncounterClosed, late_write
from app.extensions import db
from app.problems.models import Problem
from app.problems.services import named_problem
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError, check_client_id

#: The fields an edit may change, in the order the history lists them, with their labels.
EDITABLE_FIELDS = {
    "problem_id": _l("Problemática"),
    "classroom": _l("Grupo o grado"),
    "action": _l("Acción"),
    "responsible": _l("Responsable"),
    "due_date": _l("Fecha límite"),
    "follow_up": _l("Mecanismo de seguimiento"),
    "needs_external_advice": _l("Requiere asesoría externa"),
}


def can_edit_commitment(actor, commitment: Commitment) -> bool:
    """Its author, or whoever facilitates its group in the room (the close is checked apart)."""
    if commitment.encounter is None or getattr(actor, "id", None) is None:
        return False
    if commitment.created_by_id == actor.id:
        return True
    group = next((g for g in commitment.encounter.groups if g.id == commitment.group_id), None)
    return group is not None and permissions.can_facilitate(actor, group)


def is_open_for_edits(commitment: Commitment) -> bool:
    """Whether the commitment's encounter is still open (not concluded)."""
    encounter = commitment.encounter
    return encounter is not None and not (encounter.status == "concluido" and encounter.closed_at is not None)


def _json(value):
    return value.isoformat() if isinstance(value, date) else value


def _clean(commitment: Commitment, data: dict) -> dict:
    clean, errors = commitment_fields(data)
    if "due_date" in errors and clean["due_date"] is not None and clean["due_date"] == commitment.due_date:
        errors.pop("due_date")  # a deadline that passed since it was written may stay as it is
    problem_id = None
    named, problem = named_problem(data)
    if named:
        if problem is None or problem.school_id != commitment.school_id:
            errors["problem_id"] = _("Elige una problemática de la escuela del compromiso.")
        else:
            problem_id = problem.id
    if errors:
        raise ValidationError(errors)
    return {
        **clean,
        "problem_id": problem_id,
        "needs_external_advice": as_bool(data.get("needs_external_advice")),
    }


def edit_commitment(commitment: Commitment, data: dict, *, actor, client_id) -> tuple[Commitment, bool]:
    """Change a commitment's fields and keep the edit; ``True`` when a new edit was stored (a retry
    with the same client id, or an edit that changes nothing, stores nothing and returns False)."""
    client_id = check_client_id(client_id, required=True)
    if not can_edit_commitment(actor, commitment):
        raise PermissionDenied(
            _("Solo quien lo registró o quien facilita el grupo puede editar este compromiso.")
        )
    stored = by_client_id(CommitmentEdit, client_id)
    if stored is not None:
        if stored.commitment_id != commitment.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otra edición.")})
        return commitment, False  # a retry: its acknowledgement was lost
    if not is_open_for_edits(commitment):
        late_write(commitment.encounter, None)  # raises EncounterClosed with the close's time
        raise EncounterClosed({"_": _("El encuentro se concluyó: el compromiso ya no se edita.")})
    clean = _clean(commitment, data)
    changes = {}
    for field in EDITABLE_FIELDS:
        before, after = getattr(commitment, field), clean[field]
        if before != after:
            changes[field] = [_json(before), _json(after)]
    if not changes:
        return commitment, False
    edit = CommitmentEdit(
        commitment_id=commitment.id, client_id=client_id, changes=changes, edited_by_id=actor.id
    )
    kept = insert_once(edit, CommitmentEdit, client_id)
    if kept is not edit:  # a concurrent retry stored it first
        return commitment, False
    for field in changes:
        setattr(commitment, field, clean[field])
    commitment.edited_at = utcnow()
    db.session.flush()
    return commitment, True


def history(commitment: Commitment) -> list[dict]:
    """The commitment's edits, oldest first, as the page shows them: who, when, and each change with
    its label and readable values."""
    problems = {}
    ids = {v for e in commitment.edits for v in e.changes.get("problem_id", []) if v}
    if ids:
        problems = dict(
            db.session.execute(db.select(Problem.id, Problem.title).where(Problem.id.in_(ids))).all()
        )
    yes, no = _("Sí"), _("No")

    def shown(field, value):
        if value in (None, ""):
            return "—"
        if field == "problem_id":
            return problems.get(value, "—")
        if field == "needs_external_advice":
            return yes if value else no
        if field == "due_date":
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        return str(value)

    return [
        {
            "when": e.created_at,
            "who": e.edited_by.name if e.edited_by else None,
            "changes": [
                {
                    "label": str(EDITABLE_FIELDS[f]),
                    "before": shown(f, e.changes[f][0]),
                    "after": shown(f, e.changes[f][1]),
                }
                for f in EDITABLE_FIELDS
                if f in e.changes
            ],
        }
        for e in commitment.edits
    ]
