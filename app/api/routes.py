"""Routes of the JSON API (/api/v1): zones, schools, problems, practices, categories, me.

Thin handlers: parse the query or the JSON body, check access with ``app.permissions``, call one
service, serialise with ``app.api.schemas``. Collections are paginated the same way
(``?page=&per_page=``, a ``Link`` header) and ordered stably (ties broken by id or CCT). The request
boundary (``app.views``) commits once per request; an error response rolls back.

Over 400 lines on purpose: the URL map of the catalogue, problems and practices in one module, each
handler a few lines, so that it reads side by side with ``openapi.py``; the good-practice cycle
(relatos, recognitions, commitments) is in ``cycle.py``, bodies are checked in ``inputs.py``.
"""

from __future__ import annotations

from math import ceil

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from sqlalchemy import false, func, or_, select, true
from sqlalchemy.orm import selectinload

from app import permissions
from app.api import bp, schemas
from app.api import errors as api_errors
from app.api.auth import api_auth_method, api_user, authenticate_request
from app.api.errors import ApiError
from app.api.inputs import json_body
from app.api.openapi import build_openapi
from app.catalogue.models import LEVELS, School, Zone
from app.extensions import csrf, db
from app.practices.models import Practice
from app.problems.models import STATUSES, Category, Problem, ProblemCategory
from app.utils import fold

# Token clients have no session to ride on; session-cookie writes are checked in authenticate_request.
csrf.exempt(bp)
bp.before_request(authenticate_request)
api_errors.register(bp)

MAX_PAGE = 1_000_000


# --- request parsing ----------------------------------------------------------------------------


def _int_arg(name: str, default: int, *, maximum: int | None = None) -> int:
    """A positive integer query parameter; 400 if it is not one (an empty ``?page=`` included)."""
    if name not in request.args:
        return default
    raw = request.args.get(name, "").strip()
    # isascii: "²".isdigit() is true, yet int("²") fails (a 500 that hypothesis found).
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (maximum is not None and int(raw) > maximum):
        message = _("El parámetro «%(name)s» debe ser un número entero positivo.", name=name)
        raise ApiError(400, message, fields={name: message})
    return int(raw)


def _choice_arg(name: str, choices) -> str | None:
    """An optional query parameter that must be one of ``choices``; 400 otherwise (empty too: the
    document says an enum, and ``?level=`` silently listed every level)."""
    if name not in request.args:
        return None
    raw = request.args.get(name, "").strip()
    if raw not in choices:
        message = _(
            "El parámetro «%(name)s» debe ser uno de: %(choices)s.", name=name, choices=", ".join(choices)
        )
        raise ApiError(400, message, fields={name: message})
    return raw


def _bool_arg(name: str) -> bool | None:
    """An optional true/false query parameter; 400 for anything else, empty included."""
    if name not in request.args:
        return None
    raw = request.args.get(name, "").strip().lower()
    if raw in ("1", "true", "yes", "si", "sí"):
        return True
    if raw in ("0", "false", "no"):
        return False
    message = _("El parámetro «%(name)s» debe ser true o false.", name=name)
    raise ApiError(400, message, fields={name: message})


def _page_args() -> tuple[int, int]:
    """``page`` (from 1) and ``per_page`` (capped at API_MAX_PAGE_SIZE)."""
    config = current_app.config
    page = _int_arg("page", 1, maximum=MAX_PAGE)
    per_page = min(_int_arg("per_page", config["API_PAGE_SIZE"], maximum=10**6), config["API_MAX_PAGE_SIZE"])
    return page, per_page


# --- responses ----------------------------------------------------------------------------------


def paginated(items: list, total: int, page: int, per_page: int):
    """The collection envelope, with a ``Link`` header (first, prev, next, last)."""
    pages = ceil(total / per_page) if total else 0
    response = jsonify({"items": items, "page": page, "per_page": per_page, "total": total, "pages": pages})
    args = request.args.to_dict()

    def link(target: int, rel: str) -> str:
        query = {**args, "page": target, "per_page": per_page}
        url = url_for(request.endpoint, **(request.view_args or {}), **query, _external=True)
        return f'<{url}>; rel="{rel}"'

    links = [link(1, "first")]
    if page > 1:
        links.append(link(min(page - 1, max(pages, 1)), "prev"))
    if page < pages:
        links.append(link(page + 1, "next"))
    links.append(link(max(pages, 1), "last"))
    response.headers["Link"] = ", ".join(links)
    return response


def paginate_query(query, serialise):
    """Run a SELECT one page at a time and answer with the collection envelope."""
    page, per_page = _page_args()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = []
    if (page - 1) * per_page < total:
        items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return paginated([serialise(item) for item in items], total, page, per_page)


def created(body: dict, location: str):
    """201 with the new resource and its address."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


# --- lookups and visibility ---------------------------------------------------------------------


def _found_and_allowed(row, message: str, check, user):
    """The API's route skeleton: 404 with ``message`` when missing, 403 unless ``check(user, row)``."""
    if row is None:
        raise ApiError(404, message)
    if check is not None:
        _allow(check(user or api_user(), row))
    return row


def _zone_or_404(cct: str, check=None, user=None) -> Zone:
    zone = db.session.scalar(select(Zone).where(Zone.cct == cct.strip().upper()))
    return _found_and_allowed(zone, _("No existe una zona con esa clave (CCT)."), check, user)


def _school_or_404(cct: str, check=None, user=None) -> School:
    school = db.session.scalar(select(School).where(School.cct == cct.strip().upper()))
    return _found_and_allowed(school, _("No existe una escuela con esa clave (CCT)."), check, user)


def _get_or_404(model, object_id: int, message: str, check=None, user=None):
    return _found_and_allowed(db.session.get(model, object_id), message, check, user)


def _allow(allowed: bool) -> None:
    if not allowed:
        raise ApiError(403)


def visible_zones_clause(user):
    """SQL twin of ``permissions.can_see_zone_summary`` (tests check that they agree)."""
    if permissions.is_admin(user):
        return true()
    if user.role == "supervisor":
        return Zone.id == user.zone_id if user.zone_id is not None else false()
    if user.role == "asesor":
        ids = {z.id for z in user.advised_zones} | {
            s.zone_id for s in user.advised_schools if s.zone_id is not None
        }
        return Zone.id.in_(sorted(ids))
    zone_id = permissions.user_zone_id(user)
    return Zone.id == zone_id if zone_id is not None else false()


def visible_schools_clause(user):
    """SQL twin of ``permissions.can_view_school`` (tests check that they agree)."""
    if permissions.is_admin(user):
        return true()
    if user.role == "supervisor":
        return School.zone_id == user.zone_id if user.zone_id is not None else false()
    if user.role == "asesor":
        return or_(
            School.id.in_(sorted(s.id for s in user.advised_schools)),
            School.zone_id.in_(sorted(z.id for z in user.advised_zones)),
        )
    if user.role in ("director", "docente"):
        conditions = []
        if user.school_id is not None:
            conditions.append(School.id == user.school_id)
        zone_id = permissions.user_zone_id(user)
        if zone_id is not None:
            conditions.append(School.zone_id == zone_id)
        return or_(*conditions) if conditions else false()
    return false()


# --- the document and the caller ----------------------------------------------------------------


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (public)."""
    return jsonify(build_openapi())


@bp.route("/me")
def me():
    """The signed-in person; with a session cookie, also the CSRF token for writes."""
    user = api_user()
    body = schemas.user_to_dict(user)
    body["auth"] = api_auth_method()
    if api_auth_method() == "session":
        body["csrf_token"] = generate_csrf()
    return jsonify(body)


@bp.route("/categories")
def list_categories():
    """The problem taxonomy: PEMC ámbitos and learning áreas."""
    facet = _choice_arg("facet", ("ambito", "area"))
    query = select(Category).order_by(Category.facet, Category.code)
    if facet:
        query = query.where(Category.facet == facet)
    return paginate_query(query, schemas.category_to_dict)


# --- zones and schools --------------------------------------------------------------------------


@bp.route("/zones")
def list_zones():
    """The zones the caller may see, by CCT."""
    user = api_user()
    query = select(Zone).where(visible_zones_clause(user)).order_by(Zone.cct)
    level = _choice_arg("level", LEVELS)
    if level:
        query = query.where(Zone.level == level)
    return paginate_query(query, schemas.zone_to_dict)


@bp.route("/zones/<cct>")
def get_zone(cct: str):
    """One zone, with its number of schools."""
    zone = _zone_or_404(cct, permissions.can_see_zone_summary)
    count = db.session.scalar(select(func.count(School.id)).where(School.zone_id == zone.id))
    return jsonify(schemas.zone_to_dict(zone, school_count=count))


def _school_query(user):
    return (
        select(School)
        .options(selectinload(School.zone))
        .where(visible_schools_clause(user))
        .order_by(School.name, School.cct)
    )


@bp.route("/zones/<cct>/schools")
def zone_schools(cct: str):
    """The zone's schools the caller may see, by name."""
    user = api_user()
    zone = _zone_or_404(cct, permissions.can_see_zone_summary, user)
    return paginate_query(_school_query(user).where(School.zone_id == zone.id), schemas.school_to_dict)


@bp.route("/schools")
def list_schools():
    """The schools the caller may see; filters: zone (CCT), level, q (name, CCT, locality)."""
    user = api_user()
    query = _school_query(user)
    zone_cct = request.args.get("zone", "").strip().upper()
    if zone_cct:
        query = query.where(School.zone.has(Zone.cct == zone_cct))
    level = _choice_arg("level", LEVELS)
    if level:
        query = query.where(School.level == level)
    q = request.args.get("q", "").strip()
    if q:
        terms = {q, fold(q)}
        query = query.where(
            or_(
                *[
                    column.icontains(term, autoescape=True)
                    for term in terms
                    for column in (School.name, School.cct, School.locality, School.municipality)
                ]
            )
        )
    return paginate_query(query, schemas.school_to_dict)


@bp.route("/schools/<cct>")
def get_school(cct: str):
    """One school."""
    school = _school_or_404(cct, permissions.can_view_school)
    return jsonify(schemas.school_to_dict(school))


# --- problems -----------------------------------------------------------------------------------


@bp.route("/schools/<cct>/problems")
def school_problems(cct: str):
    """The school's problems, newest first; filters: status, school_year."""
    school = _school_or_404(cct, permissions.can_view_school)
    query = (
        select(Problem)
        .where(Problem.school_id == school.id)
        .options(
            selectinload(Problem.categories).selectinload(ProblemCategory.category),
            selectinload(Problem.school),
            selectinload(Problem.created_by),
        )
        .order_by(Problem.created_at.desc(), Problem.id.desc())
    )
    status = _choice_arg("status", STATUSES)
    if status:
        query = query.where(Problem.status == status)
    school_year = request.args.get("school_year", "").strip()
    if school_year:
        query = query.where(Problem.school_year == school_year)
    return paginate_query(query, schemas.problem_to_dict)


@bp.route("/schools/<cct>/problems", methods=["POST"])
def create_problem(cct: str):
    """Record a problem of the school."""
    from app.problems.services import create_problem as create

    user = api_user()
    school = _school_or_404(cct, permissions.can_record_problem, user)
    problem = create(school, json_body("ProblemInput"), actor=user)
    body = schemas.problem_to_dict(problem)
    return created(body, body["url"])


@bp.route("/problems/<int:problem_id>")
def get_problem(problem_id: int):
    """One problem."""
    problem = _get_or_404(Problem, problem_id, _("No existe esa problemática."), permissions.can_view_problem)
    return jsonify(schemas.problem_to_dict(problem))


@bp.route("/problems/<int:problem_id>", methods=["PATCH"])
def update_problem(problem_id: int):
    """Change some fields of a problem (only those sent)."""
    from app.problems.services import update_problem as update

    user = api_user()
    problem = _get_or_404(Problem, problem_id, _("No existe esa problemática."))
    _allow(permissions.can_view_problem(user, problem) and permissions.can_edit_problem(user, problem))
    update(problem, json_body("ProblemInput"), actor=user)
    return jsonify(schemas.problem_to_dict(problem))


# --- practices ----------------------------------------------------------------------------------


@bp.route("/practices")
def list_practices():
    """The practices the caller may see; filters: q, level, category, zone (CCT), with_evidence."""
    from app.practices.services import MAX_PER_PAGE, search_practices

    user = api_user()
    page, per_page = _page_args()
    per_page = min(per_page, MAX_PER_PAGE)
    level = _choice_arg("level", LEVELS)
    with_evidence = _bool_arg("with_evidence")
    category = request.args.get("category", "").strip() or None
    q = request.args.get("q", "").strip() or None
    zone_id = None
    zone_cct = request.args.get("zone", "").strip().upper()
    if zone_cct:
        zone = db.session.scalar(select(Zone).where(Zone.cct == zone_cct))
        if zone is None:  # a filter on a zone that does not exist matches nothing
            return paginated([], 0, page, per_page)
        zone_id = zone.id
    items, total = search_practices(
        user,
        q=q,
        level=level,
        category=category,
        zone_id=zone_id,
        with_evidence=with_evidence,
        page=page,
        per_page=per_page,
    )
    return paginated([schemas.practice_to_dict(p, detail=False) for p in items], total, page, per_page)


@bp.route("/schools/<cct>/practices", methods=["POST"])
def create_practice(cct: str):
    """Record a practice of the school."""
    from app.practices.services import create_practice as create

    user = api_user()
    school = _school_or_404(cct, permissions.can_record_practice, user)
    practice = create(school, json_body("PracticeInput"), actor=user)
    body = schemas.practice_to_dict(practice)
    return created(body, body["url"])


@bp.route("/practices/<int:practice_id>")
def get_practice(practice_id: int):
    """One practice, with its resources, links, evidence and adoptions."""
    practice = _get_or_404(Practice, practice_id, _("No existe esa práctica."), permissions.can_view_practice)
    return jsonify(schemas.practice_to_dict(practice))


@bp.route("/practices/<int:practice_id>", methods=["PATCH"])
def update_practice(practice_id: int):
    """Change some fields of a practice."""
    from app.practices.services import update_practice as update

    user = api_user()
    practice = _get_or_404(Practice, practice_id, _("No existe esa práctica."))
    _allow(permissions.can_view_practice(user, practice) and permissions.can_edit_practice(user, practice))
    update(practice, json_body("PracticeInput"), actor=user)
    return jsonify(schemas.practice_to_dict(practice))


@bp.route("/practices/<int:practice_id>/adoptions", methods=["POST"])
def adopt_practice(practice_id: int):
    """The caller's school adopts the practice (409 if it already did), with the commitment to apply
    it in its bitácora: the practice page's service (responsible and deadline default to the caller
    and 30 days)."""
    from app.goodpractices.services import adopt_with_commitment as adopt
    from app.goodpractices.services import adoption_defaults

    user = api_user()
    practice = _get_or_404(
        Practice, practice_id, _("No existe esa práctica."), permissions.can_view_practice, user
    )
    _allow(permissions.can_adopt_practice(user, practice))
    data = {**adoption_defaults(user), **json_body("AdoptionInput")}
    if any(a.school_id == user.school_id for a in practice.adoptions):
        raise ApiError(409, _("Tu escuela ya adoptó esta práctica."))
    adoption = adopt(practice, user.school, data, actor=user)
    return created(schemas.adoption_to_dict(adoption), url_for("api.get_practice", practice_id=practice.id))
