"""The zone's network-health page and its CSV (who may: as the zone dashboard)."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import login_required

from app import permissions
from app.networkhealth import bp, services
from app.utils import csv_cell
from app.views import zone_or_404


@bp.route("/zonas/<cct>/red")
@login_required
def zone(cct: str):
    zone = zone_or_404(cct, check=permissions.can_view_zone_dashboard)
    return render_template("networkhealth/zone.html", zone=zone, view=services.zone_health(zone))


@bp.route("/zonas/<cct>/red.csv")
@login_required
def zone_csv(cct: str):
    zone = zone_or_404(cct, check=permissions.can_view_zone_dashboard)
    view = services.zone_health(zone)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Escuela"), "CCT", _("Vínculos"), _("Último vínculo"), _("Actividad"), _("Aislada"), _("Puente")]
    )
    for row in view.per_school:
        writer.writerow(
            [
                csv_cell(row["school"].name),
                csv_cell(row["school"].cct),
                row["ties"],
                row["last_tie"].isoformat() if row["last_tie"] else "",
                row["activity"],
                _("sí") if row["isolated"] else _("no"),
                row["bridge"],
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="red-{zone.cct}.csv"'},
    )
