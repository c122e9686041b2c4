"""Business rules of good practices: publish a fulfilled commitment as a practice, recognise a zone's
good practices, narratives (relatos), adopting with a commitment in the logbook, outcome summaries,
evidence thumbnails and the zone's booklet.

Services take the acting user explicitly, check it with ``app.permissions``, raise
``ValidationError`` with Spanish messages per field, and flush; the caller commits.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from app import permissions
from app.catalogue.models import School, Zone
from app.commitments import services as commitments
from app.commitments.models import Commitment, CommitmentNote
from app.dates import local_today
from app.encounters.models import Encounter
from app.extensions import db
from app.goodpractices.models import Narrative, Recognition
from app.logbook import services as logbook
from app.logbook.models import LogbookEntry
from app.practices import services as practices
from app.practices.limits import CAPTION_MAX
from app.practices.models import OUTCOMES, Adoption, Evidence, Practice
from app.problems.models import Problem
from app.utils import current_school_year
from app.validation import PermissionDenied, ValidationError

RATIONALE_MAX = 2000
TITLE_MAX = 200
SECTION_MAX = 10_000
THUMBNAIL_SIZE = (480, 480)
NARRATIVE_SECTIONS = {
    "faced": _l("Qué enfrentamos"),
    "tried": _l("Qué intentamos"),
    "happened": _l("Qué pasó"),
    "learned": _l("Qué aprendimos"),
}


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return str(value).strip() if value is not None else ""


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# --- from a fulfilled commitment to a practice -----------------------------------------------


def evidence_notes(commitment: Commitment) -> list[CommitmentNote]:
    """The commitment's progress notes that carry an evidence file."""
    return [n for n in commitment.notes if n.evidence_stored_name]


def is_publishable(commitment: Commitment) -> bool:
    """A commitment can become a practice once fulfilled (cumplido) with at least one evidence."""
    return commitment.status == "cumplido" and bool(evidence_notes(commitment))


def practice_from_commitment(commitment: Commitment) -> Practice | None:
    """The practice already published from this commitment, if any."""
    return db.session.execute(
        select(Practice).filter_by(source_commitment_id=commitment.id)
    ).scalar_one_or_none()


def first_line(text: str, limit: int = TITLE_MAX) -> str:
    """The first line of a text, cut at ``limit`` characters on a word.

    >>> first_line("Leer 20 minutos diarios en voz alta.\\nCon registro.")
    'Leer 20 minutos diarios en voz alta.'
    >>> first_line("uno dos tres", limit=8)
    'uno dos…'
    """
    line = (text or "").strip().splitlines()[0].strip() if (text or "").strip() else ""
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if line[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0] or cut  # do not cut a word in half
    return cut.rstrip() + "…"


def prefill_from_commitment(commitment: Commitment) -> dict:
    """The practice's fields drawn from the commitment, the problem it addressed and its follow-up."""
    problem = commitment.problem
    summary = [commitment.action.strip()]
    if problem is not None and problem.school_id != commitment.school_id:
        summary.append(f"Atiende la problemática «{problem.title}».")  # not linked: say it here
    steps = []
    if commitment.classroom:
        steps.append(f"Aula o grado: {commitment.classroom}")
    steps.append(f"Responsable: {commitment.responsible}")
    if commitment.follow_up:
        steps.append(f"Seguimiento: {commitment.follow_up}")
    results = [n.body.strip() for n in commitment.notes if n.body and n.body.strip()]
    return {
        "title": first_line(commitment.action),
        "summary": "\n".join(summary),
        "steps": "\n".join(steps),
        "results": "\n\n".join(results),
        "level": commitment.school.level,
        "grades": list(problem.grades or []) if problem is not None else [],
        "categories": [pc.category.code for pc in problem.categories] if problem is not None else [],
        "problem_id": problem.id
        if problem is not None and problem.school_id == commitment.school_id
        else None,
        "visibility": "zona",
        "outcome": "bueno",
    }


def _clean_outcome(value, errors: dict, *, required: bool = False) -> str | None:
    value = (value or "").strip() if isinstance(value, str) else value
    if not value:
        if required:
            errors["outcome"] = _("Elige cómo juzgan sus resultados.")
        return None
    if value not in OUTCOMES:
        errors["outcome"] = _("Elige un resultado de la lista.")
        return None
    return value


def publish_commitment(commitment: Commitment, data: dict, *, actor) -> Practice:
    """Publish a fulfilled commitment (with evidence) as a practice of its school, prefilled from the
    commitment and its problem, copying the follow-up's evidence files into the practice."""
    if not permissions.can_publish_commitment_practice(actor, commitment):
        raise PermissionDenied(_("No puedes publicar prácticas de esta escuela."))
    if not is_publishable(commitment):
        raise ValidationError(
            {"_": _("Solo un compromiso cumplido y con evidencias se publica como práctica.")}
        )
    if practice_from_commitment(commitment) is not None:
        raise ValidationError({"_": _("Este compromiso ya se publicó como práctica.")})
    errors: dict[str, str] = {}
    outcome = _clean_outcome(data.get("outcome"), errors, required=True)
    if errors:
        raise ValidationError(errors)
    values = prefill_from_commitment(commitment)
    for key in ("title", "summary", "steps", "results", "visibility"):
        if key in data:
            values[key] = data[key]
    values.pop("outcome", None)
    practice = practices.create_practice(commitment.school, values, actor=actor)
    practice.source_commitment_id = commitment.id
    practice.outcome = outcome
    if data.get("copy_evidence", True):
        copy_commitment_evidence(commitment, practice, actor=actor)
    db.session.flush()
    return practice


def copy_commitment_evidence(commitment: Commitment, practice: Practice, *, actor) -> list[Evidence]:
    """Copy each evidence file of the commitment's notes into the practice's evidence (checked again
    by the practices' upload rules); a file missing on disk is skipped."""
    copied = []
    for note in evidence_notes(commitment):
        path = commitments.note_evidence_path(note)
        if not path.is_file():
            continue
        upload = FileStorage(
            stream=io.BytesIO(path.read_bytes()),
            filename=note.evidence_original_name or path.name,
            content_type=note.evidence_mime_type,
        )
        caption = first_line(note.body, CAPTION_MAX) or None
        copied.append(practices.add_evidence(practice, upload, actor=actor, caption=caption))
    return copied


# --- recognising good practices ---------------------------------------------------------------


def recognition_zones(actor, practice: Practice) -> list[Zone]:
    """The zones in whose name ``actor`` may recognise ``practice``, by number."""
    ids = permissions.recognisable_zone_ids(actor, practice)
    if not ids:
        return []
    return list(
        db.session.execute(select(Zone).where(Zone.id.in_(ids)).order_by(Zone.number, Zone.cct)).scalars()
    )


def recognitions(practice: Practice) -> list[Recognition]:
    """The zones that recognised this practice, oldest first."""
    return list(
        db.session.execute(
            select(Recognition)
            .filter_by(practice_id=practice.id)
            .options(selectinload(Recognition.zone), selectinload(Recognition.recognised_by))
            .order_by(Recognition.created_at, Recognition.id)
        ).scalars()
    )


def recognise_practice(practice: Practice, zone: Zone, data: dict, *, actor) -> Recognition:
    """Mark ``practice`` as a good practice of ``zone`` with a short rationale (again: new rationale);
    refused while the practice shows no evidence or no written results."""
    if not permissions.can_recognise_practice(actor, practice, zone.id):
        raise PermissionDenied(_("No puedes reconocer prácticas en nombre de esta zona."))
    errors: dict[str, str] = {}
    if not practice.evidence:
        errors["_"] = _("Para reconocerla, la práctica debe tener al menos una evidencia.")
    elif not (practice.results or "").strip():
        errors["_"] = _("Para reconocerla, la práctica debe describir sus resultados.")
    rationale = _text(data, "rationale")
    if not rationale:
        errors["rationale"] = _("Escribe por qué es una buena práctica.")
    elif len(rationale) > RATIONALE_MAX:
        errors["rationale"] = _(
            "La justificación admite máximo %(RATIONALE_MAX)s caracteres.", RATIONALE_MAX=RATIONALE_MAX
        )
    if errors:
        raise ValidationError(errors)
    recognition = db.session.execute(
        select(Recognition).filter_by(practice_id=practice.id, zone_id=zone.id)
    ).scalar_one_or_none()
    if recognition is None:
        recognition = Recognition(practice_id=practice.id, zone_id=zone.id)
        db.session.add(recognition)
    recognition.rationale = rationale
    recognition.recognised_by_id = getattr(actor, "id", None)
    practice.is_recognised = True
    db.session.flush()
    return recognition


def withdraw_recognition(practice: Practice, zone: Zone, *, actor) -> None:
    """Take back a zone's recognition of a practice."""
    if not permissions.can_recognise_practice(actor, practice, zone.id):
        raise PermissionDenied(_("No puedes retirar reconocimientos de esta zona."))
    recognition = db.session.execute(
        select(Recognition).filter_by(practice_id=practice.id, zone_id=zone.id)
    ).scalar_one_or_none()
    if recognition is None:
        raise ValidationError({"_": _("Esta zona no había reconocido la práctica.")})
    db.session.delete(recognition)
    db.session.flush()
    practice.is_recognised = (
        db.session.execute(select(Recognition.id).filter_by(practice_id=practice.id).limit(1)).first()
        is not None
    )
    db.session.flush()


# --- outcomes --------------------------------------------------------------------------------


@dataclass
class OutcomeCount:
    """How many adoptions (or practices) have one outcome."""

    code: str
    label: str
    count: int


def outcome_counts(items) -> list[OutcomeCount]:
    """Count the ``outcome`` of adoptions or practices, one row per OUTCOMES key, in that order."""
    counts = {code: 0 for code in OUTCOMES}
    for item in items:
        if item.outcome in counts:
            counts[item.outcome] += 1
    return [OutcomeCount(code, OUTCOMES[code], n) for code, n in counts.items()]


# --- adopting, with a commitment in the logbook ----------------------------------------------


def record_school_commitment(school: School, data: dict, *, actor) -> Commitment:
    """A commitment of a school outside any encounter, written into the school's logbook."""
    if not (permissions.is_admin(actor) or permissions.is_member_of_school(actor, school)):
        raise PermissionDenied(_("No puedes registrar compromisos de esta escuela."))
    errors: dict[str, str] = {}
    action = _text(data, "action")
    if not action:
        errors["action"] = _("Escribe la acción a la que se compromete la escuela.")
    elif len(action) > commitments.ACTION_MAX:
        errors["action"] = _(
            "La acción admite máximo %(ACTION_MAX)s caracteres.", ACTION_MAX=commitments.ACTION_MAX
        )
    responsible = _text(data, "responsible")
    if not responsible:
        errors["responsible"] = _("Indica quién es responsable.")
    elif len(responsible) > commitments.RESPONSIBLE_MAX:
        errors["responsible"] = _(
            "El responsable admite máximo %(RESPONSIBLE_MAX)s caracteres.",
            RESPONSIBLE_MAX=commitments.RESPONSIBLE_MAX,
        )
    classroom = _text(data, "classroom")
    if len(classroom) > commitments.CLASSROOM_MAX:
        errors["classroom"] = _(
            "El aula o grado admite máximo %(CLASSROOM_MAX)s caracteres.",
            CLASSROOM_MAX=commitments.CLASSROOM_MAX,
        )
    follow_up = _text(data, "follow_up")
    if len(follow_up) > commitments.TEXT_MAX:
        errors["follow_up"] = _(
            "El seguimiento admite máximo %(TEXT_MAX)s caracteres.", TEXT_MAX=commitments.TEXT_MAX
        )
    due_date: date | None = None
    try:
        due_date = commitments.parse_date(data.get("due_date"))
    except (TypeError, ValueError):
        errors["due_date"] = _("Escribe la fecha límite como AAAA-MM-DD.")
    else:
        if due_date is None:
            errors["due_date"] = _("Indica la fecha límite.")
        elif due_date < local_today():
            errors["due_date"] = _("La fecha límite no puede estar en el pasado.")
    problem_id = _int(data.get("problem_id"))
    problem = db.session.get(Problem, problem_id) if problem_id else None
    if problem is not None and problem.school_id != school.id:
        problem = None
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(
        school_id=school.id,
        encounter_id=None,
        action=action,
        responsible=responsible,
        classroom=classroom or None,
        follow_up=follow_up or None,
        due_date=due_date,
        status="pendiente",
        school_year=current_school_year(),
        problem_id=problem.id if problem else None,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(commitment)
    db.session.flush()
    title, body = logbook.commitment_entry_text(commitment)
    db.session.add(
        LogbookEntry(
            school_id=school.id,
            kind="compromiso",
            title=title,
            body=body,
            school_year=commitment.school_year,
            commitment_id=commitment.id,
            created_by_id=getattr(actor, "id", None),
        )
    )
    db.session.flush()
    return commitment


def adoption_action(practice: Practice) -> str:
    """The action of the commitment an adoption writes into the logbook."""
    return f"Aplicar la práctica «{practice.title}» ({practice.school.name}, {practice.school.cct})"


def adopt_with_commitment(practice: Practice, school: School, data: dict, *, actor) -> Adoption:
    """*La adoptamos*: record the adoption and write the commitment to apply the practice (responsible,
    due date) into the adopting school's logbook; the adoption's outcome is then followed up."""
    if not (permissions.can_adopt_practice(actor, practice) and actor.school_id == school.id):
        raise PermissionDenied(_("Tu escuela no puede adoptar esta práctica."))
    existing = db.session.execute(
        select(Adoption).filter_by(practice_id=practice.id, school_id=school.id)
    ).scalar_one_or_none()
    if existing is not None and existing.commitment_id is not None:
        raise ValidationError(
            {"_": _("Su escuela ya adoptó esta práctica: den seguimiento a su compromiso.")}
        )
    commitment = record_school_commitment(
        school,
        {
            "action": adoption_action(practice),
            "responsible": data.get("responsible"),
            "due_date": data.get("due_date"),
            "classroom": data.get("classroom"),
            "problem_id": data.get("problem_id"),
            "follow_up": data.get("follow_up") or "Registrar en la práctica cómo nos fue al aplicarla.",
        },
        actor=actor,
    )
    adoption = practices.adopt_practice(
        practice,
        school,
        {
            "outcome": existing.outcome if existing is not None else "en_proceso",
            "notes": data.get("notes") if data.get("notes") else (existing.notes if existing else None),
        },
        actor=actor,
    )
    adoption.commitment_id = commitment.id
    db.session.flush()
    return adoption


def adoption_for_commitment(commitment: Commitment) -> Adoption | None:
    """The adoption whose commitment this is, if any."""
    return db.session.execute(select(Adoption).filter_by(commitment_id=commitment.id)).scalars().first()


def record_adoption_outcome(adoption: Adoption, data: dict, *, actor) -> Adoption:
    """How applying the practice went (outcome, notes): feeds the practice's record of adoptions."""
    errors: dict[str, str] = {}
    _clean_outcome(data.get("outcome"), errors, required=True)
    if errors:
        raise ValidationError(errors)
    values = {"outcome": data["outcome"]}
    if data.get("notes") is not None:
        values["notes"] = data.get("notes")
    return practices.update_adoption(adoption, values, actor=actor)


# --- narratives (relatos) --------------------------------------------------------------------


def _clean_narrative(school: School, data: dict, *, actor, partial: bool) -> dict:
    errors: dict[str, str] = {}
    clean: dict = {}
    if not partial or "title" in data:
        title = _text(data, "title")
        if not title:
            errors["title"] = _("Escribe un título.")
        elif len(title) > TITLE_MAX:
            errors["title"] = _("El título admite máximo %(TITLE_MAX)s caracteres.", TITLE_MAX=TITLE_MAX)
        clean["title"] = title
    for key, label in NARRATIVE_SECTIONS.items():
        if partial and key not in data:
            continue
        value = _text(data, key)
        if not value:
            errors[key] = _("Escribe «%(label)s».", label=label)
        elif len(value) > SECTION_MAX:
            errors[key] = _(
                "«%(label)s» admite máximo %(SECTION_MAX)s caracteres.", label=label, SECTION_MAX=SECTION_MAX
            )
        clean[key] = value
    if not partial or "practice_id" in data:
        practice_id = _int(data.get("practice_id"))
        practice = db.session.get(Practice, practice_id) if practice_id else None
        if practice_id and (practice is None or not permissions.can_view_practice(actor, practice)):
            errors["practice_id"] = _("Elige una práctica que puedas ver.")
        clean["practice_id"] = practice.id if practice is not None else None
    if not partial or "problem_id" in data:
        problem_id = _int(data.get("problem_id"))
        problem = db.session.get(Problem, problem_id) if problem_id else None
        if problem_id and (problem is None or problem.school_id != school.id):
            errors["problem_id"] = _("Elige una problemática de la escuela.")
        clean["problem_id"] = problem.id if problem is not None else None
    if not partial or "encounter_id" in data:
        encounter_id = _int(data.get("encounter_id"))
        encounter = db.session.get(Encounter, encounter_id) if encounter_id else None
        if encounter_id and (
            encounter is None or school.id not in {m.school_id for g in encounter.groups for m in g.schools}
        ):
            errors["encounter_id"] = _("Elige un encuentro en el que participó la escuela.")
        clean["encounter_id"] = encounter.id if encounter is not None else None
    if errors:
        raise ValidationError(errors)
    return clean


def create_narrative(school: School, data: dict, *, actor) -> Narrative:
    """Write a relato of the school's experience: faced, tried, happened, learned."""
    if not permissions.can_write_narrative(actor, school):
        raise PermissionDenied(_("No puedes escribir relatos de esta escuela."))
    narrative = Narrative(
        school_id=school.id,
        author_id=getattr(actor, "id", None),
        **_clean_narrative(school, data, actor=actor, partial=False),
    )
    db.session.add(narrative)
    db.session.flush()
    return narrative


def update_narrative(narrative: Narrative, data: dict, *, actor) -> Narrative:
    """Change the parts of a relato present in ``data``."""
    if not permissions.can_edit_narrative(actor, narrative):
        raise PermissionDenied(_("No puedes editar este relato."))
    for key, value in _clean_narrative(narrative.school, data, actor=actor, partial=True).items():
        setattr(narrative, key, value)
    db.session.flush()
    return narrative


def narratives_for_practice(practice: Practice, *, actor) -> list[Narrative]:
    """The relatos linked to a practice that ``actor`` may read, newest first."""
    rows = db.session.execute(
        select(Narrative)
        .filter_by(practice_id=practice.id)
        .order_by(Narrative.created_at.desc(), Narrative.id.desc())
    ).scalars()
    return [n for n in rows if permissions.can_view_narrative(actor, n)]


# --- thumbnails ------------------------------------------------------------------------------


def thumbnail_path(evidence: Evidence) -> Path:
    """Where an evidence image's thumbnail is cached: a ``thumbs`` folder next to the evidence."""
    return practices.evidence_folder() / "thumbs" / f"{Path(evidence.stored_name).stem}.jpg"


def ensure_thumbnail(evidence: Evidence) -> Path | None:
    """The evidence image's JPEG thumbnail (made with Pillow once, then cached), or None if the
    evidence is not an image or cannot be read."""
    if not evidence.is_image:
        return None
    target = thumbnail_path(evidence)
    if target.is_file():
        return target
    source = practices.evidence_path(evidence)
    if not source.is_file():
        return None
    from PIL import Image, ImageOps

    try:
        with Image.open(source) as image:
            image.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode at a reduced size, much faster
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, (255, 255, 255))
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            image.save(partial, "JPEG", quality=80, optimize=True)
            os.replace(partial, target)  # atomic: a concurrent reader never sees half a file
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return target


# --- the zone's good practices -----------------------------------------------------------------


@dataclass
class ZoneGoodPractice:
    """A practice recognised by a zone, with what its booklet shows."""

    recognition: Recognition
    practice: Practice
    outcomes: list[OutcomeCount] = field(default_factory=list)

    @property
    def adoption_count(self) -> int:
        return len(self.practice.adoptions)


def zone_good_practices(zone: Zone, *, actor) -> list[ZoneGoodPractice]:
    """The practices the zone recognised that ``actor`` may see, newest recognition first."""
    rows = db.session.execute(
        select(Recognition)
        .filter_by(zone_id=zone.id)
        .options(
            selectinload(Recognition.practice).selectinload(Practice.adoptions),
            selectinload(Recognition.practice).selectinload(Practice.evidence),
            selectinload(Recognition.practice).selectinload(Practice.categories),
            selectinload(Recognition.practice).selectinload(Practice.school),
            selectinload(Recognition.recognised_by),
        )
        .order_by(Recognition.created_at.desc(), Recognition.id.desc())
    ).scalars()
    return [
        ZoneGoodPractice(r, r.practice, outcome_counts(r.practice.adoptions))
        for r in rows
        if permissions.can_view_practice(actor, r.practice)
    ]


def zone_outcome_totals(items: list[ZoneGoodPractice]) -> list[OutcomeCount]:
    """The outcomes of every adoption of the zone's good practices, added up."""
    return outcome_counts([a for item in items for a in item.practice.adoptions])


def _csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula.

    >>> _csv_cell("=1+1"), _csv_cell("Lectura")
    ("'=1+1", 'Lectura')
    """
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def zone_good_practices_csv(zone: Zone, items: list[ZoneGoodPractice]) -> bytes:
    """The zone's good practices as CSV (UTF-8 with BOM, so that spreadsheets read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "zona",
            "practica",
            "escuela",
            "cct",
            "nivel",
            "categorias",
            "resultado_autores",
            "evidencias",
            "adopciones",
            *(f"adopciones_{c}" for c in OUTCOMES),
            "justificacion",
            "reconocida_el",
            "enlace_id",
        ]
    )
    for item in items:
        p = item.practice
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    zone.cct,
                    p.title,
                    p.school.name,
                    p.school.cct,
                    p.level or "",
                    "; ".join(c.name for c in p.categories),
                    OUTCOMES.get(p.outcome or "", ""),
                    len(p.evidence),
                    item.adoption_count,
                    *(o.count for o in item.outcomes),
                    item.recognition.rationale,
                    item.recognition.created_at.date().isoformat(),
                    p.id,
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
