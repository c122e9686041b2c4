"""Mentoring's rules: offers to mentor and requests for a mentor, here; a mentor's evidence
(``evidence.py``), the leader's view and suggested pairs through ``network.mentoring``
(``matching.py``) and a pair's confirmation, acceptance, plan, sessions and closing (``pairs.py``),
re-exported so that callers write ``services.confirm_pair``.

The matching gets plain data (``network.mentoring.Mentor``/``Request``) and gives plain pairs back;
the reasons shown to the leader are written in words. A mentor's capacity counts the pairs waiting
for acceptance and the active ones. Services take the actor explicitly, flush and never commit.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import permissions
from app.auth.models import User
from app.encounters.notifications import notify
from app.extensions import db
from app.mentoring.evidence import categories, evidence_count, evidence_of, evidence_words, offer_evidence  # noqa: F401
from app.mentoring.matching import (  # noqa: F401
    active_offers,
    leaders_of,
    led_zone_ids,
    loads,
    open_requests_for,
    pair_reason,
    suggestions,
)
from app.mentoring.models import (
    CAPACITY_MAX,
    CAPACITY_MIN,
    NOTE_MAX,
    REQUEST_KINDS,
    MentoringRequest,
    MentorOffer,
)
from app.mentoring.pairs import (  # noqa: F401
    answer_pair,
    close_pair,
    confirm_pair,
    load_pair,
    log_session,
    pair_path,
    pairs_for,
    save_plan,
)
from app.problems.models import Category, Problem
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError, clean_text, parse_id

OPEN_PROBLEM_STATUSES = ("abierta", "en_atencion")
#: A request still waiting for (or with) a mentor: a second one on the same topic is refused.
LIVE_REQUEST_STATUSES = ("abierta", "emparejada", "activa")


def offer_of(user: User) -> MentorOffer | None:
    """The person's offer to mentor (active or withdrawn), if they made one."""
    return db.session.execute(select(MentorOffer).filter_by(user_id=user.id)).scalar_one_or_none()


def _chosen_categories(values) -> list[Category]:
    ids = {parse_id(v) for v in (values or [])}
    ids.discard(None)
    if not ids:
        return []
    return list(db.session.execute(select(Category).where(Category.id.in_(ids))).scalars())


def _capacity(value) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if not CAPACITY_MIN <= number <= CAPACITY_MAX:
        raise ValidationError(
            {
                "capacity": _(
                    "Indica a cuántas personas puedes acompañar a la vez: de %(low)d a %(high)d.",
                    low=CAPACITY_MIN,
                    high=CAPACITY_MAX,
                )
            }
        )
    return number


def save_offer(data: dict, *, actor: User) -> MentorOffer:
    """Offer to mentor (or change the offer): categories, capacity (1..5) and a short note."""
    if not permissions.can_offer_mentoring(actor):
        raise PermissionDenied
    errors = {}
    chosen = _chosen_categories(data.get("categories"))
    if not chosen:
        errors["categories"] = _("Elige al menos una categoría en la que puedas acompañar.")
    capacity = None
    try:
        capacity = _capacity(data.get("capacity"))
    except ValidationError as exc:
        errors.update(exc.errors)
    note = ""
    try:
        note = clean_text(data.get("note"), "note", NOTE_MAX)
    except ValidationError:
        errors["note"] = _("La nota admite máximo %(num)d caracteres.", num=NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    offer = offer_of(actor)
    if offer is None:
        offer = MentorOffer(user_id=actor.id)
        db.session.add(offer)
    offer.school_id = actor.school_id
    offer.categories = chosen
    offer.capacity = capacity
    offer.note = note
    offer.is_active = True
    offer.updated_at = utcnow()
    db.session.flush()
    return offer


def withdraw_offer(*, actor: User) -> MentorOffer | None:
    """Stop being suggested as a mentor (pairs already made go on)."""
    offer = offer_of(actor)
    if offer is not None:
        offer.is_active = False
        offer.updated_at = utcnow()
        db.session.flush()
    return offer


def request_topics(actor: User) -> list[tuple[str, str]]:
    """What a request may be about: the open problems of the actor's school, then every category."""
    topics = []
    if actor.school_id is not None:
        problems = db.session.execute(
            select(Problem)
            .where(Problem.school_id == actor.school_id, Problem.status.in_(OPEN_PROBLEM_STATUSES))
            .order_by(Problem.title, Problem.id)
        ).scalars()
        topics += [(f"problema-{p.id}", _("Problemática: %(title)s", title=p.title)) for p in problems]
    topics += [(f"categoria-{c.id}", _("Categoría: %(name)s", name=c.name)) for c in categories()]
    return topics


def create_request(data: dict, *, actor: User) -> MentoringRequest:
    """Ask for a mentor on a problem of one's school or a category, as a novice teacher, a new
    director or for the school; the leaders of the zone see it."""
    if not permissions.can_request_mentoring(actor):
        raise PermissionDenied
    errors = {}
    kind = str(data.get("kind") or "").strip()
    if kind not in REQUEST_KINDS:
        errors["kind"] = _("Elige quién pide la mentoría.")
    about = str(data.get("about") or "").strip()
    problem = category = None
    if about not in {key for key, _label in request_topics(actor)}:
        errors["about"] = _("Elige una problemática de tu escuela o una categoría de la lista.")
    else:
        prefix, _sep, raw = about.partition("-")
        if prefix == "problema":
            problem = db.session.get(Problem, parse_id(raw))
        else:
            category = db.session.get(Category, parse_id(raw))
    note = ""
    try:
        note = clean_text(data.get("note"), "note", NOTE_MAX)
    except ValidationError:
        errors["note"] = _("La nota admite máximo %(num)d caracteres.", num=NOTE_MAX)
    if not errors:
        same = select(MentoringRequest.id).where(
            MentoringRequest.requester_id == actor.id,
            MentoringRequest.status.in_(LIVE_REQUEST_STATUSES),
            MentoringRequest.problem_id == problem.id
            if problem is not None
            else MentoringRequest.category_id == category.id,
        )
        if db.session.execute(same).first() is not None:
            errors["about"] = _("Ya pediste mentoría sobre esto; espera a que concluya o elige otro tema.")
    if errors:
        raise ValidationError(errors)
    request = MentoringRequest(
        requester_id=actor.id,
        school_id=actor.school_id,
        kind=kind,
        problem_id=problem.id if problem else None,
        category_id=category.id if category else None,
        note=note,
        status="abierta",
    )
    db.session.add(request)
    db.session.flush()
    leaders = leaders_of(actor.school.zone_id if actor.school else None)
    notify(
        leaders,
        "mentoria_solicitud",
        _("%(school)s pide mentoría sobre «%(topic)s».", school=actor.school.name, topic=request.topic),
        url="/mentoria/red",
        dedupe_key=f"mentoria-solicitud-{request.id}",
    )
    return request


def requests_of(user: User) -> list[MentoringRequest]:
    """The requests a person made, newest first."""
    return list(
        db.session.execute(
            select(MentoringRequest)
            .where(MentoringRequest.requester_id == user.id)
            .order_by(MentoringRequest.created_at.desc(), MentoringRequest.id.desc())
        ).scalars()
    )
