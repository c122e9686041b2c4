"""Who may offer to mentor, ask for a mentor, lead the matching and see a mentoring pair.

A director or teacher with a school offers and asks. The network leaders of a zone (its supervisor,
its advisors) and the administrator see the zone's requests, every offer (a mentor may come from
another zone), run the matching and confirm pairs. A pair's plan, sessions and closing are private:
only its mentor, its mentee, the leaders of the mentee's zone and the administrator see them.
"""

from __future__ import annotations

from app.permissions.roles import _authenticated, advises_zone, is_admin, supervises_zone


def _has_school(user) -> bool:
    return (
        _authenticated(user)
        and user.role in ("director", "docente")
        and getattr(user, "school_id", None) is not None
    )


def can_offer_mentoring(user) -> bool:
    """Offer to mentor: a director or teacher of a school (their school's records are the evidence)."""
    return _has_school(user)


def can_request_mentoring(user) -> bool:
    """Ask for a mentor: a director or teacher of a school (a novice teacher, a new director, the school)."""
    return _has_school(user)


def leads_zone(user, zone_id: int | None) -> bool:
    """A network leader of this zone: its supervisor or one of its advisors; or the administrator."""
    return is_admin(user) or supervises_zone(user, zone_id) or advises_zone(user, zone_id)


def can_lead_mentoring(user) -> bool:
    """The leaders' page (requests, offers, suggested pairs): supervisors, advisors, administrators."""
    return _authenticated(user) and user.role in ("supervisor", "asesor", "admin")


def can_confirm_mentoring(user, request) -> bool:
    """Confirm a suggested pair for a request: a leader of the request's zone (or the administrator)."""
    return _authenticated(user) and leads_zone(user, request.school.zone_id)


def is_pair_member(user, pair) -> bool:
    return _authenticated(user) and user.id in (pair.offer.user_id, pair.request.requester_id)


def can_view_pair(user, pair) -> bool:
    """The pair's page (plan, sessions, closing): its two members, the leaders of the mentee's zone."""
    return is_pair_member(user, pair) or can_confirm_mentoring(user, pair.request)


def can_answer_pair(user, pair) -> bool:
    """Accept or decline a proposed pair: each member, for their own side, while it waits."""
    if pair.status != "propuesta" or not is_pair_member(user, pair):
        return False
    if user.id == pair.offer.user_id and pair.mentor_accepted_at is None:
        return True
    return user.id == pair.request.requester_id and pair.mentee_accepted_at is None


def can_work_in_pair(user, pair) -> bool:
    """Write the plan, log a session, close: the two members of an active pair."""
    return pair.status == "activa" and is_pair_member(user, pair)
