"""The network-health page and CSV of a zone (who may: as the zone dashboard) and of a region, the
zones of a sector (administrators, and those who see one of its zones)."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.networkhealth import bp, services
from app.permissions.logbook import can_view_region_health
from app.utils import csv_cell
from app.views import zone_or_404


@bp.route("/zonas/<cct>/red")
@login_required
def zone(cct: str):
    zone = zone_or_404(cct, check=permissions.can_view_zone_dashboard)
    return render_template("networkhealth/zone.html", zone=zone, view=services.zone_health(zone))


def _region(sector: str):
    zones = services.region_zones(sector)
    if not zones:
        abort(404)
    if not can_view_region_health(current_user, zones):
        abort(403)
    return zones


@bp.route("/regiones/<sector>/red")
@login_required
def region(sector: str):
    """A region's (a sector's zones') network: ties across its zones, by zone."""
    zones = _region(sector)
    return render_template(
        "networkhealth/zone.html", zone=None, sector=zones[0].sector_cct, view=services.network_health(zones)
    )


@bp.route("/zonas/<cct>/red.csv")
@login_required
def zone_csv(cct: str):
    zone = zone_or_404(cct, check=permissions.can_view_zone_dashboard)
    return _csv(services.zone_health(zone), f"red-{zone.cct}.csv")


@bp.route("/regiones/<sector>/red.csv")
@login_required
def region_csv(sector: str):
    zones = _region(sector)
    return _csv(services.network_health(zones), f"red-sector-{zones[0].sector_cct}.csv")


def _csv(view, filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Escuela"),
            "CCT",
            _("Vínculos"),
            _("Último vínculo"),
            _("Actividad"),
            _("Aislada"),
            _("Puente"),
            _("Zona"),
        ]
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
                csv_cell(row["school"].zone.label) if row["school"].zone else "",
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
