"""The relatos index page (``/relatos``): search and filters (category, level, zone), a page at a
time. Kept apart from ``routes.py``, which holds the relato's own pages and the rest of the area."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.catalogue.models import LEVEL_LABELS, Zone
from app.extensions import db
from app.goodpractices import bp, services
from app.practices.routes import Page, _categories, _zones_for

PER_PAGE = 20
MAX_PAGE = 100_000  # a larger offset would overflow the database's integer


@bp.route("/relatos")
@login_required
def relatos():
    q = (request.args.get("q") or "").strip()[:200]
    categories = _categories()
    category = request.args.get("categoria") or None
    if category not in {c.code for c in categories}:
        category = None
    level = request.args.get("nivel") or None
    if level not in LEVEL_LABELS:
        level = None
    zones = _zones_for(current_user)
    zone_cct = (request.args.get("zona") or "").strip().upper()[:20]
    zone = db.session.execute(select(Zone).filter_by(cct=zone_cct)).scalar_one_or_none() if zone_cct else None
    if zone is not None and zone.id not in {z.id for z in zones}:
        zones.append(zone)  # a zone named in a link: offered too, so that the filter shows it
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    found = (
        services.RelatosPage([], 0)
        if zone_cct and zone is None
        else services.search_narratives(
            current_user,
            q=q,
            category=category,
            level=level,
            zone_id=zone.id if zone is not None else None,
            page=page,
            per_page=PER_PAGE,
        )
    )
    return render_template(
        "goodpractices/relatos.html",
        narratives=found.items,
        total=found.total,
        page=Page(page, PER_PAGE, found.total),
        q=q,
        category=category,
        level=level,
        zone_cct=zone.cct if zone is not None else zone_cct,
        unknown_zone=bool(zone_cct) and zone is None,
        categories=categories,
        levels=LEVEL_LABELS,
        zones=zones,
    )
