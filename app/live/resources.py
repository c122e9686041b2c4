"""Lecturas y recursos por problemática (the session card's product, issue 11): for each problem a
group's schools present, the practices the platform recommends for it and those the group proposed.

Recommended: the shared practices of other schools that address the problem's categories, ranked
as the problem page ranks them (app.groupings ``rank_practices_for_problem``), recognised good
practices first, each with its materials and links. The ranking does not depend on who reads it, so
it is made once over every practice and kept per process for ``LIVE_DECK_CACHE_SECONDS``, like the
room's decks; each reader then sees only the practices they may open (``visible_practice_ids``,
kept per kind of reader for as long: the people of one school read the same list, checked once).

Proposed: the group's contributions of kind *recurso* or *propuesta* about the problem, those the
group marked *la probaremos* first. The room draws them from the contributions of its snapshot (so
they follow the session live); the acta freezes them at the close (``group_resources``).
"""

from __future__ import annotations

import time

from flask import current_app, has_request_context, url_for
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions
from app.extensions import db
from app.groupings.services import rank_practices_for_problem
from app.live.models import CONTRIBUTION_KINDS, Contribution
from app.practices.library import visibility_condition
from app.practices.models import Practice
from app.problems.models import Problem

#: Practices ranked per problem before each reader's filter, and how many a reader sees.
RANKED = 20
SHOWN = 5
MATERIALS_SHOWN = 4
PROPOSAL_KINDS = ("recurso", "propuesta")

#: (problem id, language) -> (ranked at, recommended items).
_RECOMMENDED: dict[tuple, tuple[float, list[dict]]] = {}
_RECOMMENDED_MAX = 2000

#: (the reader as the visibility check sees them, the practices) -> (checked at, those visible). A
#: room's readers are the people of a few schools: a join storm checks a few times per room, not
#: once per person (one or two statements each).
_VISIBLE: dict[tuple, tuple[float, frozenset[int]]] = {}


def practice_url(practice_id: int) -> str:
    """The practice's page."""
    if has_request_context():
        return url_for("practices.detail", practice_id=practice_id)
    return f"/practicas/{practice_id}"


def _safe_link(url: str | None) -> bool:
    return bool(url) and url.lower().startswith(("https://", "http://"))


def practice_item(practice: Practice, shared: list[str]) -> dict:
    """A recommended practice as the room and the acta show it (plain data)."""
    return {
        "id": practice.id,
        "title": practice.title,
        "school": practice.school.name,
        "is_recognised": bool(practice.is_recognised),
        "url": practice_url(practice.id),
        "shared": list(shared),
        "materials": [
            {"description": r.description, "criterion": r.criterion_label}
            for r in practice.resources[:MATERIALS_SHOWN]
        ],
        "links": [
            {"url": link.url, "label": link.label or link.url}
            for link in practice.links
            if _safe_link(link.url)
        ][:MATERIALS_SHOWN],
    }


def rank_recommended(problem: Problem, *, limit: int = RANKED) -> list[dict]:
    """The practices the platform recommends for ``problem`` (whoever may see them), recognised
    good practices first, then by the recommendation's score."""
    everyone = select(Practice).where(Practice.visibility.in_(("escuela", "zona", "todos")))
    ranked = rank_practices_for_problem(problem, everyone, limit=limit)
    if not ranked:
        return []
    ids = [r["practice"].id for r in ranked]
    loaded = {
        p.id: p
        for p in db.session.execute(
            select(Practice)
            .where(Practice.id.in_(ids))
            .options(
                selectinload(Practice.resources),
                selectinload(Practice.links),
                selectinload(Practice.school),
            )
        ).scalars()
    }
    order = {pid: n for n, pid in enumerate(ids)}
    ranked.sort(key=lambda r: (not r["practice"].is_recognised, order[r["practice"].id]))
    return [practice_item(loaded[r["practice"].id], r["shared"]) for r in ranked]


def clear_cache() -> None:
    """Forget the recommendations kept for snapshots (tests that reuse ids)."""
    _RECOMMENDED.clear()
    _VISIBLE.clear()


def cached_recommended(problem_id: int) -> list[dict]:
    """``rank_recommended`` of the problem, from this process's cache while fresh (shared: never
    changed; the snapshot that lists it hands its reader a copy)."""
    key = (problem_id, str(get_locale()))
    now = time.monotonic()
    hit = _RECOMMENDED.get(key)
    if hit is None or now - hit[0] > current_app.config["LIVE_DECK_CACHE_SECONDS"]:
        problem = db.session.get(Problem, problem_id)
        items = rank_recommended(problem) if problem is not None else []
        if len(_RECOMMENDED) >= _RECOMMENDED_MAX:
            _RECOMMENDED.clear()
        hit = _RECOMMENDED[key] = (now, items)
    return hit[1]


def visible_practice_ids(actor, ids) -> set[int]:
    """The practices among ``ids`` that ``actor`` may open (permissions.can_view_practice as SQL)."""
    ids = sorted({int(i) for i in ids})
    if not ids or not permissions._authenticated(actor):
        return set()
    if permissions.is_admin(actor):
        return set(ids)
    return set(
        db.session.execute(
            select(Practice.id).where(Practice.id.in_(ids), visibility_condition(actor))
        ).scalars()
    )


def _reader_key(actor) -> tuple:
    """What ``visibility_condition`` reads of a person."""
    advised = ()
    if actor.role == "asesor":
        advised = (
            tuple(sorted((s.id, s.zone_id) for s in actor.advised_schools)),
            tuple(sorted(z.id for z in actor.advised_zones)),
        )
    school = actor.role in ("director", "docente")  # a school's people see alike
    return (
        "escuela" if school else actor.role,
        actor.school_id if school else None,
        actor.zone_id if actor.role == "supervisor" else None,
        permissions.user_zone_id(actor),
        advised,
    )


def kept_visible_practice_ids(actor, ids) -> frozenset[int]:
    """``visible_practice_ids``, kept per kind of reader for ``LIVE_DECK_CACHE_SECONDS`` (like the
    recommendations themselves: a practice made private leaves the rooms' lists within it)."""
    ids = tuple(sorted({int(i) for i in ids}))
    if not ids or not permissions._authenticated(actor):
        return frozenset()
    key = (_reader_key(actor), ids)
    now = time.monotonic()
    hit = _VISIBLE.get(key)
    if hit is None or now - hit[0] > current_app.config["LIVE_DECK_CACHE_SECONDS"]:
        if len(_VISIBLE) >= _RECOMMENDED_MAX:
            _VISIBLE.clear()
        hit = _VISIBLE[key] = (now, frozenset(visible_practice_ids(actor, ids)))
    return hit[1]


def for_reader(items: list[dict], visible: set[int], limit: int = SHOWN) -> list[dict]:
    """The recommended items this reader may open, at most ``limit``."""
    return [item for item in items if item["id"] in visible][:limit]


def snapshot_resources(problems: list[dict], *, actor) -> list[dict]:
    """The snapshot's ``resources``: for each presented problem (``{"id", "title", "school_id"}``,
    in the order the room shows them), the practices recommended to this reader."""
    ranked = {p["id"]: cached_recommended(p["id"]) for p in problems}
    visible = kept_visible_practice_ids(actor, [i["id"] for items in ranked.values() for i in items])
    return [
        {
            "problem_id": p["id"],
            "title": p["title"],
            "school_id": p.get("school_id"),
            "recommended": for_reader(ranked[p["id"]], visible),
        }
        for p in problems
    ]


def proposal_item(c: Contribution) -> dict:
    """A resource or proposal the group made in the session, as the acta keeps it."""
    school = c.author_school
    return {
        "id": c.id,
        "kind": c.kind,
        "kind_label": str(CONTRIBUTION_KINDS.get(c.kind, c.kind)),
        "text": c.text,
        "will_try": bool(c.will_try),
        "author_school": {"id": school.id, "cct": school.cct, "name": school.name} if school else None,
    }


def group_proposals(group, problem_id: int) -> list[Contribution]:
    """The group's visible resources and proposals about the problem, typed before the close,
    *la probaremos* first, then oldest first."""
    rows = db.session.execute(
        select(Contribution)
        .where(
            Contribution.group_id == group.id,
            Contribution.problem_id == problem_id,
            Contribution.kind.in_(PROPOSAL_KINDS),
            Contribution.is_hidden.is_(False),
            Contribution.after_close.is_(False),
        )
        .order_by(Contribution.id)
    ).scalars()
    return sorted(rows, key=lambda c: (not c.will_try, c.id))


def presented_problem_ids(encounter, group) -> list[int]:
    """The problems the group's schools present (their presentations' problems), in group order."""
    from app.encounters import services as encounter_services

    ids: list[int] = []
    for member in group.schools:
        presentation = encounter_services.get_presentation(encounter, member.school)
        for pid in (presentation.problem_ids or []) if presentation is not None else []:
            if pid not in ids:
                ids.append(pid)
    return ids


def group_resources(encounter, group, also: list[int] = ()) -> list[dict]:
    """The acta's section *Lecturas y recursos por problemática*: for each presented problem (and
    each problem in ``also``, those the contributions named), the practices recommended for it (all
    of them: each reader sees those they may open) and those the group proposed."""
    ids = presented_problem_ids(encounter, group)
    ids += [pid for pid in also if pid is not None and pid not in ids]
    problems = (
        {p.id: p for p in db.session.execute(select(Problem).where(Problem.id.in_(ids))).scalars()}
        if ids
        else {}
    )
    sections = []
    for pid in ids:
        problem = problems.get(pid)
        if problem is None:
            continue
        recommended = rank_recommended(problem)
        for item in recommended:
            item.pop("url", None)  # built when shown: the acta keeps ids, not addresses
        sections.append(
            {
                "problem_id": problem.id,
                "title": problem.title,
                "school": {"id": problem.school.id, "cct": problem.school.cct, "name": problem.school.name},
                "recommended": recommended,
                "proposed": [proposal_item(c) for c in group_proposals(group, problem.id)],
            }
        )
    return sections


def minutes_practice_ids(minutes_list) -> set[int]:
    """Every practice the acta's resources name, to ask once which ones a reader may open."""
    return {
        item["id"]
        for m in minutes_list
        for section in (m.content or {}).get("resources") or []
        for item in section.get("recommended") or []
    }
