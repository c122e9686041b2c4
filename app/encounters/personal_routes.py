"""Each person's own pages of the encounters area: calendars (one encounter's .ics, the private feed
of all of them) and notices (avisos), and the template globals the nav bar and home page use."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.encounters import bp, calendar, notifications, services
from app.encounters.forms import ActionForm
from app.encounters.models import Encounter, Notification
from app.encounters.routes import _viewable
from app.extensions import db

# --- calendars ---------------------------------------------------------------------------------


def _ics_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/encuentros/<int:encounter_id>/calendario.ics")
@login_required
def ics(encounter_id: int):
    encounter = _viewable(encounter_id)
    data = calendar.calendar_bytes(
        [encounter], user=current_user, base_url=request.url_root, name=encounter.title
    )
    return _ics_response(data, f"encuentro-{encounter.id}.ics")


@bp.route("/calendario", methods=["GET", "POST"])
@login_required
def calendar_feed():
    token = None
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        if request.form.get("action") == "desactivar":
            calendar.delete_feed(actor=current_user)
            flash(_("El enlace del calendario quedó desactivado."), "info")
            return redirect(url_for("encounters.calendar_feed"))
        token = calendar.create_feed(actor=current_user)
    feed_url = url_for("encounters.feed", token=token, _external=True) if token else None
    return render_template(
        "encounters/calendar.html",
        feed=calendar.feed_for(current_user),
        feed_url=feed_url,
        action_form=ActionForm(),
    )


@bp.route("/calendario/<token>.ics")
def feed(token: str):
    user = calendar.feed_owner(token)
    if user is None:
        abort(404)
    data = calendar.calendar_bytes(
        calendar.feed_encounters(user), user=user, base_url=request.url_root, name=_("Mis encuentros")
    )
    return _ics_response(data, "encuentros.ics")


# --- notifications -----------------------------------------------------------------------------


@bp.route("/avisos")
@login_required
def notifications_page():
    return render_template(
        "encounters/notifications.html",
        items=notifications.notifications_for(current_user),
        action_form=ActionForm(),
    )


@bp.route("/avisos/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    notifications.mark_read(current_user, item.id)
    target = (
        item.url
        if item.url and item.url.startswith("/") and not item.url.startswith("//")
        else url_for("encounters.notifications_page")
    )
    return redirect(target)


@bp.route("/avisos/leidos", methods=["POST"])
@login_required
def mark_all_read():
    if not ActionForm().validate_on_submit():
        abort(400)
    notifications.mark_read(current_user)
    return redirect(url_for("encounters.notifications_page"))


# --- for other pages ---------------------------------------------------------------------------


@bp.app_template_global()
def my_upcoming_encounters(limit: int = 5) -> list[Encounter]:
    """For the home page: the signed-in person's encounters that have not ended."""
    return services.upcoming_encounters(current_user, limit=limit)


@bp.app_template_global()
def unread_notification_count() -> int:
    """For the nav bar: how many unread notifications the signed-in person has."""
    return notifications.unread_count(current_user)
