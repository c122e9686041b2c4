"""Pages of an encounter's groups (which schools meet together, where, who facilitates) and of each
group's agenda (the encounters area's other pages: ``routes``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalogue.models import School
from app.encounters import bp, services
from app.encounters.forms import (
    ActionForm,
    AgendaItemForm,
    GroupForm,
    agenda_rows,
    choices,
    set_errors,
)
from app.encounters.models import Encounter, EncounterGroup
from app.encounters.routes import (
    _editable,
    _encounter,
    _flash_form_errors,
    _run,
    _to_detail,
)
from app.views import run_service

# --- groups ------------------------------------------------------------------------------------


def _group_or_404(encounter: Encounter, group_id: int) -> EncounterGroup:
    group = next((g for g in encounter.groups if g.id == group_id), None)
    if group is None:
        abort(404)
    return group


def _group_form_choices(form: GroupForm, encounter: Encounter) -> list[School]:
    schools = services.schools_of_zones(z.id for z in encounter.zones)
    form.school_ids.choices = choices((s.id, f"{s.name} ({s.cct})") for s in schools)
    form.host_school_id.choices = choices(
        [("", _("— elige la sede —"))] + [(s.id, f"{s.name} ({s.cct})") for s in schools]
    )
    form.facilitator_id.choices = choices(
        [("", _("— nadie en particular —"))]
        + [(u.id, f"{u.name} · {u.role_label}") for u in services.facilitator_candidates(encounter)]
    )
    return schools


def _group_page(encounter: Encounter, group: EncounterGroup | None):
    if encounter.status not in services.EDITABLE_STATUSES:
        flash(_("El encuentro ya comenzó o concluyó; ya no se puede modificar."), "error")
        return _to_detail(encounter)
    form = GroupForm()
    schools = _group_form_choices(form, encounter)
    if not form.is_submitted() and group is not None:
        form.fill_from(group)
    taken = {
        m.school_id: g.label for g in encounter.groups for m in g.schools if group is None or g.id != group.id
    }
    status = 200
    if form.is_submitted():
        if form.validate():
            data = form.to_service_data()
            if run_service(
                lambda: (
                    services.add_group(encounter, data, actor=current_user)
                    if group is None
                    else services.update_group(group, data, actor=current_user)
                ),
                success=_("Grupo guardado."),
                on_errors=_flash_form_errors(form),
            ):
                return _to_detail(encounter)
        status = 422
    return render_template(
        "encounters/group_form.html",
        form=form,
        encounter=encounter,
        group=group,
        schools=schools,
        taken=taken,
        action_form=ActionForm(),
    ), status


@bp.route("/encuentros/<int:encounter_id>/grupos/nuevo", methods=["GET", "POST"])
@login_required
def new_group(encounter_id: int):
    encounter = _editable(encounter_id)
    return _group_page(encounter, None)


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:group_id>", methods=["GET", "POST"])
@login_required
def edit_group(encounter_id: int, group_id: int):
    encounter = _editable(encounter_id)
    return _group_page(encounter, _group_or_404(encounter, group_id))


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:group_id>/eliminar", methods=["POST"])
@login_required
def delete_group(encounter_id: int, group_id: int):
    encounter = _editable(encounter_id)
    group = _group_or_404(encounter, group_id)
    return _run(lambda: services.delete_group(group, actor=current_user), encounter, _("Grupo eliminado."))


# --- agenda ------------------------------------------------------------------------------------


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:group_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(encounter_id: int, group_id: int):
    encounter = _editable(encounter_id)
    group = _group_or_404(encounter, group_id)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        if run_service(
            lambda: services.update_agenda(
                group, agenda_rows(request.form, list(group.agenda)), actor=current_user
            ),
            success=_("Agenda guardada."),
            on_errors=errors.update,
        ):
            return redirect(url_for("encounters.agenda", encounter_id=encounter_id, group_id=group_id))
        status = 422
        encounter = _encounter(encounter_id)
        group = _group_or_404(encounter, group_id)
    return render_template(
        "encounters/agenda.html",
        encounter=encounter,
        group=group,
        items=services.agenda_with_times(group),
        errors=errors,
        typed=request.form if status == 422 else {},
        item_form=AgendaItemForm(formdata=None),
        action_form=ActionForm(),
        editable=encounter.status in services.EDITABLE_STATUSES,
    ), status


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:group_id>/agenda/agregar", methods=["POST"])
@login_required
def add_agenda_item(encounter_id: int, group_id: int):
    encounter = _editable(encounter_id)
    group = _group_or_404(encounter, group_id)
    form = AgendaItemForm()
    if form.validate():
        if run_service(
            lambda: services.add_agenda_item(
                group,
                {
                    "title": form.title.data,
                    "minutes": form.minutes.data,
                    "activity": form.activity.data,
                    "description": form.description.data,
                },
                actor=current_user,
            ),
            success=_("Actividad agregada."),
            on_errors=lambda errors: set_errors(form, errors),
        ):
            return redirect(url_for("encounters.agenda", encounter_id=encounter.id, group_id=group.id))
    return render_template(
        "encounters/agenda.html",
        encounter=encounter,
        group=group,
        items=services.agenda_with_times(group),
        errors={},
        typed={},
        item_form=form,
        action_form=ActionForm(),
        editable=encounter.status in services.EDITABLE_STATUSES,
    ), 422


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:group_id>/agenda/restablecer", methods=["POST"])
@login_required
def reset_agenda(encounter_id: int, group_id: int):
    encounter = _editable(encounter_id)
    group = _group_or_404(encounter, group_id)
    return _run(
        lambda: services.reset_agenda(group, actor=current_user),
        encounter,
        _("La agenda volvió a la plantilla."),
        target=redirect(url_for("encounters.agenda", encounter_id=encounter.id, group_id=group.id)),
    )
