"""A commitment's status set by another record that follows the same work: an adopted practice's
outcome moves the commitment "Aplicar la práctica" in the adopting school's bitácora.

A person's follow-up (``services.add_commitment_note``) keeps to ``TRANSITIONS``, where *cumplido* is
final. Here the other record is the source of the status, so it follows every change of that record
(a school that first saw no results and then good ones): the commitment never says *Pendiente* while
its adoption says *Buenos resultados*. Each change is written as a progress note, so the bitácora
keeps the history.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app import permissions
from app.commitments.models import COMMITMENT_STATUSES, Commitment, CommitmentNote
from app.extensions import db
from app.validation import PermissionDenied


def follow_status(
    commitment: Commitment, status: str, body: str, *, actor, allowed: bool = False
) -> CommitmentNote | None:
    """Set ``commitment`` to ``status`` with a progress note ``body``; None (no note) when it
    already has that status. Who may follow the commitment up may do this (``allowed``: the caller
    checked a permission of its own, e.g. the room's facilitator in the review of commitments)."""
    if not (allowed or permissions.can_follow_up_commitment(actor, commitment)):
        raise PermissionDenied(_("No puedes dar seguimiento a este compromiso."))
    if status not in COMMITMENT_STATUSES:
        raise ValueError(f"unknown commitment status {status!r}")
    if commitment.status == status:
        return None
    note = CommitmentNote(body=body, status_after=status, created_by_id=getattr(actor, "id", None))
    commitment.notes.append(note)
    commitment.status = status
    db.session.flush()
    return note
