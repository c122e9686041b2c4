"""A pair's life: the leader confirms it (within the mentor's capacity), each side accepts or
declines, then the plan, the sessions and the closing, which goes into the mentee school's
bitácora. Both sides are notified at each step."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import permissions
from app.auth.models import User
from app.catalogue.models import School
from app.encounters.notifications import notify
from app.extensions import db
from app.logbook.models import TITLE_MAX, LogbookEntry
from app.mentoring.evidence import offer_evidence
from app.mentoring.matching import led_zone_ids, loads, pair_reason
from app.mentoring.models import (
    OUTCOMES,
    TEXT_MAX,
    MentoringPair,
    MentoringRequest,
    MentoringSession,
    MentorOffer,
)
from app.utils import current_school_year, utcnow
from app.validation import PermissionDenied, ValidationError, clean_text


def pair_path(pair: MentoringPair) -> str:
    return f"/mentoria/parejas/{pair.id}"


def confirm_pair(request: MentoringRequest, offer: MentorOffer, *, actor: User) -> MentoringPair:
    """A leader confirms a mentor for a request; both are notified and each accepts or declines."""
    if not permissions.can_confirm_mentoring(actor, request):
        raise PermissionDenied
    if request.status != "abierta":
        raise ValidationError(_("Esta solicitud ya tiene mentor(a) o concluyó."))
    if not offer.is_active:
        raise ValidationError(_("%(name)s ya no ofrece mentoría.", name=offer.user.name))
    if offer.school_id == request.school_id:
        raise ValidationError(_("La mentora o el mentor debe ser de otra escuela."))
    if loads([offer.id]).get(offer.id, 0) >= offer.capacity:
        raise ValidationError(
            _(
                "%(name)s ya acompaña a todas las personas que puede (%(num)d).",
                name=offer.user.name,
                num=offer.capacity,
            )
        )
    reasons = pair_reason(request, offer, offer_evidence(offer))
    pair = MentoringPair(
        request_id=request.id,
        offer_id=offer.id,
        status="propuesta",
        reason="\n".join(reasons),
        confirmed_by_id=actor.id,
        confirmed_at=utcnow(),
    )
    request.status = "emparejada"
    db.session.add(pair)
    db.session.flush()
    notify(
        [offer.user],
        "mentoria_propuesta",
        _(
            "Te proponen como mentor(a) de %(school)s sobre «%(topic)s». Acepta o declina la propuesta.",
            school=request.school.name,
            topic=request.topic,
        ),
        url=pair_path(pair),
        dedupe_key=f"mentoria-propuesta-{pair.id}",
        mail_subject=_("Aprendizaje entre Escuelas: te proponen como mentor(a)"),
    )
    notify(
        [request.requester],
        "mentoria_propuesta",
        _(
            "Te proponen a %(name)s (%(school)s) como mentor(a) sobre «%(topic)s». Acepta o declina la propuesta.",
            name=offer.user.name,
            school=offer.school.name,
            topic=request.topic,
        ),
        url=pair_path(pair),
        dedupe_key=f"mentoria-propuesta-{pair.id}",
        mail_subject=_("Aprendizaje entre Escuelas: tienes una propuesta de mentoría"),
    )
    return pair


def answer_pair(pair: MentoringPair, accept: bool, *, actor: User) -> MentoringPair:
    """The mentor or the mentee accepts or declines their side; with both accepted the pair is
    active; a decline ends it and the request waits for another mentor."""
    if not permissions.can_answer_pair(actor, pair):
        raise PermissionDenied
    now = utcnow()
    is_mentor = actor.id == pair.offer.user_id
    other = pair.mentee if is_mentor else pair.mentor
    if not accept:
        pair.status = "rechazada"
        pair.declined_by_id = actor.id
        pair.request.status = "abierta"
        db.session.flush()
        people = [other] + ([pair.confirmed_by] if pair.confirmed_by is not None else [])
        notify(
            people,
            "mentoria_declinada",
            _("%(name)s declinó la mentoría sobre «%(topic)s».", name=actor.name, topic=pair.request.topic),
            url=pair_path(pair),
            dedupe_key=f"mentoria-respuesta-{pair.id}",
        )
        return pair
    if is_mentor:
        pair.mentor_accepted_at = now
    else:
        pair.mentee_accepted_at = now
    if pair.mentor_accepted_at is not None and pair.mentee_accepted_at is not None:
        pair.status = "activa"
        pair.request.status = "activa"
        message = _(
            "La mentoría sobre «%(topic)s» comenzó: escriban juntos su plan.", topic=pair.request.topic
        )
    else:
        message = _(
            "%(name)s aceptó la mentoría sobre «%(topic)s».", name=actor.name, topic=pair.request.topic
        )
    db.session.flush()
    notify(
        [other], "mentoria_aceptada", message, url=pair_path(pair), dedupe_key=f"mentoria-respuesta-{pair.id}"
    )
    return pair


def _date(data: dict, key: str, errors: dict, *, required: bool = False) -> date | None:
    value = str(data.get(key) or "").strip()
    if not value:
        if required:
            errors[key] = _("Indica la fecha.")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[key] = _("Escribe la fecha como AAAA-MM-DD.")
        return None


def _text(data: dict, key: str, errors: dict, *, empty: str | None = None) -> str:
    try:
        return clean_text(data.get(key), key, TEXT_MAX, empty=empty)
    except ValidationError as exc:
        errors.update(exc.errors)
        return ""


def save_plan(pair: MentoringPair, data: dict, *, actor: User) -> MentoringPair:
    """The pair's plan: goals, and the dates it starts and ends."""
    if not permissions.can_work_in_pair(actor, pair):
        raise PermissionDenied
    errors: dict[str, str] = {}
    goals = _text(data, "goals", errors, empty=_("Escribe al menos una meta de la mentoría."))
    starts = _date(data, "starts_on", errors, required=True)
    ends = _date(data, "ends_on", errors, required=True)
    if starts and ends and ends < starts:
        errors["ends_on"] = _("La fecha de término debe ser posterior a la de inicio.")
    if errors:
        raise ValidationError(errors)
    pair.goals, pair.starts_on, pair.ends_on = goals, starts, ends
    db.session.flush()
    return pair


def log_session(pair: MentoringPair, data: dict, *, actor: User) -> MentoringSession:
    """A session of the pair: its date, what was done and the next step."""
    if not permissions.can_work_in_pair(actor, pair):
        raise PermissionDenied
    errors: dict[str, str] = {}
    held_on = _date(data, "held_on", errors, required=True)
    done = _text(data, "done", errors, empty=_("Escribe qué hicieron en la sesión."))
    next_step = _text(data, "next_step", errors)
    if errors:
        raise ValidationError(errors)
    session = MentoringSession(pair=pair, held_on=held_on, done=done, next_step=next_step, author_id=actor.id)
    db.session.add(session)
    db.session.flush()
    return session


def close_pair(pair: MentoringPair, data: dict, *, actor: User) -> MentoringPair:
    """Close an active pair with its outcome (logrado, parcial, no logrado) and a note; the closing
    goes into the mentee school's bitácora, and the other side is notified."""
    if not permissions.can_work_in_pair(actor, pair):
        raise PermissionDenied
    errors: dict[str, str] = {}
    outcome = str(data.get("outcome") or "").strip()
    if outcome not in OUTCOMES:
        errors["outcome"] = _("Elige el resultado de la mentoría.")
    note = _text(data, "note", errors)
    if errors:
        raise ValidationError(errors)
    pair.status = "cerrada"
    pair.outcome = outcome
    pair.closing_note = note
    pair.closed_at = utcnow()
    pair.closed_by_id = actor.id
    pair.request.status = "cerrada"
    _write_into_logbook(pair, actor=actor)
    db.session.flush()
    other = pair.mentee if actor.id == pair.offer.user_id else pair.mentor
    notify(
        [other],
        "mentoria_cerrada",
        _(
            "%(name)s concluyó la mentoría sobre «%(topic)s»: %(outcome)s.",
            name=actor.name,
            topic=pair.request.topic,
            outcome=pair.outcome_label,
        ),
        url=pair_path(pair),
        dedupe_key=f"mentoria-cierre-{pair.id}",
    )
    return pair


def _write_into_logbook(pair: MentoringPair, *, actor: User) -> LogbookEntry:
    """The closing as a note of the mentee school's bitácora (what the school's people and its
    leaders read there; the sessions stay private to the pair)."""
    title = _(
        "Mentoría concluida (%(outcome)s): %(topic)s", outcome=pair.outcome_label, topic=pair.request.topic
    )[:TITLE_MAX]
    lines = [
        _("Mentor(a): %(name)s, %(school)s.", name=pair.mentor.name, school=pair.offer.school.name),
        _("Sesiones registradas: %(num)d.", num=len(pair.sessions)),
    ]
    if pair.closing_note:
        lines.append(pair.closing_note)
    entry = LogbookEntry(
        school_id=pair.request.school_id,
        kind="nota",
        title=title,
        body="\n".join(lines),
        school_year=current_school_year(),
        created_by_id=actor.id,
    )
    db.session.add(entry)
    return entry


def pairs_for(user: User) -> list[MentoringPair]:
    """The pairs a person may open: their own (as mentor or mentee); a leader's, those of their zones."""
    query = (
        select(MentoringPair)
        .join(MentoringRequest, MentoringRequest.id == MentoringPair.request_id)
        .join(MentorOffer, MentorOffer.id == MentoringPair.offer_id)
        .options(
            selectinload(MentoringPair.request).selectinload(MentoringRequest.school),
            selectinload(MentoringPair.offer).selectinload(MentorOffer.user),
        )
        .order_by(MentoringPair.confirmed_at.desc(), MentoringPair.id.desc())
    )
    mine = or_(MentorOffer.user_id == user.id, MentoringRequest.requester_id == user.id)
    zones = led_zone_ids(user)
    if zones is None:
        pass
    elif zones:
        in_zones = select(School.id).where(School.zone_id.in_(zones))
        query = query.where(or_(mine, MentoringRequest.school_id.in_(in_zones)))
    else:
        query = query.where(mine)
    return list(db.session.execute(query.limit(200)).scalars())


def load_pair(pair_id: int) -> MentoringPair | None:
    return db.session.get(MentoringPair, pair_id)
