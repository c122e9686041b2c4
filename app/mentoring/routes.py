"""Pages of mentoring: the person's mentoring, the offer, the request, the leaders' matching page
and a pair's page (acceptance, plan, sessions, closing)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.mentoring import bp, services
from app.mentoring.forms import CloseForm, OfferForm, PlanForm, RequestForm, SessionForm
from app.mentoring.models import MentoringPair, MentoringRequest, MentorOffer
from app.validation import parse_id
from app.views import load_or_abort, run_service


@bp.route("")
@login_required
def index():
    offer = services.offer_of(current_user)
    return render_template(
        "mentoring/index.html",
        offer=offer,
        evidence=services.offer_evidence(offer) if offer else [],
        load=services.loads([offer.id]).get(offer.id, 0) if offer else 0,
        my_requests=services.requests_of(current_user),
        pairs=services.pairs_for(current_user),
    )


@bp.route("/ofrecer", methods=["GET", "POST"])
@login_required
def offer():
    if not permissions.can_offer_mentoring(current_user):
        abort(403)
    existing = services.offer_of(current_user)
    form = OfferForm()
    all_categories = services.categories()
    form.categories.choices = [(str(c.id), c.name) for c in all_categories]
    found = services.evidence_of(current_user.school_id, [c.id for c in all_categories])
    evidence = {
        str(c): services.evidence_words(items) for c, items in found.items() if services.evidence_count(items)
    }
    if not form.is_submitted() and existing is not None:
        form.categories.data = [str(c.id) for c in existing.categories]
        form.capacity.data = str(existing.capacity)
        form.note.data = existing.note
    elif not form.is_submitted():
        form.capacity.data = "1"
    if form.is_submitted():
        data = {"categories": form.categories.data, "capacity": form.capacity.data, "note": form.note.data}
        if form.validate() and run_service(
            lambda: services.save_offer(data, actor=current_user),
            success=_("Tu ofrecimiento de mentoría quedó registrado."),
            on_errors=form.set_errors,
            category="success",
        ):
            return redirect(url_for("mentoring.index"))
        return render_template("mentoring/offer.html", form=form, evidence=evidence), 422
    return render_template("mentoring/offer.html", form=form, evidence=evidence)


@bp.route("/ofrecer/retirar", methods=["POST"])
@login_required
def withdraw():
    if not permissions.can_offer_mentoring(current_user):
        abort(403)
    run_service(
        lambda: services.withdraw_offer(actor=current_user),
        success=_("Ya no se te sugerirá como mentor(a); tus mentorías en curso siguen."),
    )
    return redirect(url_for("mentoring.index"))


@bp.route("/pedir", methods=["GET", "POST"])
@login_required
def ask():
    if not permissions.can_request_mentoring(current_user):
        abort(403)
    form = RequestForm()
    form.about.choices = [("", _("Elige una opción"))] + services.request_topics(current_user)
    if not form.is_submitted():
        problem = parse_id(request.args.get("problema"))
        form.about.data = f"problema-{problem}" if problem else ""
        form.kind.data = "director_nuevo" if current_user.role == "director" else "docente_novel"
        return render_template("mentoring/ask.html", form=form)
    data = {"kind": form.kind.data, "about": form.about.data, "note": form.note.data}
    if form.validate() and run_service(
        lambda: services.create_request(data, actor=current_user),
        success=_(
            "Tu solicitud llegó a la supervisión y la asesoría de tu zona, que te propondrán un(a) mentor(a)."
        ),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("mentoring.index"))
    return render_template("mentoring/ask.html", form=form), 422


@bp.route("/red")
@login_required
def network():
    if not permissions.can_lead_mentoring(current_user):
        abort(403)
    return render_template(
        "mentoring/network.html",
        requests=services.open_requests_for(current_user),
        offers=services.active_offers(),
        suggestions=services.suggestions(current_user),
    )


@bp.route("/red/confirmar", methods=["POST"])
@login_required
def confirm():
    if not permissions.can_lead_mentoring(current_user):
        abort(403)
    mentoring_request = load_or_abort(MentoringRequest, parse_id(request.form.get("request_id")) or 0)
    offer = load_or_abort(MentorOffer, parse_id(request.form.get("offer_id")) or 0)
    done = run_service(
        lambda: services.confirm_pair(mentoring_request, offer, actor=current_user),
        success=_("Pareja confirmada; avisamos a las dos personas para que acepten."),
        category="success",
    )
    if done:
        return redirect(url_for("mentoring.pair", pair_id=done.value.id))
    return redirect(url_for("mentoring.network"))


def _render_pair(pair: MentoringPair, status: int = 200, **forms):
    plan = forms.get("plan_form") or PlanForm(
        formdata=None,
        data={
            "goals": pair.goals,
            "starts_on": pair.starts_on.isoformat() if pair.starts_on else "",
            "ends_on": pair.ends_on.isoformat() if pair.ends_on else "",
        },
    )
    return render_template(
        "mentoring/pair.html",
        pair=pair,
        plan_form=plan,
        session_form=forms.get("session_form") or SessionForm(formdata=None),
        close_form=forms.get("close_form") or CloseForm(formdata=None),
    ), status


def _pair(pair_id: int) -> MentoringPair:
    return load_or_abort(MentoringPair, pair_id, check=permissions.can_view_pair)


@bp.route("/parejas/<int:pair_id>")
@login_required
def pair(pair_id: int):
    return _render_pair(_pair(pair_id))


@bp.route("/parejas/<int:pair_id>/aceptar", methods=["POST"])
@login_required
def accept(pair_id: int):
    row = _pair(pair_id)
    run_service(
        lambda: services.answer_pair(row, True, actor=current_user), success=_("Aceptaste la mentoría.")
    )
    return redirect(url_for("mentoring.pair", pair_id=row.id))


@bp.route("/parejas/<int:pair_id>/declinar", methods=["POST"])
@login_required
def decline(pair_id: int):
    row = _pair(pair_id)
    run_service(
        lambda: services.answer_pair(row, False, actor=current_user), success=_("Declinaste la mentoría.")
    )
    return redirect(url_for("mentoring.pair", pair_id=row.id))


@bp.route("/parejas/<int:pair_id>/plan", methods=["POST"])
@login_required
def plan(pair_id: int):
    row = _pair(pair_id)
    form = PlanForm()
    data = {"goals": form.goals.data, "starts_on": form.starts_on.data, "ends_on": form.ends_on.data}
    if form.validate() and run_service(
        lambda: services.save_plan(row, data, actor=current_user),
        success=_("Plan guardado."),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("mentoring.pair", pair_id=row.id))
    return _render_pair(row, 422, plan_form=form)


@bp.route("/parejas/<int:pair_id>/sesiones", methods=["POST"])
@login_required
def log_session(pair_id: int):
    row = _pair(pair_id)
    form = SessionForm()
    data = {"held_on": form.held_on.data, "done": form.done.data, "next_step": form.next_step.data}
    if form.validate() and run_service(
        lambda: services.log_session(row, data, actor=current_user),
        success=_("Sesión registrada."),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("mentoring.pair", pair_id=row.id) + "#sesiones")
    return _render_pair(row, 422, session_form=form)


@bp.route("/parejas/<int:pair_id>/cerrar", methods=["POST"])
@login_required
def close(pair_id: int):
    row = _pair(pair_id)
    form = CloseForm()
    data = {"outcome": form.outcome.data, "note": form.note.data}
    if form.validate() and run_service(
        lambda: services.close_pair(row, data, actor=current_user),
        success=_("Mentoría concluida; el cierre quedó en la bitácora de la escuela."),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("mentoring.pair", pair_id=row.id))
    return _render_pair(row, 422, close_form=form)
