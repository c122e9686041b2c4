"""The relatos index: every relato a person may read, with or without a practice, found by its
words and filtered by category, level and zone, a page at a time; and the relatos of a school and of
an encounter, for the links on their pages.

Who may read a relato is ``permissions.can_view_narrative``; ``readable_condition`` is that rule in
SQL (whoever may see its school, or its practice when it has one), so that the index pages and counts
in the database instead of loading every relato to check it. A test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from app import permissions
from app.catalogue.models import School
from app.extensions import db
from app.goodpractices.common import NARRATIVE_SECTIONS
from app.goodpractices.models import Narrative
from app.practices.library import visibility_condition
from app.practices.models import Practice, practice_categories
from app.problems.models import Category, ProblemCategory
from app.utils import fold

#: Words of a search that count (the rest are ignored): a relato must contain each of them.
MAX_TERMS = 8


def narrative_search_text(narrative: Narrative) -> str:
    """The folded title and sections a relato is found by (kept in ``Narrative.search_text``)."""
    return " ".join(fold(getattr(narrative, key) or "") for key in ("title", *NARRATIVE_SECTIONS))


def school_condition(actor):
    """``permissions.can_view_school`` over ``schools`` as SQL."""
    if not permissions._authenticated(actor):
        return false()
    if permissions.is_admin(actor):
        return true()
    conditions = []
    if actor.role == "supervisor" and actor.zone_id is not None:
        conditions.append(School.zone_id == actor.zone_id)
    if actor.role == "asesor":
        school_ids = [s.id for s in actor.advised_schools]
        zone_ids = [z.id for z in actor.advised_zones]
        if school_ids:
            conditions.append(School.id.in_(school_ids))
        if zone_ids:
            conditions.append(School.zone_id.in_(zone_ids))
    if actor.role in ("director", "docente") and actor.school_id is not None:
        conditions.append(School.id == actor.school_id)
        zone_id = permissions.user_zone_id(actor)
        if zone_id is not None:
            conditions.append(School.zone_id == zone_id)
    return or_(*conditions) if conditions else false()


def readable_condition(actor):
    """``permissions.can_view_narrative`` as SQL, over ``narratives`` joined to their school."""
    practice_visible = exists(
        select(Practice.id).where(Practice.id == Narrative.practice_id, visibility_condition(actor))
    )
    return or_(school_condition(actor), and_(Narrative.practice_id.is_not(None), practice_visible))


@dataclass
class RelatosPage:
    """One page of the index and the total it was cut from."""

    items: list[Narrative]
    total: int


def search_narratives(
    actor,
    *,
    q: str = "",
    category: str | None = None,
    level: str | None = None,
    zone_id: int | None = None,
    school_id: int | None = None,
    encounter_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> RelatosPage:
    """The relatos ``actor`` may read that match, newest first. ``q`` matches words of the title and
    sections (accents and case aside); ``category`` is a category code of the relato's practice or
    problem; ``level`` and ``zone_id`` are its school's."""
    query = select(Narrative).join(School, School.id == Narrative.school_id).where(readable_condition(actor))
    for term in fold(q).split()[:MAX_TERMS]:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Narrative.search_text.like(f"%{escaped}%", escape="\\"))
    if category:
        by_practice = exists(
            select(practice_categories.c.practice_id)
            .join(Category, Category.id == practice_categories.c.category_id)
            .where(practice_categories.c.practice_id == Narrative.practice_id, Category.code == category)
        )
        by_problem = exists(
            select(ProblemCategory.id)
            .join(Category, Category.id == ProblemCategory.category_id)
            .where(ProblemCategory.problem_id == Narrative.problem_id, Category.code == category)
        )
        query = query.where(or_(by_practice, by_problem))
    if level:
        query = query.where(School.level == level)
    if zone_id is not None:
        query = query.where(School.zone_id == zone_id)
    if school_id is not None:
        query = query.where(Narrative.school_id == school_id)
    if encounter_id is not None:
        query = query.where(Narrative.encounter_id == encounter_id)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = max(page, 1)
    items = list(
        db.session.execute(
            query.options(
                selectinload(Narrative.school),
                selectinload(Narrative.practice),
                selectinload(Narrative.problem),
            )
            .order_by(Narrative.created_at.desc(), Narrative.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).scalars()
    )
    return RelatosPage(items, total)


def school_narratives(school: School, *, actor, limit: int = 50) -> list[Narrative]:
    """The relatos of a school that ``actor`` may read, newest first (its page links them all)."""
    return search_narratives(actor, school_id=school.id, per_page=limit).items


def encounter_narratives(encounter, *, actor, limit: int = 50) -> list[Narrative]:
    """The relatos linked to an encounter that ``actor`` may read, newest first."""
    return search_narratives(actor, encounter_id=encounter.id, per_page=limit).items
