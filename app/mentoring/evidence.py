"""A mentor's evidence on each category, read from their school's records: its practices in that
category with good results (its own or adopted), its recognised good practices and its resolved
problems; and the same in words ("2 prácticas con buenos resultados, 1 problemática resuelta")."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.extensions import db
from app.mentoring.models import MentorOffer
from app.practices.models import Adoption, Practice, practice_categories
from app.problems.models import Category, Problem, ProblemCategory


def categories() -> list[Category]:
    """The problem taxonomy's categories, by name."""
    return list(db.session.execute(select(Category).order_by(Category.name, Category.id)).scalars())


def evidence_of(school_id: int, category_ids) -> dict[int, dict[str, list[str]]]:
    """What the school's records show on each category: ``{"good", "recognised", "adopted",
    "resolved"}`` lists of practice or problem titles (a practice both good and recognised is in both)."""
    ids = [c for c in category_ids if c is not None]
    found: dict[int, dict[str, list[str]]] = {c: defaultdict(list) for c in ids}
    if not ids:
        return {}
    own = db.session.execute(
        select(practice_categories.c.category_id, Practice.title, Practice.outcome, Practice.is_recognised)
        .join(Practice, Practice.id == practice_categories.c.practice_id)
        .where(Practice.school_id == school_id, practice_categories.c.category_id.in_(ids))
        .order_by(Practice.title)
    )
    for category_id, title, outcome, recognised in own:
        if outcome == "bueno":
            found[category_id]["good"].append(title)
        if recognised:
            found[category_id]["recognised"].append(title)
    adopted = db.session.execute(
        select(practice_categories.c.category_id, Practice.title)
        .join(Practice, Practice.id == practice_categories.c.practice_id)
        .join(Adoption, Adoption.practice_id == Practice.id)
        .where(
            Adoption.school_id == school_id,
            Adoption.outcome == "bueno",
            practice_categories.c.category_id.in_(ids),
        )
        .order_by(Practice.title)
    )
    for category_id, title in adopted:
        found[category_id]["adopted"].append(title)
    resolved = db.session.execute(
        select(ProblemCategory.category_id, Problem.title)
        .join(Problem, Problem.id == ProblemCategory.problem_id)
        .where(
            Problem.school_id == school_id,
            Problem.status == "resuelta",
            ProblemCategory.category_id.in_(ids),
        )
        .order_by(Problem.title)
    )
    for category_id, title in resolved:
        found[category_id]["resolved"].append(title)
    return {c: dict(v) for c, v in found.items()}


def evidence_count(items: dict[str, list[str]]) -> int:
    """Pieces of evidence on one category (the matching weighs them: the first counts most)."""
    return sum(len(v) for v in items.values())


def evidence_words(items: dict[str, list[str]]) -> str:
    """One category's evidence in words: "2 prácticas con buenos resultados, 1 problemática resuelta"."""
    parts = []
    for key, count in ((k, len(items.get(k, ()))) for k in ("good", "recognised", "adopted", "resolved")):
        if not count:
            continue
        if key == "good":
            parts.append(
                ngettext(
                    "%(num)d práctica con buenos resultados", "%(num)d prácticas con buenos resultados", count
                )
            )
        elif key == "recognised":
            parts.append(
                ngettext("%(num)d buena práctica reconocida", "%(num)d buenas prácticas reconocidas", count)
            )
        elif key == "adopted":
            parts.append(
                ngettext(
                    "%(num)d práctica adoptada con buenos resultados",
                    "%(num)d prácticas adoptadas con buenos resultados",
                    count,
                )
            )
        else:
            parts.append(ngettext("%(num)d problemática resuelta", "%(num)d problemáticas resueltas", count))
    return ", ".join(parts) if parts else _("sin evidencia registrada todavía")


def offer_evidence(offer: MentorOffer) -> list[dict]:
    """``{"category", "items", "words", "count"}`` for each category of the offer."""
    found = evidence_of(offer.school_id, [c.id for c in offer.categories])
    rows = []
    for category in offer.categories:
        items = found.get(category.id, {})
        rows.append(
            {
                "category": category,
                "items": items,
                "words": evidence_words(items),
                "count": evidence_count(items),
            }
        )
    return rows
