"""Pages of the contacts area: the conversations, a new request to a school, one conversation."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.contacts import bp, services
from app.contacts.forms import ContactForm, ReplyForm
from app.contacts.models import ContactRequest
from app.views import load_or_abort, run_service, school_or_404


@bp.route("/contactos")
@login_required
def index():
    if current_user.role not in ("director", "supervisor", "admin"):
        abort(403)
    return render_template("contacts/index.html", requests=services.requests_for(current_user))


def _initial_topic(recipient) -> str:
    for kind, arg in (("problema", "problema"), ("practica", "practica")):
        value = request.args.get(arg, "")
        if value.isdigit():
            return f"{kind}-{value}"
    return ""


@bp.route("/escuelas/<cct>/contacto", methods=["GET", "POST"])
@login_required
def new(cct: str):
    recipient = school_or_404(cct, check=permissions.can_request_contact)
    form = ContactForm()
    form.about.choices = [("", _("Sin tema en particular"))] + services.contact_topics(
        recipient, actor=current_user
    )
    if not form.is_submitted():
        form.about.data = _initial_topic(recipient)
    status = 200
    if form.is_submitted():
        done = form.validate() and run_service(
            lambda: services.send_contact_request(
                recipient, {"about": form.about.data, "message": form.message.data}, actor=current_user
            ),
            success=_("Mensaje enviado a la dirección de %(school)s.", school=recipient.name),
            on_errors=form.set_errors,
            category="success",
        )
        if done:
            return redirect(url_for("contacts.detail", request_id=done.value.id))
        status = 422
    return render_template(
        "contacts/new.html",
        form=form,
        recipient=recipient,
        has_directors=bool(services.directors_of(recipient.id)),
    ), status


def _render_detail(contact: ContactRequest, form: ReplyForm | None = None, status: int = 200):
    return render_template(
        "contacts/detail.html",
        contact=contact,
        form=form or ReplyForm(),
        my_school_id=current_user.school_id,
    ), status


@bp.route("/contactos/<int:request_id>")
@login_required
def detail(request_id: int):
    contact = load_or_abort(ContactRequest, request_id, check=permissions.can_view_contact)
    return _render_detail(contact)


@bp.route("/contactos/<int:request_id>/responder", methods=["POST"])
@login_required
def reply(request_id: int):
    contact = load_or_abort(ContactRequest, request_id, check=permissions.can_view_contact)
    form = ReplyForm()
    if form.validate() and run_service(
        lambda: services.reply(contact, {"message": form.message.data}, actor=current_user),
        success=_("Respuesta enviada."),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("contacts.detail", request_id=contact.id) + "#ultimo")
    return _render_detail(contact, form, status=422)


@bp.route("/contactos/<int:request_id>/proponer-encuentro", methods=["POST"])
@login_required
def propose(request_id: int):
    contact = load_or_abort(ContactRequest, request_id, check=permissions.can_view_contact)
    run_service(
        lambda: services.propose_encounter(contact, actor=current_user),
        success=_("Propuesta enviada a la supervisión de las dos zonas."),
        category="success",
    )
    return redirect(url_for("contacts.detail", request_id=contact.id))


@bp.route("/contactos/<int:request_id>/cerrar", methods=["POST"])
@login_required
def close(request_id: int):
    contact = load_or_abort(ContactRequest, request_id, check=permissions.can_view_contact)
    run_service(lambda: services.close(contact, actor=current_user), success=_("Conversación cerrada."))
    return redirect(url_for("contacts.detail", request_id=contact.id))
