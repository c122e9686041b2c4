"""Communities suggested from the graph of schools and problems (``network.communities``), and the
schools a community could invite: in no community yet, with open problems in its categories."""

from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.catalogue.models import School
from app.communities.models import Community, CommunityMember
from app.extensions import db
from app.problems.models import PRIORITY_WEIGHTS, Category, Problem, ProblemCategory
from network.communities import suggest_communities, unjoined_schools

#: Suggestions are recomputed at most this often per level (a national level takes ~1.5 s).
SUGGESTIONS_TTL = 600
_suggestion_cache: dict[str, tuple[float, list[dict], dict]] = {}


def open_profiles(level: str | None) -> tuple[dict[int, dict[str, float]], dict[int, int]]:
    """``{school: {category: weight}}`` of the open problems of the schools of a level (the heaviest
    priority per category), and ``{school: zone}``."""
    query = (
        select(Problem.school_id, Category.code, ProblemCategory.priority, School.zone_id)
        .join(ProblemCategory, ProblemCategory.problem_id == Problem.id)
        .join(Category, Category.id == ProblemCategory.category_id)
        .join(School, School.id == Problem.school_id)
        .where(Problem.status.in_(("abierta", "en_atencion")))
    )
    if level:
        query = query.where(School.level == level)
    profiles: dict[int, dict[str, float]] = {}
    zones: dict[int, int] = {}
    for school_id, code, priority, zone_id in db.session.execute(query):
        weight = float(PRIORITY_WEIGHTS.get(priority, 1))
        profile = profiles.setdefault(school_id, {})
        profile[code] = max(profile.get(code, 0.0), weight)
        zones[school_id] = zone_id
    return profiles, zones


def _members_schools() -> set[int]:
    return set(
        db.session.scalars(select(CommunityMember.school_id).where(CommunityMember.school_id.is_not(None)))
    )


def suggestions(*, actor: User, limit: int = 5) -> list[dict]:
    """Communities the graph of schools and problems suggests for the actor's level: the schools that
    share the same problems, how many zones they span, whether the actor's school is among them, how
    many of them are in no community yet, and the categories to propose it with."""
    level = actor.school.level if getattr(actor, "school", None) is not None else None
    # Kept while the level's problems are the same ones (count, newest id, last change) and fresh.
    changed = select(func.count(Problem.id), func.max(Problem.id), func.max(Problem.updated_at)).join(
        School, School.id == Problem.school_id
    )
    if level:
        changed = changed.where(School.level == level)
    key = f"{level or '*'}:{tuple(db.session.execute(changed).one())}"
    cached = _suggestion_cache.get(key)
    if cached is None or time.monotonic() - cached[0] > SUGGESTIONS_TTL:
        profiles, zones = open_profiles(level)
        found = suggest_communities(profiles, zones=zones, min_size=3, seed=0)
        _suggestion_cache.clear()  # one entry per level is enough; old fingerprints go
        _suggestion_cache[key] = (time.monotonic(), found, zones)
    _at, found, _zones = _suggestion_cache[key]
    joined = _members_schools()
    codes = sorted({c for s in found for c in s["dominant_categories"]})
    names = dict(
        db.session.execute(select(Category.code, Category.name).where(Category.code.in_(codes))).all()
    )
    mine = getattr(actor, "school_id", None)
    shown = []
    for item in sorted(found, key=lambda s: (mine not in s["schools"], -s["size"])):
        shown.append(
            {
                "size": item["size"],
                "zones": item["zones"] or 0,
                "categories": [names.get(c, c) for c in item["dominant_categories"]],
                "codes": item["dominant_categories"],
                "includes_mine": mine in item["schools"],
                "unjoined": sum(1 for s in item["schools"] if s not in joined),
            }
        )
        if len(shown) == limit:
            break
    return shown


def could_join(community: Community, *, limit: int = 10) -> list[dict]:
    """Schools in no community yet whose open problems share the community's categories (most
    overlap first): whom its members could invite."""
    codes = [c.code for c in community.categories]
    if not codes:
        return []
    levels = {m.school.level for m in community.members if m.school is not None}
    profiles, _zones = open_profiles(levels.pop() if len(levels) == 1 else None)
    target = {
        "schools": sorted({m.school_id for m in community.members if m.school_id}),
        "dominant_categories": codes,
        "weights": [1.0] * len(codes),
    }
    found = unjoined_schools(target, _members_schools(), profiles, min_overlap=0.5, limit=limit)
    schools = {
        s.id: s
        for s in db.session.scalars(
            select(School)
            .where(School.id.in_([f["school"] for f in found]))
            .options(selectinload(School.zone))
        )
    }
    names = {c.code: c.name for c in community.categories}
    return [
        {"school": schools[f["school"]], "categories": [names[c] for c in f["categories"]]}
        for f in found
        if f["school"] in schools
    ]


def participation(community: Community, *, today=None, months: int = 6, quiet_days: int = 120) -> dict:
    """Participation as the community's health: per month the schools that posted or replied, the
    posts and the replies (``network.health.monthly_participation``), and the member schools with
    nothing on the board for ``quiet_days`` days (whom its leaders could call)."""
    from datetime import date, timedelta

    from app.communities.models import CommunityPost
    from network import health

    today = today or date.today()
    names, year, month = [], today.year, today.month
    for _i in range(months):
        names.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    names.reverse()
    rows = db.session.execute(
        select(CommunityPost.school_id, CommunityPost.created_at, CommunityPost.parent_id).where(
            CommunityPost.community_id == community.id, CommunityPost.school_id.is_not(None)
        )
    ).all()
    events = [(school, at, "respuesta" if parent else "publicacion") for school, at, parent in rows]
    last: dict[int, date] = {}
    for school, at, _kind in events:
        day = at.date()
        last[school] = max(last.get(school, day), day)
    since = today - timedelta(days=quiet_days)
    members = {m.school_id: m.school for m in community.members if m.school_id is not None}
    quiet = sorted(
        (school for school_id, school in members.items() if last.get(school_id, date.min) < since),
        key=lambda s: s.name,
    )
    return {
        "months": health.monthly_participation(events, months=names),
        "quiet": quiet,
        "quiet_days": quiet_days,
    }
