"""Recording and editing a practice: its texts, resources by the CTE guide's criteria, links, the
problem and categories it addresses, and its search text.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.catalogue.models import LEVELS, School
from app.extensions import db
from app.practices.limits import (
    LABEL_MAX,
    RESOURCE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
)
from app.practices.models import (
    MATERIAL_CRITERIA,
    VISIBILITIES,
    Practice,
    PracticeLink,
    PracticeResource,
)
from app.practices.search import (  # noqa: F401
    COUNT_LIMIT,
    RANK_WINDOW,
    TextSearch,
    category_tag,
    query_terms,
    text_search,
)
from app.problems.models import GRADES, Category, Problem
from app.utils import fold
from app.validation import PermissionDenied, ValidationError, parse_id

MAX_RESOURCES = 50


MAX_LINKS = 20


MAX_PER_PAGE = 100


def practice_search_text(practice: Practice) -> str:
    """The folded words a practice is found by: its texts, resources, categories and school, and
    one ``category_tag`` word per category."""
    school = practice.school
    parts = [
        # The title twice: a word of the title should weigh more than one deep in the steps.
        practice.title,
        practice.title,
        practice.summary,
        practice.steps,
        practice.results,
        *(r.description for r in practice.resources),
        *(c.name for c in practice.categories),
        school.name if school else None,
        school.municipality if school else None,
        # Found by the library's category filter through the full-text index (see category_tag).
        *(category_tag(c.code) for c in practice.categories),
    ]
    return fold(" ".join(p for p in parts if p))


def _text(
    data: dict, key: str, errors: dict, *, required: bool, label: str, max_length: int = TEXT_MAX
) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        errors[key] = _("%(label)s: escribe un texto.", label=label)
        return None
    value = (value or "").strip()
    if not value:
        if required:
            errors[key] = _("Escribe %(value1)s.", value1=label.lower())
        return None
    if len(value) > max_length:
        errors[key] = _("%(label)s: máximo %(max_length)s caracteres.", label=label, max_length=max_length)
        return None
    return value


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise ValidationError({key: _("Se esperaba una lista.")})
    return list(value)


def is_http_url(url: str) -> bool:
    """True for an absolute http or https URL with a host.

    >>> is_http_url("https://www.gob.mx/sep"), is_http_url("javascript:alert(1)")
    (True, False)
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.hostname)
        and not any(c.isspace() for c in url)
    )


def _clean_practice(data: dict, school: School, *, partial: bool) -> dict:
    """Validated values for the keys present in ``data`` (all keys when not partial)."""
    errors: dict[str, str] = {}
    clean: dict = {}

    def wanted(key: str) -> bool:
        return not partial or key in data

    if wanted("title"):
        clean["title"] = _text(
            data, "title", errors, required=True, label=_("El título"), max_length=TITLE_MAX
        )
    if wanted("summary"):
        clean["summary"] = _text(data, "summary", errors, required=True, label=_("El resumen"))
    for key, label in (("steps", _("Los pasos")), ("results", _("Los resultados observados"))):
        if wanted(key):
            clean[key] = _text(data, key, errors, required=False, label=label)
    if wanted("level"):
        level = data.get("level") or school.level or ""
        if level not in LEVELS:
            errors["level"] = _("Elige un nivel educativo válido.")
        clean["level"] = level
    if wanted("grades"):
        try:
            grades = [str(g) for g in _list(data, "grades")]
        except ValidationError as exc:
            errors.update(exc.errors)
            grades = []
        if any(g not in GRADES for g in grades):
            errors["grades"] = _("Elige grados válidos (1° a 6°).")
        clean["grades"] = [g for g in GRADES if g in grades]
    if wanted("visibility"):
        visibility = data.get("visibility") or "zona"
        if visibility not in VISIBILITIES:
            errors["visibility"] = _("Elige quién puede ver la práctica: escuela, zona o todos.")
        clean["visibility"] = visibility
    if wanted("categories"):
        try:
            codes = [str(c) for c in _list(data, "categories")]
        except ValidationError as exc:
            errors.update(exc.errors)
            codes = []
        found = (
            list(db.session.execute(select(Category).where(Category.code.in_(codes))).scalars())
            if codes
            else []
        )
        if len(found) != len(set(codes)):
            missing = sorted(set(codes) - {c.code for c in found})
            errors["categories"] = _("Categorías desconocidas: ") + ", ".join(missing[:5]) + "."
        clean["categories"] = found
    if wanted("resources"):
        clean["resources"] = _clean_resources(data, errors)
    if wanted("links"):
        clean["links"] = _clean_links(data, errors)
    if wanted("problem_id"):
        clean["problem"] = _clean_problem(data.get("problem_id"), school, errors)
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_resources(data: dict, errors: dict) -> list[tuple[str, str]]:
    try:
        rows = _list(data, "resources")
    except ValidationError as exc:
        errors.update(exc.errors)
        return []
    resources = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors["resources"] = _("Recurso %(n)s: formato no válido.", n=n)
            continue
        description = str(row.get("description") or "").strip()
        criterion = str(row.get("criterion") or "").strip()
        if not description:
            continue  # an empty row of the form
        if len(description) > RESOURCE_MAX:
            errors["resources"] = _(
                "Recurso %(n)s: máximo %(RESOURCE_MAX)s caracteres.", n=n, RESOURCE_MAX=RESOURCE_MAX
            )
        elif criterion not in MATERIAL_CRITERIA:
            errors["resources"] = _("Recurso %(n)s: elige para qué sirve (criterio de la guía del CTE).", n=n)
        else:
            resources.append((description, criterion))
    if len(resources) > MAX_RESOURCES:
        errors["resources"] = _("Máximo %(MAX_RESOURCES)s recursos.", MAX_RESOURCES=MAX_RESOURCES)
    return resources


def _clean_links(data: dict, errors: dict) -> list[tuple[str, str | None]]:
    try:
        rows = _list(data, "links")
    except ValidationError as exc:
        errors.update(exc.errors)
        return []
    links = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors["links"] = _("Enlace %(n)s: formato no válido.", n=n)
            continue
        url = str(row.get("url") or "").strip()
        label = str(row.get("label") or "").strip() or None
        if not url:
            continue
        if len(url) > URL_MAX or not is_http_url(url):
            errors["links"] = _(
                "Enlace %(n)s: escribe una dirección completa que empiece con http:// o https://.", n=n
            )
        elif label and len(label) > LABEL_MAX:
            errors["links"] = _(
                "Enlace %(n)s: el texto del enlace admite máximo %(LABEL_MAX)s caracteres.",
                n=n,
                LABEL_MAX=LABEL_MAX,
            )
        else:
            links.append((url, label))
    if len(links) > MAX_LINKS:
        errors["links"] = _("Máximo %(MAX_LINKS)s enlaces.", MAX_LINKS=MAX_LINKS)
    return links


def _clean_problem(value, school: School, errors: dict) -> Problem | None:
    if value in (None, "", 0, "0"):
        return None
    problem_id = parse_id(value)
    if problem_id is None:
        errors["problem_id"] = _("La problemática no es válida.")
        return None
    problem = db.session.get(Problem, problem_id)
    if problem is None or problem.school_id != school.id:
        errors["problem_id"] = _("Elige una problemática de la misma escuela.")
        return None
    return problem


def _apply(practice: Practice, clean: dict) -> None:
    for key in (
        "title",
        "summary",
        "steps",
        "results",
        "level",
        "grades",
        "visibility",
        "categories",
        "problem",
    ):
        if key in clean:
            setattr(practice, key, clean[key])
    if "resources" in clean:
        practice.resources = [PracticeResource(description=d, criterion=c) for d, c in clean["resources"]]
    if "links" in clean:
        practice.links = [PracticeLink(url=u, label=label) for u, label in clean["links"]]
    practice.search_text = practice_search_text(practice)


def create_practice(school: School, data: dict, *, actor) -> Practice:
    """Record a practice of ``school`` (a member of the school or an administrator)."""
    if not permissions.can_record_practice(actor, school):
        raise PermissionDenied(_("No puedes registrar prácticas de esta escuela."))
    clean = _clean_practice(data, school, partial=False)
    practice = Practice(school=school, author=actor if getattr(actor, "id", None) else None)
    _apply(practice, clean)
    db.session.add(practice)
    db.session.flush()
    return practice


def update_practice(practice: Practice, data: dict, *, actor) -> Practice:
    """Change the fields present in ``data``; the search text is recomputed."""
    if not permissions.can_edit_practice(actor, practice):
        raise PermissionDenied(_("No puedes editar esta práctica."))
    clean = _clean_practice(data, practice.school, partial=True)
    _apply(practice, clean)
    db.session.flush()
    return practice
