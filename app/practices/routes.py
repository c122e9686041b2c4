"""Routes of the practices area: the library, a practice's page, recording, evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import permissions
from app.catalogue.models import School, Zone
from app.extensions import db
from app.practices import bp, services
from app.practices.forms import EvidenceForm, LibraryFilterForm, PracticeForm
from app.practices.models import MATERIAL_CRITERIA, OUTCOMES, Evidence, Practice
from app.practices.search import COUNT_LIMIT
from app.problems.models import Category, Problem
from app.uploads import INLINE_TYPES
from app.views import load_or_abort, run_service, school_or_404, send_private

PER_PAGE = 20


@dataclass
class Page:
    """What the ``pager`` macro needs to know about a page of results."""

    page: int
    per_page: int
    total: int
    total_is_estimate: bool = False  # the search stopped counting: more than ``total - 1``

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _visible_practice_or_404(practice_id: int) -> Practice:
    return load_or_abort(Practice, practice_id, check=permissions.can_view_practice)


def _of_practice(check):
    """``check(person, practice)`` as a check of an evidence (its practice decides)."""
    return lambda actor, evidence: check(actor, evidence.practice)


def _zones_for(user) -> list[Zone]:
    """The zones offered in the library's zone filter: those the person works in or oversees."""
    if permissions.is_admin(user):
        return list(db.session.execute(select(Zone).order_by(Zone.number, Zone.cct)).scalars())
    zones: dict[int, Zone] = {}
    zone_id = permissions.user_zone_id(user)
    if zone_id is not None:
        zone = db.session.get(Zone, zone_id)
        if zone is not None:
            zones[zone.id] = zone
    if user.role == "asesor":
        for zone in user.advised_zones:
            zones[zone.id] = zone
        for school in user.advised_schools:
            if school.zone is not None:
                zones[school.zone.id] = school.zone
    return sorted(zones.values(), key=lambda z: (z.number or 0, z.cct))


def _categories() -> list[Category]:
    return list(db.session.execute(select(Category).order_by(Category.facet, Category.name)).scalars())


def _form_errors(form, errors: dict[str, str]) -> dict[str, str]:
    """Put a service's errors under the form's fields; return those without a field."""
    leftover = {}
    aliases = (
        {"file": "evidence_file", "caption": "evidence_caption"} if isinstance(form, PracticeForm) else {}
    )
    for key, message in errors.items():
        name = aliases.get(key, key)
        field = getattr(form, name, None)
        if field is None or name in ("resources", "links"):
            leftover[key] = message  # shown above the rows, or at the top of the form
        else:
            field.errors = [*field.errors, message]
    return leftover


# --- the library -------------------------------------------------------------------------------


@bp.route("/practicas")
@login_required
def library():
    form = LibraryFilterForm(request.args)
    categories = _categories()
    zones = _zones_for(current_user)
    form.categoria.choices = [SelectChoice("", "Todas"), *(SelectChoice(c.code, c.name) for c in categories)]
    form.zona.choices = [
        SelectChoice("", "Todas"),
        *(SelectChoice(z.cct, f"{z.label} · {z.cct}") for z in zones),
    ]
    zone_cct = (request.args.get("zona") or "").strip().upper()
    zone_id = None
    unknown_zone = False
    if zone_cct:
        zone = db.session.execute(select(Zone).filter_by(cct=zone_cct)).scalar_one_or_none()
        if zone is None:
            unknown_zone = True
        else:
            zone_id = zone.id
            if zone.cct not in {z.cct for z in zones}:
                form.zona.choices.append(SelectChoice(zone.cct, f"{zone.label} · {zone.cct}"))
    page = request.args.get("page", 1, type=int) or 1
    if unknown_zone:
        practices, total = [], services.SearchTotal(0)
    else:
        practices, total = services.search_practices(
            current_user,
            q=(request.args.get("q") or "")[:200],
            level=request.args.get("nivel") or None,
            category=request.args.get("categoria") or None,
            zone_id=zone_id,
            with_evidence=bool(request.args.get("evidencias")),
            page=max(page, 1),
            per_page=PER_PAGE,
            recognised=bool(request.args.get("buenas")),
            outcome=request.args.get("resultado") if request.args.get("resultado") in OUTCOMES else None,
            count_limit=COUNT_LIMIT,
        )
    return render_template(
        "practices/library.html",
        form=form,
        cards=services.practice_cards(practices),
        total=total,
        page=Page(max(page, 1), PER_PAGE, total, total.is_estimate),
        unknown_zone=unknown_zone,
    )


# --- recording and editing ---------------------------------------------------------------------


def _prepare_practice_form(form: PracticeForm, school: School) -> None:
    form.categories.choices = [SelectChoice(c.code, c.name) for c in _categories()]
    problems = db.session.execute(
        select(Problem).filter_by(school_id=school.id).order_by(Problem.created_at.desc())
    ).scalars()
    form.problem_id.choices = [
        SelectChoice("", _("— Ninguna —")),
        *(SelectChoice(str(p.id), p.title) for p in problems),
    ]


@bp.route("/escuelas/<cct>/practicas/nueva", methods=["GET", "POST"])
@login_required
def new(cct: str):
    school = school_or_404(cct, check=permissions.can_record_practice)
    form = PracticeForm()
    _prepare_practice_form(form, school)
    if request.method == "GET":
        form.level.data = school.level or "primaria"
        problem_id = request.args.get("problem_id", type=int)
        problem = db.session.get(Problem, problem_id) if problem_id else None
        if problem is not None and problem.school_id == school.id:
            form.problem_id.data = str(problem.id)
            form.grades.data = list(problem.grades or [])
            form.categories.data = [pc.category.code for pc in problem.categories]
    leftover: dict[str, str] = {}
    if form.validate_on_submit():
        done = _save_practice(
            form,
            lambda: services.create_practice(school, form.to_data(), actor=current_user),
            _("Práctica registrada."),
            leftover,
        )
        if done:
            return redirect(url_for("practices.detail", practice_id=done.value.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "practices/form.html", form=form, school=school, practice=None, errors=leftover
    ), status


@bp.route("/practicas/<int:practice_id>/editar", methods=["GET", "POST"])
@login_required
def edit(practice_id: int):
    practice = load_or_abort(Practice, practice_id, check=permissions.can_edit_practice)
    form = PracticeForm()
    _prepare_practice_form(form, practice.school)
    if request.method == "GET":
        _fill_form(form, practice)
    leftover: dict[str, str] = {}
    if form.validate_on_submit():
        if _save_practice(
            form,
            lambda: services.update_practice(practice, form.to_data(), actor=current_user),
            _("Cambios guardados."),
            leftover,
        ):
            return redirect(url_for("practices.detail", practice_id=practice.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "practices/form.html", form=form, school=practice.school, practice=practice, errors=leftover
    ), status


def _save_practice(form: PracticeForm, save, success: str, leftover: dict[str, str]):
    """Save the practice with ``save`` and attach the evidence uploaded with the form, in one
    commit (run_service); a refusal's errors go under the fields, the rest into ``leftover``."""

    def action() -> Practice:
        practice = save()
        if form.evidence_file.data and form.evidence_file.data.filename:
            services.add_evidence(
                practice, form.evidence_file.data, actor=current_user, caption=form.evidence_caption.data
            )
        return practice

    return run_service(
        action,
        success=success,
        category="success",
        on_errors=lambda errors: leftover.update(_form_errors(form, errors)),
    )


def _fill_form(form: PracticeForm, practice: Practice) -> None:
    for name in ("title", "summary", "steps", "results", "level", "visibility"):
        getattr(form, name).data = getattr(practice, name)
    form.grades.data = list(practice.grades or [])
    form.categories.data = [c.code for c in practice.categories]
    form.problem_id.data = str(practice.problem_id) if practice.problem_id else ""
    for row, resource in zip(form.resources, practice.resources):
        row.form.description.data, row.form.criterion.data = resource.description, resource.criterion
    for resource in practice.resources[len(form.resources) :]:
        form.resources.append_entry({"description": resource.description, "criterion": resource.criterion})
    for row, link in zip(form.links, practice.links):
        row.form.url.data, row.form.label.data = link.url, link.label
    for link in practice.links[len(form.links) :]:
        form.links.append_entry({"url": link.url, "label": link.label})


# --- a practice's page, evidence ------------------------------------------------------


def _render_detail(practice: Practice, *, evidence_form=None, status=200, errors=None):
    """The practice's page. Adopting it is the good practices area's *La adoptamos* (its panel, at
    the hook in the template): one action, which writes the commitment in the adopting school's
    bitácora, as the API does."""
    grouped: dict[str, list] = {code: [] for code in MATERIAL_CRITERIA}
    for resource in practice.resources:
        grouped.setdefault(resource.criterion, []).append(resource)
    resources = [(MATERIAL_CRITERIA.get(code, code), items) for code, items in grouped.items() if items]
    return render_template(
        "practices/detail.html",
        practice=practice,
        resources=resources,
        evidence_form=evidence_form or EvidenceForm(),
        errors=errors or {},
    ), status


@bp.route("/practicas/<int:practice_id>")
@login_required
def detail(practice_id: int):
    return _render_detail(_visible_practice_or_404(practice_id))


@bp.route("/practicas/<int:practice_id>/evidencias", methods=["POST"])
@login_required
def add_evidence(practice_id: int):
    practice = load_or_abort(Practice, practice_id, check=permissions.can_edit_practice)
    form = EvidenceForm()
    leftover: dict[str, str] = {}
    if form.validate_on_submit() and run_service(
        lambda: services.add_evidence(
            practice, form.file.data, actor=current_user, caption=form.caption.data
        ),
        success=_("Evidencia agregada."),
        category="success",
        on_errors=lambda errors: leftover.update(_form_errors(form, errors)),
    ):
        return redirect(url_for("practices.detail", practice_id=practice.id) + "#evidencias")
    return _render_detail(practice, evidence_form=form, status=422, errors=leftover)


@bp.route("/evidencias/<int:evidence_id>/eliminar", methods=["POST"])
@login_required
def remove_evidence(evidence_id: int):
    evidence = load_or_abort(Evidence, evidence_id, check=_of_practice(permissions.can_edit_practice))
    practice_id = evidence.practice_id
    run_service(
        lambda: services.remove_evidence(evidence, actor=current_user),
        success=_("Evidencia eliminada."),
        category="success",
    )
    return redirect(url_for("practices.detail", practice_id=practice_id) + "#evidencias")


@bp.route("/evidencias/<int:evidence_id>")
@login_required
def evidence_file(evidence_id: int):
    evidence = load_or_abort(Evidence, evidence_id, check=_of_practice(permissions.can_view_practice))
    path = services.evidence_path(evidence)
    if not path.is_file():
        abort(404)
    return send_private(
        path.read_bytes(),  # evidence is capped at MAX_EVIDENCE_BYTES
        evidence.mime_type,
        evidence.original_name,
        inline=evidence.mime_type in INLINE_TYPES,
        cache="private, max-age=3600",
        conditional=True,
        etag=evidence.stored_name,
        last_modified=evidence.created_at,
    )
