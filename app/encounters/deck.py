"""A school's slide deck, built from its records with no extra work (seed 001).

``deck_slides(presentation)`` returns plain dicts — ``kind``, ``title``, ``subtitle``, ``bullets``
and, for a problem's slides, ``problem_id`` — that the deck page renders as HTML slides and that the
live room shows one by one. Empty sections are left out rather than shown blank.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from app.encounters.models import Presentation
from app.extensions import db
from app.practices.models import Practice
from app.problems.models import Problem, ProblemCategory

MAX_PRACTICES = 5
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s+")


def bullets(text: str | None) -> list[str]:
    """A text as bullet points: one per non-empty line, without the typed bullet marks.

    >>> bullets("- Leer en voz alta\\n\\n2) Tutoría entre pares")
    ['Leer en voz alta', 'Tutoría entre pares']
    >>> bullets("3.5 de promedio")
    ['3.5 de promedio']
    >>> bullets(None)
    []
    """
    if not text:
        return []
    lines = (_BULLET.sub("", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def chosen_problems(presentation: Presentation, among: list[Problem] | None = None) -> list[Problem]:
    """The problems the school chose, in the order it chose them (ones that vanished are skipped);
    ``among``: the school's problems, read already with their categories."""
    ids = [int(i) for i in presentation.problem_ids or []]
    if not ids:
        return []
    if among is not None:
        found = {p.id: p for p in among if p.school_id == presentation.school_id}
    else:
        found = {
            p.id: p
            for p in db.session.execute(
                db.select(Problem)
                .where(Problem.id.in_(ids), Problem.school_id == presentation.school_id)
                .options(selectinload(Problem.categories).selectinload(ProblemCategory.category))
            ).scalars()
        }
    return [found[i] for i in ids if i in found]


def school_practices(school_id: int) -> list[Practice]:
    """The school's practices with their categories, in one statement (two with categories)."""
    return list(
        db.session.execute(
            db.select(Practice)
            .where(Practice.school_id == school_id)
            .options(selectinload(Practice.categories))
            .order_by(Practice.id)
        ).scalars()
    )


def helpful_practices(
    problem: Problem, *, limit: int = MAX_PRACTICES, practices: list[Practice] | None = None
) -> list[Practice]:
    """The school's practices for this problem: linked to it first, then sharing a category
    (``practices``: the school's, read already by ``school_practices``)."""
    category_ids = {pc.category_id for pc in problem.categories}
    if practices is None:
        practices = school_practices(problem.school_id)
    linked = [p for p in practices if p.problem_id == problem.id]
    related = [
        p for p in practices if p.problem_id != problem.id and category_ids & {c.id for c in p.categories}
    ]
    return (linked + related)[:limit]


def deck_slides(presentation: Presentation, *, problems: list[Problem] | None = None) -> list[dict]:
    """The slides of a generated presentation: cover, each problem with its causes, actions,
    results and practices, and what the school asks of its colleagues (``problems``: the school's,
    read already with their categories). The school's practices are read once for every problem."""
    school = presentation.school
    encounter = presentation.encounter
    problems = chosen_problems(presentation, among=problems)
    practices_of_school = school_practices(school.id) if problems else []
    cover = [_("CCT %(cct)s", cct=school.cct)]
    if school.level_label and school.level_label != "—":
        cover.append(school.level_label)
    if school.locality or school.municipality:
        cover.append(", ".join(p for p in (school.locality, school.municipality) if p))
    if problems:
        cover.append(
            ngettext(
                "%(num)d problemática para compartir", "%(num)d problemáticas para compartir", len(problems)
            )
        )
    slides = [{"kind": "portada", "title": school.name, "subtitle": encounter.title, "bullets": cover}]
    for number, problem in enumerate(problems, start=1):
        subtitle = _("Problemática %(number)s de %(n)s", number=number, n=len(problems))
        facts = bullets(problem.description)
        if problem.grades:
            facts.append("Grados: " + ", ".join(problem.grades))
        categories = [pc.category.name for pc in problem.categories]
        if categories:
            facts.append("Categorías: " + ", ".join(categories))
        slides.append(
            {
                "kind": "problematica",
                "title": problem.title,
                "subtitle": subtitle,
                "bullets": facts,
                "problem_id": problem.id,
            }
        )
        for kind, heading, text in (
            ("causas", _("Por qué nos resulta difícil: causas"), problem.causes),
            ("acciones", _("Lo que hemos intentado"), problem.actions_tried),
            ("resultados", _("Resultados hasta ahora"), problem.results),
        ):
            points = bullets(text)
            if points:
                slides.append(
                    {
                        "kind": kind,
                        "title": heading,
                        "subtitle": problem.title,
                        "bullets": points,
                        "problem_id": problem.id,
                    }
                )
        practices = helpful_practices(problem, practices=practices_of_school)
        if practices:
            slides.append(
                {
                    "kind": "practicas",
                    "title": _("Prácticas que nos han ayudado"),
                    "subtitle": problem.title,
                    "bullets": [f"{p.title}: {p.summary}" for p in practices],
                    "problem_id": problem.id,
                    "practice_ids": [p.id for p in practices],
                }
            )
    asks = bullets(presentation.ask)
    if asks:
        slides.append(
            {
                "kind": "peticion",
                "title": _("Lo que pedimos a nuestros colegas"),
                "subtitle": school.name,
                "bullets": asks,
            }
        )
    return slides
