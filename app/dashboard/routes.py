"""The zone supervisor's dashboard page."""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required

from app import permissions
from app.dashboard import bp, services
from app.encounters.models import ENCOUNTER_STATUSES
from app.extensions import db
from app.logbook.models import COMMITMENT_STATUSES
from app.schools.models import Zone


@bp.route("/zonas/<cct>/tablero")
@login_required
def zone(cct: str):
    zone = db.session.execute(
        db.select(Zone).where(Zone.cct == (cct or "").strip().upper())
    ).scalar_one_or_none()
    if zone is None:
        abort(404)
    if not permissions.can_view_zone_dashboard(current_user, zone):
        abort(403)
    return render_template(
        "dashboard/zone.html", zone=zone, view=services.zone_dashboard(zone),
        encounter_statuses=ENCOUNTER_STATUSES, commitment_statuses=COMMITMENT_STATUSES,
    )
