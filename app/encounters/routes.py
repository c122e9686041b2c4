"""Pages of the encounters area: schedule an encounter, attendance, closing.

Its groups and their agendas are ``group_routes``; each school's presentation,
``presentation_routes``; each person's calendars and notices, ``personal_routes``. They share this
module's loading helpers (``_encounter``, ``_editable``, ``_run``...).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.dates import day_text
from app.encounters import bp, closing, services
from app.encounters.forms import (
    ATTENDANCE_CHOICES,
    SERVICE_FIELDS,
    ActionForm,
    EncounterForm,
    attendance_rows,
    choices,
    set_errors,
)
from app.encounters.models import ENCOUNTER_STATUSES, MODALITIES, Encounter, Presentation
from app.extensions import db
from app.validation import PermissionDenied, ValidationError
from app.views import load_or_abort, run_service

# --- loading -----------------------------------------------------------------------------------


def _encounter(encounter_id: int, check=None) -> Encounter:
    """The encounter with its groups loaded (404), if ``check(person, encounter)`` allows it (403)."""
    return load_or_abort(services.get_encounter, encounter_id, check=check)


def _viewable(encounter_id: int) -> Encounter:
    return _encounter(encounter_id, permissions.can_view_encounter)


def _editable(encounter_id: int) -> Encounter:
    return _encounter(encounter_id, permissions.can_edit_encounter)


def _to_detail(encounter: Encounter):
    return redirect(url_for("encounters.detail", encounter_id=encounter.id))


def _run(action, encounter: Encounter, success: str | None = None, target=None):
    """Run a service for a button: commit and flash, or flash its refusal; back to the page."""
    if not ActionForm().validate_on_submit():
        abort(400)
    run_service(action, success=success)
    return target or _to_detail(encounter)


# --- encounters --------------------------------------------------------------------------------


def _flash_form_errors(form, mapping: dict[str, str] | None = None):
    """``on_errors`` for run_service: each error under its field, the others flashed."""

    def show(errors: dict[str, str]) -> None:
        for message in set_errors(form, errors, mapping):
            flash(message, "error")

    return show


@bp.route("/encuentros")
@login_required
def index():
    encounters = services.visible_encounters(current_user)
    return render_template(
        "encounters/index.html",
        encounters=encounters,
        statuses=ENCOUNTER_STATUSES,
        can_create=permissions.can_create_encounters(current_user),
    )


def _encounter_form_choices(form: EncounterForm, zones) -> None:
    form.zone_ids.choices = choices((z.id, f"{z.label} · {z.name} ({z.cct})") for z in zones)
    groupings = services.accepted_groupings(zones)
    form.grouping_id.choices = choices(
        [("", _("Armar los grupos a mano"))]
        + [
            (
                g.id,
                _(
                    "%(zone)s: agrupamiento aceptado el %(date)s (%(n)s grupos)",
                    zone=g.zone.label,
                    date=day_text(g.accepted_at),
                    n=len(g.groups),
                )
                if g.accepted_at
                else _("%(zone)s: agrupamiento aceptado (%(n)s grupos)", zone=g.zone.label, n=len(g.groups)),
            )
            for g in groupings
        ]
    )


@bp.route("/encuentros/nuevo", methods=["GET", "POST"])
@login_required
def new():
    if not permissions.can_create_encounters(current_user):
        abort(403)
    zones = services.zones_for_scheduler(current_user)
    form = EncounterForm()
    _encounter_form_choices(form, zones)
    if not form.is_submitted():
        if len(zones) >= 1 and current_user.role == "supervisor":
            form.zone_ids.data = [str(current_user.zone_id)]
        # ?zonas=3,7&modalidad=en_linea&titulo=...: an encounter two schools of these zones proposed
        # (app.contacts), or a community's online meeting (app.communities).
        asked = {z for z in request.args.get("zonas", "").split(",") if z.isdigit()}
        offered = {str(z.id) for z in zones}
        if asked and asked <= offered:
            form.zone_ids.data = sorted(asked)
        if request.args.get("modalidad") in MODALITIES:
            form.modality.data = request.args["modalidad"]
        if request.args.get("titulo"):
            form.title.data = request.args["titulo"][:200]
        chosen = request.args.get("agrupamiento", "")
        if chosen.isdigit():
            form.grouping_id.data = chosen
    status = 200
    if form.is_submitted():
        if form.validate():
            done = run_service(
                lambda: services.create_encounter(form.to_service_data(), actor=current_user),
                success=_("Encuentro creado en borrador. Revisa los grupos y la agenda, y prográmalo."),
                on_errors=_flash_form_errors(form, SERVICE_FIELDS),
            )
            if done:
                return _to_detail(done.value)
        status = 422
    return render_template("encounters/form.html", form=form, encounter=None), status


@bp.route("/encuentros/<int:encounter_id>")
@login_required
def detail(encounter_id: int):
    encounter = _viewable(encounter_id)
    can_edit = permissions.can_edit_encounter(current_user, encounter)
    mine = services.my_group(encounter, current_user)
    my_school = None
    if current_user.school_id and mine is not None:
        my_school = next((m.school for m in mine.schools if m.school_id == current_user.school_id), None)
    presentations = {
        p.school_id: p
        for p in db.session.execute(db.select(Presentation).filter_by(encounter_id=encounter.id)).scalars()
    }
    return render_template(
        "encounters/detail.html",
        encounter=encounter,
        can_edit=can_edit,
        editable=can_edit and encounter.status in services.EDITABLE_STATUSES,
        my_group=mine,
        my_school=my_school,
        presentations=presentations,
        agendas={g.id: services.agenda_with_times(g) for g in encounter.groups},
        readiness=services.readiness(encounter)
        if permissions.can_view_readiness(current_user, encounter)
        else None,
        action_form=ActionForm(),
    )


@bp.route("/encuentros/<int:encounter_id>/editar", methods=["GET", "POST"])
@login_required
def edit(encounter_id: int):
    encounter = _editable(encounter_id)
    if encounter.status not in services.EDITABLE_STATUSES:
        flash(_("El encuentro ya comenzó o concluyó; ya no se puede modificar."), "error")
        return _to_detail(encounter)
    zones = services.zones_for_scheduler(current_user)
    zones += [z for z in encounter.zones if z not in zones]
    form = EncounterForm()
    _encounter_form_choices(form, zones)
    if not form.is_submitted():
        form.fill_from(encounter)
    status = 200
    if form.is_submitted():
        if form.validate():
            data = form.to_service_data()
            data.pop("grouping_id", None)
            if run_service(
                lambda: services.update_encounter(encounter, data, actor=current_user),
                success=_("Cambios guardados."),
                on_errors=_flash_form_errors(form, SERVICE_FIELDS),
            ):
                return _to_detail(encounter)
        status = 422
    return render_template("encounters/form.html", form=form, encounter=encounter), status


@bp.route("/encuentros/<int:encounter_id>/programar", methods=["POST"])
@login_required
def schedule(encounter_id: int):
    encounter = _editable(encounter_id)
    return _run(
        lambda: services.schedule_encounter(encounter, actor=current_user),
        encounter,
        _("Encuentro programado: avisamos a las direcciones y docentes de las escuelas."),
    )


@bp.route("/encuentros/<int:encounter_id>/iniciar", methods=["POST"])
@login_required
def start(encounter_id: int):
    encounter = _encounter(encounter_id, permissions.can_start_encounter)
    return _run(
        lambda: services.start_encounter(encounter, actor=current_user),
        encounter,
        _("El encuentro está en curso."),
    )


@bp.route("/encuentros/<int:encounter_id>/eliminar", methods=["POST"])
@login_required
def delete(encounter_id: int):
    encounter = _editable(encounter_id)
    if encounter.status != "borrador":
        flash(_("Solo se puede eliminar un encuentro en borrador."), "error")
        return _to_detail(encounter)
    return _run(
        lambda: services.delete_encounter(encounter, actor=current_user),
        encounter,
        _("Borrador eliminado."),
        target=redirect(url_for("encounters.index")),
    )


# --- attendance --------------------------------------------------------------------------------


@bp.route("/encuentros/<int:encounter_id>/asistencia", methods=["GET", "POST"])
@login_required
def attendance(encounter_id: int):
    encounter = _encounter(encounter_id, permissions.can_record_attendance)
    pairs = services.attendance_schools(encounter, current_user)
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        for row in attendance_rows(request.form, [school for _, school in pairs]):
            try:
                services.record_attendance(
                    encounter,
                    row["school"],
                    row["status"],
                    actor=current_user,
                    source="sede",
                    people=row["people"],
                )
            except PermissionDenied:
                abort(403)
            except ValidationError as exc:
                errors[row["school"].id] = " ".join(exc.errors.values())
        if errors:
            db.session.rollback()  # none of the rows is kept, and the page shows what is stored
            status = 422
        else:
            flash(_("Asistencia registrada."), "info")
            return redirect(url_for("encounters.attendance", encounter_id=encounter.id))
    return render_template(
        "encounters/attendance.html",
        encounter=encounter,
        pairs=pairs,
        records=services.attendance_by_school(encounter),
        errors=errors,
        typed=request.form if status == 422 else {},
        choices=ATTENDANCE_CHOICES,
        action_form=ActionForm(),
    ), status


@bp.route("/encuentros/<int:encounter_id>/cerrar", methods=["POST"])
@login_required
def close_encounter(encounter_id: int):
    encounter = load_or_abort(Encounter, encounter_id, check=permissions.can_close_encounter)
    if not ActionForm().validate_on_submit():
        abort(400)
    run_service(
        lambda: closing.close_encounter(encounter, actor=current_user),
        success=_("Encuentro concluido. El acta quedó en la bitácora de cada escuela participante."),
        category="success",
    )
    return redirect(url_for("logbook.minutes", encounter_id=encounter_id))
