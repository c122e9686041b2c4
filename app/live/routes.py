"""The live room's page and its snapshot (for a client that resynchronises over HTTP)."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_login import current_user, login_required

from app import permissions
from app.encounters.models import EncounterGroup
from app.live import bp, events, services
from app.views import load_or_abort


def _group_or_abort(encounter_id: int, position: int) -> EncounterGroup:
    return load_or_abort(
        lambda key: services.get_group(*key), (encounter_id, position), check=permissions.can_join_room
    )


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:position>/sala")
@login_required
def room(encounter_id: int, position: int):
    group = _group_or_abort(encounter_id, position)
    return render_template(
        "live/room.html",
        group=group,
        encounter=group.encounter,
        text_only=request.args.get("texto") == "1",
        projector=request.args.get("proyector") == "1",
        can_participate=permissions.can_participate(current_user, group),
        can_facilitate=permissions.can_facilitate(current_user, group),
    )


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:position>/sala/proyector")
@login_required
def projector(encounter_id: int, position: int):
    """The room's shared screen (read-only): whoever may see the room, in their own session."""
    group = _group_or_abort(encounter_id, position)
    return render_template(
        "live/projector.html",
        group=group,
        encounter=group.encounter,
        state_events=events.STATE_EVENTS,
        row_events={t: name for t, (_, name) in events.ROW_EVENTS.items()},
    )


@bp.route("/encuentros/<int:encounter_id>/grupos/<int:position>/sala/estado.json")
@login_required
def snapshot(encounter_id: int, position: int):
    group = _group_or_abort(encounter_id, position)
    response = jsonify(services.snapshot(group, actor=current_user))
    response.headers["Cache-Control"] = "no-store"
    return response
