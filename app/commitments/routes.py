"""Pages of the commitments area: a school's commitments, one commitment and its follow-up notes."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.commitments import bp, edits, services
from app.commitments.forms import CommitmentNoteForm
from app.commitments.models import COMMITMENT_STATUSES, Commitment, CommitmentNote
from app.dates import local_today
from app.uploads import INLINE_TYPES
from app.views import load_or_abort, run_service, school_or_404, send_private


@bp.route("/escuelas/<cct>/compromisos")
@login_required
def school_commitments(cct: str):
    school = school_or_404(cct, check=permissions.can_view_logbook)
    status = request.args.get("estado") or None
    status = status if status in COMMITMENT_STATUSES else None
    today = local_today()
    commitments = services.commitments_for_school(school, status=status)
    return render_template(
        "commitments/commitments.html",
        school=school,
        commitments=commitments,
        status=status,
        statuses=COMMITMENT_STATUSES,
        today=today,
        soon=today + timedelta(days=services.DUE_SOON_DAYS),
        is_overdue=services.is_overdue,
        is_due_soon=services.is_due_soon,
    )


def _render_commitment(commitment, form=None, status=200):
    today = local_today()
    return render_template(
        "commitments/commitment.html",
        commitment=commitment,
        form=form or CommitmentNoteForm(),
        can_follow_up=permissions.can_follow_up_commitment(current_user, commitment),
        overdue=services.is_overdue(commitment, today),
        due_soon=services.is_due_soon(commitment, today),
        statuses=COMMITMENT_STATUSES,
        transitions=services.TRANSITIONS,
        history=edits.history(commitment),
    ), status


@bp.route("/compromisos/<int:commitment_id>")
@login_required
def commitment(commitment_id: int):
    item = load_or_abort(Commitment, commitment_id, check=permissions.can_view_commitment)
    return _render_commitment(item)


@bp.route("/compromisos/<int:commitment_id>/notas", methods=["POST"])
@login_required
def add_commitment_note(commitment_id: int):
    item = load_or_abort(Commitment, commitment_id, check=permissions.can_follow_up_commitment)
    form = CommitmentNoteForm()
    if form.validate_on_submit() and run_service(
        lambda: services.add_commitment_note(
            item,
            {"body": form.body.data, "status": form.status.data, "new_due_date": form.new_due_date.data},
            form.evidence.data,
            actor=current_user,
        ),
        success=_("Avance registrado."),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("commitments.commitment", commitment_id=commitment_id) + "#avances")
    return _render_commitment(item, form, 422)


@bp.route("/compromisos/avances/<int:note_id>/evidencia")
@login_required
def note_evidence(note_id: int):
    note = load_or_abort(
        CommitmentNote,
        note_id,
        check=lambda actor, row: permissions.can_view_commitment(actor, row.commitment),
    )
    if not note.evidence_stored_name:
        abort(404)
    path = services.note_evidence_path(note)
    if not path.is_file():
        abort(404)
    return send_private(
        path.read_bytes(),
        note.evidence_mime_type,
        note.evidence_original_name or path.name,
        inline=note.evidence_mime_type in INLINE_TYPES,
        cache="private, max-age=3600",
    )
