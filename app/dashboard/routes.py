"""The zone supervisor's dashboard page."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from app import permissions
from app.advice import services as advice_services
from app.commitments.models import COMMITMENT_STATUSES
from app.dashboard import bp, services
from app.encounters.models import ENCOUNTER_STATUSES
from app.views import zone_or_404


@bp.route("/zonas/<cct>/tablero")
@login_required
def zone(cct: str):
    zone = zone_or_404(cct, check=permissions.can_view_zone_dashboard)
    return render_template(
        "dashboard/zone.html",
        zone=zone,
        view=services.zone_dashboard(zone),
        advice_open=advice_services.open_by_topic_and_age(zone.id),
        encounter_statuses=ENCOUNTER_STATUSES,
        commitment_statuses=COMMITMENT_STATUSES,
    )
