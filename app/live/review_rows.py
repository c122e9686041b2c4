"""A previous commitment as the room's review of commitments shows it (activity 0 of the next
encounter): the snapshot's ``previous_commitments`` and the ``review`` row event carry this row."""

from __future__ import annotations

from flask import has_request_context, url_for

from app.commitments.models import COMMITMENT_STATUSES, Commitment, CommitmentNote
from app.commitments.review import previous_commitments
from app.live import events
from app.utils import as_utc


def _url(endpoint: str, fallback: str, **values) -> str:
    return url_for(endpoint, **values) if has_request_context() else fallback


def _note_dict(n: CommitmentNote) -> dict:
    evidence = None
    if n.evidence_stored_name:
        evidence = _url("commitments.note_evidence", f"/compromisos/avances/{n.id}/evidencia", note_id=n.id)
    return {
        "id": n.id,
        "body": n.body,
        "status_after": n.status_after,
        "status_label": str(COMMITMENT_STATUSES.get(n.status_after, "")) if n.status_after else None,
        "author_name": n.created_by.name if n.created_by else None,
        "created_at": events.iso(as_utc(n.created_at)),
        "encounter_id": n.encounter_id,
        "evidence_url": evidence,
        "evidence_name": n.evidence_original_name if evidence else None,
    }


def commitment_core(c: Commitment) -> dict:
    """What every row of a commitment in the room carries (the room's own commitments, app.live.
    snapshots.commitment_dict, and the previous ones of the review)."""
    return {
        "id": c.id,
        "school_id": c.school_id,
        "school_name": c.school.name,
        "action": c.action,
        "classroom": c.classroom,
        "responsible": c.responsible,
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "follow_up": c.follow_up,
        "problem_id": c.problem_id,
    }


def review_dict(c: Commitment) -> dict:
    """A previous commitment with its status, deadline, problem, classroom and progress notes."""
    encounter = c.encounter
    return {
        **commitment_core(c),
        "status": c.status,
        "status_label": c.status_label,
        "problem_title": c.problem.title if c.problem else None,
        "encounter_title": encounter.title if encounter else None,
        "encounter_date": as_utc(encounter.starts_at).date().isoformat() if encounter else None,
        "url": _url("commitments.commitment", f"/compromisos/{c.id}", commitment_id=c.id),
        "notes": [_note_dict(n) for n in c.notes],
    }


def has_review(group) -> bool:
    """Whether the group's agenda opens with the review of previous commitments (activity 0: its
    schools met before, app.encounters.agendas)."""
    return any(item.activity == 0 for item in group.agenda)


def previous_rows(group) -> list[dict]:
    """The snapshot's ``previous_commitments``: the group's schools' commitments to review (none,
    and no statement, when the agenda has no review)."""
    if not has_review(group):
        return []
    school_ids = [m.school_id for m in group.schools]
    return [review_dict(c) for c in previous_commitments(group.encounter, school_ids)]
