"""Factories as plain callables: each creates, commits and returns one object.

They commit so that requests made by the test client (each in its own session) see the rows.
"""

from __future__ import annotations

import itertools

from app.auth.models import User
from app.catalogue.models import School, Zone
from app.extensions import db
from app.practices.models import Practice
from app.practices.search import category_tag
from app.problems.models import Category, Problem, ProblemCategory
from app.utils import current_school_year, fold

_seq = itertools.count(1)
PASSWORD = "contraseña-segura-1"


def _n() -> int:
    return next(_seq)


def log_in(session, user: User) -> None:
    """Log ``user`` into a test client's session as Flask-Login does (``session_transaction()``).

    The session carries ``User.get_id()``: the id *and* the account's session token, which the
    user loader checks (app.auth.sessions), so a bare id would be an anonymous visitor.
    """
    session["_user_id"] = user.get_id()
    session["_fresh"] = True


def create_zone(**kw) -> Zone:
    n = _n()
    zone = Zone(
        cct=kw.pop("cct", f"22FIZ{n:04d}A"[:10]),
        number=kw.pop("number", n),
        name=kw.pop("name", f"SUPERVISION DE ZONA DE EDUCACION PRIMARIA NUM. {n}"),
        level=kw.pop("level", "primaria"),
        **kw,
    )
    db.session.add(zone)
    db.session.commit()
    return zone


def create_school(zone: Zone | None = None, **kw) -> School:
    n = _n()
    if zone is None and kw.pop("with_zone", True):
        zone = create_zone()
    school = School(
        cct=kw.pop("cct", f"22DPR{n:04d}K"[:10]),
        name=kw.pop("name", f"ESCUELA PRIMARIA NUM. {n}"),
        level=kw.pop("level", zone.level if zone else "primaria"),
        zone=zone,
        municipality=kw.pop("municipality", "QUERÉTARO"),
        **kw,
    )
    db.session.add(school)
    db.session.commit()
    return school


def create_user(
    role: str = "docente",
    *,
    school: School | None = None,
    zone: Zone | None = None,
    password: str = PASSWORD,
    **kw,
) -> User:
    n = _n()
    if role in ("director", "docente") and school is None:
        school = create_school()
    if role == "supervisor" and zone is None:
        zone = school.zone if school is not None else create_zone()
    user = User(
        email=kw.pop("email", f"{role}{n}@escuelas.example.mx"),
        name=kw.pop("name", f"{role.title()} {n}"),
        role=role,
        school=school if role in ("director", "docente") else None,
        zone=zone if role == "supervisor" else None,
        **kw,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def get_category(code: str) -> Category:
    category = db.session.execute(db.select(Category).filter_by(code=code)).scalar_one_or_none()
    if category is None:
        facet = "ambito" if code.startswith("amb-") else "area"
        category = Category(code=code, facet=facet, name=code.replace("-", " ").title(), levels=[])
        db.session.add(category)
        db.session.flush()
    return category


def create_problem(
    school: School | None = None, *, categories: dict[str, str] | None = None, **kw
) -> Problem:
    school = school or create_school()
    problem = Problem(
        school=school,
        title=kw.pop("title", "Bajo logro en resolución de problemas matemáticos"),
        description=kw.pop("description", "Los alumnos de 4° a 6° no plantean ni resuelven problemas."),
        status=kw.pop("status", "abierta"),
        school_year=kw.pop("school_year", current_school_year()),
        grades=kw.pop("grades", ["4°", "5°", "6°"]),
        **kw,
    )
    for code, priority in (
        categories or {"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}
    ).items():
        problem.categories.append(ProblemCategory(category=get_category(code), priority=priority))
    db.session.add(problem)
    db.session.commit()
    return problem


def create_practice(school: School | None = None, *, categories: list[str] | None = None, **kw) -> Practice:
    school = school or create_school()
    title = kw.pop("title", "Rincón de matemáticas con material concreto")
    summary = kw.pop("summary", "Cada grupo arma un rincón con material para contar y medir.")
    practice = Practice(
        school=school,
        title=title,
        summary=summary,
        level=kw.pop("level", school.level),
        visibility=kw.pop("visibility", "zona"),
        search_text=kw.pop("search_text", fold(f"{title} {summary}")),
        **kw,
    )
    practice.categories = [get_category(c) for c in (categories or ["pensamiento-matematico"])]
    # As practice_search_text adds them: the library's category filter finds them through these.
    practice.search_text = " ".join(
        [practice.search_text, *(category_tag(c.code) for c in practice.categories)]
    )
    db.session.add(practice)
    db.session.commit()
    return practice
