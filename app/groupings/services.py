"""Pairing schools: plain records for `network/`, proposals, hand moves, acceptance, recommendations.

The arithmetic lives in `network/`; this module only turns database rows into the plain records it
takes (schools, open problems, practices, adoptions) and its plain results back into rows.

Over 400 lines on purpose: a proposal, its hand edits, its acceptance and the recommendations share
the same plain records; kept in one place so that the round trip to ``network/`` reads whole.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

import network
from app import permissions
from app.catalogue.models import School, Zone
from app.extensions import db
from app.groupings import reasons
from app.groupings.models import Grouping, GroupingGroup, GroupingMember
from app.groupings.progress import school_progress
from app.practices.models import Adoption, Practice
from app.problems.models import Category, Problem, ProblemCategory
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError
from network.grouping import HELP_WEIGHT
from network.similarity import explain_similarity, shared_categories, similarity_matrix

# Our outcome words, in the network engine's vocabulary.
NETWORK_OUTCOME = {"bueno": "bueno", "regular": "regular", "sin_resultado": "malo", "en_proceso": None}
MAX_GROUP_SIZE = 8


@dataclass
class NetworkRecords:
    """The plain data `network/` takes, for a set of schools."""

    schools: list[dict]
    problems: list[dict]
    practices: list[dict]
    adoptions: list[dict]


def network_records(schools: list[School]) -> NetworkRecords:
    """Plain records of these schools, their problems, practices and the adoptions among them."""
    ids = [s.id for s in schools]
    school_records = [
        {"id": s.id, "zone": s.zone_id, "level": s.level, "lat": s.lat, "lon": s.lon} for s in schools
    ]
    if not ids:
        return NetworkRecords([], [], [], [])
    problems = (
        db.session.execute(
            db.select(Problem)
            .where(Problem.school_id.in_(ids))
            .options(selectinload(Problem.categories).selectinload(ProblemCategory.category))
        )
        .scalars()
        .all()
    )
    problem_records = [
        {
            "id": p.id,
            "school": p.school_id,
            "categories": {pc.category.code: pc.priority for pc in p.categories},
            "status": p.status,
            "title": p.title,
            "text": " ".join(filter(None, (p.title, p.description, p.causes))),
        }
        for p in problems
    ]
    practices = (
        db.session.execute(
            db.select(Practice).where(Practice.school_id.in_(ids)).options(selectinload(Practice.categories))
        )
        .scalars()
        .all()
    )
    practice_records = [
        {
            "id": p.id,
            "school": p.school_id,
            "categories": [c.code for c in p.categories],
            "level": p.level,
            "outcome": NETWORK_OUTCOME.get(getattr(p, "outcome", None) or "bueno"),
            "reported_outcome": NETWORK_OUTCOME.get(p.outcome) if p.outcome else None,
            "title": p.title,
            "problem": p.problem_id,
        }
        for p in practices
    ]
    practice_ids = {p.id for p in practices}
    adoptions = db.session.execute(db.select(Adoption).where(Adoption.school_id.in_(ids))).scalars().all()
    adoption_records = [
        {"practice": a.practice_id, "school": a.school_id, "outcome": NETWORK_OUTCOME.get(a.outcome)}
        for a in adoptions
        if a.practice_id in practice_ids
    ]
    return NetworkRecords(school_records, problem_records, practice_records, adoption_records)


def zone_schools(zone: Zone) -> list[School]:
    """The schools of a zone, by CCT."""
    return list(
        db.session.execute(db.select(School).where(School.zone_id == zone.id).order_by(School.cct)).scalars()
    )


def _past_groups(zone: Zone) -> list[list[int]]:
    """Groups of the zone's accepted groupings, oldest first (the last encounters' partners)."""
    groupings = (
        db.session.execute(
            db.select(Grouping)
            .where(Grouping.zone_id == zone.id, Grouping.status == "aceptada")
            .order_by(Grouping.accepted_at, Grouping.id)
            .options(selectinload(Grouping.groups).selectinload(GroupingGroup.members))
        )
        .scalars()
        .all()
    )
    return [[m.school_id for m in g.members] for grouping in groupings for g in grouping.groups]


def _check_options(options: dict) -> dict:
    errors = {}
    try:
        min_size = int(options.get("min_size", 2))
        max_size = int(options.get("max_size", 3))
    except (TypeError, ValueError):
        raise ValidationError({"min_size": _("Los tamaños de grupo deben ser números enteros.")}) from None
    if not 1 <= min_size <= max_size <= MAX_GROUP_SIZE:
        errors["max_size"] = _(
            "Los grupos deben ser de 1 a %(n)s escuelas, y el mínimo no mayor que el máximo.",
            n=MAX_GROUP_SIZE,
        )
    avoid_last = options.get("avoid_last") or 0
    max_distance = options.get("max_distance_km")
    try:
        avoid_last = int(avoid_last)
        if avoid_last < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["avoid_last"] = _("Escribe un número entero de encuentros (0 o más).")
    if max_distance not in (None, ""):
        try:
            max_distance = float(max_distance)
            if max_distance <= 0:
                raise ValueError
        except (TypeError, ValueError):
            errors["max_distance_km"] = _("La distancia máxima debe ser un número de kilómetros mayor que 0.")
    else:
        max_distance = None
    if errors:
        raise ValidationError(errors)
    return {
        "min_size": min_size,
        "max_size": max_size,
        "avoid_last": avoid_last,
        "max_distance_km": max_distance,
        "mix_levels": bool(options.get("mix_levels")),
        # On unless the zone council turns it off: the encounter is for learning from who solved it.
        "by_progress": bool(options.get("by_progress", True)),
        "seed": int(options.get("seed") or 0),
    }


def propose_grouping(zone: Zone, options: dict, *, actor) -> Grouping:
    """Run the network engine on the zone's schools and store its proposal with the reasons."""
    if not permissions.can_group_zone(actor, zone):
        raise PermissionDenied()
    opts = _check_options(options)
    schools = zone_schools(zone)
    if not schools:
        raise ValidationError({"_": _("La zona no tiene escuelas registradas.")})
    records = network_records(schools)
    progress = school_progress(schools, records)
    past = _past_groups(zone) if opts["avoid_last"] else []
    result = network.group_schools(
        records.schools,
        by="zone",
        min_size=opts["min_size"],
        max_size=opts["max_size"],
        mix_levels=opts["mix_levels"],
        problems=records.problems,
        practices=records.practices,
        adoptions=records.adoptions,
        past_groups=past or None,
        avoid_last=opts["avoid_last"] or None,
        max_distance_km=opts["max_distance_km"],
        seed=opts["seed"],
        progress=progress,
        help_weight=HELP_WEIGHT if opts["by_progress"] else 0.0,
    )
    grouping = Grouping(
        zone=zone,
        min_size=opts["min_size"],
        max_size=opts["max_size"],
        seed=opts["seed"],
        is_mixed_levels=opts["mix_levels"],
        avoid_last=opts["avoid_last"],
        max_distance_km=opts["max_distance_km"],
        by_progress=opts["by_progress"],
        created_by=actor,
    )
    for position, group in enumerate(result["groups"], start=1):
        grouping.groups.append(
            GroupingGroup(
                position=position,
                host_school_id=group["host"],
                members=[GroupingMember(school_id=sid) for sid in group["schools"]],
            )
        )
    db.session.add(grouping)
    db.session.flush()
    rescore(grouping, records=records, progress=progress)
    return grouping


def rescore(
    grouping: Grouping, *, records: NetworkRecords | None = None, progress: dict | None = None
) -> Grouping:
    """Recompute every group's score, shared categories and reasons, and the objective.

    The reasons keep who in the group already solved what the others are working on, with the
    evidence (``reasons["help"]``), and how much of their need that covers (``reasons["help_score"]``).
    """
    schools = zone_schools(grouping.zone)
    records = records or network_records(schools)
    if progress is None:
        progress = school_progress(schools, records)
    help_ids = [s.id for s in schools]
    help_index = {sid: k for k, sid in enumerate(help_ids)}
    C = network.help_matrix(progress, help_ids)
    profiles = network.school_profiles(records.problems)
    good = network.good_practices(records.practices, records.adoptions)
    ids, S = similarity_matrix(profiles, ids=[s.id for s in schools])
    index = {sid: k for k, sid in enumerate(ids)}
    objective = 0.0
    for group in grouping.groups:
        members = [m.school_id for m in group.members]
        pairs = []
        practice_ids: set = set()
        for a, b in itertools.combinations(sorted(members), 2):
            explained = explain_similarity(a, b, profiles=profiles, practices=good)
            pairs.append(
                {
                    "a": a,
                    "b": b,
                    "score": round(float(S[index[a], index[b]]), 4),
                    "shared": explained["reasons"]["shared_categories"],
                }
            )
            practice_ids.update(item["practice"] for item in explained["reasons"]["practices"])
        n = len(members)
        score = (sum(p["score"] for p in pairs) * 2 / (n * (n - 1))) if n > 1 else 0.0
        group.score = round(score, 6)
        group.shared = shared_categories(*(profiles.get(sid, {}) for sid in members), min_count=2)
        helped = [C[help_index[a], help_index[b]] for a, b in itertools.combinations(members, 2)]
        group.reasons = {
            "pairs": pairs,
            "practices": sorted(practice_ids),
            "help": network.help_in_group(progress, members),
            "help_score": round(float(sum(helped) * 2 / (n * (n - 1))), 6) if n > 1 else 0.0,
        }
        if group.host_school_id not in members:
            group.host_school_id = members[0] if members else None
        objective += score * n
    grouping.objective = round(objective, 6)
    db.session.flush()
    return grouping


def _editable(grouping: Grouping, actor) -> None:
    if not permissions.can_group_zone(actor, grouping.zone):
        raise PermissionDenied()
    if grouping.is_accepted:
        raise ValidationError({"_": _("Este agrupamiento ya fue aceptado; propón uno nuevo para cambiarlo.")})


def move_school(grouping: Grouping, school_id: int, target_position: int | None, *, actor) -> Grouping:
    """Move a school to another group (or to a new group when target is None), then rescore."""
    _editable(grouping, actor)
    source = next((g for g in grouping.groups if any(m.school_id == school_id for m in g.members)), None)
    if source is None:
        raise ValidationError({"school": _("Esa escuela no está en este agrupamiento.")})
    if target_position is None:
        target = GroupingGroup(position=max(g.position for g in grouping.groups) + 1)
        grouping.groups.append(target)
    else:
        target = next((g for g in grouping.groups if g.position == target_position), None)
        if target is None:
            raise ValidationError({"group": _("Ese grupo no existe.")})
    if target is source:
        return grouping
    member = next(m for m in source.members if m.school_id == school_id)
    source.members.remove(member)
    target.members.append(GroupingMember(school_id=school_id))
    if target.host_school_id is None:
        target.host_school_id = school_id
    if not source.members:
        grouping.groups.remove(source)
    for position, group in enumerate(sorted(grouping.groups, key=lambda g: g.position), start=1):
        group.position = position
    db.session.flush()
    return rescore(grouping)


def set_host(grouping: Grouping, group_position: int, school_id: int, *, actor) -> Grouping:
    """Choose a group's host school (sede) among its members."""
    _editable(grouping, actor)
    group = next((g for g in grouping.groups if g.position == group_position), None)
    if group is None or school_id not in {m.school_id for m in group.members}:
        raise ValidationError({"host": _("La sede debe ser una escuela del grupo.")})
    group.host_school_id = school_id
    db.session.flush()
    return grouping


def accept_grouping(grouping: Grouping, *, actor) -> Grouping:
    """Accept a proposal: it becomes the zone council's grouping for the next encounter."""
    _editable(grouping, actor)
    grouping.status = "aceptada"
    grouping.accepted_by = actor
    grouping.accepted_at = utcnow()
    db.session.flush()
    return grouping


def category_names(codes: list[str]) -> dict[str, str]:
    """Readable names of taxonomy codes."""
    if not codes:
        return {}
    rows = db.session.execute(db.select(Category.code, Category.name).where(Category.code.in_(codes)))
    return dict(rows.all())


# --- recommendations -----------------------------------------------------------------------------


def recommend_practices_for_problem(problem: Problem, *, actor, limit: int = 5) -> list[dict]:
    """Practices of other schools, visible to the actor, that fit the problem; each with its reason."""
    from app.practices.services import visible_practices

    return rank_practices_for_problem(problem, visible_practices(actor), limit=limit)


def rank_practices_for_problem(problem: Problem, candidates_stmt, *, limit: int = 5) -> list[dict]:
    """The practices of ``candidates_stmt`` (a ``select(Practice)``) that fit the problem, best
    first, each with its reason. Whoever reads the result must be allowed to see them: callers
    that rank for many readers at once (the live room's resources) filter per reader afterwards."""
    codes = [pc.category.code for pc in problem.categories]
    if not codes:
        return []
    candidates = (
        db.session.execute(
            candidates_stmt.where(Practice.school_id != problem.school_id)
            .where(Practice.categories.any(Category.code.in_(codes)))
            .options(selectinload(Practice.categories), selectinload(Practice.school))
        )
        .scalars()
        .unique()
        .all()
    )
    if not candidates:
        return []
    visible_ids = {p.id for p in candidates}
    schools = {problem.school_id: problem.school} | {p.school_id: p.school for p in candidates}
    records = network_records(list(schools.values()))
    adopters = (
        db.session.execute(
            db.select(Adoption)
            .where(Adoption.practice_id.in_(visible_ids))
            .options(selectinload(Adoption.school))
        )
        .scalars()
        .all()
    )
    for adoption in adopters:
        if adoption.school_id not in schools:
            schools[adoption.school_id] = adoption.school
            records.schools.append(
                {"id": adoption.school_id, "zone": adoption.school.zone_id, "level": adoption.school.level}
            )
    practices = [r for r in records.practices if r["id"] in visible_ids]
    adoptions = [
        {"practice": a.practice_id, "school": a.school_id, "outcome": NETWORK_OUTCOME.get(a.outcome)}
        for a in adopters
    ]
    G = network.build_graph(records.schools, records.problems, practices, adoptions)
    ranked = network.recommend_practices(G, problem.id, limit=limit)
    by_id = {p.id: p for p in candidates}
    names = category_names(sorted({c for r in ranked for c in r["reasons"]["shared_categories"]}))
    progress = school_progress([schools[r["school"]] for r in ranked], records) if ranked else {}

    def said(r) -> object:
        solved = reasons.solved_by(progress, r["school"], set(r["reasons"]["shared_categories"]))
        if not solved:
            return None
        evidence = progress[r["school"]][solved[0]]["evidence"]
        return reasons.practice_progress(schools[r["school"]].name, solved, names, evidence)

    return [
        {
            "practice": by_id[r["practice"]],
            "score": r["score"],
            "shared": [names.get(c, c) for c in r["reasons"]["shared_categories"]],
            "good_adoptions": r["reasons"]["good_adoptions"],
            "adoptions": r["reasons"]["adoptions"],
            "same_level": r["reasons"]["same_level"],
            "author_similarity": r["reasons"]["author_similarity"],
            # "JUSTO SIERRA ya resolvió *lectura y escritura* con esta práctica (...)", or None.
            "progress": said(r),
        }
        for r in ranked
    ]


def recommend_partners_for_school(school: School, *, actor, limit: int = 5) -> dict:
    """The best partner schools inside and beyond the school's zone, with the reasons.

    Candidates are the schools of the same level that have open problems. A partner beyond the zone
    is named with its public catalogue data and the categories it shares; its practices are listed
    only when the actor may see them, and its page is linked only when the actor may open it.
    """
    open_schools = (
        db.session.execute(
            db.select(School).where(
                School.level == school.level,
                School.id.in_(db.select(Problem.school_id).where(Problem.status != "resuelta")),
            )
        )
        .scalars()
        .all()
    )
    pool = {s.id: s for s in open_schools} | {school.id: school}
    records = network_records(list(pool.values()))
    G = network.build_graph(records.schools, records.problems, records.practices, records.adoptions)
    # Complementarity counts: a school whose practices cover our needs is a partner even when it
    # shares no open problem with us (it may have solved them).
    ranked = network.recommend_partners(G, school.id, limit=limit * 3, complementarity_weight=1.0)
    practice_ids = {
        item["practice"] for group in ranked.values() for r in group for item in r["reasons"]["practices"]
    }
    practices = (
        {
            p.id: p
            for p in db.session.execute(db.select(Practice).where(Practice.id.in_(practice_ids))).scalars()
        }
        if practice_ids
        else {}
    )
    progress = school_progress(list(pool.values()), records)
    names = category_names(
        sorted(
            {c for group in ranked.values() for r in group for c in r["reasons"]["shared_categories"]}
            | {c for entry in progress.values() for c in entry}
        )
    )

    def visible(rows):
        out = []
        for r in rows:
            partner = pool[r["school"]]
            out.append(
                {
                    "school": partner,
                    "score": r["score"],
                    "shared": [names.get(c, c) for c in r["reasons"]["shared_categories"]],
                    # In words, instead of the score: what it solved that we work on, and so on.
                    "reasons": reasons.partner_reasons(
                        progress, school.id, partner.id, r["reasons"]["shared_categories"], names
                    ),
                    "practices": [
                        practices[i["practice"]]
                        for i in r["reasons"]["practices"]
                        if i["practice"] in practices
                        and permissions.can_view_practice(actor, practices[i["practice"]])
                    ],
                }
            )
            if len(out) == limit:
                break
        return out

    return {"in_zone": visible(ranked["in_zone"]), "beyond_zone": visible(ranked["beyond_zone"])}
