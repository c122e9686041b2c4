"""What participants write in the room: contributions (edit, hide, *la probaremos*) and the
schools' commitments, each stored once by its client id (an INSERT that ignores a taken id).

One person adds at most ``LIVE_CONTRIBUTIONS_PER_PERSON`` contributions to a group's session (one
user over 20 connections had stored thousands in 10 s, issue 16), counted from the table (an
index on group and author) by the INSERT itself, under the room's row lock, which serialises the
room's writes without reading the row (``lock_room``; the room's state comes from the store). A
retry of a contribution already stored is still answered with its row at the cap: an
acknowledged write is never lost.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.catalogue.models import School
from app.commitments import services as commitment_services
from app.commitments.models import Commitment
from app.encounters.closing import EncounterClosed, late_write, typed_time
from app.encounters.models import EncounterGroup
from app.extensions import db
from app.live.models import CONTRIBUTION_KINDS, Contribution
from app.live.room import (
    CONTRIBUTION_TEXT_MAX,
    HIDDEN_REASON_MAX,
    WILL_TRY_KINDS,
    _group_problem_ids,
    _member_school_id,
    _publish_row,
    _require,
    _require_open,
    _require_writable,
    edit_minutes,
    lock_room,
    state_then_lock,
)
from app.live.snapshots import agenda_outline, commitment_dict, contribution_dict
from app.live.upserts import NO_UPSERT, insert_unless_taken
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError, check_client_id, clean_text

#: The card's activities after the presentations, where a contribution's problem is chosen.
AFTER_PRESENTATIONS = (3, 4)


class ContributionLimit(ValidationError):
    """The person reached the contributions they may add in this session (answered ``limite``)."""

    code = "limite"


#: The cap's condition, checked by the INSERT itself (``insert_unless_taken``): exact under the
#: room's row lock, which serialises two writes of one person; counted from the index on both.
_UNDER_CAP = (
    "(SELECT count(*) FROM contributions WHERE group_id = :group_id AND author_id = :author_id) < :cap"
)


def _limit(cap: int) -> ContributionLimit:
    return ContributionLimit(
        {
            "_": _(
                "Llegaste al límite de %(n)s aportaciones en esta sesión. Si falta algo importante, "
                "pide la palabra.",
                n=cap,
            )
        }
    )


def _current_item(group: EncounterGroup, state: dict) -> list | None:
    outline = agenda_outline(group)  # the group's agenda as kept (dropped when it changes)
    index = state.get("agenda_index") or 0
    return outline[index] if 0 <= index < len(outline) else None


def current_activity(group: EncounterGroup, state: dict) -> int | None:
    """The activity of the card (0 review, 1..4) of the agenda item the room is on (None: no agenda)."""
    item = _current_item(group, state)
    return item[0] if item is not None else None


def presented_problem_id(group: EncounterGroup, state: dict) -> int | None:
    """The problem on screen while a school presents: a school has the turn and the room is not past
    the presentations (activities 3 and 4 talk about every problem: there the last one shown is no
    default, the person chooses)."""
    if state.get("turn_school_id") is None or current_activity(group, state) in AFTER_PRESENTATIONS:
        return None
    return state.get("problem_id")


def _contribution_problem(group: EncounterGroup, state: dict, raw) -> tuple[int | None, bool]:
    """The problem a contribution is about and whether it is refused: the one named by the client,
    which must be a problem of a school of the group (the one on screen, set by the server from the
    presenting school's deck, needs no check); none named, the presented one (or none)."""
    if raw is None or raw == "":
        return presented_problem_id(group, state), False
    try:
        problem_id = int(raw)
    except (TypeError, ValueError):
        return None, True
    if problem_id == state.get("problem_id"):
        return problem_id, False
    return problem_id, problem_id not in _group_problem_ids(group)


def add_contribution(group: EncounterGroup, data: dict, *, actor, client_id) -> tuple[Contribution, bool]:
    """Add a typed contribution about a problem of the group (the presented one unless the person
    names another) and the activity the room is on; a retry with the same client_id returns the
    stored row (and ``False``: nothing new to publish)."""
    _require(permissions.can_participate(actor, group), _l("Como observador no puedes aportar."))
    _require_open(group)
    client_id = check_client_id(client_id, required=True)
    kind = str(data.get("kind") or "")
    errors = {}
    if kind not in CONTRIBUTION_KINDS:
        errors["kind"] = _("Elige el tipo de aportación.")
    try:
        text = clean_text(data.get("text"), "text", CONTRIBUTION_TEXT_MAX, _("Escribe tu aportación."))
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    try:
        after_close = late_write(group.encounter, data.get("typed_at"))
    except EncounterClosed:
        stored = db.session.execute(
            db.select(Contribution).filter_by(client_id=client_id)
        ).scalar_one_or_none()
        if stored is not None and stored.group_id == group.id and stored.author_id == actor.id:
            return stored, False  # a retry of what was stored before: its acknowledgement was lost
        raise
    state = state_then_lock(group)
    problem_id, bad_problem = _contribution_problem(group, state, data.get("problem_id"))
    activity = current_activity(group, state)
    values = dict(
        client_id=client_id,
        encounter_id=group.encounter_id,
        group_id=group.id,
        problem_id=problem_id,
        presenting_school_id=state.get("turn_school_id"),
        activity=activity,
        author_id=actor.id,
        author_school_id=_member_school_id(actor, group),
        kind=kind,
        text=text,
        typed_at=typed_time(data.get("typed_at")),
        after_close=after_close,
    )
    cap = current_app.config["LIVE_CONTRIBUTIONS_PER_PERSON"]
    if bad_problem:
        inserted = NO_UPSERT
    elif cap:
        inserted = insert_unless_taken(Contribution, values, where=_UNDER_CAP, cap=cap)
    else:
        inserted = insert_unless_taken(Contribution, values)
    if inserted is not None and inserted is not NO_UPSERT:
        _publish_row(group, "contribution", contribution_dict(inserted, author=actor))
        return inserted, True
    existing = db.session.execute(db.select(Contribution).filter_by(client_id=client_id)).scalar_one_or_none()
    if existing is not None:  # a retry (even at the cap): the stored row, nothing new to publish
        if existing.group_id != group.id or existing.author_id != actor.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otra aportación.")})
        return existing, False
    if bad_problem:
        raise ValidationError({"problem_id": _("La problemática no es de una escuela del grupo.")})
    if inserted is None:  # the id was free: the cap refused it
        raise _limit(cap)
    return _insert_with_savepoint(group, values, actor=actor, cap=cap)  # pragma: no cover


def _insert_with_savepoint(group: EncounterGroup, values: dict, *, actor, cap: int):  # pragma: no cover
    """A database without ``ON CONFLICT``: count, then insert in a savepoint."""
    authored = db.session.execute(
        db.select(db.func.count())
        .select_from(Contribution)
        .where(Contribution.group_id == group.id, Contribution.author_id == actor.id)
    ).scalar_one()
    if cap and authored >= cap:
        raise _limit(cap)
    contribution = Contribution(**values)
    try:
        with db.session.begin_nested():
            db.session.add(contribution)
    except IntegrityError:  # a retry on another process stored it first
        existing = db.session.execute(
            db.select(Contribution).filter_by(client_id=values["client_id"])
        ).scalar_one()
        return existing, False
    _publish_row(group, "contribution", contribution_dict(contribution, author=actor))
    return contribution, True


def _contribution_in(group: EncounterGroup, contribution_id) -> Contribution:
    try:
        contribution = db.session.get(Contribution, int(contribution_id))
    except (TypeError, ValueError):
        contribution = None
    if contribution is None or contribution.group_id != group.id:
        raise ValidationError({"contribution_id": _("La aportación no existe en esta sala.")})
    return contribution


def can_edit_contribution(actor, contribution: Contribution, now=None) -> bool:
    """Its author, for CONTRIBUTION_EDIT_MINUTES after writing it, while it is not hidden."""
    now = now or utcnow()
    return (
        getattr(actor, "id", None) == contribution.author_id
        and not contribution.is_hidden
        and as_utc(contribution.created_at) + timedelta(minutes=edit_minutes()) >= now
    )


def edit_contribution(group: EncounterGroup, contribution_id, data: dict, *, actor) -> Contribution:
    """The author corrects a contribution within the edit window."""
    _require(permissions.can_participate(actor, group))
    _require_writable(group)
    contribution = _contribution_in(group, contribution_id)
    _require(
        can_edit_contribution(actor, contribution),
        _("Solo su autor puede editarla, durante %(minutes)s minutos.", minutes=edit_minutes()),
    )
    text = clean_text(data.get("text"), "text", CONTRIBUTION_TEXT_MAX, _("Escribe tu aportación."))
    kind = str(data.get("kind") or contribution.kind)
    if kind not in CONTRIBUTION_KINDS:
        raise ValidationError({"kind": _("Elige el tipo de aportación.")})
    lock_room(group)
    contribution.text, contribution.kind, contribution.edited_at = text, kind, utcnow()
    db.session.flush()
    _publish_row(group, "contribution", contribution_dict(contribution))
    return contribution


def hide_contribution(group: EncounterGroup, contribution_id, reason, *, actor) -> Contribution:
    """Whoever facilitates hides a contribution, with a reason everyone sees."""
    _require(permissions.can_facilitate(actor, group), _l("Solo quien facilita puede ocultar aportaciones."))
    _require_writable(group)
    contribution = _contribution_in(group, contribution_id)
    reason = clean_text(reason, "reason", HIDDEN_REASON_MAX, _("Escribe el motivo."))
    lock_room(group)
    contribution.is_hidden, contribution.hidden_reason = True, reason
    db.session.flush()
    _publish_row(group, "contribution", contribution_dict(contribution))
    return contribution


def can_mark_will_try(actor, group: EncounterGroup, contribution: Contribution) -> bool:
    """The group decides what to try: whoever facilitates, or the presenting school's people."""
    return permissions.can_facilitate(actor, group) or (
        permissions.can_participate(actor, group)
        and contribution.presenting_school_id is not None
        and getattr(actor, "school_id", None) == contribution.presenting_school_id
    )


def set_will_try(group: EncounterGroup, contribution_id, value: bool, *, actor) -> Contribution:
    """Mark (or unmark) a proposal or a recommended practice as *la probaremos*."""
    _require_writable(group)
    contribution = _contribution_in(group, contribution_id)
    _require(can_mark_will_try(actor, group, contribution), _l("No puedes decidir qué se probará."))
    if contribution.kind not in WILL_TRY_KINDS:
        raise ValidationError({"kind": _("Solo las propuestas y las prácticas recomendadas se prueban.")})
    lock_room(group)
    contribution.will_try = bool(value)
    db.session.flush()
    _publish_row(group, "contribution", contribution_dict(contribution))
    return contribution


def add_commitment(group: EncounterGroup, data: dict, *, actor, client_id) -> tuple[Commitment, bool]:
    """Record a school's commitment from the room through the logbook (idempotent on client_id);
    ``True`` when it is new and was published."""
    _require(
        permissions.can_participate(actor, group), _l("Como observador no puedes registrar compromisos.")
    )
    client_id = check_client_id(client_id, required=True)
    raw_school = data.get("school_id") or _member_school_id(actor, group)
    try:
        school_id = int(raw_school)
    except (TypeError, ValueError):
        school_id = -1
    if school_id not in {m.school_id for m in group.schools}:
        raise ValidationError({"school_id": _("Elige una escuela del grupo.")})
    school = db.session.get(School, school_id)
    lock_room(group)
    existing = db.session.execute(db.select(Commitment).filter_by(client_id=client_id)).scalar_one_or_none()
    if existing is not None:
        if existing.group_id != group.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otro compromiso.")})
        return existing, False
    try:
        commitment = commitment_services.record_commitment(
            group.encounter, school, data, actor=actor, client_id=client_id
        )
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc) or _("No puedes registrar compromisos de esa escuela.")) from None
    _publish_row(group, "commitment", commitment_dict(commitment))
    return commitment, True
