"""The review of the previous commitments that opens the next encounter (activity 0): which of a
group's schools' commitments are still to be followed, and their status set in the room (cumplido,
en curso, no cumplido, with a note), stored once by its client id.

A status goes through ``status.follow_status``, so it is a progress note in the commitment's history;
``commitment_followed`` tells the logbook, which writes it into the school's bitácora.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from app import signals
from app.commitments.limits import NOTE_MAX
from app.commitments.models import COMMITMENT_STATUSES, Commitment, CommitmentNote
from app.commitments.services import OPEN_STATUSES, by_client_id
from app.commitments.status import follow_status
from app.encounters.models import Encounter
from app.extensions import db
from app.validation import ValidationError, check_client_id

#: The statuses the room's review sets.
REVIEW_STATUSES = ("cumplido", "en_curso", "no_cumplido")


def previous_commitments(encounter: Encounter, school_ids: list[int]) -> list[Commitment]:
    """The commitments these schools made at earlier encounters that are still open, and those this
    encounter's review already followed (they stay listed with their new status), oldest first."""
    if not school_ids:
        return []
    earlier = db.select(Encounter.id).where(
        Encounter.id != encounter.id, Encounter.starts_at < encounter.starts_at
    )
    reviewed_here = db.select(CommitmentNote.commitment_id).where(CommitmentNote.encounter_id == encounter.id)
    query = (
        db.select(Commitment)
        .where(
            Commitment.school_id.in_(school_ids),
            Commitment.encounter_id.in_(earlier),
            or_(Commitment.status.in_(OPEN_STATUSES), Commitment.id.in_(reviewed_here)),
        )
        .options(
            selectinload(Commitment.school),
            selectinload(Commitment.problem),
            selectinload(Commitment.encounter),
            selectinload(Commitment.notes).selectinload(CommitmentNote.created_by),
        )
        .order_by(Commitment.id)
    )
    return list(db.session.execute(query).scalars())


def _clean(data: dict) -> tuple[str, str]:
    errors = {}
    status = str(data.get("status") or "")
    if status not in REVIEW_STATUSES:
        errors["status"] = _("Elige: cumplido, en curso o no cumplido.")
    note = str(data.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("La nota admite máximo %(NOTE_MAX)s caracteres.", NOTE_MAX=NOTE_MAX)
    elif status == "no_cumplido" and not note:
        errors["note"] = _("Para «No cumplido» escribe qué pasó o qué faltó.")
    if errors:
        raise ValidationError(errors)
    return status, note


def review_commitment(
    commitment: Commitment, data: dict, *, actor, client_id, encounter: Encounter, allowed: bool = False
) -> tuple[CommitmentNote | None, bool]:
    """Set a previous commitment's status in ``encounter``'s review, with a note (required for
    *no cumplido*): the progress note and ``True`` when something new was stored; a retry with the
    same client id returns the stored note and ``False`` (nothing new to publish). ``allowed``: the
    room checked that the actor may (the school's people, or whoever facilitates)."""
    client_id = check_client_id(client_id, required=True)
    stored = by_client_id(CommitmentNote, client_id)
    if stored is not None:
        if stored.commitment_id != commitment.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otro seguimiento.")})
        return stored, False
    status, note = _clean(data)
    label = str(COMMITMENT_STATUSES[status])
    body = note or _("Revisado en el encuentro «%(title)s»: %(status)s.", title=encounter.title, status=label)
    row = follow_status(commitment, status, body, actor=actor, allowed=allowed)
    if row is None:  # the status it already had: the note alone, if there is one
        if not note:
            return None, False
        row = CommitmentNote(body=note, created_by_id=getattr(actor, "id", None))
        commitment.notes.append(row)
    row.client_id, row.encounter_id = client_id, encounter.id
    db.session.flush()
    signals.commitment_followed.send(row, commitment=commitment, encounter=encounter)
    return row, True
