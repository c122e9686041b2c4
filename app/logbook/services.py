"""The logbook's rules: when an encounter closes (app.encounters sends ``encounter_closed``), writing
its minutes into every participating school's logbook; recording agreements (idempotent by ``client_id``), the school's logbook and its exports.
Commitments and their follow-up are app.commitments; the logbook listens to ``commitment_recorded``.

Services take the actor explicitly, flush and never commit: the caller (route, socket event, CLI)
commits once.
"""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from app import permissions, signals
from app.catalogue.models import School
from app.commitments.models import Commitment
from app.commitments.services import (  # noqa: F401  (the logbook's public names before the split)
    DUE_SOON_DAYS,
    NOTE_MAX,
    OPEN_STATUSES,
    TEXT_MAX,
    TRANSITIONS,
    add_commitment_note,
    by_client_id,
    commitment_alerts,
    commitment_folder,
    commitments_for_school,
    encounter_school_year,
    insert_once,
    is_due_soon,
    is_overdue,
    local_today,
    note_evidence_path,
    notify_due_commitments,
    parse_date,
    participating_schools,
    record_commitment,
    school_group,
    text_field,
)
from app.dates import day_text, display_timezone
from app.encounters.closing import late_write, typed_time
from app.encounters.models import Encounter, EncounterGroup
from app.extensions import db
from app.logbook.minutes import (
    AGREEMENT_KIND_LABELS,
    build_group_minutes,
    content_hash,
    group_agreements,
    group_annex,
    group_commitments,
    minutes_summary,
)
from app.logbook.models import ENTRY_KINDS, TITLE_MAX, Agreement, LogbookEntry, Minutes
from app.utils import as_utc, current_school_year, utcnow
from app.validation import PermissionDenied, ValidationError, check_client_id

# --- recording agreements ----------------------------------------------------------------------


def record_agreement(
    encounter: Encounter,
    group: EncounterGroup | None,
    data: dict,
    *,
    actor,
    client_id: str | None = None,
    extra: dict | None = None,
) -> Agreement:
    """Record an agreement of a group (acuerdo), a need for outside advice (asesoria) or the classroom
    experience to observe next time (observacion); idempotent by client_id. ``extra``: columns the
    room checked already (app.live.agreements: activity, problem, topic, classroom, schools)."""
    if group is not None and group.encounter_id != encounter.id:
        raise ValidationError({"group": _("El grupo no es de este encuentro.")})
    if not permissions.can_record_agreement(actor, encounter, group):
        raise PermissionDenied(_("No puedes registrar acuerdos en este grupo."))
    client_id = check_client_id(client_id, required=False)
    existing = by_client_id(Agreement, client_id)
    if existing is not None:
        if existing.encounter_id != encounter.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otro acuerdo.")})
        return existing
    if encounter.status == "borrador":
        raise ValidationError({"_": _("El encuentro aún es un borrador.")})
    errors: dict[str, str] = {}
    kind = text_field(data, "kind") or "acuerdo"
    if kind not in AGREEMENT_KIND_LABELS:
        errors["kind"] = _("Elige acuerdo, necesidad de asesoría externa o experiencia a observar.")
    text = text_field(data, "text")
    if not text:
        errors["text"] = _("Escribe el acuerdo.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("El acuerdo admite máximo %(TEXT_MAX)s caracteres.", TEXT_MAX=TEXT_MAX)
    school_id = None
    raw_school = data.get("school_id")
    if raw_school not in (None, ""):
        try:
            school_id = int(raw_school)
        except (TypeError, ValueError):
            school_id = -1
        allowed = (
            {m.school_id for m in group.schools}
            if group is not None
            else {s.id for s in participating_schools(encounter)}
        )
        if school_id not in allowed:
            errors["school_id"] = _("La escuela no participa en este grupo.")
    if errors:
        raise ValidationError(errors)
    after_close = late_write(encounter, data.get("typed_at"))
    agreement = Agreement(
        client_id=client_id,
        encounter_id=encounter.id,
        group_id=group.id if group else None,
        school_id=school_id,
        kind=kind,
        text=text,
        created_by_id=getattr(actor, "id", None),
        typed_at=typed_time(data.get("typed_at")),
        after_close=after_close,
    )
    for key, value in (extra or {}).items():
        setattr(agreement, key, value)
    stored = insert_once(agreement, Agreement, client_id)
    if stored is agreement:
        if after_close:
            _late_entries(encounter, agreements=[stored])
        signals.agreement_recorded.send(stored, encounter=encounter)
    return stored


# --- at the close: minutes into every logbook -------------------------------------------------------


@signals.encounter_closed.connect
def _write_minutes_at_close(encounter: Encounter) -> None:
    """An encounter was concluded (app.encounters): its minutes go into every school's logbook."""
    write_minutes(encounter)


def _ensure_entry(school_id: int, kind: str, link: str, link_id: int, **fields) -> LogbookEntry:
    """The logbook entry of this school for this minutes/commitment/agreement, created once."""
    entry = (
        db.session.execute(
            db.select(LogbookEntry).filter_by(school_id=school_id, kind=kind, **{link: link_id})
        )
        .scalars()
        .first()
    )
    if entry is None:
        entry = LogbookEntry(school_id=school_id, kind=kind, **{link: link_id}, **fields)
        db.session.add(entry)
    else:
        entry.title, entry.body = fields["title"], fields["body"]
    return entry


def commitment_entry_text(c: Commitment) -> tuple[str, str]:
    """Title and body of a commitment's logbook entry."""
    lines = [f"Responsable: {c.responsible}", f"Fecha límite: {day_text(c.due_date)}"]
    if c.classroom:
        lines.insert(0, f"Aula o grado: {c.classroom}")
    if c.follow_up:
        lines.append(f"Seguimiento: {c.follow_up}")
    if c.needs_external_advice:
        lines.append("Requiere asesoría externa.")
    return c.action[:TITLE_MAX], "\n".join(lines)


def agreement_entry_text(a: Agreement) -> tuple[str, str]:
    """Title and body of an agreement's logbook entry: the text (an outside-advice need or a
    classroom experience to observe says so first; the entry's badge already says "Acuerdo")."""
    label = str(AGREEMENT_KIND_LABELS.get(a.kind, a.kind))
    title = a.text if a.kind == "acuerdo" else f"{label}: {a.text}"
    lines = [a.text] if len(title) > TITLE_MAX else []  # the whole text when the title cuts it
    if a.after_close:
        lines.append(late_note(a))
    return title[:TITLE_MAX], "\n".join(lines) or None


def write_minutes(encounter: Encounter) -> list[Minutes]:
    """Write the minutes of every group once, frozen with their content hash, and make sure each
    participating school's logbook has the acta, its commitments and the group's agreements,
    exactly once. Closing again changes no acta (an older one without a hash gets it, as it is)."""
    school_year = encounter_school_year(encounter)
    generated = []
    for group in encounter.groups:
        minutes = (
            db.session.execute(db.select(Minutes).filter_by(encounter_id=encounter.id, group_id=group.id))
            .scalars()
            .first()
        )
        if minutes is None:
            content = build_group_minutes(encounter, group)
            minutes = Minutes(
                encounter_id=encounter.id,
                group_id=group.id,
                content=content,
                content_hash=content_hash(content),
            )
            db.session.add(minutes)
        elif minutes.content_hash is None:
            minutes.content_hash = content_hash(minutes.content)
        db.session.flush()
        generated.append(minutes)
        agreements = [a for a in group_agreements(encounter, group) if not a.after_close]
        commitments = [c for c in group_commitments(encounter, group) if not c.after_close]
        common = {"school_year": school_year, "encounter_id": encounter.id}
        for member in group.schools:
            _ensure_entry(
                member.school_id,
                "acta",
                "minutes_id",
                minutes.id,
                title=f"{encounter.title} · {group.label}"[:TITLE_MAX],
                body=minutes_summary(minutes.content),
                **common,
            )
        _write_entries(encounter, group, agreements, commitments)
    db.session.flush()
    return generated


def late_note(row) -> str:
    """The line that marks a write kept after the close, with both times."""
    typed = as_utc(row.typed_at).astimezone(display_timezone()).strftime("%d/%m/%Y %H:%M")
    received = as_utc(row.created_at or utcnow()).astimezone(display_timezone()).strftime("%d/%m/%Y %H:%M")
    return f"Registrado después del cierre: escrito el {typed}, recibido el {received}."


def _write_entries(encounter: Encounter, group: EncounterGroup, agreements, commitments) -> None:
    """The logbook entries of these agreements and commitments in each school of the group (once)."""
    common = {"school_year": encounter_school_year(encounter), "encounter_id": encounter.id}
    for member in group.schools:
        for a in agreements:
            if a.named_school_ids and member.school_id not in a.named_school_ids:
                continue
            title, body = agreement_entry_text(a)
            _ensure_entry(member.school_id, "acuerdo", "agreement_id", a.id, title=title, body=body, **common)
        for c in commitments:
            if c.school_id != member.school_id:
                continue
            title, body = commitment_entry_text(c)
            if c.after_close:
                body += "\n" + late_note(c)
            _ensure_entry(
                member.school_id, "compromiso", "commitment_id", c.id, title=title, body=body, **common
            )


def _late_entries(encounter: Encounter, *, agreements=(), commitments=()) -> None:
    """Writes kept after the close go into the logbooks (marked so); the acta does not change."""
    db.session.flush()
    for group in encounter.groups:
        _write_entries(
            encounter,
            group,
            [a for a in agreements if a.group_id in (None, group.id)],
            [c for c in commitments if any(m.school_id == c.school_id for m in group.schools)],
        )
    db.session.flush()


@signals.commitment_recorded.connect
def _late_commitment_entries(commitment: Commitment, *, encounter: Encounter) -> None:
    """A commitment kept after the close (typed before it): into its school's logbook, marked."""
    if commitment.after_close:
        _late_entries(encounter, commitments=[commitment])


@signals.overview_counts_requested.connect
def _agreements_per_group(encounter: Encounter) -> dict[int, dict[str, tuple[int, int]]]:
    """The encounter overview (app.live) counts each group's agreements:
    ``{group_id: {"agreement": (count, last id)}}``."""
    rows = db.session.execute(
        db.select(Agreement.group_id, db.func.count(), db.func.max(Agreement.id))
        .where(Agreement.encounter_id == encounter.id, Agreement.group_id.is_not(None))
        .group_by(Agreement.group_id)
    ).all()
    return {group_id: {"agreement": (n, last)} for group_id, n, last in rows}


def minutes_annexes(encounter: Encounter) -> dict[int, list[dict]]:
    """Each group's annex (what was kept after the close), by group id; empty before the close."""
    if encounter.status != "concluido":
        return {}
    return {group.id: group_annex(encounter, group) for group in encounter.groups}


def encounter_minutes(encounter: Encounter) -> list[Minutes]:
    """The stored minutes of an encounter, in group order."""
    rows = db.session.execute(db.select(Minutes).where(Minutes.encounter_id == encounter.id)).scalars().all()
    order = {g.id: g.position for g in encounter.groups}
    return sorted(rows, key=lambda m: (order.get(m.group_id, 0), m.id))


# --- the logbook -------------------------------------------------------------------------------


def logbook_entries(
    school: School, *, school_year: str | None = None, kind: str | None = None
) -> list[LogbookEntry]:
    """A school's logbook in time order, optionally for one school year and one kind of entry."""
    query = db.select(LogbookEntry).where(LogbookEntry.school_id == school.id)
    if school_year:
        query = query.where(LogbookEntry.school_year == school_year)
    if kind:
        query = query.where(LogbookEntry.kind == kind)
    return list(db.session.execute(query.order_by(LogbookEntry.created_at, LogbookEntry.id)).scalars())


def logbook_school_years(school: School) -> list[str]:
    """The school years that have entries in the school's logbook, newest first."""
    years = (
        db.session.execute(
            db.select(LogbookEntry.school_year).where(LogbookEntry.school_id == school.id).distinct()
        )
        .scalars()
        .all()
    )
    return sorted(set(years) | {current_school_year()}, reverse=True)


def add_logbook_note(school: School, data: dict, *, actor) -> LogbookEntry:
    """Add a note (nota) to a school's logbook."""
    if not permissions.can_add_logbook_note(actor, school):
        raise PermissionDenied(_("No puedes escribir en la bitácora de esta escuela."))
    errors = {}
    title = text_field(data, "title")
    body = text_field(data, "body")
    if not title:
        errors["title"] = _("Escribe un título para la nota.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("El título admite máximo %(TITLE_MAX)s caracteres.", TITLE_MAX=TITLE_MAX)
    if len(body) > NOTE_MAX:
        errors["body"] = _("La nota admite máximo %(NOTE_MAX)s caracteres.", NOTE_MAX=NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    entry = LogbookEntry(
        school_id=school.id,
        kind="nota",
        title=title,
        body=body or None,
        school_year=current_school_year(),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _csv_cell(value) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


LOGBOOK_CSV_HEADER = [
    "Fecha",
    "Tipo",
    "Título",
    "Detalle",
    "Estado del compromiso",
    "Fecha límite",
    "Ciclo escolar",
    "Encuentro",
    "En sesión",
]


def logbook_csv(entries: list) -> bytes:
    """The entries as CSV, UTF-8 with BOM (so that Excel shows the accents), with a header row;
    items of a running session (app.logbook.in_session) say so in the last column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LOGBOOK_CSV_HEADER)
    for e in entries:
        c = e.commitment
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    as_utc(e.created_at).astimezone(display_timezone()).strftime("%Y-%m-%d %H:%M"),
                    ENTRY_KINDS.get(e.kind, e.kind),
                    e.display_title,
                    e.body,
                    c.status_label if c else "",
                    c.due_date.isoformat() if c else "",
                    e.school_year,
                    e.encounter_id or "",
                    "en sesión" if e.is_in_session else "",
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- commitments follow-up ---------------------------------------------------------------------


# --- notifications -----------------------------------------------------------------------------
