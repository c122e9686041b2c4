"""The inbox of requests for outside advice (Solicitudes de asesoría) and the answer to one."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.advice import bp, services
from app.advice.forms import AnswerForm
from app.advice.models import ADVICE_STATUSES, AdviceRequest
from app.views import load_or_abort, run_service


def _render(forms: dict | None = None, status: int = 200):
    only_open = request.args.get("ver") != "todas"
    rows = services.requests_for(current_user, only_open=only_open)
    forms = forms or {}
    for row in rows:
        if row.id not in forms:
            forms[row.id] = AnswerForm(
                prefix=f"r{row.id}", data={"status": row.status, "reply": row.reply or ""}
            )
    return render_template(
        "advice/inbox.html",
        groups=services.by_topic(rows),
        forms=forms,
        only_open=only_open,
        statuses=ADVICE_STATUSES,
        can_answer=lambda r: permissions.can_answer_advice(current_user, r),
    ), status


@bp.route("/asesoria")
@login_required
def inbox():
    if not permissions.can_view_advice_inbox(current_user):
        abort(403)
    return _render()


@bp.route("/asesoria/<int:request_id>", methods=["POST"])
@login_required
def answer(request_id: int):
    advice = load_or_abort(AdviceRequest, request_id, check=permissions.can_answer_advice)
    form = AnswerForm(prefix=f"r{advice.id}")
    if form.validate_on_submit() and run_service(
        lambda: services.answer_request(
            advice, {"status": form.status.data, "reply": form.reply.data}, actor=current_user
        ),
        success=_("Solicitud actualizada."),
        on_errors=form.set_errors,
        category="success",
    ):
        return redirect(url_for("advice.inbox", ver=request.args.get("ver")) + f"#solicitud-{advice.id}")
    return _render({advice.id: form}, status=422)
