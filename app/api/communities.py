"""Routes of the JSON API for communities of practice (issue 14): the communities, one with its
member schools, its board, a new post (or a reply), and joining. Same rules as the pages: anyone
signed in reads a community and its schools; people's names only to members; members post.
Each route is described in ``openapi.py``.
"""

from __future__ import annotations

from flask import jsonify, url_for
from flask_babel import gettext as _

from app import permissions
from app.api import bp
from app.api.auth import api_user
from app.api.errors import ApiError
from app.api.inputs import json_body
from app.api.routes import _allow, _page_args, created, paginated
from app.communities import services
from app.communities.models import Community, CommunityPost


def _community_or_404(community_id: int) -> Community:
    community = services.get_community(community_id)
    if community is None:
        raise ApiError(404, _("No existe esa comunidad."))
    return community


def community_to_dict(community: Community, *, user, detail: bool = True) -> dict:
    """A community: its categories, its schools (and, for members, its people), whether the caller is in it."""
    schools = {m.school_id: m.school for m in community.members if m.school is not None}
    body = {
        "id": community.id,
        "name": community.name,
        "description": community.description,
        "categories": [c.code for c in community.categories],
        "schools": len(schools),
        "zones": len({s.zone_id for s in schools.values() if s.zone_id}),
        "is_member": permissions.is_community_member(user, community),
    }
    if detail:
        body["member_schools"] = [
            {"cct": s.cct, "name": s.name, "zone": s.zone.cct if s.zone else None} for s in schools.values()
        ]
        if permissions.can_see_member_names(user, community):
            body["members"] = [
                {"name": m.user.name, "school": m.school.cct if m.school else None, "role": m.role}
                for m in community.members
            ]
    return body


def post_to_dict(post: CommunityPost, *, names: bool) -> dict:
    """A post (or a reply): hidden ones keep only the reason."""
    body = {
        "id": post.id,
        "parent_id": post.parent_id,
        "school": post.school.cct if post.school else None,
        "author": post.author.name if names and post.author else None,
        "created_at": post.created_at.isoformat(),
        "is_pinned": post.is_pinned,
        "hidden_reason": post.hidden_reason if post.hidden_at else None,
        "body": None if post.hidden_at else post.body,
        "problem_id": post.problem_id,
        "practice_id": post.practice_id,
        "narrative_id": post.narrative_id,
        "useful": len(post.reactions),
    }
    if post.parent_id is None:
        body["replies"] = [post_to_dict(r, names=names) for r in post.replies]
    return body


@bp.route("/communities")
def list_communities():
    """Every community, the caller's first, then the largest."""
    user = api_user()
    page, per_page = _page_args()
    rows = services.communities_list(actor=user)
    items = rows[(page - 1) * per_page : page * per_page]
    return paginated(
        [community_to_dict(c, user=user, detail=False) for c, *_rest in items], len(rows), page, per_page
    )


@bp.route("/communities/<int:community_id>")
def get_community(community_id: int):
    """One community with its schools (its people for members)."""
    user = api_user()
    return jsonify(community_to_dict(_community_or_404(community_id), user=user))


@bp.route("/communities/<int:community_id>/posts")
def community_posts(community_id: int):
    """The board: pinned first, then newest first, with replies."""
    user = api_user()
    community = _community_or_404(community_id)
    page, per_page = _page_args()
    posts = services.board(community)
    names = permissions.can_see_member_names(user, community)
    items = posts[(page - 1) * per_page : page * per_page]
    return paginated([post_to_dict(p, names=names) for p in items], len(posts), page, per_page)


@bp.route("/communities/<int:community_id>/posts", methods=["POST"])
def create_community_post(community_id: int):
    """A post on the board (``body``; ``problem_id``, ``practice_id``, ``narrative_id`` optional), or a
    reply (``parent_id``); members only."""
    user = api_user()
    community = _community_or_404(community_id)
    _allow(permissions.can_post_in_community(user, community))
    data = json_body("CommunityPostInput")
    parent = None
    if data.get("parent_id") is not None:
        parent = next((p for p in services.board(community) if p.id == data["parent_id"]), None)
        if parent is None:
            raise ApiError(422, fields={"parent_id": _("Solo se responde a una publicación del tablero.")})
    post = services.add_post(
        community,
        {k: (str(v) if v is not None else None) for k, v in data.items() if k != "parent_id"},
        actor=user,
        parent=parent,
    )
    return created(post_to_dict(post, names=True), url_for("api.community_posts", community_id=community.id))


@bp.route("/communities/<int:community_id>/members", methods=["POST"])
def join_community(community_id: int):
    """The caller joins the community (and follows it)."""
    user = api_user()
    community = _community_or_404(community_id)
    _allow(permissions.can_join_community(user, community))
    services.join(community, actor=user)
    return created(
        community_to_dict(community, user=user), url_for("api.get_community", community_id=community.id)
    )
