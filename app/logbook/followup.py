"""A previous commitment followed up in an encounter's review (``commitment_followed``): a
*Seguimiento* entry in the school's logbook, with the new status and the note."""

from __future__ import annotations

from app import signals
from app.commitments.models import COMMITMENT_STATUSES, Commitment, CommitmentNote
from app.encounters.models import Encounter
from app.extensions import db
from app.logbook.models import TITLE_MAX, LogbookEntry


@signals.commitment_followed.connect
def _followed_entry(note: CommitmentNote, *, commitment: Commitment, encounter: Encounter) -> None:
    status = COMMITMENT_STATUSES.get(note.status_after) if note.status_after else None
    lines = [f"Estado: {status}"] if status else []
    lines += [note.body, f"Revisado en el encuentro «{encounter.title}»."]
    db.session.add(
        LogbookEntry(
            school_id=commitment.school_id,
            kind="seguimiento",
            title=f"Seguimiento del compromiso: {commitment.action}"[:TITLE_MAX],
            body="\n".join(lines),
            school_year=commitment.school_year,
            encounter_id=encounter.id,
            commitment_id=commitment.id,
            created_by_id=note.created_by_id,
        )
    )
    db.session.flush()
