"""Routes of the JSON API for the good-practice cycle: relatos, recognitions of a practice, and a
school's commitments (issue 12). Same skeleton as ``routes.py`` (kept apart so that neither module
grows past reading): parse, check with ``app.permissions`` as the pages do, call the page's service,
serialise with ``app.api.schemas``. Each route is described in ``openapi.py``.
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.api import bp, schemas
from app.api.auth import api_user
from app.api.errors import ApiError
from app.api.inputs import json_body
from app.api.routes import (
    _allow,
    _choice_arg,
    _get_or_404,
    _page_args,
    _school_or_404,
    created,
    paginated,
)
from app.catalogue.models import LEVELS, Zone
from app.commitments.models import COMMITMENT_STATUSES, Commitment
from app.extensions import db
from app.goodpractices.models import Narrative
from app.practices.models import Practice
from app.validation import ValidationError

#: The longest search the relatos page reads (it cuts the rest; the API refuses it instead).
Q_MAX = 200


def _text_arg(name: str, maximum: int) -> str | None:
    """An optional text query parameter of at most ``maximum`` characters; 400 when longer."""
    raw = request.args.get(name, "").strip()
    if len(raw) > maximum:
        message = _("El parámetro «%(name)s» admite máximo %(n)s caracteres.", name=name, n=maximum)
        raise ApiError(400, message, fields={name: message})
    return raw or None


# --- relatos ------------------------------------------------------------------------------------


@bp.route("/relatos")
def list_relatos():
    """The relatos the caller may read, newest first; filters as on /relatos: q, category, level,
    zone (CCT)."""
    from app.goodpractices.services import search_narratives

    user = api_user()
    page, per_page = _page_args()
    q = _text_arg("q", Q_MAX) or ""
    category = _text_arg("category", 60)
    level = _choice_arg("level", LEVELS)
    zone_id = None
    zone_cct = _text_arg("zone", 20)
    if zone_cct:
        zone = db.session.scalar(select(Zone).where(Zone.cct == zone_cct.upper()))
        if zone is None:  # as on the page: a zone that does not exist matches nothing
            return paginated([], 0, page, per_page)
        zone_id = zone.id
    found = search_narratives(
        user, q=q, category=category, level=level, zone_id=zone_id, page=page, per_page=per_page
    )
    return paginated([schemas.narrative_to_dict(n) for n in found.items], found.total, page, per_page)


@bp.route("/relatos/<int:narrative_id>")
def get_relato(narrative_id: int):
    """One relato."""
    narrative = _get_or_404(
        Narrative, narrative_id, _("No existe ese relato."), permissions.can_view_narrative
    )
    return jsonify(schemas.narrative_to_dict(narrative))


# --- recognitions -------------------------------------------------------------------------------


def _recognitions_body(practice: Practice, user) -> dict:
    from app.goodpractices.services import recognition_zones, recognitions

    return {
        "items": [schemas.recognition_to_dict(r) for r in recognitions(practice)],
        "recognisable_zones": [schemas.zone_ref(z) for z in recognition_zones(user, practice)],
    }


@bp.route("/practices/<int:practice_id>/recognitions")
def practice_recognitions(practice_id: int):
    """The zones that recognised the practice as a *buena práctica*, and those in whose name the
    caller may recognise it."""
    user = api_user()
    practice = _get_or_404(
        Practice, practice_id, _("No existe esa práctica."), permissions.can_view_practice, user
    )
    return jsonify(_recognitions_body(practice, user))


@bp.route("/practices/<int:practice_id>/recognitions", methods=["POST"])
def recognise_practice(practice_id: int):
    """Recognise the practice as a good practice of a zone (``zone``: its CCT, optional when the
    caller may speak for one zone only); again for the same zone replaces the rationale."""
    from app.goodpractices.services import recognise_practice as recognise
    from app.goodpractices.services import recognition_zones

    user = api_user()
    practice = _get_or_404(
        Practice, practice_id, _("No existe esa práctica."), permissions.can_view_practice, user
    )
    _allow(permissions.can_recognise_practice(user, practice))
    data = json_body("RecognitionInput")
    zones = recognition_zones(user, practice)
    wanted = (data.get("zone") or "").strip().upper()
    if wanted:
        zone = next((z for z in zones if z.cct == wanted), None)
        _allow(zone is not None)
    elif len(zones) == 1:
        zone = zones[0]
    else:
        message = _("Indica en «zone» la CCT de la zona en cuyo nombre reconoces la práctica.")
        raise ApiError(422, fields={"zone": message})
    recognition = recognise(practice, zone, data, actor=user)
    return created(
        schemas.recognition_to_dict(recognition),
        url_for("api.practice_recognitions", practice_id=practice.id),
    )


# --- commitments --------------------------------------------------------------------------------


def _commitment_dict(commitment: Commitment, *, detail: bool = True) -> dict:
    from app.commitments.services import TRANSITIONS

    return schemas.commitment_to_dict(commitment, transitions=TRANSITIONS, detail=detail)


@bp.route("/schools/<cct>/commitments")
def school_commitments(cct: str):
    """The school's commitments, soonest due first (as on its page); filter: status."""
    from app.commitments.services import commitments_for_school

    school = _school_or_404(cct, permissions.can_view_logbook)
    status = _choice_arg("status", tuple(COMMITMENT_STATUSES))
    page, per_page = _page_args()
    rows = commitments_for_school(school, status=status)
    items = rows[(page - 1) * per_page : page * per_page]
    return paginated([_commitment_dict(c, detail=False) for c in items], len(rows), page, per_page)


@bp.route("/commitments/<int:commitment_id>")
def get_commitment(commitment_id: int):
    """One commitment, with its progress notes."""
    commitment = _get_or_404(
        Commitment, commitment_id, _("No existe ese compromiso."), permissions.can_view_commitment
    )
    return jsonify(_commitment_dict(commitment))


@bp.route("/commitments/<int:commitment_id>", methods=["PATCH"])
def update_commitment(commitment_id: int):
    """Follow a commitment up: a progress note (``note``), optionally a new status and, to
    reschedule, a new due date — the page's service, with the same transitions."""
    from app.commitments.services import add_commitment_note

    user = api_user()
    commitment = _get_or_404(
        Commitment, commitment_id, _("No existe ese compromiso."), permissions.can_view_commitment, user
    )
    _allow(permissions.can_follow_up_commitment(user, commitment))
    data = json_body("CommitmentUpdate")
    try:
        add_commitment_note(
            commitment,
            {
                "body": data.get("note"),
                "status": data.get("status"),
                "new_due_date": data.get("new_due_date"),
            },
            actor=user,
        )
    except ValidationError as exc:  # the service names the note "body"; here it is "note"
        raise ValidationError(
            {("note" if key == "body" else key): message for key, message in exc.errors.items()}
        ) from None
    db.session.expire(commitment, ["notes"])
    return jsonify(_commitment_dict(commitment))
