"""Pages of the schools area: zones, a zone's page, a school's page (the upload is app.catalogue)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import permissions
from app.catalogue.models import LEVEL_LABELS, LEVELS
from app.problems.models import PRIORITY_LABELS
from app.schools import bp, services
from app.views import load_or_abort


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/zonas")
@login_required
def zones():
    if current_user.role == "supervisor" and current_user.zone_id:
        return redirect(url_for("schools.zone", cct=current_user.zone.cct))
    if not permissions.can_list_zones(current_user):
        abort(403)
    level = request.args.get("nivel") or None
    level = level if level in LEVELS else None
    q = (request.args.get("q") or "").strip()[:100]
    page, school_counts = services.zones_for(current_user, level=level, q=q, page=max(_page(), 1))
    return render_template(
        "schools/zones.html", page=page, school_counts=school_counts, level=level, q=q, levels=LEVEL_LABELS
    )


@bp.route("/zonas/<cct>")
@login_required
def zone(cct: str):
    found = load_or_abort(services.get_zone, cct, check=permissions.can_view_zone)
    return render_template("schools/zone.html", view=services.zone_overview(found), zone=found)


@bp.route("/escuelas/<cct>")
@login_required
def school(cct: str):
    found = load_or_abort(services.get_school, cct, check=permissions.can_view_school_profile)
    view = services.school_overview(found, viewer=current_user)
    return render_template(
        "schools/school.html",
        view=view,
        school=found,
        top_priority=services.top_priority,
        priority_labels=PRIORITY_LABELS,
    )
