"""Business rules of the practices area: record, edit, evidence, adoptions, visibility and search.

Every service takes the acting user explicitly, checks it with ``app.permissions``, validates its
input (raising ``ValidationError`` with Spanish messages per field) and flushes; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Integer, Select, and_, any_, bindparam, case, false, func, or_, select, true
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import joinedload, selectinload

from app import permissions, uploads
from app.catalogue.models import LEVELS, School
from app.extensions import db
from app.practices.limits import (  # noqa: F401  (also read by the forms)
    CAPTION_MAX,
    LABEL_MAX,
    NOTES_MAX,
    RESOURCE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
)
from app.practices.models import (
    MATERIAL_CRITERIA,
    OUTCOMES,
    VISIBILITIES,
    Adoption,
    Evidence,
    Practice,
    PracticeLink,
    PracticeResource,
    practice_categories,
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
from app.transactions import on_commit, on_rollback
from app.utils import fold
from app.validation import PermissionDenied, ValidationError, parse_id

MAX_RESOURCES = 50
MAX_LINKS = 20
MAX_PER_PAGE = 100


# --- search text -------------------------------------------------------------------------------

def practice_search_text(practice: Practice) -> str:
    """The folded words a practice is found by: its texts, resources, categories and school, and
    one ``category_tag`` word per category."""
    school = practice.school
    parts = [
        # The title twice: a word of the title should weigh more than one deep in the steps.
        practice.title, practice.title, practice.summary, practice.steps, practice.results,
        *(r.description for r in practice.resources),
        *(c.name for c in practice.categories),
        school.name if school else None,
        school.municipality if school else None,
        # Found by the library's category filter through the full-text index (see category_tag).
        *(category_tag(c.code) for c in practice.categories),
    ]
    return fold(" ".join(p for p in parts if p))


# --- validation --------------------------------------------------------------------------------

def _text(data: dict, key: str, errors: dict, *, required: bool, label: str,
          max_length: int = TEXT_MAX) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        errors[key] = _('%(label)s: escribe un texto.', label=label)
        return None
    value = (value or "").strip()
    if not value:
        if required:
            errors[key] = _('Escribe %(value1)s.', value1=label.lower())
        return None
    if len(value) > max_length:
        errors[key] = _('%(label)s: máximo %(max_length)s caracteres.', label=label, max_length=max_length)
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
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) \
        and not any(c.isspace() for c in url)


def _clean_practice(data: dict, school: School, *, partial: bool) -> dict:
    """Validated values for the keys present in ``data`` (all keys when not partial)."""
    errors: dict[str, str] = {}
    clean: dict = {}

    def wanted(key: str) -> bool:
        return not partial or key in data

    if wanted("title"):
        clean["title"] = _text(data, "title", errors, required=True, label=_("El título"),
                               max_length=TITLE_MAX)
    if wanted("summary"):
        clean["summary"] = _text(data, "summary", errors, required=True, label=_("El resumen"))
    for key, label in (("steps", _("Los pasos")), ("results", _("Los resultados observados"))):
        if wanted(key):
            clean[key] = _text(data, key, errors, required=False, label=label)
    if wanted("level"):
        level = (data.get("level") or school.level or "")
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
        found = list(db.session.execute(select(Category).where(Category.code.in_(codes))).scalars()) \
            if codes else []
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
            errors["resources"] = _('Recurso %(n)s: formato no válido.', n=n)
            continue
        description = str(row.get("description") or "").strip()
        criterion = str(row.get("criterion") or "").strip()
        if not description:
            continue  # an empty row of the form
        if len(description) > RESOURCE_MAX:
            errors["resources"] = _('Recurso %(n)s: máximo %(RESOURCE_MAX)s caracteres.', n=n, RESOURCE_MAX=RESOURCE_MAX)
        elif criterion not in MATERIAL_CRITERIA:
            errors["resources"] = _('Recurso %(n)s: elige para qué sirve (criterio de la guía del CTE).', n=n)
        else:
            resources.append((description, criterion))
    if len(resources) > MAX_RESOURCES:
        errors["resources"] = _('Máximo %(MAX_RESOURCES)s recursos.', MAX_RESOURCES=MAX_RESOURCES)
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
            errors["links"] = _('Enlace %(n)s: formato no válido.', n=n)
            continue
        url = str(row.get("url") or "").strip()
        label = str(row.get("label") or "").strip() or None
        if not url:
            continue
        if len(url) > URL_MAX or not is_http_url(url):
            errors["links"] = _('Enlace %(n)s: escribe una dirección completa que empiece con http:// o https://.', n=n)
        elif label and len(label) > LABEL_MAX:
            errors["links"] = _('Enlace %(n)s: el texto del enlace admite máximo %(LABEL_MAX)s caracteres.', n=n, LABEL_MAX=LABEL_MAX)
        else:
            links.append((url, label))
    if len(links) > MAX_LINKS:
        errors["links"] = _('Máximo %(MAX_LINKS)s enlaces.', MAX_LINKS=MAX_LINKS)
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
    for key in ("title", "summary", "steps", "results", "level", "grades", "visibility",
                "categories", "problem"):
        if key in clean:
            setattr(practice, key, clean[key])
    if "resources" in clean:
        practice.resources = [PracticeResource(description=d, criterion=c) for d, c in clean["resources"]]
    if "links" in clean:
        practice.links = [PracticeLink(url=u, label=label) for u, label in clean["links"]]
    practice.search_text = practice_search_text(practice)


# --- practices ---------------------------------------------------------------------------------

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


# --- evidence ----------------------------------------------------------------------------------

def evidence_folder() -> Path:
    """The folder evidence files are stored in (created on first use)."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def evidence_path(evidence: Evidence) -> Path:
    """Where an evidence file lives on disk."""
    return evidence_folder() / evidence.stored_name


def add_evidence(practice: Practice, file_storage, *, actor, caption: str | None = None) -> Evidence:
    """Store an uploaded image (JPEG, PNG, WebP) or PDF as evidence of a practice."""
    if not permissions.can_edit_practice(actor, practice):
        raise PermissionDenied(_("No puedes agregar evidencias a esta práctica."))
    caption = (caption or "").strip() or None
    if caption and len(caption) > CAPTION_MAX:
        raise ValidationError({"caption": _('La descripción admite máximo %(CAPTION_MAX)s caracteres.', CAPTION_MAX=CAPTION_MAX)})
    stored = uploads.store_evidence(
        file_storage, evidence_folder(), max_bytes=current_app.config["MAX_EVIDENCE_BYTES"]
    )
    on_rollback(partial(stored.path.unlink, missing_ok=True))  # the evidence's row may not be kept
    evidence = Evidence(
        practice=practice, original_name=stored.display_name, stored_name=stored.stored_name,
        mime_type=stored.mime_type, size=stored.size, caption=caption,
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(evidence)
    db.session.flush()
    return evidence


def remove_evidence(evidence: Evidence, *, actor) -> None:
    """Delete an evidence record; its file is deleted once the deletion is committed."""
    if not permissions.can_edit_practice(actor, evidence.practice):
        raise PermissionDenied(_("No puedes quitar evidencias de esta práctica."))
    on_commit(partial(evidence_path(evidence).unlink, missing_ok=True))  # once the deletion is kept
    db.session.delete(evidence)
    db.session.flush()


# --- adoptions ---------------------------------------------------------------------------------

def _clean_adoption(data: dict, *, partial: bool) -> dict:
    errors: dict[str, str] = {}
    clean: dict = {}
    if not partial or "outcome" in data:
        outcome = data.get("outcome") or "en_proceso"
        if outcome not in OUTCOMES:
            errors["outcome"] = _("Elige un resultado válido.")
        clean["outcome"] = outcome
    if not partial or "notes" in data:
        clean["notes"] = _text(data, "notes", errors, required=False, label=_("Las notas"),
                               max_length=NOTES_MAX)
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
    """Change the outcome or notes of an adoption (its school's members or an administrator)."""
    if not (permissions.is_admin(actor) or permissions.is_member_of_school(actor, adoption.school)):
        raise PermissionDenied(_("No puedes cambiar esta adopción."))
    for key, value in _clean_adoption(data, partial=True).items():
        setattr(adoption, key, value)
    db.session.flush()
    return adoption


# --- visibility and search ---------------------------------------------------------------------

def visibility_condition(actor):
    """The SQL condition (over ``practices`` alone) of what ``actor`` may see.

    It is ``app.permissions.can_view_practice`` written as SQL; tests check they agree. Zones become
    the ids of their schools (read first, see ``_school_ids_of_zones``), so that checking a practice
    reads only its own row: no join to ``schools`` for each of thousands of search matches.
    """
    if not permissions._authenticated(actor):
        return false()
    if permissions.is_admin(actor):
        return true()
    sees_all_of: list = []
    zone_ids: set[int] = set()
    if actor.role in ("director", "docente") and actor.school_id is not None:
        sees_all_of.append(Practice.school_id == actor.school_id)
    if actor.role == "supervisor" and actor.zone_id is not None:
        sees_all_of.append(Practice.school_id.in_(_school_ids_of_zones({actor.zone_id})))
    if actor.role == "asesor":
        school_ids = {s.id for s in actor.advised_schools}
        advised_zone_ids = {z.id for z in actor.advised_zones}
        if school_ids:
            sees_all_of.append(Practice.school_id.in_(school_ids))
        if advised_zone_ids:
            sees_all_of.append(Practice.school_id.in_(_school_ids_of_zones(advised_zone_ids)))
        zone_ids |= advised_zone_ids | {s.zone_id for s in actor.advised_schools if s.zone_id}
    own_zone = permissions.user_zone_id(actor)
    if own_zone is not None:
        zone_ids.add(own_zone)
    conditions = [*sees_all_of, Practice.visibility == "todos"]
    if zone_ids:
        conditions.append(and_(Practice.visibility == "zona",
                               Practice.school_id.in_(_school_ids_of_zones(zone_ids))))
    return or_(*conditions)


def _school_ids_of_zones(zone_ids: set[int]) -> list[int]:
    """The ids of the schools of ``zone_ids`` (a zone has a few dozen).

    Read first and written into the condition as a list, not left as a subquery: PostgreSQL can
    then answer ``visibility = 'zona' AND school_id IN (…)`` from the indexes of both columns and
    AND the result with the full-text index, instead of reading every text match to check it.
    """
    return list(db.session.execute(
        select(School.id).where(School.zone_id.in_(sorted(zone_ids))).order_by(School.id)).scalars())


def visible_practices(actor) -> Select:
    """A ``select(Practice)`` (joined to its school) of the practices ``actor`` may see."""
    return select(Practice).join(School, Practice.school_id == School.id).where(
        visibility_condition(actor)
    )


def search_practices(actor, *, q: str | None = None, level: str | None = None,
                     category: str | None = None, zone_id: int | None = None,
                     with_evidence: bool | None = None, page: int = 1,
                     per_page: int = 20, recognised: bool | None = None,
                     outcome: str | None = None,
                     count_limit: int | None = None) -> tuple[list[Practice], SearchTotal]:
    """One page of the practices ``actor`` may see that match the filters, and the total.

    With a query, best matches first (bm25 on SQLite, ts_rank on PostgreSQL, weighed up for
    recognised good practices and practices with evidence); otherwise newest first. ``recognised``
    keeps only good practices recognised by a zone, ``outcome`` only those whose authors judge
    their results so (an ``OUTCOMES`` key).
    When more than ``RANK_WINDOW`` practices match, the most recent ``RANK_WINDOW`` of them are ranked
    and the older ones follow, newest first.
    With ``count_limit``, counting stops past ``max(count_limit, page × per_page)`` matches (a
    word found in most practices would otherwise cost a count of tens of thousands): the total is
    then that bound plus one, with ``is_estimate`` true, meaning "more than ``total - 1``".
    """
    page = max(int(page or 1), 1)
    per_page = min(max(int(per_page or 20), 1), MAX_PER_PAGE)
    offset = (page - 1) * per_page
    stmt = select(Practice.id)
    if not permissions.is_admin(actor):
        stmt = stmt.where(visibility_condition(actor))
    if level:
        stmt = stmt.where(Practice.level == level)
    terms = query_terms(q)
    # With words to search, the category is one more word of the full-text match (below). Without:
    # IN (uncorrelated subquery), built once, then probed for each practice, where a correlated
    # EXISTS would run its join again for every one of thousands of them.
    if category and not terms:
        # A join inside the subquery, not a nested IN: SQLite then reads practice_categories through
        # its category_id index instead of scanning it whole (40 ms at 100,000 practices).
        stmt = stmt.where(Practice.id.in_(
            select(practice_categories.c.practice_id)
            .join(Category, Category.id == practice_categories.c.category_id)
            .where(Category.code == category)
        ))
    if zone_id is not None:
        stmt = stmt.where(Practice.school_id.in_(_school_ids_of_zones({zone_id})))
    if with_evidence:
        stmt = stmt.where(Practice.has_evidence.is_(True))
    if recognised:
        stmt = stmt.where(Practice.is_recognised.is_(True))
    if outcome:
        stmt = stmt.where(Practice.outcome == outcome)
    if q and q.strip() and not terms:
        return [], SearchTotal(0)  # only stop words or symbols: nothing to look for
    bound = None if count_limit is None else max(count_limit, offset + per_page)
    if terms:
        # A category is one more word to match, so the full-text index answers it too.
        search = text_search(stmt, db.engine.dialect.name, terms, Practice.id,
                             (category_tag(category),) if category else ())
        # Both scores keep their sign when multiplied: a boost > 1 is better for bm25 and ts_rank.
        search = search._replace(score=search.score * _good_practice_boost())
        if search.score_after_window and bound is not None and bound <= RANK_WINDOW:
            total, ids = _counted_and_ranked(search, bound, offset, per_page)
        else:
            total = _count(search.stmt, bound)
            ids = _ranked_ids(search, offset, per_page)
    else:
        total = _count(stmt, bound)
        ids = list(db.session.execute(
            stmt.order_by(Practice.created_at.desc(), Practice.id.desc()).limit(per_page).offset(offset)
        ).scalars())
    return _load_for_cards(ids), total


def _good_practice_boost():
    """How much a text match weighs: ×1.5 if recognised as a good practice, ×1.25 with evidence."""
    return (1.0 + case((Practice.is_recognised.is_(True), 0.5), else_=0.0)
            + case((Practice.has_evidence.is_(True), 0.25), else_=0.0))


class SearchTotal(int):
    """How many practices a search found; ``is_estimate``: more than ``self - 1``, not exactly so.

    >>> total = SearchTotal(1001, is_estimate=True)
    >>> total == 1001, total.is_estimate, SearchTotal(7).is_estimate
    (True, True, False)
    """

    is_estimate: bool

    def __new__(cls, value: int, *, is_estimate: bool = False) -> SearchTotal:
        total = super().__new__(cls, value)
        total.is_estimate = is_estimate
        return total


def _count(stmt: Select, bound: int | None = None) -> SearchTotal:
    """The rows of ``stmt``; with ``bound``, at most ``bound + 1`` of them (an estimate past it)."""
    if bound is not None:
        stmt = stmt.limit(bound + 1)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    return SearchTotal(total, is_estimate=bound is not None and total > bound)


def _counted_and_ranked(search: TextSearch, bound: int, offset: int,
                        limit: int) -> tuple[SearchTotal, list[int]]:
    """The total (up to ``bound``) and one page's ids, walking the matches once (PostgreSQL).

    The most recent ``RANK_WINDOW + 1`` matches are the window to rank and, counted, the total:
    fewer means every match is there (an exact count); more means "more than ``bound``". Counting
    in a separate statement would read the same rows, often thousands of them, a second time. The
    page (``offset + limit <= bound <= RANK_WINDOW``) is then ranked among the window's ids alone.
    """
    recent = list(db.session.execute(
        search.stmt.order_by(*(c.desc() for c in search.recency)).limit(RANK_WINDOW + 1)).scalars())
    total = SearchTotal(min(len(recent), bound + 1), is_estimate=len(recent) > bound)
    window = recent[:RANK_WINDOW]
    if not window:
        return total, []
    ids = list(db.session.execute(
        select(Practice.id)
        .where(Practice.id == any_(bindparam("window_ids", window, type_=postgresql.ARRAY(Integer))))
        .order_by(search.score.desc(), Practice.id.desc()).limit(limit).offset(offset)
    ).scalars())
    return total, ids


def _ranked_ids(search: TextSearch, offset: int, limit: int) -> list[int]:
    """Ids of one page: the ranked window first, then older matches newest first."""
    ids: list[int] = []
    if offset < RANK_WINDOW:
        if search.score_after_window:
            # The window's ids first, then the score of those rows only.
            recent = search.stmt.order_by(*(c.desc() for c in search.recency)).limit(RANK_WINDOW).subquery()
            window = select(Practice.id.label("id"), search.score.label("score")).join(
                recent, recent.c.id == Practice.id).subquery()
        else:
            window = search.stmt.add_columns(search.score.label("score")).order_by(
                *(c.desc() for c in search.recency)
            ).limit(RANK_WINDOW).subquery()
        best = window.c.score.desc() if search.higher_is_better else window.c.score.asc()
        ids = list(db.session.execute(
            select(window.c.id).order_by(best, window.c.id.desc()).limit(limit).offset(offset)
        ).scalars())
    if len(ids) < limit and offset + len(ids) >= RANK_WINDOW:  # the page goes past the window
        start = max(offset, RANK_WINDOW)
        ids += db.session.execute(
            search.stmt.order_by(*(c.desc() for c in search.recency)).limit(limit - len(ids)).offset(start)
        ).scalars().all()
    return ids


def _load_for_cards(ids: list[int]) -> list[Practice]:
    """The practices of ``ids``, in that order, with what their cards show already loaded."""
    if not ids:
        return []
    found = {p.id: p for p in db.session.execute(
        select(Practice).where(Practice.id.in_(ids)).options(
            joinedload(Practice.school).joinedload(School.zone),
            selectinload(Practice.categories),
            selectinload(Practice.evidence),
            selectinload(Practice.adoptions),
        )
    ).unique().scalars()}
    return [found[i] for i in ids if i in found]


@dataclass
class PracticeCard:
    """What a library card shows about a practice."""

    practice: Practice
    evidence_count: int
    adoption_count: int
    thumbnail: Evidence | None


def practice_cards(practices: list[Practice]) -> list[PracticeCard]:
    """Cards for a page of practices (their evidence and adoptions already loaded)."""
    return [
        PracticeCard(p, len(p.evidence), len(p.adoptions), next((e for e in p.evidence if e.is_image), None))
        for p in practices
    ]
