"""The encounter overview's page (``/encuentros/<id>/panorama``): the page only; its data comes over
Socket.IO (realtime.overview: ``watch``, ``announce`` and the ``overview_group`` updates). And the
last message to all groups of a room, which the room shows on opening and on reconnecting."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user, login_required

from app import permissions
from app.encounters import services as encounter_services
from app.live import bp, overview, services
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


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:position>/sala/aviso.json")
@login_required
def announcement(encounter_id: int, position: int):
    group = load_or_abort(
        lambda key: services.get_group(*key), (encounter_id, position), check=permissions.can_join_room
    )
    response = jsonify({"announcement": overview.latest_announcement(group, actor=current_user)})
    response.headers["Cache-Control"] = "no-store"
    return response
