"""What the network-health page shows for a zone, read from the records (network.health computes).

Ties: schools that met in a group of an encounter under way or concluded, a school that adopted
another's practice, a reply on a community's board to another school's post, a contact request the
other school answered, and a mentoring pair (accepted, and each session it logged); schools of other
zones included: a tie across zones counts.
Participation: per month, encounters attended, contributions in the rooms, commitments fulfilled,
adoptions and posts in communities of practice.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, or_, select, true

from app.catalogue.models import School, Zone
from app.commitments.models import Commitment
from app.encounters.models import Encounter, EncounterSchool
from app.extensions import db
from app.live.models import Contribution
from app.practices.models import Adoption, Practice
from network import health

MET_STATUSES = ("en_curso", "concluido")
MONTHS = 6  # months of participation shown
ISOLATED_SINCE_DAYS = 120  # no tie in this long: isolated


@dataclass
class ZoneHealth:
    zone: Zone | None  # the zone, for one zone's page; None for a region
    zones: list[Zone]
    schools: list[School]
    ties: int
    isolated: list[School]
    bridges: list[tuple[School, float]]
    months: list[dict]
    cascades: list[dict]
    advice_total: int
    advice_answered: int
    per_school: list[dict]
    actions: list[str]
    picture: dict
    per_zone: list[dict]


def _months(today: date) -> list[str]:
    months, year, month = [], today.year, today.month
    for _i in range(MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _schools_of(zone_ids: set[int]) -> Select:
    """The zones' school ids, a subquery the reads filter by (the ids themselves were a parameter per school
    in each of a dozen statements: ~100 ms of a 1,000-school region, benchmarks/region_health_page.py)."""
    return select(School.id).where(School.zone_id.in_(zone_ids or {-1}))


def _ties(school_ids: set[int], region: Select) -> tuple[list[health.Tie], list[tuple[int, int, int, date]]]:
    met_here = select(EncounterSchool.group_id).where(EncounterSchool.school_id.in_(region))
    rows = db.session.execute(
        select(EncounterSchool.group_id, EncounterSchool.school_id, Encounter.starts_at)
        .join(Encounter, Encounter.id == EncounterSchool.encounter_id)
        .where(Encounter.status.in_(MET_STATUSES), EncounterSchool.group_id.in_(met_here))
    ).all()
    groups: dict[int, tuple[list[int], object]] = {}
    for group_id, school_id, starts_at in rows:
        groups.setdefault(group_id, ([], starts_at))[0].append(school_id)
    met = [(schools, day) for schools, day in groups.values() if set(schools) & school_ids]
    ties = health.meeting_ties(met)
    adoptions = db.session.execute(
        select(Adoption.practice_id, Practice.school_id, Adoption.school_id, Adoption.created_at)
        .join(Practice, Practice.id == Adoption.practice_id)
        .where(or_(Practice.school_id.in_(region), Adoption.school_id.in_(region)))
    ).all()
    spread = [(p, origin, school, at.date()) for p, origin, school, at in adoptions]
    ties += [health.Tie(school, origin, health.ADOPTED, day, p) for p, origin, school, day in spread]
    ties += _conversation_ties(region)
    return ties, spread


def _conversation_ties(region: Select) -> list[health.Tie]:
    """Schools that talked outside an encounter: a reply on a community's board to another school's
    post, and a contact request the other school answered (each on the day of the answer)."""
    from sqlalchemy.orm import aliased

    from app.communities.models import CommunityPost
    from app.contacts.models import ContactMessage, ContactRequest

    parent = aliased(CommunityPost)
    replies = db.session.execute(
        select(CommunityPost.school_id, parent.school_id, CommunityPost.created_at)
        .join(parent, parent.id == CommunityPost.parent_id)
        .where(
            CommunityPost.school_id.is_not(None),
            parent.school_id.is_not(None),
            CommunityPost.school_id != parent.school_id,
            or_(CommunityPost.school_id.in_(region), parent.school_id.in_(region)),
        )
    ).all()
    answers = db.session.execute(
        select(ContactRequest.sender_school_id, ContactMessage.school_id, ContactMessage.created_at)
        .join(ContactMessage, ContactMessage.request_id == ContactRequest.id)
        .where(
            ContactMessage.school_id == ContactRequest.recipient_school_id,
            or_(
                ContactRequest.sender_school_id.in_(region),
                ContactRequest.recipient_school_id.in_(region),
            ),
        )
    ).all()
    return (
        [health.Tie(a, b, health.COMMUNITY, at.date()) for a, b, at in replies]
        + [health.Tie(a, b, health.CONTACT, at.date()) for a, b, at in answers]
        + _mentoring_ties(region)
    )


def _mentoring_ties(region: Select) -> list[health.Tie]:
    """A mentor's school and the mentee's school: once on the day the pair became active (both
    accepted) and once on each session they logged."""
    from app.mentoring.models import MentoringPair, MentoringRequest, MentoringSession, MentorOffer

    pairs = db.session.execute(
        select(
            MentoringPair.id,
            MentorOffer.school_id,
            MentoringRequest.school_id,
            MentoringPair.mentor_accepted_at,
            MentoringPair.mentee_accepted_at,
        )
        .join(MentorOffer, MentorOffer.id == MentoringPair.offer_id)
        .join(MentoringRequest, MentoringRequest.id == MentoringPair.request_id)
        .where(
            MentoringPair.mentor_accepted_at.is_not(None),
            MentoringPair.mentee_accepted_at.is_not(None),
            or_(MentorOffer.school_id.in_(region), MentoringRequest.school_id.in_(region)),
        )
    ).all()
    ties = [
        health.Tie(mentee, mentor, health.MENTORING, max(a, b).date())
        for _id, mentor, mentee, a, b in pairs
        if mentor != mentee
    ]
    schools = {pair_id: (mentor, mentee) for pair_id, mentor, mentee, _a, _b in pairs if mentor != mentee}
    if schools:
        for pair_id, held_on in db.session.execute(
            select(MentoringSession.pair_id, MentoringSession.held_on).where(
                MentoringSession.pair_id.in_(schools)
            )
        ):
            mentor, mentee = schools[pair_id]
            ties.append(health.Tie(mentee, mentor, health.MENTORING, held_on))
    return ties


def _events(region: Select, since: date) -> list[tuple[int, date, str]]:
    """The region's activity since ``since`` (older rows unread: a day's margin for time zones, cut below)."""
    from app.communities.models import CommunityPost

    after = datetime.combine(since - timedelta(days=1), time.min)
    sources = (
        ("encuentro", EncounterSchool.school_id, Encounter.starts_at, Encounter.status.in_(MET_STATUSES)),
        ("aportacion", Contribution.author_school_id, Contribution.created_at, true()),
        ("compromiso_cumplido", Commitment.school_id, Commitment.updated_at, Commitment.status == "cumplido"),
        ("adopcion", Adoption.school_id, Adoption.created_at, true()),
        ("comunidad", CommunityPost.school_id, CommunityPost.created_at, true()),
    )
    events: list[tuple[int, date, str]] = []
    for kind, school_id, at, condition in sources:
        query = select(school_id, at).where(school_id.in_(region), at >= after, condition)
        if kind == "encuentro":
            query = query.join(Encounter, Encounter.id == EncounterSchool.encounter_id)
        events += [(school, day.date(), kind) for school, day in db.session.execute(query)]
    return [e for e in events if e[1] >= since]


def _advice(zone_ids: set[int]) -> tuple[int, int]:
    from app.advice.models import AdviceRequest

    statuses = db.session.scalars(
        select(AdviceRequest.status).where(AdviceRequest.zone_id.in_(zone_ids or {-1}))
    ).all()
    return len(statuses), sum(1 for s in statuses if s == "atendida")


def _picture(
    schools: list[School], ties: list[health.Tie], isolated_ids: set[int], bridge_ids: set[int]
) -> dict:
    """Positions on a circle (a zone is tens of schools) and the ties among the zone's schools."""
    import math

    n = max(len(schools), 1)
    size, radius = 600, 150  # room around the circle for the labels, written outwards
    nodes = []
    where = {}
    for i, school in enumerate(schools):
        angle = 2 * math.pi * i / n - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = size / 2 + radius * cos, size / 2 + radius * sin
        where[school.id] = (round(x, 1), round(y, 1))
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        nodes.append(
            {"school": school, "x": where[school.id][0], "y": where[school.id][1],
             "lx": round(size / 2 + (radius + 16) * cos, 1), "ly": round(size / 2 + (radius + 16) * sin + 4 + 8 * sin, 1),
             "anchor": anchor, "isolated": school.id in isolated_ids, "bridge": school.id in bridge_ids}
        )  # fmt: skip
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for tie in ties:
        if tie.a in where and tie.b in where and tie.a != tie.b:
            weights[tuple(sorted((tie.a, tie.b)))] += 1
    edges = [
        {"x1": where[a][0], "y1": where[a][1], "x2": where[b][0], "y2": where[b][1], "width": min(1 + w, 6)}
        for (a, b), w in weights.items()
    ]
    return {"size": size, "nodes": nodes, "edges": edges}


def zone_health(zone: Zone, *, today: date | None = None) -> ZoneHealth:
    """The network health of a zone's schools."""
    return network_health([zone], today=today)


def region_zones(sector_cct: str) -> list[Zone]:
    """The zones of a sector (a region of zones), in order."""
    return list(
        db.session.scalars(
            select(Zone)
            .where(Zone.sector_cct == (sector_cct or "").strip().upper())
            .order_by(Zone.number, Zone.cct)
        )
    )


def _bridges(everyone: set[int], ties: list[health.Tie]) -> list[tuple[int, float]]:
    """health.bridges, the garbage collector paused: its ~150,000 lists and dicts (no cycles) set off
    collections that walk the whole heap, 130 ms of a 1,000-school region (benchmarks/region_health_page.py)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return health.bridges(everyone, ties, top=len(everyone))
    finally:
        if paused:
            gc.enable()


def network_health(zones: list[Zone], *, today: date | None = None) -> ZoneHealth:
    """The network health of the schools of these zones (one zone, or a region of them)."""
    today = today or date.today()
    zone_ids = {z.id for z in zones}
    region = _schools_of(zone_ids)
    schools = list(db.session.scalars(select(School).where(School.id.in_(region)).order_by(School.name)))
    ids = {s.id for s in schools}
    ties, spread = _ties(ids, region)
    since = today - timedelta(days=ISOLATED_SINCE_DAYS)
    everyone = ids | {t.a for t in ties} | {t.b for t in ties}
    graph = health.ties_graph(everyone, [t for t in ties if t.on >= since])
    alone = {s for s in graph if graph.degree(s) == 0} & ids  # health.isolated, on the graph built once
    ranked = [(s, v) for s, v in _bridges(everyone, ties) if s in ids][:5]
    by_id = {s.id: s for s in schools}
    months = _months(today)
    first_month = date(int(months[0][:4]), int(months[0][5:]), 1)
    events = _events(region, first_month)
    participation = health.monthly_participation(events, months=months)
    flows = health.cascades(spread)
    practices = {p.id: p for p in db.session.scalars(select(Practice).where(Practice.id.in_(flows.keys())))}
    cascades = sorted(
        (
            {"practice": practices.get(pid), "origin": flow["origin"], "reached": len(flow["reached"]),
             "waves": flow["waves"]}
            for pid, flow in flows.items()
            if practices.get(pid) is not None
        ),
        key=lambda c: (-c["reached"], c["practice"].title),
    )  # fmt: skip
    last_tie: dict[int, date] = {}
    for tie in ties:
        for school_id in (tie.a, tie.b):
            if school_id in ids and (school_id not in last_tie or tie.on > last_tie[school_id]):
                last_tie[school_id] = tie.on
    active = defaultdict(int)
    for school_id, _day, _kind in events:
        active[school_id] += 1
    centrality = dict(ranked)
    per_school = [
        {"school": s, "ties": graph.degree(s.id), "last_tie": last_tie.get(s.id), "activity": active[s.id],
         "isolated": s.id in alone, "bridge": round(centrality.get(s.id, 0.0), 3)}
        for s in schools
    ]  # fmt: skip
    total, answered = _advice(zone_ids)
    isolated_schools = [by_id[i] for i in sorted(alone, key=lambda i: by_id[i].name)]
    bridge_schools = [(by_id[s], v) for s, v in ranked]
    return ZoneHealth(
        zone=zones[0] if len(zones) == 1 else None,
        zones=zones,
        schools=schools,
        ties=graph.number_of_edges(),
        isolated=isolated_schools,
        bridges=bridge_schools,
        months=participation,
        cascades=cascades[:10],
        advice_total=total,
        advice_answered=answered,
        per_school=per_school,
        actions=_actions(isolated_schools, bridge_schools, participation, total, answered),
        picture=_picture(schools, ties, alone, {s for s, _v in ranked})
        if len(zones) == 1
        else _zones_picture(zones, schools, ties, alone),
        per_zone=_per_zone(zones, schools, alone, per_school) if len(zones) > 1 else [],
    )


def _zones_picture(zones: list[Zone], schools: list[School], ties: list[health.Tie], alone: set[int]) -> dict:
    """For a region: one node per zone (its size, its isolated schools) and the ties between zones, on
    a circle; hundreds of schools would be a hairball."""
    import math

    zone_of = {s.id: s.zone_id for s in schools}
    members_of = _by_zone(schools)
    n = max(len(zones), 1)
    size, radius = 600, 200
    where, nodes = {}, []
    for i, zone in enumerate(zones):
        angle = 2 * math.pi * i / n - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        where[zone.id] = (round(size / 2 + radius * cos, 1), round(size / 2 + radius * sin, 1))
        members = members_of.get(zone.id, [])
        nodes.append(
            {"zone": zone, "x": where[zone.id][0], "y": where[zone.id][1], "r": round(8 + 2 * math.sqrt(len(members)), 1),
             "lx": round(size / 2 + (radius + 30) * cos, 1), "ly": round(size / 2 + (radius + 30) * sin + 4, 1),
             "anchor": "start" if cos > 0.25 else "end" if cos < -0.25 else "middle",
             "schools": len(members), "isolated": sum(1 for s in members if s.id in alone)}
        )  # fmt: skip
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for tie in ties:
        a, b = zone_of.get(tie.a), zone_of.get(tie.b)
        if a in where and b in where and a != b:
            weights[tuple(sorted((a, b)))] += 1
    edges = [
        {
            "x1": where[a][0],
            "y1": where[a][1],
            "x2": where[b][0],
            "y2": where[b][1],
            "width": min(1 + w, 8),
            "ties": w,
        }
        for (a, b), w in weights.items()
    ]
    return {"size": size, "nodes": nodes, "edges": edges, "by_zone": True}


def _by_zone(schools: list[School]) -> dict[int, list[School]]:
    members: dict[int, list[School]] = defaultdict(list)
    for school in schools:
        members[school.zone_id].append(school)
    return members


def _per_zone(
    zones: list[Zone], schools: list[School], alone: set[int], per_school: list[dict]
) -> list[dict]:
    ties = {row["school"].id: row["ties"] for row in per_school}
    activity = {row["school"].id: row["activity"] for row in per_school}
    rows, members_of = [], _by_zone(schools)
    for zone in zones:
        members = members_of.get(zone.id, [])
        rows.append(
            {"zone": zone, "schools": len(members), "isolated": sum(1 for s in members if s.id in alone),
             "ties": sum(ties.get(s.id, 0) for s in members), "activity": sum(activity.get(s.id, 0) for s in members)}
        )  # fmt: skip
    return rows


def _actions(
    alone: list[School], ranked: list[tuple[School, float]], months: list[dict], total: int, answered: int
) -> list[str]:
    """What a supervisor could do next, in plain words."""
    actions = []
    if alone:
        names = ", ".join(s.name for s in alone[:4]) + ("…" if len(alone) > 4 else "")
        actions.append(
            ngettext(
                "%(num)d escuela no ha participado en ningún encuentro ni adoptado una práctica en %(days)d días: %(names)s. Invítala al próximo encuentro.",
                "Estas %(num)d escuelas no han participado en ningún encuentro ni adoptado una práctica en %(days)d días: %(names)s. Invítalas al próximo encuentro.",
                len(alone),
                days=ISOLATED_SINCE_DAYS,
                names=names,
            )
        )
    if ranked:
        actions.append(
            _(
                "%(name)s une a escuelas que de otro modo no se encontrarían: pídele que comparta su experiencia o que facilite un grupo.",
                name=ranked[0][0].name,
            )
        )
    if len(months) >= 2 and months[-2]["schools"] and months[-1]["schools"] < months[-2]["schools"] / 2:
        actions.append(
            _(
                "La participación bajó a menos de la mitad que el mes anterior: revisa si hubo encuentros programados."
            )
        )
    if total and answered < total:
        actions.append(
            _(
                "Faltan %(n)d de %(total)d solicitudes de asesoría externa por atender.",
                n=total - answered,
                total=total,
            )
        )
    return actions
