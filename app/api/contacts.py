"""Routes of the JSON API for contact requests between schools (issue 12): the caller's
conversations, one conversation, a new request to a school, a reply. Same skeleton as
``routes.py``: parse, check with ``app.permissions`` as the pages do, call the contacts area's
services, serialise here. Each route is described in ``openapi.py``.
"""

from __future__ import annotations

from flask import jsonify, url_for
from flask_babel import gettext as _

from app import permissions
from app.api import bp
from app.api.auth import api_user
from app.api.inputs import json_body
from app.api.routes import _allow, _get_or_404, _page_args, _school_or_404, created, paginated
from app.contacts import services
from app.contacts.models import ContactRequest


def _school_ref(school) -> dict:
    return {"cct": school.cct, "name": school.name, "zone": school.zone.cct if school.zone else None}


def contact_to_dict(request: ContactRequest, *, detail: bool = True) -> dict:
    """A conversation: both schools, what it is about, its status, the encounter proposal and (in
    detail) its messages — school and author names, no e-mail addresses."""
    body = {
        "id": request.id,
        "sender_school": _school_ref(request.sender_school),
        "recipient_school": _school_ref(request.recipient_school),
        "problem_id": request.problem_id,
        "practice_id": request.practice_id,
        "status": request.status,
        "created_at": request.created_at.isoformat(),
        "updated_at": request.updated_at.isoformat(),
        "encounter_proposed_at": request.encounter_proposed_at.isoformat()
        if request.encounter_proposed_at
        else None,
    }
    if detail:
        body["messages"] = [
            {
                "id": m.id,
                "school": m.school.cct,
                "author": m.author.name if m.author else None,
                "body": m.body,
                "created_at": m.created_at.isoformat(),
            }
            for m in request.messages
        ]
    return body


@bp.route("/contact-requests")
def list_contact_requests():
    """The conversations the caller may read (as on /contactos), the most recently active first."""
    user = api_user()
    page, per_page = _page_args()
    rows = services.requests_for(user)
    items = rows[(page - 1) * per_page : page * per_page]
    return paginated([contact_to_dict(r, detail=False) for r in items], len(rows), page, per_page)


@bp.route("/contact-requests/<int:request_id>")
def get_contact_request(request_id: int):
    """One conversation with its messages."""
    request = _get_or_404(
        ContactRequest, request_id, _("No existe esa conversación."), permissions.can_view_contact
    )
    return jsonify(contact_to_dict(request))


@bp.route("/schools/<cct>/contact-requests", methods=["POST"])
def create_contact_request(cct: str):
    """Write to the school's directors (``message``; ``about``: ``problema-<id>`` or
    ``practica-<id>``, optional); they are notified."""
    user = api_user()
    school = _school_or_404(cct, permissions.can_view_school_profile, user)
    _allow(permissions.can_request_contact(user, school))
    data = json_body("ContactRequestInput")
    request = services.send_contact_request(school, data, actor=user)
    return created(contact_to_dict(request), url_for("api.get_contact_request", request_id=request.id))


@bp.route("/contact-requests/<int:request_id>/replies", methods=["POST"])
def reply_contact_request(request_id: int):
    """Answer in the conversation (``message``); the other school is notified."""
    user = api_user()
    request = _get_or_404(
        ContactRequest, request_id, _("No existe esa conversación."), permissions.can_view_contact, user
    )
    _allow(permissions.can_reply_contact(user, request))
    services.reply(request, json_body("ContactReplyInput"), actor=user)
    return created(contact_to_dict(request), url_for("api.get_contact_request", request_id=request.id))
