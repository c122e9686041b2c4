"""Who may do what in a community of practice: every signed-in person reads and joins; members
post, reply and react; leaders (and the administrator) moderate. Members' names are shown to
members only: others see the schools."""

from __future__ import annotations

from app.permissions.roles import _authenticated, is_admin


def community_membership(user, community):
    """The person's membership of the community, or None."""
    if not _authenticated(user):
        return None
    return next((m for m in community.members if m.user_id == user.id), None)


def can_view_community(user, community) -> bool:
    return _authenticated(user)


def can_propose_community(user) -> bool:
    """Anyone signed in with a school or a zone role may propose one (and leads it)."""
    return _authenticated(user) and user.role in ("director", "docente", "supervisor", "asesor", "admin")


def can_join_community(user, community) -> bool:
    return can_propose_community(user) and community_membership(user, community) is None


def is_community_member(user, community) -> bool:
    return community_membership(user, community) is not None


def can_post_in_community(user, community) -> bool:
    return is_community_member(user, community)


def can_moderate_community(user, community) -> bool:
    member = community_membership(user, community)
    return is_admin(user) or (member is not None and member.is_leader)


def can_see_member_names(user, community) -> bool:
    """Personal data (who the members are) only to members and the administrator."""
    return is_admin(user) or is_community_member(user, community)
