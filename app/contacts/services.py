"""Contact requests between schools: write, answer, close, propose an encounter between the two.

A director writes to another school's directors about one of the two schools' problems or one of
the other school's practices; both sides are notified in the platform (and by e-mail when SMTP is
configured) each time the other writes. Either director may then propose an encounter between the
two schools; the supervisors of both zones are notified, may read the conversation and schedule it
(``schedulable_zones``). Services take the actor explicitly, flush and never commit.
"""

from __future__ import annotations

from datetime import timedelta

from flask import has_app_context
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import permissions, ratelimits, signals
from app.auth.models import User
from app.catalogue.models import School, Zone
from app.contacts.models import MESSAGE_MAX, MESSAGE_MIN, ContactMessage, ContactRequest
from app.encounters.notifications import notify
from app.extensions import db
from app.practices.models import Practice
from app.problems.models import Problem
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError, clean_text, parse_id

OPEN_PROBLEM_STATUSES = ("abierta", "en_atencion")
#: New conversations one person may open in a day (a reply is not counted).
DAILY_REQUESTS = 20


def contact_path(request: ContactRequest) -> str:
    return f"/contactos/{request.id}"


def directors_of(school_id: int) -> list[User]:
    """The active directors of a school: those who receive and answer its contact requests."""
    return list(
        db.session.execute(
            select(User)
            .where(User.school_id == school_id, User.role == "director", User.is_active.is_(True))
            .order_by(User.id)
        ).scalars()
    )


def supervisors_of(zone_ids) -> list[User]:
    """The active supervisors of these zones."""
    ids = [z for z in zone_ids if z is not None]
    if not ids:
        return []
    return list(
        db.session.execute(
            select(User)
            .where(User.zone_id.in_(ids), User.role == "supervisor", User.is_active.is_(True))
            .order_by(User.id)
        ).scalars()
    )


def _problems(school_id: int) -> list[Problem]:
    return list(
        db.session.execute(
            select(Problem)
            .where(Problem.school_id == school_id, Problem.status.in_(OPEN_PROBLEM_STATUSES))
            .order_by(Problem.created_at.desc(), Problem.id.desc())
        ).scalars()
    )


def contact_topics(recipient: School, *, actor: User) -> list[tuple[str, str]]:
    """What a request may be about: the recipient's open problems and the practices of it the actor
    may see, then the actor's own school's open problems; ``("problema-<id>", label)`` pairs."""
    topics = [
        (f"problema-{p.id}", _("Su problemática: %(title)s", title=p.title)) for p in _problems(recipient.id)
    ]
    practices = db.session.execute(
        select(Practice).where(Practice.school_id == recipient.id).order_by(Practice.title, Practice.id)
    ).scalars()
    topics += [
        (f"practica-{p.id}", _("Su práctica: %(title)s", title=p.title))
        for p in practices
        if permissions.can_view_practice(actor, p)
    ]
    if actor.school_id is not None:
        topics += [
            (f"problema-{p.id}", _("Nuestra problemática: %(title)s", title=p.title))
            for p in _problems(actor.school_id)
        ]
    return topics


def _topic(value, recipient: School, actor: User) -> tuple[Problem | None, Practice | None]:
    """The problem or practice a request is about, checked against ``contact_topics``."""
    text = str(value or "").strip()
    if not text:
        return None, None
    if text not in {key for key, _label in contact_topics(recipient, actor=actor)}:
        raise ValidationError({"about": _("Elige una problemática o práctica de la lista.")})
    kind, _sep, raw = text.partition("-")
    key = parse_id(raw)
    if kind == "problema":
        return db.session.get(Problem, key), None
    return None, db.session.get(Practice, key)


def _message(value, field: str = "message") -> str:
    text = clean_text(value, field, MESSAGE_MAX + 1, empty=_("Escribe tu mensaje."))
    if len(text) < MESSAGE_MIN:
        raise ValidationError({field: _("Escribe al menos %(num)d caracteres.", num=MESSAGE_MIN)})
    if len(text) > MESSAGE_MAX:
        raise ValidationError({field: _("El mensaje admite hasta %(num)d caracteres.", num=MESSAGE_MAX)})
    return text


def _daily_limit():
    return ratelimits.window(DAILY_REQUESTS, timedelta(days=1))


def _notify_side(request: ContactRequest, school_id: int, message: str, *, actor: User) -> None:
    people = [u for u in directors_of(school_id) if u.id != actor.id]
    notify(
        people,
        "contacto",
        message,
        url=contact_path(request),
        dedupe_key=f"contacto-{request.id}",
        mail_subject=_("Aprendizaje entre Escuelas: mensaje de otra escuela"),
    )


def send_contact_request(recipient: School, data: dict, *, actor: User) -> ContactRequest:
    """Open a conversation with ``recipient``'s directors; they are notified."""
    if not permissions.can_request_contact(actor, recipient):
        raise PermissionDenied
    errors = {}
    try:
        body = _message(data.get("message"))
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        problem, practice = _topic(data.get("about"), recipient, actor)
    except ValidationError as exc:
        errors.update(exc.errors)
    if not directors_of(recipient.id):
        errors["_"] = _(
            "%(school)s aún no tiene director(a) con cuenta en la plataforma; pide a la supervisión de su "
            "zona que la invite.",
            school=recipient.name,
        )
    if errors:
        raise ValidationError(errors)
    if has_app_context() and not ratelimits.limits().hit(_daily_limit(), "contacto", str(actor.id)):
        raise ValidationError(
            _("Ya enviaste %(num)d solicitudes de contacto hoy; intenta mañana.", num=DAILY_REQUESTS)
        )
    now = utcnow()
    request = ContactRequest(
        sender_id=actor.id,
        sender_school_id=actor.school_id,
        recipient_school_id=recipient.id,
        problem_id=problem.id if problem else None,
        practice_id=practice.id if practice else None,
        status="enviada",
        created_at=now,
        updated_at=now,
    )
    request.messages.append(ContactMessage(author_id=actor.id, school_id=actor.school_id, body=body))
    db.session.add(request)
    db.session.flush()
    _notify_side(
        request,
        recipient.id,
        _(
            "%(school)s quiere ponerse en contacto con ustedes: %(text)s",
            school=actor.school.name,
            text=body[:200],
        ),
        actor=actor,
    )
    return request


def reply(request: ContactRequest, data: dict, *, actor: User) -> ContactMessage:
    """Answer in the conversation; the other side is notified."""
    if not permissions.can_reply_contact(actor, request):
        raise PermissionDenied
    body = _message(data.get("message"))
    message = ContactMessage(author_id=actor.id, school_id=actor.school_id, body=body)
    request.messages.append(message)
    if actor.school_id == request.recipient_school_id:
        request.status = "respondida"
    request.updated_at = utcnow()
    db.session.flush()
    other = request.other_school(actor.school_id)
    _notify_side(
        request,
        other.id,
        _("%(school)s respondió: %(text)s", school=actor.school.name, text=body[:200]),
        actor=actor,
    )
    return message


def close(request: ContactRequest, *, actor: User) -> ContactRequest:
    """Close the conversation (no more replies)."""
    if not permissions.can_reply_contact(actor, request):
        raise PermissionDenied
    request.status = "cerrada"
    request.updated_at = utcnow()
    db.session.flush()
    return request


def propose_encounter(request: ContactRequest, *, actor: User) -> ContactRequest:
    """Ask the supervisors of both zones for an encounter between the two schools."""
    if not permissions.can_propose_encounter(actor, request):
        raise PermissionDenied
    supervisors = supervisors_of(request.zone_ids)
    if not supervisors:
        raise ValidationError(
            _("Ninguna de las dos zonas tiene supervisor(a) con cuenta en la plataforma todavía.")
        )
    now = utcnow()
    request.encounter_proposed_at = now
    request.encounter_proposed_by_id = actor.id
    request.updated_at = now
    a, b = request.sender_school, request.recipient_school
    request.messages.append(
        ContactMessage(
            author_id=actor.id,
            school_id=actor.school_id,
            body=_("Propuse a la supervisión un encuentro entre %(a)s y %(b)s.", a=a.name, b=b.name),
        )
    )
    db.session.flush()
    notify(
        supervisors,
        "encuentro_propuesto",
        _(
            "%(a)s (%(zone_a)s) y %(b)s (%(zone_b)s) proponen un encuentro entre sus escuelas.",
            a=a.name,
            b=b.name,
            zone_a=a.zone.label if a.zone else "—",
            zone_b=b.zone.label if b.zone else "—",
        ),
        url=contact_path(request),
        dedupe_key=f"encuentro-propuesto-{request.id}",
        mail_subject=_("Aprendizaje entre Escuelas: propuesta de encuentro entre escuelas"),
    )
    _notify_side(
        request,
        request.other_school(actor.school_id).id,
        _("%(school)s propuso a la supervisión un encuentro entre sus escuelas.", school=actor.school.name),
        actor=actor,
    )
    return request


def requests_for(user: User) -> list[ContactRequest]:
    """The conversations a person may read, the most recently active first."""
    query = select(ContactRequest).options(
        selectinload(ContactRequest.sender_school).selectinload(School.zone),
        selectinload(ContactRequest.recipient_school).selectinload(School.zone),
        selectinload(ContactRequest.problem),
        selectinload(ContactRequest.practice),
    )
    if user.role == "admin":
        pass
    elif user.role == "director" and user.school_id is not None:
        query = query.where(
            or_(
                ContactRequest.sender_school_id == user.school_id,
                ContactRequest.recipient_school_id == user.school_id,
            )
        )
    elif user.role == "supervisor" and user.zone_id is not None:
        in_zone = select(School.id).where(School.zone_id == user.zone_id)
        query = query.where(
            ContactRequest.encounter_proposed_at.is_not(None),
            or_(
                ContactRequest.sender_school_id.in_(in_zone),
                ContactRequest.recipient_school_id.in_(in_zone),
            ),
        )
    else:
        return []
    return list(
        db.session.execute(
            query.order_by(ContactRequest.updated_at.desc(), ContactRequest.id.desc()).limit(200)
        ).scalars()
    )


@signals.schedulable_zones_requested.connect
def _schedulable_zones(user, **_kw) -> list[Zone]:
    return schedulable_zones(user)


def schedulable_zones(user: User) -> list[Zone]:
    """Zones a supervisor may add to an encounter because a school of theirs and a school of that
    zone proposed meeting: the other side of every proposed conversation of their zone."""
    if user.role != "supervisor" or user.zone_id is None:
        return []
    zone_ids = set()
    for request in requests_for(user):
        zone_ids |= request.zone_ids
    zone_ids.discard(user.zone_id)
    if not zone_ids:
        return []
    return list(db.session.execute(select(Zone).where(Zone.id.in_(zone_ids)).order_by(Zone.number)).scalars())
