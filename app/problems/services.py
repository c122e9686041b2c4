"""Business rules of problems (problemáticas): validation, permissions, history, queries.

Services take the acting user explicitly, raise ``ValidationError``/``PermissionDenied``, flush,
and never commit: the route (or the API, or the CLI) commits once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from app import permissions
from app.catalogue.models import School
from app.extensions import db
from app.problems.models import (
    GRADES,
    PRIORITIES,
    STATUS_LABELS,
    STATUSES,
    Category,
    Problem,
    ProblemCategory,
    ProblemChange,
)
from app.problems.taxonomy import applies_to_level
from app.utils import current_school_year, fold
from app.validation import PermissionDenied, ValidationError, parse_id

if TYPE_CHECKING:
    from app.auth.models import User
    from app.catalogue.models import Zone

TITLE_MAX = 200
TEXT_MAX = 10_000
TEXT_FIELDS = ("causes", "actions_tried", "results")
# The order in which fields are compared and shown in the history.
TRACKED_FIELDS = (
    "title",
    "description",
    "grades",
    "causes",
    "actions_tried",
    "results",
    "status",
    "school_year",
    "categories",
)
OPEN_STATUSES = ("abierta", "en_atencion")
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
# Spanish labels are accepted as input too (str() of a lazy label outside a request: the source text).
_STATUS_BY_FOLDED = {fold(str(label)): code for code, label in STATUS_LABELS.items()}


def grades_for_level(level: str | None) -> tuple[str, ...]:
    """The grades a school of this level has: 1°–6° in primaria, 1°–3° in preescolar and secundaria.

    Educación inicial is organised by age groups (salas), not grades, so it has none; a school of
    unknown level may use any of the six.
    """
    if level in ("preescolar", "secundaria"):
        return GRADES[:3]
    if level == "inicial":
        return ()
    return GRADES


# --- validation ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _clean_grades(value: Any, level: str | None, errors: dict[str, str]) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        errors["grades"] = _('Los grados deben ser una lista, por ejemplo ["1°", "2°"].')
        return []
    allowed = grades_for_level(level)
    chosen: set[str] = set()
    for item in value:
        raw = _text(item).rstrip("°º").strip()
        grade = f"{raw}°" if raw.isdigit() else _text(item)
        if grade not in allowed:
            if not allowed:
                errors["grades"] = _(
                    "La educación inicial no se organiza por grados; deja los grados vacíos."
                )
            else:
                errors["grades"] = _(
                    "Grado no válido para %(level)s: %(grade)s. Elige entre %(allowed)s.",
                    level=level or _("esta escuela"),
                    grade=_text(item) or _("(vacío)"),
                    allowed=", ".join(allowed),
                )
            return []
        chosen.add(grade)
    return [g for g in allowed if g in chosen]


def _clean_status(value: Any, errors: dict[str, str]) -> str | None:
    status = _text(value)
    status = status if status in STATUSES else _STATUS_BY_FOLDED.get(fold(status))
    if status is None:
        errors["status"] = _("Elige un estado: abierta, en atención o resuelta.")
    return status


def _clean_school_year(value: Any, errors: dict[str, str]) -> str | None:
    text = _text(value)
    match = _SCHOOL_YEAR.match(text)
    if not text:
        errors["school_year"] = _("Escribe el ciclo escolar, por ejemplo 2025-2026.")
    elif not match:
        errors["school_year"] = _("El ciclo escolar se escribe como 2025-2026.")
    elif int(match[2]) != int(match[1]) + 1 or not 1990 <= int(match[1]) <= 2100:
        errors["school_year"] = _("El ciclo escolar son dos años consecutivos, por ejemplo 2025-2026.")
    else:
        return f"{match[1]}-{match[2]}"
    return None


def _clean_categories(
    value: Any, level: str | None, errors: dict[str, str]
) -> list[tuple[Category, str]] | None:
    """[(category, priority)], the ámbito first; None (and an error) if the choice is not valid."""
    if not value:
        errors["categories"] = _("Elige un ámbito y al menos un área.")
        return None
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, dict) for item in value):
        errors["categories"] = _("Las categorías deben ser una lista de {código, prioridad}.")
        return None
    codes = [_text(item.get("code")) for item in value]
    known = {
        c.code: c
        for c in db.session.execute(
            db.select(Category).where(Category.code.in_([c for c in codes if c]))
        ).scalars()
    }
    chosen: list[tuple[Category, str]] = []
    seen: set[str] = set()
    for code, item in zip(codes, value):
        priority = _text(item.get("priority")).lower()
        category = known.get(code)
        if category is None:
            errors["categories"] = _("Categoría desconocida: %(code)s.", code=code or _("(vacía)"))
        elif code in seen:
            errors["categories"] = _("La categoría %(name)s aparece dos veces.", name=category.name)
        elif priority not in PRIORITIES:
            errors["categories"] = _(
                "Elige la prioridad de %(name)s: alta, media o baja.", name=category.name
            )
        elif not applies_to_level(category, level):
            errors["categories"] = _(
                "La categoría %(name)s no aplica al nivel %(level)s.", name=category.name, level=level
            )
        else:
            seen.add(code)
            chosen.append((category, priority))
            continue
        return None
    ambitos = [pair for pair in chosen if pair[0].facet == "ambito"]
    areas = [pair for pair in chosen if pair[0].facet == "area"]
    if len(ambitos) != 1:
        errors["categories"] = (
            _("Elige exactamente un ámbito.") if ambitos else _("Elige el ámbito de la problemática.")
        )
        return None
    if not areas:
        errors["categories"] = _("Elige al menos un área con su prioridad.")
        return None
    return ambitos + sorted(areas, key=lambda pair: pair[0].code)


def _required_text(data: dict, field: str, maximum: int, missing: str, errors: dict[str, str]) -> str | None:
    value = _text(data.get(field))
    if not value:
        errors[field] = missing
    elif len(value) > maximum:
        errors[field] = _("Escribe como máximo %(n)s caracteres.", n=maximum)
    else:
        return value
    return None


def _clean(school: School, data: dict, *, creating: bool) -> dict[str, Any]:
    """Validated values for the keys present in ``data`` (all required ones when creating)."""
    if not isinstance(data, dict):
        raise ValidationError(_("Los datos de la problemática no son válidos."))
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if creating or "title" in data:
        clean["title"] = _required_text(
            data, "title", TITLE_MAX, _("Escribe el título de la problemática."), errors
        )
    if creating or "description" in data:
        clean["description"] = _required_text(
            data, "description", TEXT_MAX, _("Describe la problemática."), errors
        )
    if "grades" in data or creating:
        clean["grades"] = _clean_grades(data.get("grades"), school.level, errors)
    for field in TEXT_FIELDS:
        if field in data or creating:
            value = _text(data.get(field))
            if len(value) > TEXT_MAX:
                errors[field] = _("Escribe como máximo %(n)s caracteres.", n=TEXT_MAX)
            clean[field] = value or None
    if "status" in data or creating:
        clean["status"] = _clean_status(data.get("status") or ("abierta" if creating else ""), errors)
    if "school_year" in data:
        clean["school_year"] = _clean_school_year(data.get("school_year"), errors)
    elif creating:
        clean["school_year"] = current_school_year()
    if "categories" in data or creating:
        clean["categories"] = _clean_categories(data.get("categories"), school.level, errors)
    if errors:
        raise ValidationError(errors)
    return clean


# --- history ------------------------------------------------------------------------------------


def category_labels(problem: Problem) -> list[str]:
    """The problem's categories as "código:prioridad", the ámbito first, then the áreas by code."""
    ambito = [pc for pc in problem.categories if pc.category.facet == "ambito"]
    areas = sorted(
        (pc for pc in problem.categories if pc.category.facet != "ambito"), key=lambda pc: pc.category.code
    )
    return [f"{pc.category.code}:{pc.priority}" for pc in ambito + areas]


def _snapshot(problem: Problem) -> dict[str, Any]:
    values = {field: getattr(problem, field) for field in TRACKED_FIELDS if field != "categories"}
    values["grades"] = list(values["grades"] or [])
    values["categories"] = category_labels(problem)
    return values


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    return {f: [before[f], after[f]] for f in TRACKED_FIELDS if before[f] != after[f]}


def _record(problem: Problem, action: str, changes: dict[str, list], actor) -> ProblemChange:
    change = ProblemChange(
        problem=problem, user_id=getattr(actor, "id", None), action=action, changes=changes
    )
    db.session.add(change)
    return change


def _set_categories(problem: Problem, chosen: list[tuple[Category, str]]) -> None:
    """Update in place, so the (problem, category) unique key never sees a delete-then-insert."""
    current = {pc.category_id: pc for pc in problem.categories}
    wanted = {category.id: (category, priority) for category, priority in chosen}
    for category_id, pc in list(current.items()):
        if category_id not in wanted:
            problem.categories.remove(pc)
    for category_id, (category, priority) in wanted.items():
        if category_id in current:
            current[category_id].priority = priority
        else:
            problem.categories.append(ProblemCategory(category=category, priority=priority))


def _apply(problem: Problem, clean: dict[str, Any]) -> None:
    for field, value in clean.items():
        if field == "categories":
            _set_categories(problem, value)
        else:
            setattr(problem, field, value)


# --- commands -----------------------------------------------------------------------------------


def create_problem(school: School, data: dict, *, actor: User) -> Problem:
    """Record a new problem of ``school`` and its first history entry ('creado')."""
    if not permissions.can_record_problem(actor, school):
        raise PermissionDenied(_("No puedes registrar problemáticas de esta escuela."))
    clean = _clean(school, data, creating=True)
    problem = Problem(school=school, created_by_id=getattr(actor, "id", None), categories=[])
    _apply(problem, clean)
    db.session.add(problem)
    initial = {f: [None, v] for f, v in _snapshot(problem).items() if v not in (None, "", [])}
    _record(problem, "creado", initial, actor)
    db.session.flush()
    return problem


def update_problem(problem: Problem, data: dict, *, actor: User) -> Problem:
    """Change the fields present in ``data``; history keeps only the fields that really changed."""
    if not permissions.can_edit_problem(actor, problem):
        raise PermissionDenied(_("No puedes editar esta problemática."))
    clean = _clean(problem.school, data, creating=False)
    before = _snapshot(problem)
    _apply(problem, clean)
    changes = _diff(before, _snapshot(problem))
    if changes:
        _record(problem, "editado", changes, actor)
    db.session.flush()
    return problem


def change_status(problem: Problem, status: str, *, actor: User) -> Problem:
    """Move the problem to abierta, en atención or resuelta (history action 'estado')."""
    if not permissions.can_edit_problem(actor, problem):
        raise PermissionDenied(_("No puedes cambiar el estado de esta problemática."))
    errors: dict[str, str] = {}
    new_status = _clean_status(status, errors)
    if errors:
        raise ValidationError(errors)
    if new_status != problem.status:
        _record(problem, "estado", {"status": [problem.status, new_status]}, actor)
        problem.status = new_status
    db.session.flush()
    return problem


# --- queries ------------------------------------------------------------------------------------


def get_problem(problem_id: int) -> Problem | None:
    """The problem with this id, or None."""
    return db.session.get(Problem, problem_id)


def problems_for_school(
    school: School, *, school_year: str | None = None, status: str | None = None
) -> list[Problem]:
    """The school's problems, newest first, optionally of one school year and/or one status."""
    query = (
        db.select(Problem)
        .where(Problem.school_id == school.id)
        .options(selectinload(Problem.categories).selectinload(ProblemCategory.category))
        .order_by(Problem.created_at.desc(), Problem.id.desc())
    )
    if school_year:
        query = query.where(Problem.school_year == school_year)
    if status:
        query = query.where(Problem.status == status)
    return list(db.session.execute(query).scalars())


def category_counts_for_zone(zone: Zone, *, school_year: str | None = None) -> list[tuple[Category, int]]:
    """How many open (abierta or en atención) problems of the zone's schools carry each category.

    Most frequent first; categories no open problem carries are left out.
    """
    count = func.count(func.distinct(Problem.id))
    query = (
        db.select(Category, count)
        .join(ProblemCategory, ProblemCategory.category_id == Category.id)
        .join(Problem, Problem.id == ProblemCategory.problem_id)
        .join(School, School.id == Problem.school_id)
        .where(School.zone_id == zone.id, Problem.status.in_(OPEN_STATUSES))
        .group_by(Category.id)
        .order_by(count.desc(), Category.name)
    )
    if school_year:
        query = query.where(Problem.school_year == school_year)
    return [(category, n) for category, n in db.session.execute(query).all()]


def form_data_from_problem(problem: Problem) -> dict[str, Any]:
    """The problem as the ``data`` dict the services take (to fill an edit form)."""
    return {
        "title": problem.title,
        "description": problem.description,
        "grades": list(problem.grades or []),
        "causes": problem.causes,
        "actions_tried": problem.actions_tried,
        "results": problem.results,
        "status": problem.status,
        "school_year": problem.school_year,
        "categories": [
            {"code": label.split(":")[0], "priority": label.split(":")[1]}
            for label in category_labels(problem)
        ],
    }


def named_problem(data: dict) -> tuple[bool, Problem | None]:
    """The problem a form or an event names in ``data["problem_id"]``: (whether one is named, its
    row, or None when there is no such problem)."""
    problem_id = parse_id(data.get("problem_id"))
    named = data.get("problem_id") not in (None, "")
    return named, (db.session.get(Problem, problem_id) if problem_id else None)
