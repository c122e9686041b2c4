"""Who may join a live room, take part in it and facilitate it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from app.permissions.roles import _authenticated, advises_school, is_admin


def _live_school_ids(group) -> set[int]:
    return {m.school_id for m in group.schools}


def _live_zone_ids(group) -> set[int]:
    """The encounter's zones and those of the group's schools."""
    ids = {z.id for z in group.encounter.zones}
    ids.update(m.school.zone_id for m in group.schools if m.school.zone_id is not None)
    return ids


def _live_member(user, group) -> bool:
    return (
        _authenticated(user)
        and user.role in ("director", "docente")
        and user.school_id is not None
        and user.school_id in _live_school_ids(group)
    )


def can_facilitate(user, group) -> bool:
    """Run the room (agenda, countdown, turns, floor, hiding): the group's facilitator, the zone's
    supervisor, administrators and the director of the host school."""
    if not _authenticated(user):
        return False
    return (
        is_admin(user)
        or (group.facilitator_id is not None and group.facilitator_id == user.id)
        or (user.role == "supervisor" and user.zone_id in _live_zone_ids(group))
        or (
            user.role == "director"
            and group.host_school_id is not None
            and user.school_id == group.host_school_id
        )
    )


def can_join_room(user, group) -> bool:
    """See the live room: the group's schools' people, its facilitators, the zone's supervisor, the
    schools' advisors, administrators (a draft encounter's room only to those who run it)."""
    if not _authenticated(user):
        return False
    if can_facilitate(user, group):
        return True
    if group.encounter.status == "borrador":
        return False
    return _live_member(user, group) or (
        user.role == "asesor" and any(advises_school(user, m.school) for m in group.schools)
    )


def can_participate(user, group) -> bool:
    """Write in the live room (contributions, hands, commitments): the group's schools' directors and
    teachers and whoever facilitates; advisors and other viewers only observe."""
    return can_join_room(user, group) and (_live_member(user, group) or can_facilitate(user, group))
