"""Pages of the logbook area: close an encounter and read its minutes (page, PDF), record agreements
and commitments, a school's logbook (filters, CSV, PDF, notes), commitments and their follow-up."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import permissions
from app.catalogue.models import School
from app.encounters.models import Encounter
from app.extensions import db
from app.live import resources
from app.logbook import bp, pdf, services
from app.logbook.forms import (
    AgreementForm,
    CommitmentForm,
    ConfirmForm,
    LogbookNoteForm,
)
from app.logbook.in_session import logbook_timeline
from app.logbook.minutes import AGREEMENT_KIND_LABELS, school_problem_contributions
from app.logbook.models import (
    ENTRY_KINDS,
    Agreement,
    Commitment,
)
from app.problems.models import Problem
from app.views import load_or_abort, run_service, school_or_404, send_private

# --- minutes -----------------------------------------------------------------------------------


@bp.route("/encuentros/<int:encounter_id>/acta")
@login_required
def minutes(encounter_id: int):
    encounter = load_or_abort(Encounter, encounter_id, check=permissions.can_view_minutes)
    minutes_list = services.encounter_minutes(encounter)
    return render_template(
        "logbook/minutes.html",
        encounter=encounter,
        minutes_list=minutes_list,
        annexes=services.minutes_annexes(encounter),
        visible_practices=resources.visible_practice_ids(
            current_user, resources.minutes_practice_ids(minutes_list)
        ),
        resources_shown=resources.SHOWN,
        close_form=ConfirmForm(),
        can_close=permissions.can_close_encounter(current_user, encounter),
        can_record=permissions.can_record_agreement(current_user, encounter),
    )


@bp.route("/encuentros/<int:encounter_id>/acta.pdf")
@login_required
def minutes_pdf(encounter_id: int):
    encounter = load_or_abort(Encounter, encounter_id, check=permissions.can_view_minutes)
    minutes_list = services.encounter_minutes(encounter)
    data = pdf.minutes_pdf(
        encounter,
        minutes_list,
        services.minutes_annexes(encounter),
        visible_practices=resources.visible_practice_ids(
            current_user, resources.minutes_practice_ids(minutes_list)
        ),
    )
    return send_private(data, "application/pdf", f"acta-encuentro-{encounter.id}.pdf")


# --- recording agreements and commitments (after or during the session) --------------------------


def _commitment_form(encounter, form=None) -> CommitmentForm:
    form = form or CommitmentForm()
    schools = [
        s
        for s in services.participating_schools(encounter)
        if permissions.can_record_commitment(current_user, encounter, s)
    ]
    form.school_id.choices = [SelectChoice(str(s.id), f"{s.name} ({s.cct})") for s in schools]
    ids = [s.id for s in services.participating_schools(encounter)]
    problems = (
        db.session.execute(db.select(Problem).where(Problem.school_id.in_(ids)).order_by(Problem.title))
        .scalars()
        .all()
        if ids
        else []
    )
    form.problem_id.choices = [SelectChoice("", _("— ninguna —"))] + [
        SelectChoice(str(p.id), f"{p.title} · {p.school.cct}") for p in problems
    ]
    return form


def _agreement_form(encounter, form=None) -> AgreementForm:
    form = form or AgreementForm()
    form.group_id.choices = [
        SelectChoice(str(g.id), g.label)
        for g in encounter.groups
        if permissions.can_record_agreement(current_user, encounter, g)
    ]
    form.school_id.choices = [SelectChoice("", _("— todo el grupo —"))] + [
        SelectChoice(str(s.id), f"{s.name} ({s.cct})") for s in services.participating_schools(encounter)
    ]
    return form


def _render_record(encounter, *, commitment_form=None, agreement_form=None, status=200):
    agreements = (
        db.session.execute(
            db.select(Agreement)
            .where(Agreement.encounter_id == encounter.id)
            .order_by(Agreement.created_at, Agreement.id)
        )
        .scalars()
        .all()
    )
    commitments = (
        db.session.execute(
            db.select(Commitment)
            .where(Commitment.encounter_id == encounter.id)
            .order_by(Commitment.school_id, Commitment.id)
        )
        .scalars()
        .all()
    )
    return render_template(
        "logbook/record.html",
        encounter=encounter,
        commitment_form=_commitment_form(encounter, commitment_form),
        agreement_form=_agreement_form(encounter, agreement_form),
        agreements=agreements,
        commitments=commitments,
        agreement_kinds=AGREEMENT_KIND_LABELS,
    ), status


def _can_record_any(actor, encounter) -> bool:
    return permissions.can_record_agreement(actor, encounter) or any(
        permissions.can_record_commitment(actor, encounter, s)
        for s in services.participating_schools(encounter)
    )


@bp.route("/encuentros/<int:encounter_id>/registro")
@login_required
def record(encounter_id: int):
    encounter = load_or_abort(Encounter, encounter_id, check=_can_record_any)
    return _render_record(encounter)


def _save_to_record(
    encounter, form, target, *, may_record_any, may_record, unchosen, save, success, anchor, show
):
    """The skeleton of the record page's two forms: with no school or group chosen, a 403 for who may
    record nothing here, else the form with ``unchosen``'s error; a 403 unless ``may_record`` the
    target; then ``save(data)`` and back to the page's section, or the form with its errors (422)."""
    if target is None:
        if not may_record_any(current_user, encounter):
            abort(403)
        form.set_errors(unchosen)
        return show()
    if not may_record(current_user, encounter, target):
        abort(403)
    if form.validate_on_submit() and run_service(
        lambda: save(form.to_service_data()), success=success, on_errors=form.set_errors
    ):
        return redirect(url_for("logbook.record", encounter_id=encounter.id) + anchor)
    return show()


@bp.route("/encuentros/<int:encounter_id>/compromisos", methods=["POST"])
@login_required
def add_commitment(encounter_id: int):
    encounter = load_or_abort(Encounter, encounter_id)
    form = CommitmentForm()
    school_id = form.school_id.data or ""
    school = db.session.get(School, int(school_id)) if school_id.isdigit() else None
    return _save_to_record(
        encounter,
        form,
        school,
        may_record_any=_can_record_any,
        may_record=permissions.can_record_commitment,
        unchosen={"school_id": _("Elige la escuela.")},
        save=lambda data: services.record_commitment(
            encounter, school, data, actor=current_user, client_id=request.form.get("client_id")
        ),
        success=_("Compromiso registrado."),
        anchor="#compromisos",
        show=lambda: _render_record(encounter, commitment_form=form, status=422),
    )


@bp.route("/encuentros/<int:encounter_id>/acuerdos", methods=["POST"])
@login_required
def add_agreement(encounter_id: int):
    encounter = load_or_abort(Encounter, encounter_id)
    form = AgreementForm()
    group = next((g for g in encounter.groups if str(g.id) == form.group_id.data), None)
    return _save_to_record(
        encounter,
        form,
        group,
        may_record_any=permissions.can_record_agreement,
        may_record=permissions.can_record_agreement,
        unchosen={"group_id": _("Elige el grupo.")},
        save=lambda data: services.record_agreement(
            encounter, group, data, actor=current_user, client_id=request.form.get("client_id")
        ),
        success=_("Acuerdo registrado."),
        anchor="#acuerdos",
        show=lambda: _render_record(encounter, agreement_form=form, status=422),
    )


# --- the school's logbook ----------------------------------------------------------------------


def _logbook_filters():
    school_year = (request.args.get("ciclo") or "").strip() or None
    kind = request.args.get("tipo") or None
    return school_year, kind if kind in ENTRY_KINDS else None


def _filters_text(school_year, kind) -> str:
    parts = []
    if school_year:
        parts.append(_("Ciclo escolar %(school_year)s", school_year=school_year))
    if kind:
        parts.append(_("Solo: %(value1)s", value1=ENTRY_KINDS[kind]))
    return " · ".join(parts)


def _render_logbook(school, note_form=None, status=200):
    school_year, kind = _logbook_filters()
    entries = logbook_timeline(school, school_year=school_year, kind=kind)
    return render_template(
        "logbook/school_logbook.html",
        school=school,
        entries=entries,
        school_year=school_year,
        kind=kind,
        kinds=ENTRY_KINDS,
        filters={k: v for k, v in (("ciclo", school_year), ("tipo", kind)) if v},
        school_years=services.logbook_school_years(school),
        note_form=note_form or LogbookNoteForm(),
        can_add_note=permissions.can_add_logbook_note(current_user, school),
        alerts=services.commitment_alerts(school),
        problem_contributions=[] if kind else school_problem_contributions(school, school_year=school_year),
    ), status


@bp.route("/escuelas/<cct>/bitacora")
@login_required
def school_logbook(cct: str):
    school = school_or_404(cct, check=permissions.can_view_logbook)
    if request.args.get("formato") == "csv":
        school_year, kind = _logbook_filters()
        entries = logbook_timeline(school, school_year=school_year, kind=kind)
        return send_private(
            services.logbook_csv(entries),
            "text/csv; charset=utf-8",
            f"bitacora-{school.cct}.csv",
            inline=False,
        )
    if request.args.get("formato") == "pdf":
        return redirect(
            url_for(
                "logbook.school_logbook_pdf",
                cct=school.cct,
                **{k: v for k, v in request.args.items() if k != "formato"},
            )
        )
    return _render_logbook(school)


@bp.route("/escuelas/<cct>/bitacora.pdf")
@login_required
def school_logbook_pdf(cct: str):
    school = school_or_404(cct, check=permissions.can_view_logbook)
    school_year, kind = _logbook_filters()
    entries = logbook_timeline(school, school_year=school_year, kind=kind)
    data = pdf.logbook_pdf(
        school,
        entries,
        filters=_filters_text(school_year, kind),
        problem_contributions=[] if kind else school_problem_contributions(school, school_year=school_year),
    )
    return send_private(data, "application/pdf", f"bitacora-{school.cct}.pdf")


@bp.route("/escuelas/<cct>/bitacora/notas", methods=["POST"])
@login_required
def add_note(cct: str):
    school = school_or_404(cct, check=permissions.can_add_logbook_note)
    form = LogbookNoteForm()
    if form.validate_on_submit() and run_service(
        lambda: services.add_logbook_note(
            school, {"title": form.title.data, "body": form.body.data}, actor=current_user
        ),
        success=_("Nota agregada a la bitácora."),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("logbook.school_logbook", cct=school.cct))
    return _render_logbook(school, note_form=form, status=422)


# --- template filters --------------------------------------------------------------------------


@bp.app_template_filter("iso_fecha")
def iso_fecha(value: str | None, fmt: str = "medium") -> str:
    """An ISO date-time string (as stored in the minutes) shown in the person's language."""
    from datetime import datetime

    from flask_babel import format_datetime

    from app.utils import as_utc

    if not value:
        return "—"
    try:
        return format_datetime(as_utc(datetime.fromisoformat(value)), fmt)
    except ValueError:
        return value


@bp.app_template_filter("dia")
def dia(value, fmt: str = "medium") -> str:
    """A date (or ISO date string) shown in the person's language."""
    from datetime import date

    from flask_babel import format_date

    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, fmt)
