"""Pages of each school's presentation for an encounter: choosing its problems or uploading its own
PDF, the PDF itself and the slides the live room shows (the area's other pages: ``routes``)."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions, security_headers
from app.catalogue.models import School
from app.encounters import bp, deck, services
from app.encounters.forms import PdfForm, PresentationForm, choices
from app.encounters.models import Encounter, Presentation
from app.encounters.routes import _encounter, _flash_form_errors
from app.transactions import on_commit
from app.uploads import upload_folder
from app.views import run_service, school_or_404


def _encounter_school(encounter_id: int, cct: str, check) -> tuple[Encounter, School]:
    """The encounter and one of its schools (404), if ``check(person, encounter, school)`` allows it."""
    encounter = _encounter(encounter_id)
    school = school_or_404(cct)
    if services.group_of_school(encounter, school.id) is None:
        abort(404)
    if not check(current_user, encounter, school):
        abort(403)
    return encounter, school


def _presentation_folder() -> Path:
    return upload_folder("presentations")


@bp.route("/encuentros/<int:encounter_id>/escuelas/<cct>/presentacion", methods=["GET", "POST"])
@login_required
def presentation(encounter_id: int, cct: str):
    encounter, school = _encounter_school(encounter_id, cct, permissions.can_prepare_presentation)
    current = services.get_presentation(encounter, school)
    problems = services.selectable_problems(school, current)
    form = PresentationForm()
    form.problem_ids.choices = choices((p.id, p.title) for p in problems)
    if not form.is_submitted() and current is not None:
        form.problem_ids.data = [str(i) for i in current.problem_ids or []]
        form.ask.data = current.ask
        form.kind.data = current.kind
        form.is_ready.data = current.is_ready
    status = 200
    if form.is_submitted():
        if form.validate():
            if run_service(
                lambda: services.save_presentation(
                    encounter,
                    school,
                    {
                        "problem_ids": form.problem_ids.data,
                        "ask": form.ask.data,
                        "kind": form.kind.data,
                        "is_ready": form.is_ready.data,
                    },
                    actor=current_user,
                ),
                success=_("Presentación guardada."),
                on_errors=_flash_form_errors(form),
            ):
                return redirect(url_for("encounters.presentation", encounter_id=encounter.id, cct=school.cct))
        status = 422
    return render_template(
        "encounters/presentation.html",
        encounter=encounter,
        school=school,
        form=form,
        pdf_form=PdfForm(formdata=None),
        presentation=current,
        problems=problems,
        max_pages=current_app.config["MAX_PRESENTATION_PAGES"],
        max_bytes=current_app.config["MAX_PRESENTATION_BYTES"],
    ), status


@bp.route("/encuentros/<int:encounter_id>/escuelas/<cct>/presentacion/pdf", methods=["POST"])
@login_required
def upload_pdf(encounter_id: int, cct: str):
    encounter, school = _encounter_school(encounter_id, cct, permissions.can_prepare_presentation)
    pdf_form = PdfForm()
    if not pdf_form.validate():
        abort(400)
    folder = _presentation_folder()
    errors: dict[str, str] = {}
    done = run_service(
        lambda: services.upload_presentation_pdf(
            encounter,
            school,
            pdf_form.file.data,
            actor=current_user,
            folder=folder,
            max_bytes=current_app.config["MAX_PRESENTATION_BYTES"],
            max_pages=current_app.config["MAX_PRESENTATION_PAGES"],
        ),
        success=_("PDF guardado: se mostrará página por página en la sala."),
        on_errors=errors.update,
    )
    if not done:
        current = services.get_presentation(encounter, school)
        problems = services.selectable_problems(school, current)
        form = PresentationForm(formdata=None, obj=None)
        form.problem_ids.choices = choices((p.id, p.title) for p in problems)
        if current is not None:
            form.problem_ids.data = [str(i) for i in current.problem_ids or []]
            form.ask.data, form.kind.data, form.is_ready.data = current.ask, current.kind, current.is_ready
        pdf_form.file.errors = list(errors.values())
        return render_template(
            "encounters/presentation.html",
            encounter=encounter,
            school=school,
            form=form,
            pdf_form=pdf_form,
            presentation=current,
            problems=problems,
            max_pages=current_app.config["MAX_PRESENTATION_PAGES"],
            max_bytes=current_app.config["MAX_PRESENTATION_BYTES"],
        ), 422
    _pdf, replaced = done.value
    if replaced:  # the old file goes only once the new one's row is stored
        on_commit(lambda: (folder / replaced).unlink(missing_ok=True))
    return redirect(url_for("encounters.presentation", encounter_id=encounter.id, cct=school.cct))


@bp.route("/encuentros/<int:encounter_id>/escuelas/<cct>/presentacion.pdf")
@login_required
def presentation_pdf(encounter_id: int, cct: str):
    encounter, school = _encounter_school(encounter_id, cct, permissions.can_view_presentation)
    current = services.get_presentation(encounter, school)
    if current is None or not current.pdf_stored_name:
        abort(404)
    # Always a sandboxed download, never the browser's PDF viewer, where a PDF's JavaScript and forms
    # would run on this site: the deck page and the live room draw it with pdf.js.
    response = send_from_directory(
        _presentation_folder(),
        current.pdf_stored_name,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=current.pdf_original_name or f"presentacion-{school.cct}.pdf",
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = security_headers.DOWNLOAD_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/encuentros/<int:encounter_id>/escuelas/<cct>/diapositivas")
@login_required
def slides(encounter_id: int, cct: str):
    encounter, school = _encounter_school(encounter_id, cct, permissions.can_view_presentation)
    current = services.get_presentation(encounter, school)
    if current is None:  # nothing chosen yet: a cover only (not stored)
        current = Presentation(
            school_id=school.id, encounter_id=encounter.id, problem_ids=[], kind="generada", is_ready=False
        )
        current.school, current.encounter = school, encounter
    return render_template(
        "encounters/deck.html",
        encounter=encounter,
        school=school,
        presentation=current,
        slides=deck.deck_slides(current),
        print_mode=request.args.get("print") == "1",
    )
