"""What a community's leaders do, each recorded (``ModerationRecord``): hide a post with a reason
shown in its place, pin a post as a resource, remove a member with a reason, name another leader."""

from __future__ import annotations

from flask_babel import gettext as _

from app import permissions
from app.auth.models import User
from app.communities.models import REASON_MAX, Community, CommunityMember, CommunityPost, ModerationRecord
from app.extensions import db
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError, clean_text


def _record(community: Community, action: str, *, actor: User, post=None, user_id=None, reason=None) -> None:
    db.session.add(
        ModerationRecord(
            community_id=community.id,
            actor_id=actor.id,
            action=action,
            post_id=post.id if post is not None else None,
            user_id=user_id,
            reason=reason,
        )
    )


def _reason(value) -> str:
    text = clean_text(value, "reason", REASON_MAX + 1)
    if not text:
        raise ValidationError({"reason": _("Escribe el motivo: quien publicó lo verá.")})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": _("Admite hasta %(num)d caracteres.", num=REASON_MAX)})
    return text


def _moderated(post: CommunityPost, actor: User) -> Community:
    community = db.session.get(Community, post.community_id)
    if not permissions.can_moderate_community(actor, community):
        raise PermissionDenied
    return community


def hide_post(post: CommunityPost, data: dict, *, actor: User) -> CommunityPost:
    """Hide a post, with the reason shown in its place (recorded)."""
    community = _moderated(post, actor)
    post.hidden_reason = _reason(data.get("reason"))
    post.hidden_at = utcnow()
    post.is_pinned = False
    _record(community, "ocultar", actor=actor, post=post, reason=post.hidden_reason)
    db.session.flush()
    return post


def pin_post(post: CommunityPost, pinned: bool, *, actor: User) -> CommunityPost:
    """Pin a post (a resource) at the top of the board, or unpin it (recorded)."""
    community = _moderated(post, actor)
    if post.parent_id is not None or post.hidden_at is not None:
        raise ValidationError(_("Solo se fija una publicación visible del tablero."))
    post.is_pinned = bool(pinned)
    _record(community, "fijar" if pinned else "desfijar", actor=actor, post=post)
    db.session.flush()
    return post


def remove_member(community: Community, member_id: int, data: dict, *, actor: User) -> None:
    """Remove a member, with a reason (recorded); a leader is not removed this way."""
    if not permissions.can_moderate_community(actor, community):
        raise PermissionDenied
    member = next((m for m in community.members if m.id == member_id), None)
    if member is None:
        raise ValidationError(_("Esa persona no es miembro de la comunidad."))
    if member.is_leader:
        raise ValidationError(_("No se puede quitar a una persona líder."))
    reason = _reason(data.get("reason"))
    _record(community, "quitar", actor=actor, user_id=member.user_id, reason=reason)
    community.members.remove(member)
    db.session.flush()


def make_leader(community: Community, member_id: int, *, actor: User) -> CommunityMember:
    """Give a member the leader role (recorded)."""
    if not permissions.can_moderate_community(actor, community):
        raise PermissionDenied
    member = next((m for m in community.members if m.id == member_id), None)
    if member is None:
        raise ValidationError(_("Esa persona no es miembro de la comunidad."))
    member.role = "lider"
    _record(community, "nombrar_lider", actor=actor, user_id=member.user_id)
    db.session.flush()
    return member
