"""The encounter overview's page (``/encuentros/<id>/panorama``): the page only; its data comes over
Socket.IO (realtime.overview: ``watch``, ``announce`` and the ``overview_group`` updates)."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from app.encounters import services as encounter_services
from app.live import bp, overview
from app.views import load_or_abort


@bp.route("/encuentros/<int:encounter_id>/panorama")
@login_required
def overview_page(encounter_id: int):
    encounter = load_or_abort(encounter_services.get_encounter, encounter_id, check=overview.can_watch)
    return render_template(
        "live/overview.html",
        encounter=encounter,
        groups=sorted(encounter.groups, key=lambda g: g.position),
        late_reasons={key: str(text) for key, text in overview.LATE_REASONS.items()},
        announcement_max=overview.ANNOUNCEMENT_MAX,
    )
