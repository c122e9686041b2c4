"""The network leader's view: the open requests of their zones, every active offer with its load,
and the suggested pairs of ``network.mentoring.assign`` (exact, within each mentor's room), each
with its reasons in plain words (categories in common, the mentor's evidence, level, zone)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import network.mentoring
from app import permissions
from app.auth.models import User
from app.catalogue.models import School
from app.extensions import db
from app.mentoring.evidence import offer_evidence
from app.mentoring.models import (
    BUSY_PAIR_STATUSES,
    MentoringPair,
    MentoringRequest,
    MentorOffer,
)
from app.problems.models import Problem, ProblemCategory


def leaders_of(zone_id: int | None) -> list[User]:
    """The active supervisors and advisors of a zone (who see its requests)."""
    if zone_id is None:
        return []
    people = db.session.execute(
        select(User)
        .where(User.role.in_(("supervisor", "asesor")), User.is_active.is_(True))
        .order_by(User.id)
    ).scalars()
    return [u for u in people if permissions.leads_zone(u, zone_id)]


def led_zone_ids(user: User) -> set[int] | None:
    """The zones whose requests a leader sees; None for the administrator (every zone)."""
    if user.role == "admin":
        return None
    if user.role == "supervisor":
        return {user.zone_id} if user.zone_id is not None else set()
    if user.role == "asesor":
        return {z.id for z in user.advised_zones} | {s.zone_id for s in user.advised_schools if s.zone_id}
    return set()


def open_requests_for(leader: User) -> list[MentoringRequest]:
    """The open requests of the leader's zones, oldest first (they have waited longest)."""
    zones = led_zone_ids(leader)
    query = (
        select(MentoringRequest)
        .join(School, School.id == MentoringRequest.school_id)
        .where(MentoringRequest.status == "abierta")
        .options(
            selectinload(MentoringRequest.school).selectinload(School.zone),
            selectinload(MentoringRequest.problem)
            .selectinload(Problem.categories)
            .selectinload(ProblemCategory.category),
            selectinload(MentoringRequest.category),
            selectinload(MentoringRequest.requester),
        )
        .order_by(MentoringRequest.created_at, MentoringRequest.id)
    )
    if zones is not None:
        if not zones:
            return []
        query = query.where(School.zone_id.in_(zones))
    return list(db.session.execute(query).scalars())


def loads(offer_ids) -> dict[int, int]:
    """How many mentees each offer's mentor has now (pairs waiting for acceptance and active)."""
    ids = list(offer_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(MentoringPair.offer_id, db.func.count(MentoringPair.id))
        .where(MentoringPair.offer_id.in_(ids), MentoringPair.status.in_(BUSY_PAIR_STATUSES))
        .group_by(MentoringPair.offer_id)
    )
    return {offer_id: count for offer_id, count in rows}


def active_offers() -> list[dict]:
    """Every active offer, from any zone (a mentor may help across zones), with its load and
    evidence: ``{"offer", "load", "room", "evidence"}``."""
    offers = list(
        db.session.execute(
            select(MentorOffer)
            .where(MentorOffer.is_active.is_(True))
            .options(
                selectinload(MentorOffer.categories),
                selectinload(MentorOffer.user),
                selectinload(MentorOffer.school).selectinload(School.zone),
            )
            .order_by(MentorOffer.id)
        ).scalars()
    )
    load = loads(o.id for o in offers)
    return [
        {
            "offer": o,
            "load": load.get(o.id, 0),
            "room": max(0, o.capacity - load.get(o.id, 0)),
            "evidence": offer_evidence(o),
        }
        for o in offers
    ]


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s y %(last)s", first=", ".join(words[:-1]), last=words[-1])


def pair_reason(request: MentoringRequest, offer: MentorOffer, evidence: list[dict]) -> list[str]:
    """Why this mentor for this request, in plain words: the categories in common, the mentor's
    evidence on them, the level (and the zone when it differs)."""
    wanted = {c.id for c in request.categories}
    shared = [row for row in evidence if row["category"].id in wanted and row["count"] > 0]
    lines = []
    if shared:
        lines.append(
            _(
                "Tienen en común: %(categories)s.",
                categories=_join([row["category"].name.lower() for row in shared]),
            )
        )
        for row in shared:
            lines.append(
                _(
                    "%(school)s, en %(category)s: %(evidence)s.",
                    school=offer.school.name,
                    category=row["category"].name.lower(),
                    evidence=row["words"],
                )
            )
    mentor_level, mentee_level = offer.school.level, request.school.level
    if mentor_level and mentor_level == mentee_level:
        lines.append(_("Mismo nivel: %(level)s.", level=request.school.level_label.lower()))
    elif mentor_level and mentee_level:
        lines.append(
            _(
                "Niveles distintos: %(mentor)s y %(mentee)s.",
                mentor=offer.school.level_label.lower(),
                mentee=request.school.level_label.lower(),
            )
        )
    if offer.school.zone_id != request.school.zone_id and offer.school.zone is not None:
        lines.append(
            _("Mentoría entre zonas: la mentora o el mentor es de la %(zone)s.", zone=offer.school.zone.label)
        )
    return lines


def _network_mentor(row: dict) -> network.mentoring.Mentor:
    offer = row["offer"]
    return network.mentoring.Mentor(
        id=offer.id,
        capacity=row["room"],
        evidence={e["category"].code: e["count"] for e in row["evidence"] if e["count"] > 0},
        level=offer.school.level,
        school_id=offer.school_id,
    )


def _network_request(request: MentoringRequest) -> network.mentoring.Request:
    return network.mentoring.Request(
        id=request.id,
        categories=frozenset(c.code for c in request.categories),
        level=request.school.level,
        school_id=request.school_id,
    )


def _declined(request_ids) -> set[tuple[int, int]]:
    """The (request, offer) pairs one side already declined: never suggested again."""
    ids = list(request_ids)
    if not ids:
        return set()
    rows = db.session.execute(
        select(MentoringPair.request_id, MentoringPair.offer_id).where(
            MentoringPair.request_id.in_(ids), MentoringPair.status == "rechazada"
        )
    )
    return {(r, o) for r, o in rows}


def suggestions(leader: User) -> list[dict]:
    """The assignment of greatest total fit between the leader's open requests and the offers with
    room (``network.mentoring.assign``, exact), each pair with its reasons in words:
    ``{"request", "offer", "reasons"}``, best fit first.

    A pair that one side declined is not suggested again. The engine has no way to leave one pair
    out, so a request whose optimal mentor declined it before gets, afterwards, the best-fitting
    mentor still with room that did not decline it (``network.mentoring.fit``).
    """
    requests = open_requests_for(leader)
    offers = [row for row in active_offers() if row["room"] > 0]
    if not requests or not offers:
        return []
    mentors = [_network_mentor(row) for row in offers]
    wanted = {r.id: _network_request(r) for r in requests}
    by_request = {r.id: r for r in requests}
    by_offer = {row["offer"].id: row for row in offers}
    declined = _declined(by_request)
    # A mentor is never suggested for their own school (the engine's fit is 0 there), so nobody
    # is suggested as their own mentor either.
    assignment = network.mentoring.assign(mentors, list(wanted.values()))
    chosen = [(m.request_id, m.mentor_id, m.fit) for m in assignment.matches]
    kept = [c for c in chosen if (c[0], c[1]) not in declined]
    room = {m.id: m.capacity for m in mentors}
    for _request, offer_id, _fit in kept:
        room[offer_id] -= 1
    for request_id, _offer, _fit in (c for c in chosen if (c[0], c[1]) in declined):
        options = [
            (network.mentoring.fit(m, wanted[request_id]), m.id)
            for m in mentors
            if room[m.id] > 0 and (request_id, m.id) not in declined
        ]
        best = max((o for o in options if o[0] > 0), default=None)
        if best is not None:
            room[best[1]] -= 1
            kept.append((request_id, best[1], best[0]))
    pairs = []
    for request_id, offer_id, _fit in sorted(kept, key=lambda c: -c[2]):
        request, row = by_request[request_id], by_offer[offer_id]
        pairs.append(
            {
                "request": request,
                "offer": row["offer"],
                "reasons": pair_reason(request, row["offer"], row["evidence"]),
            }
        )
    return pairs
