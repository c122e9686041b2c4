"""Who may write to another school and read the conversation: the directors of the two schools;
the supervisors of both zones once an encounter between them is proposed; the administrator."""

from __future__ import annotations

from app.permissions.roles import _authenticated, is_admin, supervises_zone


def _directs(user, school_id: int | None) -> bool:
    return (
        _authenticated(user)
        and user.role == "director"
        and school_id is not None
        and getattr(user, "school_id", None) == school_id
    )


def can_view_school_profile(user, school) -> bool:
    """A school's public profile (open problems, shared practices, recognised good practices, relatos;
    no personal data): every signed-in person, of any zone, so that partners can be reached."""
    return _authenticated(user)


def can_request_contact(user, school) -> bool:
    """Write to a school's director: the director of another school."""
    return (
        _authenticated(user)
        and user.role == "director"
        and getattr(user, "school_id", None) is not None
        and user.school_id != school.id
    )


def can_view_contact(user, request) -> bool:
    """The directors of both schools; once an encounter is proposed, the supervisors of both zones."""
    if not _authenticated(user):
        return False
    if (
        is_admin(user)
        or _directs(user, request.sender_school_id)
        or _directs(user, request.recipient_school_id)
    ):
        return True
    return request.encounter_proposed_at is not None and any(
        supervises_zone(user, zone_id) for zone_id in request.zone_ids
    )


def can_reply_contact(user, request) -> bool:
    """The directors of both schools, while the conversation is open."""
    return request.status != "cerrada" and (
        _directs(user, request.sender_school_id) or _directs(user, request.recipient_school_id)
    )


def can_propose_encounter(user, request) -> bool:
    """Either director asks both supervisors for an encounter between their schools, once."""
    return request.encounter_proposed_at is None and can_reply_contact(user, request)
