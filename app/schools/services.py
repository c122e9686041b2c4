"""Services of the schools area: the pages of zones and schools (the catalogue is app.catalogue).

The browse queries take the viewer explicitly and use aggregated counts and ``selectinload`` so a
page costs a fixed number of queries whatever the number of schools or problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from app.auth.models import User, advisor_schools, advisor_zones
from app.catalogue.models import LEVELS, School, Zone
from app.extensions import db
from app.practices.models import Practice
from app.problems.models import PRIORITY_WEIGHTS, Category, Problem, ProblemCategory
from app.utils import fold

if TYPE_CHECKING:
    from flask_sqlalchemy.pagination import Pagination

OPEN_STATUSES = ("abierta", "en_atencion")
ZONES_PER_PAGE = 50


def get_zone(cct: str) -> Zone | None:
    """The zone with this supervision CCT (case-insensitive), or None."""
    return db.session.execute(
        select(Zone).where(Zone.cct == (cct or "").strip().upper())
    ).scalar_one_or_none()


def get_school(cct: str) -> School | None:
    """The school with this CCT (case-insensitive), or None; its zone loaded."""
    return db.session.execute(
        select(School).where(School.cct == (cct or "").strip().upper()).options(selectinload(School.zone))
    ).scalar_one_or_none()


def advised_zone_ids(user: User) -> set[int]:
    """The zones an asesor is assigned to, directly or through one of their schools."""
    ids = {zone.id for zone in user.advised_zones}
    ids.update(s.zone_id for s in user.advised_schools if s.zone_id is not None)
    return ids


def zones_for(
    viewer: User,
    *,
    level: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = ZONES_PER_PAGE,
) -> tuple[Pagination, dict[int, int]]:
    """The zones the viewer may list (all for admin, assigned ones for an asesor), ordered by level
    and number: a page of zones, and ``zone_id -> number of schools`` for that page."""
    query = select(Zone).order_by(Zone.level, Zone.number, Zone.name)
    if viewer.role != "admin":
        query = query.where(Zone.id.in_(advised_zone_ids(viewer) or {-1}))
    if level in LEVELS:
        query = query.where(Zone.level == level)
    text = (q or "").strip()
    if text:
        conditions = [func.lower(Zone.name).contains(fold(text)), Zone.cct == text.upper()]
        if text.isdigit():
            conditions.append(Zone.number == int(text))
        query = query.where(or_(*conditions))
    zones_page = db.paginate(query, page=page, per_page=per_page, error_out=False)
    ids = [zone.id for zone in zones_page.items]
    counts = (
        dict(
            db.session.execute(
                select(School.zone_id, func.count(School.id))
                .where(School.zone_id.in_(ids))
                .group_by(School.zone_id)
            ).all()
        )
        if ids
        else {}
    )
    return zones_page, counts


def top_priority(problem: Problem) -> str | None:
    """The highest priority among the problem's categories."""
    priorities = [pc.priority for pc in problem.categories]
    return max(priorities, key=lambda p: PRIORITY_WEIGHTS.get(p, 0)) if priorities else None


def _open_first(query):
    return query.order_by(
        case((Problem.status.in_(OPEN_STATUSES), 0), else_=1),
        Problem.created_at.desc(),
        Problem.id.desc(),
    )


@dataclass
class ZoneOverview:
    """What the supervisor's zone page shows."""

    zone: Zone
    schools: list[tuple[School, int]]
    problems: list[Problem]
    category_counts: list[tuple[Category, int]]
    people: list[User]
    open_problems: int = 0
    max_category_count: int = field(default=0)


def zone_overview(zone: Zone, *, problem_limit: int = 100) -> ZoneOverview:
    """The zone's schools with their open problem counts, its problems (open first), the open
    problems per category, and its people."""
    open_count = (
        select(Problem.school_id, func.count(Problem.id).label("n"))
        .where(Problem.status.in_(OPEN_STATUSES))
        .group_by(Problem.school_id)
        .subquery()
    )
    schools = db.session.execute(
        select(School, func.coalesce(open_count.c.n, 0))
        .outerjoin(open_count, open_count.c.school_id == School.id)
        .where(School.zone_id == zone.id)
        .order_by(School.level, School.name)
    ).all()
    problems = list(
        db.session.execute(
            _open_first(
                select(Problem).join(School, School.id == Problem.school_id).where(School.zone_id == zone.id)
            )
            .options(
                selectinload(Problem.school),
                selectinload(Problem.categories).selectinload(ProblemCategory.category),
            )
            .limit(problem_limit)
        ).scalars()
    )
    count = func.count(func.distinct(Problem.id))
    category_counts = [
        tuple(row)
        for row in db.session.execute(
            select(Category, count)
            .join(ProblemCategory, ProblemCategory.category_id == Category.id)
            .join(Problem, Problem.id == ProblemCategory.problem_id)
            .join(School, School.id == Problem.school_id)
            .where(School.zone_id == zone.id, Problem.status.in_(OPEN_STATUSES))
            .group_by(Category.id)
            .order_by(count.desc(), Category.name)
        ).all()
    ]
    return ZoneOverview(
        zone=zone,
        schools=[tuple(row) for row in schools],
        problems=problems,
        category_counts=category_counts,
        people=zone_people(zone),
        open_problems=sum(n for _school, n in schools),
        max_category_count=max((n for _c, n in category_counts), default=0),
    )


def zone_people(zone: Zone) -> list[User]:
    """Active users of the zone: its supervisor, the people of its schools, its asesores."""
    school_ids = select(School.id).where(School.zone_id == zone.id)
    advisors_by_zone = select(advisor_zones.c.user_id).where(advisor_zones.c.zone_id == zone.id)
    advisors_by_school = select(advisor_schools.c.user_id).where(advisor_schools.c.school_id.in_(school_ids))
    users = (
        db.session.execute(
            select(User)
            .where(
                User.is_active.is_(True),
                or_(
                    User.zone_id == zone.id,
                    User.school_id.in_(school_ids),
                    User.id.in_(advisors_by_zone),
                    User.id.in_(advisors_by_school),
                ),
            )
            .options(selectinload(User.school))
        )
        .scalars()
        .all()
    )
    order = {"supervisor": 0, "asesor": 1, "director": 2, "docente": 3, "admin": 4}
    return sorted(users, key=lambda u: (order.get(u.role, 9), u.school.name if u.school else "", u.name))


@dataclass
class SchoolOverview:
    """What a school's page shows."""

    school: School
    problems: list[Problem]
    practices: list[Practice]
    people: list[User]
    #: The public profile only (a reader of another zone): problems by title, shared practices,
    #: no records of the school and no people.
    is_profile: bool = False


def school_overview(school: School, *, viewer: User) -> SchoolOverview:
    """The school's problems (open first), the practices the viewer may see (recognised good
    practices first), and — for those allowed — its people. A viewer who may not see the school's
    records (another zone) gets its public profile: no problem page links, no people."""
    from app.permissions import can_view_practice, can_view_school, can_view_school_people

    is_profile = not can_view_school(viewer, school)
    query = select(Problem).where(Problem.school_id == school.id)
    problems = list(
        db.session.execute(
            _open_first(query).options(
                selectinload(Problem.categories).selectinload(ProblemCategory.category)
            )
        ).scalars()
    )
    practices = [
        p
        for p in db.session.execute(
            select(Practice)
            .where(Practice.school_id == school.id)
            .order_by(Practice.is_recognised.desc(), Practice.created_at.desc(), Practice.id.desc())
        ).scalars()
        if can_view_practice(viewer, p)
    ]
    people: list[User] = []
    if can_view_school_people(viewer, school):
        people = list(
            db.session.execute(
                select(User)
                .where(User.school_id == school.id, User.is_active.is_(True))
                .order_by(User.role, User.name)
            ).scalars()
        )
    return SchoolOverview(
        school=school, problems=problems, practices=practices, people=people, is_profile=is_profile
    )
