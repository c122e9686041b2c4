"""Communities of practice: propose, join, leave, follow, post on the board, reply, *me sirvió*;
the followers' notices. The leaders' moderation is ``moderation.py``, the daily e-mail ``digest.py``
(re-exported here).

Services take the actor explicitly, flush and never commit. Every moderation writes a
``ModerationRecord``.
"""

from __future__ import annotations

from functools import partial

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import permissions, signals, uploads
from app.auth.models import User
from app.communities.models import (
    DESCRIPTION_MAX,
    NAME_MAX,
    POST_MAX,
    Community,
    CommunityMember,
    CommunityPost,
    PostReaction,
    community_path,
)
from app.encounters.notifications import notify
from app.extensions import db
from app.goodpractices.models import Narrative
from app.practices.models import Practice
from app.problems.models import Category, Problem
from app.transactions import on_rollback
from app.validation import PermissionDenied, ValidationError, clean_text, parse_id

MAX_CATEGORIES = 5
EVIDENCE_FOLDER = "communities"


def evidence_path(post: CommunityPost):
    """Where a post's evidence file is stored."""
    return uploads.upload_folder(EVIDENCE_FOLDER) / post.evidence_stored_name


def evidence_thumbnail(post: CommunityPost):
    """The JPEG thumbnail of a post's image, once its job made it; else None."""
    path = uploads.thumbnail_path(evidence_path(post))
    return path if path.is_file() else None


def _school_id(user: User) -> int | None:
    return getattr(user, "school_id", None)


def _categories(codes) -> list[Category]:
    wanted = [str(c).strip() for c in (codes or []) if str(c).strip()]
    if not wanted:
        raise ValidationError({"categories": _("Elige al menos una categoría.")})
    if len(set(wanted)) > MAX_CATEGORIES:
        raise ValidationError({"categories": _("Elige hasta %(num)d categorías.", num=MAX_CATEGORIES)})
    found = list(db.session.execute(select(Category).where(Category.code.in_(set(wanted)))).scalars())
    if len(found) != len(set(wanted)):
        raise ValidationError({"categories": _("Alguna categoría elegida no existe.")})
    return found


def propose_community(data: dict, *, actor: User) -> Community:
    """A new community; whoever proposes it is its first leader (and member)."""
    if not permissions.can_propose_community(actor):
        raise PermissionDenied
    errors = {}
    values = {}
    for field, limit, empty in (
        ("name", NAME_MAX, _("Escribe el nombre de la comunidad.")),
        ("description", DESCRIPTION_MAX, _("Cuenta de qué trata y a quién invita.")),
    ):
        text = clean_text(data.get(field), field, limit + 1, empty=None)
        if not text:
            errors[field] = empty
        elif len(text) > limit:
            errors[field] = _("Admite hasta %(num)d caracteres.", num=limit)
        values[field] = text
    try:
        categories = _categories(data.get("categories"))
    except ValidationError as exc:
        errors.update(exc.errors)
    if not errors and db.session.scalar(
        select(func.count(Community.id)).where(func.lower(Community.name) == values["name"].lower())
    ):
        errors["name"] = _("Ya existe una comunidad con ese nombre: búsquela y únase.")
    if errors:
        raise ValidationError(errors)
    community = Community(name=values["name"], description=values["description"], created_by_id=actor.id)
    community.categories = categories
    community.members.append(CommunityMember(user_id=actor.id, school_id=_school_id(actor), role="lider"))
    db.session.add(community)
    db.session.flush()
    return community


def join(community: Community, *, actor: User) -> CommunityMember:
    """Join (and follow) the community."""
    if not permissions.can_join_community(actor, community):
        raise PermissionDenied
    member = CommunityMember(user_id=actor.id, school_id=_school_id(actor), role="miembro")
    community.members.append(member)
    db.session.flush()
    return member


def leave(community: Community, *, actor: User) -> None:
    """Leave the community; its last leader may not leave while others remain."""
    member = permissions.community_membership(actor, community)
    if member is None:
        raise PermissionDenied
    leaders = [m for m in community.members if m.is_leader]
    if member.is_leader and leaders == [member] and len(community.members) > 1:
        raise ValidationError(_("Antes de salir, nombra a otra persona líder de la comunidad."))
    community.members.remove(member)
    db.session.flush()


def _set_preference(community: Community, attribute: str, value: bool, actor: User) -> CommunityMember:
    member = permissions.community_membership(actor, community)
    if member is None:
        raise PermissionDenied
    setattr(member, attribute, bool(value))
    db.session.flush()
    return member


def set_following(community: Community, following: bool, *, actor: User) -> CommunityMember:
    """Receive (or stop receiving) notices of new posts."""
    return _set_preference(community, "is_following", following, actor)


def set_digest(community: Community, wanted: bool, *, actor: User) -> CommunityMember:
    """Receive (or not) the daily e-mail with the community's new posts."""
    return _set_preference(community, "wants_digest", wanted, actor)


def _link(model, raw, field: str, allowed) -> object | None:
    if raw in (None, ""):
        return None
    key = parse_id(raw)
    row = db.session.get(model, key) if key else None
    if row is None or not allowed(row):
        raise ValidationError({field: _("Elige una opción de la lista.")})
    return row


def post_links(actor: User) -> dict[str, list]:
    """What a post may be tied to: the actor's school's problems and relatos, and the practices the
    actor may see of their school (others' practices are linked from their own pages)."""
    school_id = _school_id(actor)
    if school_id is None:
        return {"problems": [], "practices": [], "narratives": []}
    return {
        "problems": list(
            db.session.execute(
                select(Problem).where(Problem.school_id == school_id).order_by(Problem.title)
            ).scalars()
        ),
        "practices": list(
            db.session.execute(
                select(Practice).where(Practice.school_id == school_id).order_by(Practice.title)
            ).scalars()
        ),
        "narratives": list(
            db.session.execute(
                select(Narrative).where(Narrative.school_id == school_id).order_by(Narrative.title)
            ).scalars()
        ),
    }


def add_post(
    community: Community, data: dict, *, actor: User, parent: CommunityPost | None = None
) -> CommunityPost:
    """A post on the board (or a reply); the community's followers are notified of a new post, the
    post's author of a reply."""
    if not permissions.can_post_in_community(actor, community):
        raise PermissionDenied
    if parent is not None and (parent.community_id != community.id or parent.parent_id is not None):
        raise ValidationError(_("Solo se responde a una publicación del tablero."))
    errors = {}
    body = clean_text(data.get("body"), "body", POST_MAX + 1)
    if not body:
        errors["body"] = _("Escribe tu publicación.")
    elif len(body) > POST_MAX:
        errors["body"] = _("Admite hasta %(num)d caracteres.", num=POST_MAX)
    links = {}
    if parent is None:
        school_id = _school_id(actor)
        for field, model, allowed in (
            ("problem_id", Problem, lambda p: p.school_id == school_id),
            ("practice_id", Practice, lambda p: permissions.can_view_practice(actor, p)),
            ("narrative_id", Narrative, lambda n: permissions.can_view_narrative(actor, n)),
        ):
            try:
                links[field] = _link(model, data.get(field), field, allowed)
            except ValidationError as exc:
                errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    post = CommunityPost(
        community_id=community.id,
        parent_id=parent.id if parent is not None else None,
        author_id=actor.id,
        school_id=_school_id(actor),
        body=body,
        **{field: row.id if row is not None else None for field, row in links.items()},
    )
    upload = data.get("file")
    if parent is None and upload is not None and getattr(upload, "filename", None):
        stored = uploads.store_evidence(
            upload, uploads.upload_folder(EVIDENCE_FOLDER), max_bytes=current_app.config["MAX_EVIDENCE_BYTES"]
        )
        on_rollback(partial(stored.path.unlink, missing_ok=True))  # the post may not be kept
        post.evidence_stored_name = stored.stored_name
        post.evidence_name = stored.display_name
        post.evidence_mime = stored.mime_type
        uploads.thumbnail_after_commit(stored)
    db.session.add(post)
    db.session.flush()
    who = actor.school.name if actor.school is not None else actor.name
    if parent is None:
        followers = [m.user for m in community.members if m.is_following and m.user_id != actor.id]
        notify(
            followers,
            "comunidad",
            _(
                "Nueva publicación en %(community)s (%(who)s): %(text)s",
                community=community.name,
                who=who,
                text=body[:160],
            ),
            url=community_path(community) + f"#publicacion-{post.id}",
            dedupe_key=f"comunidad-{community.id}",
        )
    elif (
        parent.author is not None
        and parent.author_id != actor.id
        and permissions.is_community_member(parent.author, community)
    ):
        notify(
            [parent.author],
            "comunidad",
            _("%(who)s respondió a tu publicación en %(community)s.", who=who, community=community.name),
            url=community_path(community) + f"#publicacion-{parent.id}",
        )
    return post


def toggle_reaction(post: CommunityPost, *, actor: User) -> bool:
    """*Me sirvió* on or off; true when it is now on."""
    community = db.session.get(Community, post.community_id)
    if not permissions.can_post_in_community(actor, community) or post.hidden_at is not None:
        raise PermissionDenied
    existing = next((r for r in post.reactions if r.user_id == actor.id), None)
    if existing is not None:
        post.reactions.remove(existing)
        db.session.flush()
        return False
    post.reactions.append(PostReaction(user_id=actor.id))
    db.session.flush()
    return True


def get_community(community_id) -> Community | None:
    key = parse_id(community_id)
    if key is None:
        return None
    return db.session.execute(
        select(Community)
        .where(Community.id == key)
        .options(
            selectinload(Community.categories),
            selectinload(Community.members).selectinload(CommunityMember.user),
            selectinload(Community.members).selectinload(CommunityMember.school),
        )
    ).scalar_one_or_none()


def board(community: Community) -> list[CommunityPost]:
    """The board's posts: pinned first, then newest first, with replies and reactions loaded."""
    return list(
        db.session.execute(
            select(CommunityPost)
            .where(CommunityPost.community_id == community.id, CommunityPost.parent_id.is_(None))
            .order_by(
                CommunityPost.is_pinned.desc(), CommunityPost.created_at.desc(), CommunityPost.id.desc()
            )
            .options(
                selectinload(CommunityPost.replies).selectinload(CommunityPost.reactions),
                selectinload(CommunityPost.reactions),
                selectinload(CommunityPost.school),
                selectinload(CommunityPost.author),
                selectinload(CommunityPost.problem),
                selectinload(CommunityPost.practice),
                selectinload(CommunityPost.narrative),
            )
            .limit(200)
        ).scalars()
    )


def communities_list(*, actor: User, q: str | None = None) -> list[tuple[Community, int, int, bool]]:
    """Every community, with its number of member schools and of zones, and whether the actor is in it;
    the actor's first, then the largest."""
    from app.catalogue.models import School

    query = select(Community).options(
        selectinload(Community.categories),
        selectinload(Community.members).selectinload(CommunityMember.school).selectinload(School.zone),
    )
    text = (q or "").strip()
    if text:
        query = query.where(func.lower(Community.name).contains(text.lower()[:100]))
    rows = []
    for community in db.session.execute(query).scalars():
        schools = {m.school_id for m in community.members if m.school_id is not None}
        zones = {m.school.zone_id for m in community.members if m.school is not None and m.school.zone_id}
        rows.append((community, len(schools), len(zones), permissions.is_community_member(actor, community)))
    rows.sort(key=lambda r: (not r[3], -r[1], r[0].name))
    return rows


def meeting_zones(community: Community) -> list[int]:
    """The zones of the member schools: an online meeting of the community is an encounter of these."""
    return sorted({m.school.zone_id for m in community.members if m.school is not None and m.school.zone_id})


@signals.schedulable_zones_requested.connect
def _zones_of_led_communities(user, **_kw):
    """A supervisor who leads a community may schedule its online meeting with its members' zones."""
    from app.catalogue.models import Zone

    led = db.session.execute(
        select(Community)
        .join(CommunityMember, CommunityMember.community_id == Community.id)
        .where(CommunityMember.user_id == user.id, CommunityMember.role == "lider")
    ).scalars()
    ids = {z for community in led for z in meeting_zones(community)}
    if not ids:
        return []
    return list(db.session.execute(select(Zone).where(Zone.id.in_(ids)).order_by(Zone.number)).scalars())


from app.communities.digest import send_digests  # noqa: E402,F401
from app.communities.moderation import hide_post, make_leader, pin_post, remove_member  # noqa: E402,F401
