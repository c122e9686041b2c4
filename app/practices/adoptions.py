"""Another school adopts a practice, and later records how it went."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.catalogue.models import School
from app.extensions import db
from app.practices.limits import (
    NOTES_MAX,
)
from app.practices.models import (
    OUTCOMES,
    Adoption,
    Practice,
)
from app.practices.records import _text
from app.practices.search import (  # noqa: F401
    COUNT_LIMIT,
    RANK_WINDOW,
    TextSearch,
    category_tag,
    query_terms,
    text_search,
)
from app.validation import PermissionDenied, ValidationError


def _clean_adoption(data: dict, *, partial: bool) -> dict:
    errors: dict[str, str] = {}
    clean: dict = {}
    if not partial or "outcome" in data:
        outcome = data.get("outcome") or "en_proceso"
        if outcome not in OUTCOMES:
            errors["outcome"] = _("Elige un resultado válido.")
        clean["outcome"] = outcome
    if not partial or "notes" in data:
        clean["notes"] = _text(
            data, "notes", errors, required=False, label=_("Las notas"), max_length=NOTES_MAX
        )
    if "outcome_notes" in data:  # what the school saw when applying it, apart from its plans
        clean["outcome_notes"] = _text(
            data, "outcome_notes", errors, required=False, label=_("Las notas"), max_length=NOTES_MAX
        )
    if errors:
        raise ValidationError(errors)
    return clean


def adopt_practice(practice: Practice, school: School, data: dict, *, actor) -> Adoption:
    """``school`` marks that it adopted ``practice``, with its own outcome; a second time updates."""
    if not (permissions.can_adopt_practice(actor, practice) and actor.school_id == school.id):
        raise PermissionDenied(_("Tu escuela no puede adoptar esta práctica."))
    clean = _clean_adoption(data, partial=False)
    adoption = db.session.execute(
        select(Adoption).filter_by(practice_id=practice.id, school_id=school.id)
    ).scalar_one_or_none()
    if adoption is None:
        adoption = Adoption(practice=practice, school=school, adopted_by_id=actor.id)
        db.session.add(adoption)
    for key, value in clean.items():
        setattr(adoption, key, value)
    db.session.flush()
    return adoption


def update_adoption(adoption: Adoption, data: dict, *, actor) -> Adoption:
    """Change the outcome, notes or outcome notes of an adoption (its school's members or an
    administrator)."""
    if not (permissions.is_admin(actor) or permissions.is_member_of_school(actor, adoption.school)):
        raise PermissionDenied(_("No puedes cambiar esta adopción."))
    for key, value in _clean_adoption(data, partial=True).items():
        setattr(adoption, key, value)
    db.session.flush()
    return adoption
