"""Requests for outside advice: opened at the close from what the session asked for, found by the
people who answer them, answered, counted for the zone, and recalled in the next agenda.

An advisor sees every request of the zones they advise (``advised_zones``, and the zones of their
``advised_schools``), as ``app.permissions.roles.advises_zone`` decides; the supervisor sees their
zone's. Services take the actor explicitly, flush and never commit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_

from app import permissions, signals
from app.advice.models import ADVICE_STATUSES, OPEN_ADVICE_STATUSES, REPLY_MAX, AdviceRequest
from app.auth.models import User, advisor_schools, advisor_zones
from app.catalogue.models import School
from app.commitments.models import Commitment
from app.dates import day_text, display_timezone, local_today
from app.encounters.models import Encounter
from app.encounters.notifications import notify
from app.extensions import db
from app.logbook.models import Agreement
from app.problems.models import Problem
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError

NO_TOPIC = "Sin tema"
AGE_BUCKETS = (("menos_7", 0, 7), ("de_7_a_30", 7, 31), ("mas_30", 31, None))


def topic_of(problem: Problem | None) -> str:
    """The topic a request is grouped by: its problem's main category (a learning area before an
    ámbito, the highest priority first), so one visit can serve the schools that share it."""
    if problem is None or not problem.categories:
        return NO_TOPIC
    best = min(
        problem.categories,
        key=lambda pc: (-pc.weight, pc.category.facet != "area", pc.category.name),
    )
    return best.category.name[:200]


def _zone_id(encounter: Encounter, school: School | None) -> int | None:
    if school is not None and school.zone_id is not None:
        return school.zone_id
    return encounter.zones[0].id if encounter.zones else None


def _from_commitment(encounter: Encounter, c: Commitment) -> AdviceRequest:
    return AdviceRequest(
        encounter_id=encounter.id,
        group_id=c.group_id,
        zone_id=_zone_id(encounter, c.school),
        school_id=c.school_id,
        problem_id=c.problem_id,
        commitment_id=c.id,
        topic=topic_of(c.problem),
        text=c.action,
        status="recibida",
    )


def agreement_topic(a: Agreement, problem: Problem | None) -> str:
    """An agreement's topic: the one typed in the room wins over its problem's category."""
    typed = (getattr(a, "topic", None) or "").strip()
    return typed[:200] if typed else topic_of(problem)


def _from_agreement(encounter: Encounter, a: Agreement, school_ids: list[int | None]) -> list[AdviceRequest]:
    """One request per school the agreement names (``school_ids``: those still without one)."""
    problem_id = getattr(a, "problem_id", None)
    problem = db.session.get(Problem, problem_id) if problem_id else None
    topic = agreement_topic(a, problem)
    requests = []
    for school_id in school_ids:
        school = db.session.get(School, school_id) if school_id is not None else None
        requests.append(
            AdviceRequest(
                encounter_id=encounter.id,
                group_id=a.group_id,
                zone_id=_zone_id(encounter, school),
                school_id=school_id,
                # the problem is named for the school it belongs to; another school shares the topic
                problem_id=problem_id if problem is None or problem.school_id in (school_id, None) else None,
                agreement_id=a.id,
                topic=topic,
                text=a.text,
                status="recibida",
            )
        )
    return requests


def open_requests(encounter: Encounter, *, commitments=None, agreements=None) -> list[AdviceRequest]:
    """One request per commitment ticked *requiere asesoría externa* and, per agreement of kind
    *asesoria* of the encounter (or of those given), one per school it names; each opened once;
    the new ones."""
    if commitments is None:
        commitments = db.session.execute(
            db.select(Commitment).where(
                Commitment.encounter_id == encounter.id, Commitment.needs_external_advice.is_(True)
            )
        ).scalars()
    if agreements is None:
        agreements = db.session.execute(
            db.select(Agreement).where(Agreement.encounter_id == encounter.id, Agreement.kind == "asesoria")
        ).scalars()
    done_c = set(
        db.session.execute(
            db.select(AdviceRequest.commitment_id).where(AdviceRequest.encounter_id == encounter.id)
        ).scalars()
    )
    done_a = set(
        db.session.execute(
            db.select(AdviceRequest.agreement_id, AdviceRequest.school_id).where(
                AdviceRequest.encounter_id == encounter.id, AdviceRequest.agreement_id.is_not(None)
            )
        ).all()
    )
    new = [_from_commitment(encounter, c) for c in commitments if c.id not in done_c]
    for a in agreements:
        wanted = a.named_school_ids or [None]
        missing = [s for s in wanted if (a.id, s) not in done_a]
        new += _from_agreement(encounter, a, missing)
    db.session.add_all(new)
    db.session.flush()
    return new


def advisors_of(zone_ids: set[int], school_ids: set[int]) -> list[User]:
    """The active advisors of these zones (directly, or through one of their schools) or schools."""
    by_zone = db.select(advisor_zones.c.user_id).where(advisor_zones.c.zone_id.in_(zone_ids))
    by_school = (
        db.select(advisor_schools.c.user_id)
        .join(School, School.id == advisor_schools.c.school_id)
        .where(or_(School.zone_id.in_(zone_ids), School.id.in_(school_ids)))
    )
    return list(
        db.session.execute(
            db.select(User)
            .where(
                User.role == "asesor",
                User.is_active.is_(True),
                or_(User.id.in_(by_zone), User.id.in_(by_school)),
            )
            .order_by(User.id)
        ).scalars()
    )


def notify_new_requests(encounter: Encounter, requests: list[AdviceRequest]) -> None:
    """The advisors and the supervisors of the requests' zones hear of them (one notice each)."""
    if not requests:
        return
    zone_ids = {r.zone_id for r in requests if r.zone_id is not None}
    school_ids = {r.school_id for r in requests if r.school_id is not None}
    supervisors = list(
        db.session.execute(
            db.select(User).where(
                User.role == "supervisor", User.is_active.is_(True), User.zone_id.in_(zone_ids)
            )
        ).scalars()
    )
    topics = sorted({r.topic for r in requests})
    message = _(
        "%(title)s: %(n)s solicitud(es) de asesoría externa (%(topics)s).",
        title=encounter.title,
        n=len(requests),
        topics=", ".join(topics),
    )
    notify(
        advisors_of(zone_ids, school_ids) + supervisors,
        "asesoria_solicitada",
        message,
        url="/asesoria",
        dedupe_key=f"asesoria:{encounter.id}:{min(r.id for r in requests)}",
        mail_subject=_("Solicitudes de asesoría externa"),
    )


@signals.encounter_closed.connect
def _open_at_close(encounter: Encounter) -> None:
    notify_new_requests(encounter, open_requests(encounter))


@signals.commitment_recorded.connect
def _open_late(commitment: Commitment, *, encounter: Encounter) -> None:
    """A commitment kept after the close (typed before it) that asks for advice opens its request."""
    if commitment.after_close and commitment.needs_external_advice:
        notify_new_requests(encounter, open_requests(encounter, commitments=[commitment], agreements=[]))


@signals.agreement_recorded.connect
def _open_late_agreement(agreement: Agreement, *, encounter: Encounter) -> None:
    """An outside-advice need kept after the close (typed before it) opens its requests."""
    if agreement.after_close and agreement.kind == "asesoria":
        notify_new_requests(encounter, open_requests(encounter, commitments=[], agreements=[agreement]))


def _visible(query, user):
    if user.role == "admin":
        return query
    if user.role == "supervisor":
        return query.where(AdviceRequest.zone_id == user.zone_id)
    if user.role == "asesor":
        zone_ids = {z.id for z in user.advised_zones} | {s.zone_id for s in user.advised_schools}
        return query.where(AdviceRequest.zone_id.in_(zone_ids))
    return query.where(False)


def requests_for(user, *, only_open: bool = True) -> list[AdviceRequest]:
    """The requests this person answers (or follows), oldest first."""
    if not permissions.can_view_advice_inbox(user):
        raise PermissionDenied(_("Solo la asesoría y la supervisión ven las solicitudes de asesoría."))
    query = _visible(db.select(AdviceRequest), user)
    if only_open:
        query = query.where(AdviceRequest.status.in_(OPEN_ADVICE_STATUSES))
    return list(db.session.execute(query.order_by(AdviceRequest.created_at, AdviceRequest.id)).scalars())


def by_topic(requests: list[AdviceRequest]) -> list[tuple[str, list[AdviceRequest], int]]:
    """The requests grouped by topic (the most requested first), with how many schools each has."""
    groups: dict[str, list[AdviceRequest]] = defaultdict(list)
    for r in requests:
        groups[r.topic].append(r)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == NO_TOPIC, -len(kv[1]), kv[0]))
    return [(topic, rows, len({r.school_id for r in rows if r.school_id})) for topic, rows in ordered]


def answer_request(request: AdviceRequest, data: dict, *, actor) -> AdviceRequest:
    """The advisor (or the supervisor) sets the status and writes a reply the schools will read."""
    if not permissions.can_answer_advice(actor, request):
        raise PermissionDenied(_("No atiendes las solicitudes de esta zona."))
    errors = {}
    status = str(data.get("status") or "").strip()
    if status not in ADVICE_STATUSES:
        errors["status"] = _("Elige recibida, en atención o atendida.")
    reply = str(data.get("reply") or "").strip()
    if len(reply) > REPLY_MAX:
        errors["reply"] = _("La respuesta admite máximo %(n)s caracteres.", n=REPLY_MAX)
    elif status == "atendida" and not reply and not request.reply:
        errors["reply"] = _("Escribe qué se hizo o se acordó antes de marcarla como atendida.")
    if errors:
        raise ValidationError(errors)
    request.status = status
    if reply and reply != request.reply:
        request.reply = reply
        request.replied_by_id = actor.id
        request.replied_at = utcnow()
    db.session.flush()
    return request


def open_by_topic_and_age(zone_id: int, today: date | None = None) -> list[tuple[str, dict[str, int]]]:
    """The zone's open requests by topic, counted by age (days since they were received)."""
    today = today or local_today()
    rows = db.session.execute(
        db.select(AdviceRequest.topic, AdviceRequest.created_at).where(
            AdviceRequest.zone_id == zone_id, AdviceRequest.status.in_(OPEN_ADVICE_STATUSES)
        )
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for topic, created in rows:
        age = (today - as_utc(created).astimezone(display_timezone()).date()).days
        bucket = next(key for key, low, high in AGE_BUCKETS if age >= low and (high is None or age < high))
        row = counts.setdefault(topic, {"total": 0, **{key: 0 for key, _l, _h in AGE_BUCKETS}})
        row["total"] += 1
        row[bucket] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1]["total"], kv[0]))


@signals.review_lines_requested.connect
def open_advice_lines(previous: Encounter, *, school_ids: list[int]) -> list[str]:
    """The next agenda recalls each school's open requests for outside advice, one line each."""
    rows = db.session.execute(
        db.select(AdviceRequest)
        .where(AdviceRequest.school_id.in_(school_ids), AdviceRequest.status.in_(OPEN_ADVICE_STATUSES))
        .order_by(AdviceRequest.school_id, AdviceRequest.id)
    ).scalars()
    return [
        f"Asesoría externa pendiente · {r.school.name} ({r.school.cct}): {r.text} — tema: {r.topic}; "
        f"estado: {r.status_label}; solicitada el {day_text(as_utc(r.created_at))}"
        for r in rows
    ]
