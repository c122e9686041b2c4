"""From a fulfilled commitment to a practice: what can be published, the form prefilled from the
commitment, and the publication with its evidence.
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app import permissions
from app.commitments import services as commitments
from app.commitments.models import Commitment, CommitmentNote
from app.extensions import db
from app.goodpractices.common import TITLE_MAX
from app.practices import services as practices
from app.practices.limits import CAPTION_MAX
from app.practices.models import OUTCOMES, Evidence, Practice
from app.validation import PermissionDenied, ValidationError


def evidence_notes(commitment: Commitment) -> list[CommitmentNote]:
    """The commitment's progress notes that carry an evidence file."""
    return [n for n in commitment.notes if n.evidence_stored_name]


def is_publishable(commitment: Commitment) -> bool:
    """A commitment can become a practice once fulfilled (cumplido) with at least one evidence."""
    return commitment.status == "cumplido" and bool(evidence_notes(commitment))


def practice_from_commitment(commitment: Commitment) -> Practice | None:
    """The practice already published from this commitment, if any."""
    return db.session.execute(
        select(Practice).filter_by(source_commitment_id=commitment.id)
    ).scalar_one_or_none()


def first_line(text: str, limit: int = TITLE_MAX) -> str:
    """The first line of a text, cut at ``limit`` characters on a word.

    >>> first_line("Leer 20 minutos diarios en voz alta.\\nCon registro.")
    'Leer 20 minutos diarios en voz alta.'
    >>> first_line("uno dos tres", limit=8)
    'uno dos…'
    """
    line = (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if line[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0] or cut  # do not cut a word in half
    return cut.rstrip() + "…"


def prefill_from_commitment(commitment: Commitment) -> dict:
    """The practice's fields drawn from the commitment, the problem it addressed and its follow-up."""
    problem = commitment.problem
    summary = [commitment.action.strip()]
    if problem is not None and problem.school_id != commitment.school_id:
        summary.append(f"Atiende la problemática «{problem.title}».")  # not linked: say it here
    steps = []
    if commitment.classroom:
        steps.append(f"Aula o grado: {commitment.classroom}")
    steps.append(f"Responsable: {commitment.responsible}")
    if commitment.follow_up:
        steps.append(f"Seguimiento: {commitment.follow_up}")
    results = [n.body.strip() for n in commitment.notes if n.body and n.body.strip()]
    return {
        "title": first_line(commitment.action),
        "summary": "\n".join(summary),
        "steps": "\n".join(steps),
        "results": "\n\n".join(results),
        "level": commitment.school.level,
        "grades": list(problem.grades or []) if problem is not None else [],
        "categories": [pc.category.code for pc in problem.categories] if problem is not None else [],
        "problem_id": problem.id
        if problem is not None and problem.school_id == commitment.school_id
        else None,
        "visibility": "zona",
        "outcome": "bueno",
    }


def _clean_outcome(value, errors: dict, *, required: bool = False) -> str | None:
    value = (value or "").strip() if isinstance(value, str) else value
    if not value:
        if required:
            errors["outcome"] = _("Elige cómo juzgan sus resultados.")
        return None
    if value not in OUTCOMES:
        errors["outcome"] = _("Elige un resultado de la lista.")
        return None
    return value


def publish_commitment(commitment: Commitment, data: dict, *, actor) -> Practice:
    """Publish a fulfilled commitment (with evidence) as a practice of its school, prefilled from the
    commitment and its problem, copying the follow-up's evidence files into the practice. At least
    one category is required: ``data["categories"]`` when given, else those of the problem."""
    if not permissions.can_publish_commitment_practice(actor, commitment):
        raise PermissionDenied(_("No puedes publicar prácticas de esta escuela."))
    if not is_publishable(commitment):
        raise ValidationError(
            {"_": _("Solo un compromiso cumplido y con evidencias se publica como práctica.")}
        )
    if practice_from_commitment(commitment) is not None:
        raise ValidationError({"_": _("Este compromiso ya se publicó como práctica.")})
    errors: dict[str, str] = {}
    outcome = _clean_outcome(data.get("outcome"), errors, required=True)
    values = prefill_from_commitment(commitment)
    for key in ("title", "summary", "steps", "results", "visibility", "categories"):
        if key in data:
            values[key] = data[key]
    if not values["categories"]:
        # Without one the practice is never recommended nor found by category, and its booklet row
        # is empty: a commitment without a problem (or an adoption's) has none to take.
        errors["categories"] = _(
            "Elige al menos una categoría: así la encuentran y se la recomiendan a otras escuelas."
        )
    if errors:  # with the practice's own errors, so that the form shows them all at once
        try:
            practices._clean_practice(values, commitment.school, partial=False)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        raise ValidationError(errors)
    values.pop("outcome", None)
    practice = practices.create_practice(commitment.school, values, actor=actor)
    practice.source_commitment_id = commitment.id
    practice.outcome = outcome
    if data.get("copy_evidence", True):
        copy_commitment_evidence(commitment, practice, actor=actor)
    db.session.flush()
    return practice


def copy_commitment_evidence(commitment: Commitment, practice: Practice, *, actor) -> list[Evidence]:
    """Copy each evidence file of the commitment's notes into the practice's evidence (checked again
    by the practices' upload rules); a file missing on disk is skipped."""
    copied = []
    for note in evidence_notes(commitment):
        path = commitments.note_evidence_path(note)
        if not path.is_file():
            continue
        upload = FileStorage(
            stream=io.BytesIO(path.read_bytes()),
            filename=note.evidence_original_name or path.name,
            content_type=note.evidence_mime_type,
        )
        caption = first_line(note.body, CAPTION_MAX) or None
        copied.append(practices.add_evidence(practice, upload, actor=actor, caption=caption))
    return copied
