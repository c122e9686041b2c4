"""The daily e-mail of a community's new posts, for the members who ask for it
(``flask communities digest``)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.communities.models import CommunityMember, CommunityPost, community_path
from app.encounters.notifications import queue_mail
from app.extensions import db
from app.urls import absolute_url
from app.utils import utcnow


def send_digests(*, now=None, hours: int = 24) -> int:
    """E-mail each member who asked for it the posts of the last ``hours`` of their communities
    (others' posts, not hidden), one message per person; the number of messages queued."""
    since = (now or utcnow()) - timedelta(hours=hours)
    members = db.session.execute(
        select(CommunityMember)
        .where(CommunityMember.wants_digest.is_(True))
        .options(selectinload(CommunityMember.user), selectinload(CommunityMember.community))
    ).scalars()
    by_user: dict[int, list] = {}
    for member in members:
        if not member.user.is_active or not member.user.email:
            continue
        posts = list(
            db.session.execute(
                select(CommunityPost)
                .where(
                    CommunityPost.community_id == member.community_id,
                    CommunityPost.created_at >= since,
                    CommunityPost.hidden_at.is_(None),
                    CommunityPost.author_id != member.user_id,
                )
                .order_by(CommunityPost.created_at)
            ).scalars()
        )
        if posts:
            by_user.setdefault(member.user_id, [member.user]).append((member.community, posts))
    for user, *groups in by_user.values():
        lines = []
        for community, posts in groups:
            lines.append(f"{community.name} ({absolute_url(community_path(community))})")
            for post in posts:
                who = post.school.name if post.school else "—"
                kind = _("respuesta") if post.parent_id else _("publicación")
                lines.append(f"  · {who} ({kind}): {post.body[:300]}")
            lines.append("")
        queue_mail(
            user.email,
            _("Aprendizaje entre Escuelas: lo nuevo en sus comunidades"),
            _("Hola, %(name)s:", name=user.name) + "\n\n" + "\n".join(lines),
        )
    return len(by_user)
