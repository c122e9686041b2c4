"""Commitments: recording what a school commits to (idempotent by ``client_id``), following it up
(progress notes, evidence, status), due-date notifications, and the helpers that recording in an
encounter shares with the logbook's agreements.

Services take the actor explicitly, flush and never commit: the caller (route, socket event, CLI)
commits once. This area sits above encounters and below the live room and the logbook; it tells them
what happened through app.signals (``commitment_recorded``), and answers the agenda's review of the
previous commitments (``review_lines_requested``).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import permissions, signals, uploads
from app.auth.models import User
from app.catalogue.models import School
from app.commitments.limits import (  # noqa: F401  (also read by the forms)
    ACTION_MAX,
    CLASSROOM_MAX,
    NOTE_MAX,
    RESPONSIBLE_MAX,
    TEXT_MAX,
)
from app.commitments.models import COMMITMENT_STATUSES, Commitment, CommitmentNote
from app.dates import day_text, local_today
from app.encounters.closing import late_fields
from app.encounters.models import Encounter, EncounterGroup, Notification
from app.encounters.notifications import notify
from app.extensions import db
from app.problems.services import named_problem
from app.transactions import on_rollback
from app.utils import as_utc, current_school_year
from app.validation import PermissionDenied, ValidationError, check_client_id

DUE_SOON_DAYS = 7
OPEN_STATUSES = ("pendiente", "en_curso", "reprogramado")
# Which status a commitment may move to from each status. "cumplido" is final; a commitment that
# was not met may be given another chance (reprogramado).
TRANSITIONS = {
    "pendiente": {"en_curso", "cumplido", "no_cumplido", "reprogramado"},
    "en_curso": {"cumplido", "no_cumplido", "reprogramado"},
    "reprogramado": {"en_curso", "cumplido", "no_cumplido", "reprogramado"},
    "no_cumplido": {"reprogramado"},
    "cumplido": set(),
}


def encounter_school_year(encounter: Encounter) -> str:
    """The school year (ciclo escolar) the encounter falls in."""
    return current_school_year(as_utc(encounter.starts_at))


def parse_date(value) -> date | None:
    """A date from a ``date`` or an ISO ``YYYY-MM-DD`` string; None when empty; ValueError if bad."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def text_field(data: dict, key: str) -> str:
    """``data[key]`` as stripped text ("" when absent)."""
    value = data.get(key)
    return str(value).strip() if value is not None else ""


def as_bool(value) -> bool:
    """A checkbox or JSON value as a boolean ("on", "sí", "true", 1...)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "si", "sí", "yes", "y")
    return bool(value)


def by_client_id(model, client_id: str | None):
    """The row of ``model`` stored with this client id, if any."""
    if client_id is None:
        return None
    return db.session.execute(db.select(model).filter_by(client_id=client_id)).scalar_one_or_none()


def insert_once(row, model, client_id: str | None):
    """Add ``row``; if a concurrent retry stored the same client_id first, return that row instead."""
    if client_id is None:
        db.session.add(row)
        db.session.flush()
        return row
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        existing = by_client_id(model, client_id)
        if existing is None:
            raise
        return existing
    return row


def school_group(encounter: Encounter, school: School) -> EncounterGroup | None:
    """The group of the encounter the school takes part in, or None."""
    return next((g for g in encounter.groups if any(m.school_id == school.id for m in g.schools)), None)


def participating_schools(encounter: Encounter) -> list[School]:
    """Every school taking part in the encounter, group by group."""
    return [m.school for g in encounter.groups for m in g.schools]


def commitment_fields(data: dict) -> tuple[dict, dict[str, str]]:
    """What every commitment has (action, responsible, classroom or grade, follow-up, deadline),
    cleaned, and the errors found, by field (in an encounter, an adoption or on its own)."""
    errors: dict[str, str] = {}
    action = text_field(data, "action")
    if not action:
        errors["action"] = _("Escribe la acción a la que se compromete la escuela.")
    elif len(action) > ACTION_MAX:
        errors["action"] = _("La acción admite máximo %(ACTION_MAX)s caracteres.", ACTION_MAX=ACTION_MAX)
    responsible = text_field(data, "responsible")
    if not responsible:
        errors["responsible"] = _("Indica quién es responsable.")
    elif len(responsible) > RESPONSIBLE_MAX:
        errors["responsible"] = _(
            "El responsable admite máximo %(RESPONSIBLE_MAX)s caracteres.", RESPONSIBLE_MAX=RESPONSIBLE_MAX
        )
    classroom = text_field(data, "classroom")
    if len(classroom) > CLASSROOM_MAX:
        errors["classroom"] = _(
            "El aula o grado admite máximo %(CLASSROOM_MAX)s caracteres.", CLASSROOM_MAX=CLASSROOM_MAX
        )
    follow_up = text_field(data, "follow_up")
    if len(follow_up) > TEXT_MAX:
        errors["follow_up"] = _(
            "El mecanismo de seguimiento admite máximo %(TEXT_MAX)s caracteres.", TEXT_MAX=TEXT_MAX
        )
    due_date = None
    try:
        due_date = parse_date(data.get("due_date"))
    except (TypeError, ValueError):
        errors["due_date"] = _("Escribe la fecha límite como AAAA-MM-DD.")
    else:
        if due_date is None:
            errors["due_date"] = _("Indica la fecha límite.")
        elif due_date < local_today():
            errors["due_date"] = _("La fecha límite no puede estar en el pasado.")
    clean = {
        "action": action,
        "responsible": responsible,
        "classroom": classroom or None,
        "follow_up": follow_up or None,
        "due_date": due_date,
    }
    return clean, errors


def _clean_commitment(encounter: Encounter, school: School, data: dict) -> dict:
    clean, errors = commitment_fields(data)
    named, problem = named_problem(data)
    if named:
        school_ids = {s.id for s in participating_schools(encounter)}
        if problem is None or problem.school_id not in school_ids:
            errors["problem_id"] = _("La problemática no es de una escuela de este encuentro.")
    if errors:
        raise ValidationError(errors)
    return {
        **clean,
        "needs_external_advice": as_bool(data.get("needs_external_advice")),
        "problem_id": problem.id if problem else None,
        **late_fields(encounter, data),
    }


def record_commitment(
    encounter: Encounter, school: School, data: dict, *, actor, client_id: str | None = None
) -> Commitment:
    """Record what a school commits to in an encounter; a retry with the same client_id returns the
    row stored the first time."""
    if not permissions.can_record_commitment(actor, encounter, school):
        raise PermissionDenied(_("No puedes registrar compromisos de esta escuela en este encuentro."))
    client_id = check_client_id(client_id, required=False)
    existing = by_client_id(Commitment, client_id)
    if existing is not None:
        if existing.encounter_id != encounter.id or existing.school_id != school.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otro compromiso.")})
        return existing
    group = school_group(encounter, school)
    if group is None:
        raise ValidationError({"school": _("La escuela no participa en este encuentro.")})
    if encounter.status == "borrador":
        raise ValidationError({"_": _("El encuentro aún es un borrador.")})
    clean = _clean_commitment(encounter, school, data)
    commitment = Commitment(
        client_id=client_id,
        school_id=school.id,
        encounter_id=encounter.id,
        group_id=group.id,
        school_year=encounter_school_year(encounter),
        created_by_id=getattr(actor, "id", None),
        status="pendiente",
        **clean,
    )
    stored = insert_once(commitment, Commitment, client_id)
    if stored is commitment:
        # The logbook listens: the commitment goes into the school's logbook (the acta never changes).
        signals.commitment_recorded.send(stored, encounter=encounter)
    return stored


def is_overdue(commitment: Commitment, today: date | None = None) -> bool:
    """An open commitment whose due date has passed."""
    return commitment.status in OPEN_STATUSES and commitment.due_date < (today or local_today())


def is_due_soon(commitment: Commitment, today: date | None = None) -> bool:
    """An open commitment due within the next seven days (today included)."""
    today = today or local_today()
    return commitment.status in OPEN_STATUSES and today <= commitment.due_date <= today + timedelta(
        days=DUE_SOON_DAYS
    )


def commitments_for_school(school: School, *, status: str | None = None) -> list[Commitment]:
    """A school's commitments, soonest due first, optionally of one status."""
    query = db.select(Commitment).where(Commitment.school_id == school.id)
    if status:
        query = query.where(Commitment.status == status)
    return list(db.session.execute(query.order_by(Commitment.due_date, Commitment.id)).scalars())


def commitment_alerts(school: School, today: date | None = None) -> dict[str, int]:
    """How many of a school's open commitments are overdue, and how many are due within 7 days."""
    today = today or local_today()
    rows = (
        db.session.execute(
            db.select(Commitment.due_date).where(
                Commitment.school_id == school.id,
                Commitment.status.in_(OPEN_STATUSES),
                Commitment.due_date <= today + timedelta(days=DUE_SOON_DAYS),
            )
        )
        .scalars()
        .all()
    )
    return {"overdue": sum(1 for d in rows if d < today), "due_soon": sum(1 for d in rows if d >= today)}


def commitment_folder() -> Path:
    """The folder where commitment evidence is stored (created on first use)."""
    return uploads.upload_folder("commitments")


def note_evidence_path(note: CommitmentNote) -> Path:
    """Where a progress note's evidence file lives."""
    return commitment_folder() / note.evidence_stored_name


def add_commitment_note(commitment: Commitment, data: dict, evidence=None, *, actor) -> CommitmentNote:
    """Add a progress note, optionally with evidence (image or PDF, checked by content) and a new
    status; rescheduling (reprogramado) needs a new due date."""
    if not permissions.can_follow_up_commitment(actor, commitment):
        raise PermissionDenied(_("No puedes dar seguimiento a este compromiso."))
    errors: dict[str, str] = {}
    body = text_field(data, "body")
    if not body:
        errors["body"] = _("Describe el avance.")
    elif len(body) > NOTE_MAX:
        errors["body"] = _("La nota admite máximo %(NOTE_MAX)s caracteres.", NOTE_MAX=NOTE_MAX)
    status = text_field(data, "status") or None
    if status == commitment.status and status != "reprogramado":
        status = None
    if status is not None:
        if status not in COMMITMENT_STATUSES:
            errors["status"] = _("Elige un estado de la lista.")
        elif status not in TRANSITIONS.get(commitment.status, set()):
            errors["status"] = _(
                "Un compromiso «%(status_label)s» no puede pasar a «%(value3)s».",
                status_label=commitment.status_label,
                value3=COMMITMENT_STATUSES[status],
            )
    new_due = None
    try:
        new_due = parse_date(data.get("new_due_date"))
    except (TypeError, ValueError):
        errors["new_due_date"] = _("Escribe la nueva fecha como AAAA-MM-DD.")
    if "status" not in errors and "new_due_date" not in errors:
        if status == "reprogramado":
            if new_due is None:
                errors["new_due_date"] = _("Para reprogramar indica la nueva fecha límite.")
            elif new_due < local_today():
                errors["new_due_date"] = _("La nueva fecha no puede estar en el pasado.")
            elif new_due == commitment.due_date:
                errors["new_due_date"] = _("La nueva fecha debe ser distinta de la actual.")
        elif new_due is not None:
            errors["new_due_date"] = _("Para cambiar la fecha límite elige el estado «Reprogramado».")
    if errors:
        raise ValidationError(errors)
    note = CommitmentNote(
        commitment_id=commitment.id,
        body=body,
        status_after=status,
        due_date_after=new_due if status == "reprogramado" else None,
        created_by_id=getattr(actor, "id", None),
    )
    if evidence is not None and getattr(evidence, "filename", None):
        try:
            stored = uploads.store_evidence(
                evidence, commitment_folder(), max_bytes=current_app.config["MAX_EVIDENCE_BYTES"]
            )
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.errors.get("file", str(exc))}) from None
        on_rollback(partial(stored.path.unlink, missing_ok=True))  # the note's row may not be kept
        note.evidence_stored_name = stored.stored_name
        note.evidence_original_name = stored.display_name
        note.evidence_mime_type = stored.mime_type
    if status is not None:
        commitment.status = status
        if status == "reprogramado":
            commitment.due_date = new_due
    db.session.add(note)
    db.session.flush()
    return note


def commitment_recipients(commitment: Commitment) -> list[User]:
    """Who hears about a commitment's due date: the school's directors and the zone's supervisors."""
    school = commitment.school
    query = db.select(User).where(User.is_active.is_(True))
    conditions = [(User.role == "director") & (User.school_id == school.id)]
    if school.zone_id is not None:
        conditions.append((User.role == "supervisor") & (User.zone_id == school.zone_id))
    return list(db.session.execute(query.where(or_(*conditions)).order_by(User.id)).scalars())


def _not_yet_notified(users: list[User], dedupe_key: str) -> list[User]:
    """The people who never got a notification with this key (read or not)."""
    if not users:
        return []
    done = set(
        db.session.execute(
            db.select(Notification.user_id).where(
                Notification.dedupe_key == dedupe_key, Notification.user_id.in_([u.id for u in users])
            )
        ).scalars()
    )
    return [u for u in users if u.id not in done]


def notify_due_commitments(*, today: date | None = None) -> int:
    """Notify the director and the supervisor of every open commitment due within seven days or
    overdue. Idempotent: one notification per person, commitment, kind and due date."""
    today = today or local_today()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    commitments = (
        db.session.execute(
            db.select(Commitment)
            .where(Commitment.status.in_(OPEN_STATUSES), Commitment.due_date <= horizon)
            .order_by(Commitment.due_date, Commitment.id)
        )
        .scalars()
        .all()
    )
    created = 0
    for c in commitments:
        overdue = c.due_date < today
        kind = "compromiso_vencido" if overdue else "compromiso_por_vencer"
        when = day_text(c.due_date)
        action = c.action if len(c.action) <= 120 else c.action[:119] + "…"
        message = (
            f"{c.school.name}: el compromiso «{action}» venció el {when}."
            if overdue
            else f"{c.school.name}: el compromiso «{action}» vence el {when}."
        )
        key = f"compromiso:{c.id}:{kind}:{c.due_date.isoformat()}"
        users = _not_yet_notified(commitment_recipients(c), key)
        if users:
            notify(
                users,
                kind,
                message,
                url=f"/compromisos/{c.id}",
                dedupe_key=key,
                mail_subject="Compromiso vencido" if overdue else "Compromiso por vencer",
            )
            created += len(users)
    db.session.flush()
    return created


@signals.review_lines_requested.connect
def review_lines(previous: Encounter, *, school_ids: list[int]) -> list[str]:
    """The commitments these schools made at their previous encounter, one line each (the next
    encounter's agenda opens with their review)."""
    commitments = (
        db.session.execute(
            db.select(Commitment)
            .where(Commitment.encounter_id == previous.id, Commitment.school_id.in_(school_ids))
            .options(selectinload(Commitment.school))
            .order_by(Commitment.school_id, Commitment.id)
        )
        .scalars()
        .all()
    )
    return [
        f"{c.school.name} ({c.school.cct}): {c.action} — responsable: {c.responsible}; "
        f"fecha límite: {day_text(c.due_date)}; estado: {c.status_label}"
        for c in commitments
    ]
