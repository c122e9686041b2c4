"""Pages of good practices: publish a commitment as a practice, recognise, adopt with a commitment,
follow an adoption's outcome, relatos (page, PDF), evidence thumbnails, the zone's booklet."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import permissions
from app.commitments.models import Commitment
from app.encounters.models import Encounter, EncounterSchool
from app.extensions import db
from app.goodpractices import bp, pdf, services
from app.goodpractices.forms import AdoptForm, NarrativeForm, OutcomeForm, PublishForm, RecognitionForm
from app.goodpractices.models import Narrative
from app.practices.models import OUTCOMES, Adoption, Evidence, Practice
from app.problems.models import Category, Problem
from app.views import load_or_abort, run_service, school_or_404, send_private, zone_or_404


def _visible_practice_or_404(practice_id: int, check=None) -> Practice:
    """The practice (404) that the person may see and, if given, ``check`` allows (403)."""
    return load_or_abort(
        Practice,
        practice_id,
        check=lambda actor, practice: (
            permissions.can_view_practice(actor, practice) and (check is None or check(actor, practice))
        ),
    )


# --- template helpers (for the include hooks in other areas' pages) ------------------------------


@bp.app_context_processor
def _helpers():
    return {"goodpractices": services, "gp_outcomes": OUTCOMES}


# --- publish a fulfilled commitment as a practice ----------------------------------------------


@bp.route("/compromisos/<int:commitment_id>/publicar-practica", methods=["GET", "POST"])
@login_required
def publish(commitment_id: int):
    commitment = load_or_abort(Commitment, commitment_id, check=permissions.can_publish_commitment_practice)
    existing = services.practice_from_commitment(commitment)
    if existing is not None:
        flash(_("Este compromiso ya se publicó como práctica."), "info")
        return redirect(url_for("practices.detail", practice_id=existing.id))
    if not services.is_publishable(commitment):
        flash(_("Solo un compromiso cumplido y con evidencias se publica como práctica."), "error")
        return redirect(url_for("commitments.commitment", commitment_id=commitment.id))
    form = PublishForm()
    form.categories.choices = [
        SelectChoice(c.code, c.name)
        for c in db.session.execute(select(Category).order_by(Category.facet, Category.name)).scalars()
    ]
    if request.method == "GET":
        prefill = services.prefill_from_commitment(commitment)
        for name in ("title", "summary", "steps", "results", "outcome", "visibility", "categories"):
            getattr(form, name).data = prefill[name]
        form.copy_evidence.data = True
    elif form.validate_on_submit():
        done = run_service(
            lambda: services.publish_commitment(
                commitment,
                {
                    "title": form.title.data,
                    "summary": form.summary.data,
                    "steps": form.steps.data,
                    "results": form.results.data,
                    "categories": form.categories.data or [],
                    "outcome": form.outcome.data,
                    "visibility": form.visibility.data,
                    "copy_evidence": form.copy_evidence.data,
                },
                actor=current_user,
            ),
            success=_("Publicamos el compromiso como práctica de la escuela."),
            category="success",
            on_errors=form.set_errors,
        )
        if done:
            return redirect(url_for("practices.detail", practice_id=done.value.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "goodpractices/publish.html",
        form=form,
        commitment=commitment,
        notes=services.evidence_notes(commitment),
    ), status


# --- recognise good practices --------------------------------------------------------------------


@bp.route("/practicas/<int:practice_id>/reconocer", methods=["POST"])
@login_required
def recognise(practice_id: int):
    practice = _visible_practice_or_404(practice_id, permissions.can_recognise_practice)
    form = RecognitionForm()
    zone_id = request.form.get("zone_id", type=int)
    zone = next((z for z in services.recognition_zones(current_user, practice) if z.id == zone_id), None)
    if zone is None:
        abort(403)
    if form.validate_on_submit():
        run_service(
            lambda: services.recognise_practice(
                practice, zone, {"rationale": form.rationale.data}, actor=current_user
            ),
            success=_("La práctica quedó reconocida como buena práctica de la zona."),
            category="success",
        )
    return redirect(url_for("practices.detail", practice_id=practice.id) + "#buena-practica")


@bp.route("/practicas/<int:practice_id>/reconocimiento/<int:zone_id>/retirar", methods=["POST"])
@login_required
def withdraw(practice_id: int, zone_id: int):
    practice = _visible_practice_or_404(
        practice_id, lambda actor, row: permissions.can_recognise_practice(actor, row, zone_id)
    )
    zone = next(z for z in services.recognition_zones(current_user, practice) if z.id == zone_id)
    form = RecognitionForm()
    if form.validate_on_submit():
        run_service(
            lambda: services.withdraw_recognition(practice, zone, actor=current_user),
            success=_("Se retiró el reconocimiento."),
            category="success",
        )
    return redirect(url_for("practices.detail", practice_id=practice.id) + "#buena-practica")


# --- adopt with a commitment, and follow the outcome --------------------------------------------


@bp.route("/practicas/<int:practice_id>/la-adoptamos", methods=["GET", "POST"])
@login_required
def adopt(practice_id: int):
    practice = _visible_practice_or_404(practice_id, permissions.can_adopt_practice)
    form = AdoptForm()
    if request.method == "GET":
        defaults = services.adoption_defaults(current_user)
        form.responsible.data, form.due_date.data = defaults["responsible"], defaults["due_date"]
    elif form.validate_on_submit():
        done = run_service(
            lambda: services.adopt_with_commitment(
                practice,
                current_user.school,
                {
                    "responsible": form.responsible.data,
                    "due_date": form.due_date.data,
                    "classroom": form.classroom.data,
                    "notes": form.notes.data,
                },
                actor=current_user,
            ),
            success=_("Adoptaron la práctica: el compromiso de aplicarla quedó en su Cuaderno de Bitácora."),
            category="success",
            on_errors=form.set_errors,
        )
        if done:
            return redirect(url_for("commitments.commitment", commitment_id=done.value.commitment_id))
    status = 422 if request.method == "POST" else 200
    return render_template("goodpractices/adopt.html", form=form, practice=practice), status


@bp.route("/adopciones/<int:adoption_id>/resultado", methods=["GET", "POST"])
@login_required
def adoption_outcome(adoption_id: int):
    """How applying an adopted practice went. Its commitment's page posts here; a refusal is shown on
    this page, with what was typed, and success goes back where the form was."""
    adoption = load_or_abort(
        Adoption,
        adoption_id,
        check=lambda actor, row: (
            permissions.is_admin(actor) or permissions.is_member_of_school(actor, row.school)
        ),
    )
    form = OutcomeForm()
    if request.method == "GET":
        form.outcome.data = adoption.outcome
        form.outcome_notes.data = adoption.outcome_notes
        form.back.data = request.args.get("back", "")
    elif form.validate_on_submit():
        done = run_service(
            lambda: services.record_adoption_outcome(
                adoption,
                {"outcome": form.outcome.data, "outcome_notes": form.outcome_notes.data},
                actor=current_user,
            ),
            success=_("Registramos cómo les fue con la práctica."),
            category="success",
            on_errors=form.set_errors,
        )
        if done:
            if form.back.data == "compromiso" and adoption.commitment_id:
                return redirect(url_for("commitments.commitment", commitment_id=adoption.commitment_id))
            return redirect(url_for("practices.detail", practice_id=adoption.practice_id) + "#adopciones")
    status = 422 if request.method == "POST" else 200
    return render_template("goodpractices/outcome.html", form=form, adoption=adoption), status


# --- evidence thumbnails -------------------------------------------------------------------------


@bp.route("/evidencias/<int:evidence_id>/miniatura")
@login_required
def thumbnail(evidence_id: int):
    evidence = load_or_abort(
        Evidence, evidence_id, check=lambda actor, row: permissions.can_view_practice(actor, row.practice)
    )
    if not evidence.is_image:
        abort(404)
    path = services.stored_thumbnail(evidence)  # never made here: that would block this worker
    if path is None:  # its job has not run yet: the browser shows the original meanwhile
        response = redirect(url_for("practices.evidence_file", evidence_id=evidence.id))
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return send_private(
        path.read_bytes(),
        "image/jpeg",
        f"miniatura-{evidence.id}.jpg",
        cache="private, max-age=86400",
        etag=f"t-{evidence.stored_name}",
    )


# --- relatos ---------------------------------------------------------------------------------------


def _narrative_form_choices(form: NarrativeForm, school) -> None:
    practices = (
        db.session.execute(select(Practice).filter_by(school_id=school.id).order_by(Practice.title))
        .scalars()
        .all()
    )
    adopted = (
        db.session.execute(
            select(Practice)
            .join(Adoption, Adoption.practice_id == Practice.id)
            .where(Adoption.school_id == school.id)
            .order_by(Practice.title)
        )
        .scalars()
        .all()
    )
    seen: dict[int, Practice] = {p.id: p for p in [*practices, *adopted]}
    chosen = request.values.get("practice_id", type=int)
    if chosen and chosen not in seen:
        extra = db.session.get(Practice, chosen)
        if extra is not None and permissions.can_view_practice(current_user, extra):
            seen[extra.id] = extra
    form.practice_id.choices = [
        SelectChoice("", _("— Ninguna —")),
        *(SelectChoice(str(p.id), p.title) for p in seen.values()),
    ]
    problems = db.session.execute(
        select(Problem).filter_by(school_id=school.id).order_by(Problem.created_at.desc())
    ).scalars()
    form.problem_id.choices = [
        SelectChoice("", _("— Ninguna —")),
        *(SelectChoice(str(p.id), p.title) for p in problems),
    ]
    encounters = (
        db.session.execute(
            select(Encounter)
            .join(EncounterSchool, EncounterSchool.encounter_id == Encounter.id)
            .where(EncounterSchool.school_id == school.id)
            .order_by(Encounter.starts_at.desc())
        )
        .scalars()
        .unique()
        .all()
    )
    form.encounter_id.choices = [
        SelectChoice("", _("— Ninguno —")),
        *(SelectChoice(str(e.id), e.title) for e in encounters),
    ]


def _narrative_data(form: NarrativeForm) -> dict:
    return {
        name: getattr(form, name).data
        for name in (
            "title",
            "faced",
            "tried",
            "happened",
            "learned",
            "practice_id",
            "problem_id",
            "encounter_id",
        )
    }


@bp.route("/escuelas/<cct>/relatos/nuevo", methods=["GET", "POST"])
@login_required
def new_narrative(cct: str):
    school = school_or_404(cct, check=permissions.can_write_narrative)
    form = NarrativeForm()
    _narrative_form_choices(form, school)
    if request.method == "GET":
        for name, arg in (
            ("practice_id", "practice_id"),
            ("problem_id", "problem_id"),
            ("encounter_id", "encounter_id"),
        ):
            getattr(form, name).data = request.args.get(arg, "")
    elif form.validate_on_submit():
        done = run_service(
            lambda: services.create_narrative(school, _narrative_data(form), actor=current_user),
            success=_("Relato guardado."),
            category="success",
            on_errors=form.set_errors,
        )
        if done:
            return redirect(url_for("goodpractices.narrative", narrative_id=done.value.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "goodpractices/narrative_form.html", form=form, school=school, narrative=None
    ), status


@bp.route("/relatos/<int:narrative_id>/editar", methods=["GET", "POST"])
@login_required
def edit_narrative(narrative_id: int):
    narrative = load_or_abort(Narrative, narrative_id, check=permissions.can_edit_narrative)
    form = NarrativeForm()
    _narrative_form_choices(form, narrative.school)
    if request.method == "GET":
        for name in ("title", "faced", "tried", "happened", "learned"):
            getattr(form, name).data = getattr(narrative, name)
        for name in ("practice_id", "problem_id", "encounter_id"):
            value = getattr(narrative, name)
            getattr(form, name).data = str(value) if value else ""
    elif form.validate_on_submit():
        if run_service(
            lambda: services.update_narrative(narrative, _narrative_data(form), actor=current_user),
            success=_("Cambios guardados."),
            category="success",
            on_errors=form.set_errors,
        ):
            return redirect(url_for("goodpractices.narrative", narrative_id=narrative.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "goodpractices/narrative_form.html", form=form, school=narrative.school, narrative=narrative
    ), status


def _readable_narrative_or_404(narrative_id: int) -> Narrative:
    return load_or_abort(Narrative, narrative_id, check=permissions.can_view_narrative)


@bp.route("/relatos/<int:narrative_id>")
@login_required
def narrative(narrative_id: int):
    item = _readable_narrative_or_404(narrative_id)
    return render_template(
        "goodpractices/narrative.html", narrative=item, sections=services.NARRATIVE_SECTIONS
    )


@bp.route("/relatos/<int:narrative_id>.pdf")
@login_required
def narrative_pdf(narrative_id: int):
    item = _readable_narrative_or_404(narrative_id)
    return send_private(pdf.narrative_pdf(item), "application/pdf", f"relato-{item.id}.pdf")


# --- the zone's good practices: page, PDF booklet, CSV ----------------------------------------------


def _zone_items(cct: str):
    zone = zone_or_404(cct, check=permissions.can_view_zone_good_practices)
    return zone, services.zone_good_practices(zone, actor=current_user)


@bp.route("/zonas/<cct>/buenas-practicas")
@login_required
def zone_good_practices(cct: str):
    zone, items = _zone_items(cct)
    return render_template(
        "goodpractices/zone.html", zone=zone, items=items, totals=services.zone_outcome_totals(items)
    )


@bp.route("/zonas/<cct>/buenas-practicas.pdf")
@login_required
def zone_good_practices_pdf(cct: str):
    zone, items = _zone_items(cct)
    data = pdf.booklet_pdf(zone, items, services.zone_outcome_totals(items))
    return send_private(data, "application/pdf", f"buenas-practicas-{zone.cct}.pdf")


@bp.route("/zonas/<cct>/buenas-practicas.csv")
@login_required
def zone_good_practices_csv(cct: str):
    zone, items = _zone_items(cct)
    return send_private(
        services.zone_good_practices_csv(zone, items),
        "text/csv; charset=utf-8",
        f"buenas-practicas-{zone.cct}.csv",
        inline=False,
    )
