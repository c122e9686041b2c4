"""Schools that can help with one problem, inside and beyond the zone, said in plain words.

For a problem's categories: first the schools that already solved them (a resolved problem, a
practice or an adoption with good results, 3 of 4 commitments met with evidence), then those still
working on them; each with the sentence that says why and the practices the reader may open. Every
school's public profile is open to any signed-in person, so every partner is reachable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.catalogue.models import School
from app.extensions import db
from app.groupings import reasons
from app.groupings.progress import school_progress
from app.practices.models import Practice
from app.problems.models import Category, Problem, ProblemCategory

#: At most this many schools are read as candidates (the most recently active first), so the
#: problem page costs the same whether three schools or three thousand share the category.
CANDIDATE_LIMIT = 300


@dataclass
class Partner:
    """A school that can help with a problem (``solved``) or works on it too."""

    school: School
    solved: list[str]  # category codes of the problem it already solved
    working: list[str]  # category codes of the problem it is working on
    sentence: Markup
    practices: list[Practice] = field(default_factory=list)
    in_zone: bool = False

    @property
    def has_solved(self) -> bool:
        return bool(self.solved)


def _candidate_schools(problem: Problem, codes: list[str]) -> list[School]:
    """Schools of the problem's level, other than its own, with a problem or practice in its categories."""
    with_problem = (
        select(Problem.school_id)
        .join(ProblemCategory, ProblemCategory.problem_id == Problem.id)
        .join(Category, Category.id == ProblemCategory.category_id)
        .where(Category.code.in_(codes))
    )
    with_practice = select(Practice.school_id).where(Practice.categories.any(Category.code.in_(codes)))
    return list(
        db.session.execute(
            select(School)
            .where(
                School.id != problem.school_id,
                School.level == problem.school.level,
                or_(School.id.in_(with_problem), School.id.in_(with_practice)),
            )
            .order_by(School.id.desc())
            .limit(CANDIDATE_LIMIT)
        ).scalars()
    )


def _sentence(
    name_solved: list[str], working: list[str], evidence: list[dict], names, practice_title
) -> Markup:
    if name_solved:
        values = {"categories": reasons.categories_phrase(name_solved, names)}
        if practice_title is not None:
            text = Markup(_("Ya resolvió %(categories)s con %(practice)s", practice=practice_title, **values))
        else:
            text = Markup(_("Ya resolvió %(categories)s", **values))
        notes = reasons.evidence_notes(evidence, problem_titles=practice_title is None)
        if notes:
            text += Markup(" (%s)") % "; ".join(notes)
        return text + Markup(".")
    return Markup(
        _("Trabaja, como ustedes, en %(categories)s.", categories=reasons.categories_phrase(working, names))
    )


def partners_for_problem(problem: Problem, *, actor, limit: int = 5) -> dict[str, list[Partner]]:
    """``{"solved": [...], "working": [...]}``: the schools that already solved this problem's
    categories (most categories solved, then most evidence, then the same zone first), and those
    working on them (most categories shared, the same zone first); ``limit`` of each."""
    from app.groupings.services import category_names, network_records

    found: dict[str, list[Partner]] = {"solved": [], "working": []}
    codes = sorted({pc.category.code for pc in problem.categories})
    candidates = _candidate_schools(problem, codes) if codes else []
    if not candidates:
        return found
    records = network_records(candidates)
    progress = school_progress(candidates, records)
    names = category_names(codes)
    wanted = set(codes)
    ranked = []
    for school in candidates:
        solved = reasons.solved_by(progress, school.id, wanted)
        working = reasons.working_on(progress, school.id, wanted)
        if not (solved or working):
            continue
        evidence = [e for code in solved for e in progress[school.id][code]["evidence"]]
        other_zone = school.zone_id != problem.school.zone_id
        ranked.append(
            (
                (-len(solved), -len(evidence), -len(working), other_zone, school.name, school.id),
                school,
                solved,
                working,
                evidence,
            )
        )
    ranked.sort(key=lambda r: r[0])
    practice_ids = {e["practice"] for *_r, ev in ranked for e in ev if e["kind"] in ("practice", "adoption")}
    practices = (
        {
            p.id: p
            for p in db.session.execute(
                select(Practice).where(Practice.id.in_(practice_ids)).options(selectinload(Practice.school))
            ).scalars()
        }
        if practice_ids
        else {}
    )
    for _key, school, solved, working, evidence in ranked:
        bucket = found["solved" if solved else "working"]
        if len(bucket) >= limit:
            continue
        seen = []
        for e in evidence:
            practice = practices.get(e.get("practice"))
            if (
                practice is not None
                and practice not in seen
                and permissions.can_view_practice(actor, practice)
            ):
                seen.append(practice)
        title = Markup("<em>%s</em>") % seen[0].title if seen else None
        bucket.append(
            Partner(
                school=school,
                solved=solved,
                working=working,
                sentence=_sentence(solved, working, evidence, names, title),
                practices=seen,
                in_zone=school.zone_id == problem.school.zone_id,
            )
        )
    return found
