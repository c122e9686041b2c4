"""Commitments in the room after they are written: editing one until the close (its author, or
whoever facilitates), and the review of the previous commitments that opens the next encounter
(the responsible school's people, or whoever facilitates, set cumplido / en curso / no cumplido).

Both are stored once by client id (a retry answers the stored result and publishes nothing) and
publish the whole row: ``commitment`` for an edit, ``review`` for a previous commitment.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import permissions
from app.commitments import edits, review
from app.commitments.models import Commitment, CommitmentNote
from app.commitments.services import by_client_id
from app.encounters.models import EncounterGroup
from app.extensions import db
from app.live.review_rows import has_review, review_dict
from app.live.room import _publish_row, _require, _require_open, _require_writable, lock_room
from app.live.snapshots import commitment_dict
from app.utils import as_utc
from app.validation import ValidationError, check_client_id, parse_id


def _commitment(commitment_id) -> Commitment | None:
    key = parse_id(commitment_id)
    return db.session.get(Commitment, key) if key is not None else None


def edit_commitment(
    group: EncounterGroup, commitment_id, data: dict, *, actor, client_id
) -> tuple[Commitment, bool]:
    """Edit a commitment recorded in this room (``True`` when a new edit was stored and published)."""
    _require(permissions.can_participate(actor, group), _l("Como observador no puedes editar compromisos."))
    _require_open(group)
    commitment = _commitment(commitment_id)
    if commitment is None or commitment.group_id != group.id or commitment.encounter_id != group.encounter_id:
        raise ValidationError({"commitment_id": _("El compromiso no es de esta sala.")})
    lock_room(group)
    row, created = edits.edit_commitment(commitment, data, actor=actor, client_id=client_id)
    if created:
        _publish_row(group, "commitment", commitment_dict(row))
    return row, created


def _previous_of(group: EncounterGroup, commitment_id) -> Commitment:
    if not has_review(group):
        raise ValidationError(
            {"commitment_id": _("La agenda de esta sala no tiene revisión de compromisos.")}
        )
    commitment = _commitment(commitment_id)
    encounter = group.encounter
    if (
        commitment is None
        or commitment.school_id not in {m.school_id for m in group.schools}
        or commitment.encounter is None
        or commitment.encounter_id == encounter.id
        or as_utc(commitment.encounter.starts_at) >= as_utc(encounter.starts_at)
    ):
        raise ValidationError({"commitment_id": _("Ese compromiso no está en la revisión de esta sala.")})
    return commitment


def can_review(actor, group: EncounterGroup, commitment: Commitment) -> bool:
    """The responsible school's people in the room, or whoever facilitates it."""
    return permissions.can_facilitate(actor, group) or (
        permissions.can_participate(actor, group)
        and getattr(actor, "school_id", None) == commitment.school_id
    )


def review_commitment(
    group: EncounterGroup, commitment_id, data: dict, *, actor, client_id
) -> tuple[dict, bool]:
    """Set a previous commitment's status in the review: its row, and ``True`` when it changed."""
    _require(
        permissions.can_participate(actor, group), _("Como observador no puedes actualizar compromisos.")
    )
    commitment = _previous_of(group, commitment_id)
    _require(
        can_review(actor, group, commitment),
        _("Solo la escuela responsable o quien facilita actualiza este compromiso."),
    )
    client_id = check_client_id(client_id, required=True)
    stored = by_client_id(CommitmentNote, client_id)
    if stored is None or stored.commitment_id != commitment.id:
        _require_writable(group)  # after the close only a retry of what was stored is answered
    lock_room(group)
    note, created = review.review_commitment(
        commitment, data, actor=actor, client_id=client_id, encounter=group.encounter, allowed=True
    )
    row = review_dict(commitment)
    if created:
        _publish_row(group, "review", row)
    return row, created
