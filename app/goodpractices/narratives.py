"""Relatos: a school tells how a practice went, in the sections of the CTE guide."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.catalogue.models import School
from app.encounters.models import Encounter
from app.extensions import db
from app.goodpractices.common import NARRATIVE_SECTIONS, SECTION_MAX, TITLE_MAX, _int, _text
from app.goodpractices.models import Narrative
from app.goodpractices.relatos import narrative_search_text
from app.practices.models import Practice
from app.problems.models import Problem
from app.validation import PermissionDenied, ValidationError


def _clean_narrative(school: School, data: dict, *, actor, partial: bool) -> dict:
    errors: dict[str, str] = {}
    clean: dict = {}
    if not partial or "title" in data:
        title = _text(data, "title")
        if not title:
            errors["title"] = _("Escribe un título.")
        elif len(title) > TITLE_MAX:
            errors["title"] = _("El título admite máximo %(TITLE_MAX)s caracteres.", TITLE_MAX=TITLE_MAX)
        clean["title"] = title
    for key, label in NARRATIVE_SECTIONS.items():
        if partial and key not in data:
            continue
        value = _text(data, key)
        if not value:
            errors[key] = _("Escribe «%(label)s».", label=label)
        elif len(value) > SECTION_MAX:
            errors[key] = _(
                "«%(label)s» admite máximo %(SECTION_MAX)s caracteres.", label=label, SECTION_MAX=SECTION_MAX
            )
        clean[key] = value
    if not partial or "practice_id" in data:
        practice_id = _int(data.get("practice_id"))
        practice = db.session.get(Practice, practice_id) if practice_id else None
        if practice_id and (practice is None or not permissions.can_view_practice(actor, practice)):
            errors["practice_id"] = _("Elige una práctica que puedas ver.")
        clean["practice_id"] = practice.id if practice is not None else None
    if not partial or "problem_id" in data:
        problem_id = _int(data.get("problem_id"))
        problem = db.session.get(Problem, problem_id) if problem_id else None
        if problem_id and (problem is None or problem.school_id != school.id):
            errors["problem_id"] = _("Elige una problemática de la escuela.")
        clean["problem_id"] = problem.id if problem is not None else None
    if not partial or "encounter_id" in data:
        encounter_id = _int(data.get("encounter_id"))
        encounter = db.session.get(Encounter, encounter_id) if encounter_id else None
        if encounter_id and (
            encounter is None or school.id not in {m.school_id for g in encounter.groups for m in g.schools}
        ):
            errors["encounter_id"] = _("Elige un encuentro en el que participó la escuela.")
        clean["encounter_id"] = encounter.id if encounter is not None else None
    if errors:
        raise ValidationError(errors)
    return clean


def create_narrative(school: School, data: dict, *, actor) -> Narrative:
    """Write a relato of the school's experience: faced, tried, happened, learned."""
    if not permissions.can_write_narrative(actor, school):
        raise PermissionDenied(_("No puedes escribir relatos de esta escuela."))
    narrative = Narrative(
        school_id=school.id,
        author_id=getattr(actor, "id", None),
        **_clean_narrative(school, data, actor=actor, partial=False),
    )
    narrative.search_text = narrative_search_text(narrative)
    db.session.add(narrative)
    db.session.flush()
    return narrative


def update_narrative(narrative: Narrative, data: dict, *, actor) -> Narrative:
    """Change the parts of a relato present in ``data``."""
    if not permissions.can_edit_narrative(actor, narrative):
        raise PermissionDenied(_("No puedes editar este relato."))
    for key, value in _clean_narrative(narrative.school, data, actor=actor, partial=True).items():
        setattr(narrative, key, value)
    narrative.search_text = narrative_search_text(narrative)
    db.session.flush()
    return narrative


def narratives_for_practice(practice: Practice, *, actor) -> list[Narrative]:
    """The relatos linked to a practice that ``actor`` may read, newest first."""
    rows = db.session.execute(
        select(Narrative)
        .filter_by(practice_id=practice.id)
        .order_by(Narrative.created_at.desc(), Narrative.id.desc())
    ).scalars()
    return [n for n in rows if permissions.can_view_narrative(actor, n)]
