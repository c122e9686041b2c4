"""Pages of the problems area: record, see, edit a school's problems and change their status."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import permissions
from app.problems import bp
from app.problems.forms import StatusForm, build_problem_form
from app.problems.models import PRIORITY_LABELS, STATUS_LABELS, STATUSES
from app.problems.services import (
    TRACKED_FIELDS,
    change_status,
    create_problem,
    form_data_from_problem,
    get_problem,
    grades_for_level,
    problems_for_school,
    update_problem,
)
from app.problems.taxonomy import categories_for_level
from app.utils import current_school_year
from app.views import load_or_abort, run_service, school_or_404

FIELD_LABELS = {
    "title": _l("Título"),
    "description": _l("Descripción"),
    "grades": _l("Grados afectados"),
    "causes": _l("Causas"),
    "actions_tried": _l("Acciones intentadas"),
    "results": _l("Resultados"),
    "status": _l("Estado"),
    "school_year": _l("Ciclo escolar"),
    "categories": _l("Categorías"),
}
ACTION_LABELS = {
    "creado": _l("Registró la problemática"),
    "editado": _l("Editó"),
    "estado": _l("Cambió el estado"),
}


def _problem(problem_id: int, check):
    """The problem (404) that ``check(person, problem)`` allows (403)."""
    return load_or_abort(get_problem, problem_id, check=check)


def _form_for(school, data=None):
    return build_problem_form(categories_for_level(school.level), grades_for_level(school.level), data=data)


@bp.route("/escuelas/<cct>/problematicas")
@login_required
def index(cct: str):
    school = school_or_404(cct, check=permissions.can_view_school)
    status = request.args.get("estado") or None
    status = status if status in STATUSES else None
    school_year = (request.args.get("ciclo") or "").strip() or None
    problems = problems_for_school(school, school_year=school_year, status=status)
    return render_template(
        "problems/index.html",
        school=school,
        problems=problems,
        status=status,
        school_year=school_year,
        statuses=STATUS_LABELS,
    )


@bp.route("/escuelas/<cct>/problematicas/nueva", methods=["GET", "POST"])
@login_required
def new(cct: str):
    school = school_or_404(cct, check=permissions.can_record_problem)
    form = _form_for(school)
    if request.method == "GET":
        form.school_year.data = form.school_year.data or current_school_year()
    if form.validate_on_submit():
        done = run_service(
            lambda: create_problem(school, form.to_service_data(), actor=current_user),
            success=_("Problemática registrada."),
            on_errors=form.set_errors,
            category="success",
        )
        if done:
            return redirect(url_for("problems.detail", problem_id=done.value.id))
    status = 422 if request.method == "POST" else 200
    return render_template("problems/form.html", form=form, school=school, problem=None), status


@bp.route("/problematicas/<int:problem_id>")
@login_required
def detail(problem_id: int):
    problem = _problem(problem_id, permissions.can_view_problem)
    return _render_detail(problem, StatusForm(status=problem.status))


@bp.route("/problematicas/<int:problem_id>/editar", methods=["GET", "POST"])
@login_required
def edit(problem_id: int):
    problem = _problem(problem_id, permissions.can_edit_problem)
    school = problem.school
    form = _form_for(school, data=None if request.method == "POST" else form_data_from_problem(problem))
    if form.validate_on_submit() and run_service(
        lambda: update_problem(problem, form.to_service_data(), actor=current_user),
        success=_("Cambios guardados."),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("problems.detail", problem_id=problem_id))
    status = 422 if request.method == "POST" else 200
    return render_template("problems/form.html", form=form, school=school, problem=problem), status


@bp.route("/problematicas/<int:problem_id>/estado", methods=["POST"])
@login_required
def set_status(problem_id: int):
    problem = _problem(problem_id, permissions.can_edit_problem)
    form = StatusForm()

    def show(errors: dict[str, str]) -> None:
        form.status.errors = list(form.status.errors or []) + list(errors.values())

    if form.validate_on_submit() and run_service(
        lambda: change_status(problem, form.status.data, actor=current_user), on_errors=show
    ):
        flash(_("Estado: %(status)s.", status=problem.status_label), "success")
        return redirect(url_for("problems.detail", problem_id=problem_id))
    return _render_detail(problem, form, 422)


def _render_detail(problem, status_form, code: int = 200):
    return render_template(
        "problems/detail.html",
        problem=problem,
        status_form=status_form,
        can_edit=permissions.can_edit_problem(current_user, problem),
        field_labels=FIELD_LABELS,
        action_labels=ACTION_LABELS,
        tracked_fields=TRACKED_FIELDS,
        status_labels=STATUS_LABELS,
        priority_labels=PRIORITY_LABELS,
    ), code
