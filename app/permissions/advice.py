"""Who sees and answers the requests for outside advice: the advisors (ATP) of their zone, its
supervisor, and the administrator."""

from __future__ import annotations

from app.permissions.roles import _authenticated, advises_zone, supervises_zone


def can_view_advice_inbox(user) -> bool:
    return _authenticated(user) and user.role in ("asesor", "supervisor", "admin")


def can_answer_advice(user, request) -> bool:
    """An advisor of the request's zone, its supervisor, or the administrator."""
    if not _authenticated(user):
        return False
    return (
        user.role == "admin" or advises_zone(user, request.zone_id) or supervises_zone(user, request.zone_id)
    )
