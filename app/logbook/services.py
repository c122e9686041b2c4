"""The logbook's rules: closing an encounter and writing its minutes into every participating school's
logbook, recording agreements and commitments (idempotent by ``client_id``), following commitments up
(progress notes, evidence, status), exports and due-date notifications.

Services take the actor explicitly, flush and never commit: the caller (route, socket event, CLI)
commits once.
"""
from __future__ import annotations

from flask_babel import gettext as _
import csv
import io
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.auth.models import User
from app.encounters.models import Encounter, EncounterGroup, Notification
from app.encounters.notifications import notify
from app.extensions import db
from app.logbook.minutes import (
    AGREEMENT_KIND_LABELS, build_group_minutes, group_agreements, group_commitments, minutes_summary,
)
from app.logbook.models import (
    COMMITMENT_STATUSES, ENTRY_KINDS, Agreement, Commitment, CommitmentNote, LogbookEntry, Minutes,
)
from app.practices import uploads
from app.problems.models import Problem
from app.catalogue.models import School
from app.transactions import on_rollback
from app.utils import as_utc, current_school_year, utcnow
from app.validation import PermissionDenied, ValidationError

ACTION_MAX = 2000
TEXT_MAX = 2000
CLASSROOM_MAX = 120
RESPONSIBLE_MAX = 200
TITLE_MAX = 300
NOTE_MAX = 5000
CLIENT_ID_MAX = 64
DUE_SOON_DAYS = 7
OPEN_STATUSES = ("pendiente", "en_curso", "reprogramado")
CLOSABLE_STATUSES = ("programado", "en_curso")
# Which status a commitment may move to from each status. "cumplido" is final; a commitment that
# was not met may be given another chance (reprogramado).
TRANSITIONS = {
    "pendiente": {"en_curso", "cumplido", "no_cumplido", "reprogramado"},
    "en_curso": {"cumplido", "no_cumplido", "reprogramado"},
    "reprogramado": {"en_curso", "cumplido", "no_cumplido", "reprogramado"},
    "no_cumplido": {"reprogramado"},
    "cumplido": set(),
}


# --- small helpers -----------------------------------------------------------------------------

def local_today() -> date:
    """Today's date where the schools are (the display time zone, Mexico City by default)."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return utcnow().astimezone(ZoneInfo(name or "America/Mexico_City")).date()


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


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value is not None else ""


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "si", "sí", "yes", "y")
    return bool(value)


def _check_client_id(client_id: str | None) -> str | None:
    if client_id is None:
        return None
    client_id = str(client_id).strip()
    if not client_id:
        return None
    if len(client_id) > CLIENT_ID_MAX:
        raise ValidationError({"client_id": _('El identificador admite máximo %(CLIENT_ID_MAX)s caracteres.', CLIENT_ID_MAX=CLIENT_ID_MAX)})
    return client_id


def _by_client_id(model, client_id: str | None):
    if client_id is None:
        return None
    return db.session.execute(db.select(model).filter_by(client_id=client_id)).scalar_one_or_none()


def _insert_once(row, model, client_id: str | None):
    """Add ``row``; if a concurrent retry stored the same client_id first, return that row instead."""
    if client_id is None:
        db.session.add(row)
        db.session.flush()
        return row
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        existing = _by_client_id(model, client_id)
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


# --- recording agreements and commitments ------------------------------------------------------

def _clean_commitment(encounter: Encounter, school: School, data: dict) -> dict:
    errors: dict[str, str] = {}
    action = _text(data, "action")
    if not action:
        errors["action"] = _("Escribe la acción a la que se compromete la escuela.")
    elif len(action) > ACTION_MAX:
        errors["action"] = _('La acción admite máximo %(ACTION_MAX)s caracteres.', ACTION_MAX=ACTION_MAX)
    responsible = _text(data, "responsible")
    if not responsible:
        errors["responsible"] = _("Indica quién es responsable.")
    elif len(responsible) > RESPONSIBLE_MAX:
        errors["responsible"] = _('El responsable admite máximo %(RESPONSIBLE_MAX)s caracteres.', RESPONSIBLE_MAX=RESPONSIBLE_MAX)
    classroom = _text(data, "classroom")
    if len(classroom) > CLASSROOM_MAX:
        errors["classroom"] = _('El aula o grado admite máximo %(CLASSROOM_MAX)s caracteres.', CLASSROOM_MAX=CLASSROOM_MAX)
    follow_up = _text(data, "follow_up")
    if len(follow_up) > TEXT_MAX:
        errors["follow_up"] = _('El mecanismo de seguimiento admite máximo %(TEXT_MAX)s caracteres.', TEXT_MAX=TEXT_MAX)
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
    problem = None
    raw_problem = data.get("problem_id")
    if raw_problem not in (None, ""):
        try:
            problem = db.session.get(Problem, int(raw_problem))
        except (TypeError, ValueError):
            problem = None
        school_ids = {s.id for s in participating_schools(encounter)}
        if problem is None or problem.school_id not in school_ids:
            errors["problem_id"] = _("La problemática no es de una escuela de este encuentro.")
    if errors:
        raise ValidationError(errors)
    return {
        "action": action, "responsible": responsible, "classroom": classroom or None,
        "follow_up": follow_up or None, "due_date": due_date,
        "needs_external_advice": _bool(data.get("needs_external_advice")),
        "problem_id": problem.id if problem else None,
    }


def record_commitment(encounter: Encounter, school: School, data: dict, *, actor,
                      client_id: str | None = None) -> Commitment:
    """Record what a school commits to in an encounter; a retry with the same client_id returns the
    row stored the first time."""
    if not permissions.can_record_commitment(actor, encounter, school):
        raise PermissionDenied(_("No puedes registrar compromisos de esta escuela en este encuentro."))
    client_id = _check_client_id(client_id)
    existing = _by_client_id(Commitment, client_id)
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
        client_id=client_id, school_id=school.id, encounter_id=encounter.id, group_id=group.id,
        school_year=encounter_school_year(encounter), created_by_id=getattr(actor, "id", None),
        status="pendiente", **clean,
    )
    stored = _insert_once(commitment, Commitment, client_id)
    if stored is commitment and encounter.status == "concluido":
        write_minutes(encounter)  # recorded after closing: the minutes and logbooks catch up
    return stored


def record_agreement(encounter: Encounter, group: EncounterGroup | None, data: dict, *, actor,
                     client_id: str | None = None) -> Agreement:
    """Record an agreement of a group (acuerdo), a need for outside advice (asesoria) or the classroom
    experience to observe next time (observacion); idempotent by client_id."""
    if group is not None and group.encounter_id != encounter.id:
        raise ValidationError({"group": _("El grupo no es de este encuentro.")})
    if not permissions.can_record_agreement(actor, encounter, group):
        raise PermissionDenied(_("No puedes registrar acuerdos en este grupo."))
    client_id = _check_client_id(client_id)
    existing = _by_client_id(Agreement, client_id)
    if existing is not None:
        if existing.encounter_id != encounter.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otro acuerdo.")})
        return existing
    if encounter.status == "borrador":
        raise ValidationError({"_": _("El encuentro aún es un borrador.")})
    errors: dict[str, str] = {}
    kind = _text(data, "kind") or "acuerdo"
    if kind not in AGREEMENT_KIND_LABELS:
        errors["kind"] = _("Elige acuerdo, necesidad de asesoría externa o experiencia a observar.")
    text = _text(data, "text")
    if not text:
        errors["text"] = _("Escribe el acuerdo.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _('El acuerdo admite máximo %(TEXT_MAX)s caracteres.', TEXT_MAX=TEXT_MAX)
    school_id = None
    raw_school = data.get("school_id")
    if raw_school not in (None, ""):
        try:
            school_id = int(raw_school)
        except (TypeError, ValueError):
            school_id = -1
        allowed = {m.school_id for m in group.schools} if group is not None \
            else {s.id for s in participating_schools(encounter)}
        if school_id not in allowed:
            errors["school_id"] = _("La escuela no participa en este grupo.")
    if errors:
        raise ValidationError(errors)
    agreement = Agreement(
        client_id=client_id, encounter_id=encounter.id, group_id=group.id if group else None,
        school_id=school_id, kind=kind, text=text, created_by_id=getattr(actor, "id", None),
    )
    stored = _insert_once(agreement, Agreement, client_id)
    if stored is agreement and encounter.status == "concluido":
        write_minutes(encounter)
    return stored


# --- closing: minutes into every logbook -------------------------------------------------------

def close_encounter(encounter: Encounter, *, actor) -> list[Minutes]:
    """Conclude the encounter and write its minutes (one per group) into the logbook of every
    participating school. Closing again regenerates the minutes without duplicating anything."""
    if not permissions.can_close_encounter(actor, encounter):
        raise PermissionDenied(_("No puedes cerrar este encuentro."))
    if encounter.status not in CLOSABLE_STATUSES and encounter.status != "concluido":
        raise ValidationError({"status": _("Solo se cierra un encuentro programado o en curso.")})
    if not encounter.groups:
        raise ValidationError({"groups": _("El encuentro no tiene grupos: no hay acta que generar.")})
    encounter.status = "concluido"
    if encounter.closed_at is None:
        encounter.closed_at = utcnow()
    db.session.flush()
    return write_minutes(encounter)


def _ensure_entry(school_id: int, kind: str, link: str, link_id: int, **fields) -> LogbookEntry:
    """The logbook entry of this school for this minutes/commitment/agreement, created once."""
    entry = db.session.execute(
        db.select(LogbookEntry).filter_by(school_id=school_id, kind=kind, **{link: link_id})
    ).scalars().first()
    if entry is None:
        entry = LogbookEntry(school_id=school_id, kind=kind, **{link: link_id}, **fields)
        db.session.add(entry)
    else:
        entry.title, entry.body = fields["title"], fields["body"]
    return entry


def commitment_entry_text(c: Commitment) -> tuple[str, str]:
    """Title and body of a commitment's logbook entry."""
    lines = [f"Responsable: {c.responsible}", f"Fecha límite: {c.due_date.isoformat()}"]
    if c.classroom:
        lines.insert(0, f"Aula o grado: {c.classroom}")
    if c.follow_up:
        lines.append(f"Seguimiento: {c.follow_up}")
    if c.needs_external_advice:
        lines.append("Requiere asesoría externa.")
    return (f"Compromiso: {c.action}")[:TITLE_MAX], "\n".join(lines)


def write_minutes(encounter: Encounter) -> list[Minutes]:
    """(Re)generate the minutes of every group and make sure each participating school's logbook
    has the acta, its commitments and the group's agreements, exactly once."""
    school_year = encounter_school_year(encounter)
    generated = []
    for group in encounter.groups:
        content = build_group_minutes(encounter, group)
        minutes = db.session.execute(
            db.select(Minutes).filter_by(encounter_id=encounter.id, group_id=group.id)
        ).scalars().first()
        if minutes is None:
            minutes = Minutes(encounter_id=encounter.id, group_id=group.id, content=content)
            db.session.add(minutes)
        else:
            minutes.content = content
            minutes.generated_at = utcnow()
        db.session.flush()
        generated.append(minutes)
        agreements = group_agreements(encounter, group)
        commitments = group_commitments(encounter, group)
        common = {"school_year": school_year, "encounter_id": encounter.id}
        for member in group.schools:
            _ensure_entry(
                member.school_id, "acta", "minutes_id", minutes.id,
                title=f"Acta: {encounter.title} · {group.label}"[:TITLE_MAX],
                body=minutes_summary(content), **common,
            )
            for a in agreements:
                if a.school_id is not None and a.school_id != member.school_id:
                    continue
                label = str(AGREEMENT_KIND_LABELS.get(a.kind, a.kind))
                _ensure_entry(member.school_id, "acuerdo", "agreement_id", a.id,
                              title=f"{label}: {a.text}"[:TITLE_MAX], body=a.text, **common)
            for c in commitments:
                if c.school_id != member.school_id:
                    continue
                title, body = commitment_entry_text(c)
                _ensure_entry(member.school_id, "compromiso", "commitment_id", c.id,
                              title=title, body=body, **common)
    db.session.flush()
    return generated


def encounter_minutes(encounter: Encounter) -> list[Minutes]:
    """The stored minutes of an encounter, in group order."""
    rows = db.session.execute(
        db.select(Minutes).where(Minutes.encounter_id == encounter.id)
    ).scalars().all()
    order = {g.id: g.position for g in encounter.groups}
    return sorted(rows, key=lambda m: (order.get(m.group_id, 0), m.id))


# --- the logbook -------------------------------------------------------------------------------

def logbook_entries(school: School, *, school_year: str | None = None,
                    kind: str | None = None) -> list[LogbookEntry]:
    """A school's logbook in time order, optionally for one school year and one kind of entry."""
    query = db.select(LogbookEntry).where(LogbookEntry.school_id == school.id)
    if school_year:
        query = query.where(LogbookEntry.school_year == school_year)
    if kind:
        query = query.where(LogbookEntry.kind == kind)
    return list(db.session.execute(
        query.order_by(LogbookEntry.created_at, LogbookEntry.id)
    ).scalars())


def logbook_school_years(school: School) -> list[str]:
    """The school years that have entries in the school's logbook, newest first."""
    years = db.session.execute(
        db.select(LogbookEntry.school_year).where(LogbookEntry.school_id == school.id).distinct()
    ).scalars().all()
    return sorted(set(years) | {current_school_year()}, reverse=True)


def add_logbook_note(school: School, data: dict, *, actor) -> LogbookEntry:
    """Add a note (nota) to a school's logbook."""
    if not permissions.can_add_logbook_note(actor, school):
        raise PermissionDenied(_("No puedes escribir en la bitácora de esta escuela."))
    errors = {}
    title = _text(data, "title")
    body = _text(data, "body")
    if not title:
        errors["title"] = _("Escribe un título para la nota.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _('El título admite máximo %(TITLE_MAX)s caracteres.', TITLE_MAX=TITLE_MAX)
    if len(body) > NOTE_MAX:
        errors["body"] = _('La nota admite máximo %(NOTE_MAX)s caracteres.', NOTE_MAX=NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    entry = LogbookEntry(school_id=school.id, kind="nota", title=title, body=body or None,
                         school_year=current_school_year(), created_by_id=getattr(actor, "id", None))
    db.session.add(entry)
    db.session.flush()
    return entry


def _csv_cell(value) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


LOGBOOK_CSV_HEADER = ["Fecha", "Tipo", "Título", "Detalle", "Estado del compromiso",
                      "Fecha límite", "Ciclo escolar", "Encuentro"]


def logbook_csv(entries: list[LogbookEntry]) -> bytes:
    """The entries as CSV, UTF-8 with BOM (so that Excel shows the accents), with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LOGBOOK_CSV_HEADER)
    for e in entries:
        c = e.commitment
        writer.writerow([_csv_cell(v) for v in (
            as_utc(e.created_at).astimezone(_display_zone()).strftime("%Y-%m-%d %H:%M"),
            ENTRY_KINDS.get(e.kind, e.kind), e.title, e.body,
            c.status_label if c else "", c.due_date.isoformat() if c else "", e.school_year,
            e.encounter_id or "",
        )])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _display_zone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or "America/Mexico_City")


# --- commitments follow-up ---------------------------------------------------------------------

def is_overdue(commitment: Commitment, today: date | None = None) -> bool:
    """An open commitment whose due date has passed."""
    return commitment.status in OPEN_STATUSES and commitment.due_date < (today or local_today())


def is_due_soon(commitment: Commitment, today: date | None = None) -> bool:
    """An open commitment due within the next seven days (today included)."""
    today = today or local_today()
    return commitment.status in OPEN_STATUSES and \
        today <= commitment.due_date <= today + timedelta(days=DUE_SOON_DAYS)


def commitments_for_school(school: School, *, status: str | None = None) -> list[Commitment]:
    """A school's commitments, soonest due first, optionally of one status."""
    query = db.select(Commitment).where(Commitment.school_id == school.id)
    if status:
        query = query.where(Commitment.status == status)
    return list(db.session.execute(query.order_by(Commitment.due_date, Commitment.id)).scalars())


def commitment_alerts(school: School, today: date | None = None) -> dict[str, int]:
    """How many of a school's open commitments are overdue, and how many are due within 7 days."""
    today = today or local_today()
    rows = db.session.execute(
        db.select(Commitment.due_date).where(
            Commitment.school_id == school.id, Commitment.status.in_(OPEN_STATUSES),
            Commitment.due_date <= today + timedelta(days=DUE_SOON_DAYS))
    ).scalars().all()
    return {"overdue": sum(1 for d in rows if d < today), "due_soon": sum(1 for d in rows if d >= today)}


def commitment_folder() -> Path:
    """The folder where commitment evidence is stored (created on first use)."""
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "commitments"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def note_evidence_path(note: CommitmentNote) -> Path:
    """Where a progress note's evidence file lives."""
    return commitment_folder() / note.evidence_stored_name


def add_commitment_note(commitment: Commitment, data: dict, evidence=None, *, actor) -> CommitmentNote:
    """Add a progress note, optionally with evidence (image or PDF, checked by content) and a new
    status; rescheduling (reprogramado) needs a new due date."""
    if not permissions.can_follow_up_commitment(actor, commitment):
        raise PermissionDenied(_("No puedes dar seguimiento a este compromiso."))
    errors: dict[str, str] = {}
    body = _text(data, "body")
    if not body:
        errors["body"] = _("Describe el avance.")
    elif len(body) > NOTE_MAX:
        errors["body"] = _('La nota admite máximo %(NOTE_MAX)s caracteres.', NOTE_MAX=NOTE_MAX)
    status = _text(data, "status") or None
    if status == commitment.status and status != "reprogramado":
        status = None
    if status is not None:
        if status not in COMMITMENT_STATUSES:
            errors["status"] = _("Elige un estado de la lista.")
        elif status not in TRANSITIONS.get(commitment.status, set()):
            errors["status"] = (_('Un compromiso «%(status_label)s» no puede pasar a «%(value3)s».', status_label=commitment.status_label, value3=COMMITMENT_STATUSES[status]))
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
    note = CommitmentNote(commitment_id=commitment.id, body=body, status_after=status,
                          due_date_after=new_due if status == "reprogramado" else None,
                          created_by_id=getattr(actor, "id", None))
    if evidence is not None and getattr(evidence, "filename", None):
        try:
            stored = uploads.store_evidence(evidence, commitment_folder(),
                                            max_bytes=current_app.config["MAX_EVIDENCE_BYTES"])
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.errors.get("file", str(exc))})
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


# --- notifications -----------------------------------------------------------------------------

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
    done = set(db.session.execute(
        db.select(Notification.user_id).where(Notification.dedupe_key == dedupe_key,
                                              Notification.user_id.in_([u.id for u in users]))
    ).scalars())
    return [u for u in users if u.id not in done]


def notify_due_commitments(*, today: date | None = None) -> int:
    """Notify the director and the supervisor of every open commitment due within seven days or
    overdue. Idempotent: one notification per person, commitment, kind and due date."""
    today = today or local_today()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    commitments = db.session.execute(
        db.select(Commitment)
        .where(Commitment.status.in_(OPEN_STATUSES), Commitment.due_date <= horizon)
        .order_by(Commitment.due_date, Commitment.id)
    ).scalars().all()
    created = 0
    for c in commitments:
        overdue = c.due_date < today
        kind = "compromiso_vencido" if overdue else "compromiso_por_vencer"
        when = c.due_date.strftime("%d/%m/%Y")
        action = c.action if len(c.action) <= 120 else c.action[:119] + "…"
        message = (f"{c.school.name}: el compromiso «{action}» venció el {when}." if overdue
                   else f"{c.school.name}: el compromiso «{action}» vence el {when}.")
        key = f"compromiso:{c.id}:{kind}:{c.due_date.isoformat()}"
        users = _not_yet_notified(commitment_recipients(c), key)
        if users:
            notify(users, kind, message, url=f"/compromisos/{c.id}", dedupe_key=key,
                   mail_subject="Compromiso vencido" if overdue else "Compromiso por vencer")
            created += len(users)
    db.session.flush()
    return created
