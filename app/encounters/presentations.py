"""What each school presents: a presentation generated from its problems, or its own PDF (checked,
stored under a random name), and how ready each school is.
"""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path

import filetype
from flask_babel import gettext as _

from app import permissions
from app.auth.models import User
from app.catalogue.models import School
from app.encounters.models import (
    PRESENTATION_KINDS,
    Encounter,
    Presentation,
)
from app.encounters.queries import MAX_ASK_LENGTH, OPEN_PROBLEM_STATUSES, _require
from app.extensions import db
from app.problems.models import Problem
from app.validation import ValidationError


def get_presentation(encounter: Encounter, school: School) -> Presentation | None:
    """The school's presentation for this encounter, if it started one."""
    return db.session.execute(
        db.select(Presentation).filter_by(encounter_id=encounter.id, school_id=school.id)
    ).scalar_one_or_none()


def _presentation_for_edit(encounter: Encounter, school: School, actor: User) -> Presentation:
    _require(permissions.can_prepare_presentation(actor, encounter, school))
    presentation = get_presentation(encounter, school)
    if presentation is None:
        presentation = Presentation(
            encounter_id=encounter.id, school_id=school.id, problem_ids=[], kind="generada", is_ready=False
        )
        db.session.add(presentation)
    return presentation


def selectable_problems(school: School, presentation: Presentation | None = None) -> list[Problem]:
    """The school's open problems (and any already chosen), to choose from."""
    chosen = list(presentation.problem_ids or []) if presentation is not None else []
    return list(
        db.session.execute(
            db.select(Problem)
            .where(
                Problem.school_id == school.id,
                db.or_(Problem.status.in_(OPEN_PROBLEM_STATUSES), Problem.id.in_(chosen or [0])),
            )
            .order_by(Problem.created_at.desc(), Problem.id.desc())
        ).scalars()
    )


def save_presentation(encounter: Encounter, school: School, data: dict, *, actor: User) -> Presentation:
    """The school's choice: problems (its open ones), what it asks of colleagues, slides or its
    own PDF, and whether it is ready."""
    presentation = _presentation_for_edit(encounter, school, actor)
    allowed = {p.id for p in selectable_problems(school, presentation)}
    problem_ids = list(dict.fromkeys(int(p) for p in data.get("problem_ids") or [] if str(p).isdigit()))
    if any(p not in allowed for p in problem_ids):
        raise ValidationError({"problem_ids": _("Elige problemáticas abiertas de tu escuela.")})
    ask = (data.get("ask") or "").strip() or None
    if ask and len(ask) > MAX_ASK_LENGTH:
        raise ValidationError(
            {"ask": _("Escribe como máximo %(MAX_ASK_LENGTH)s caracteres.", MAX_ASK_LENGTH=MAX_ASK_LENGTH)}
        )
    kind = data.get("kind") or "generada"
    if kind not in PRESENTATION_KINDS:
        raise ValidationError({"kind": _("Elige diapositivas generadas o PDF propio.")})
    if kind == "pdf" and not presentation.pdf_stored_name:
        raise ValidationError({"kind": _("Primero sube el PDF de la escuela.")})
    is_ready = bool(data.get("is_ready"))
    if is_ready and kind == "generada" and not problem_ids:
        raise ValidationError({"problem_ids": _("Elige al menos una problemática para presentar.")})
    presentation.problem_ids = problem_ids
    presentation.ask = ask
    presentation.kind = kind
    presentation.is_ready = is_ready
    presentation.updated_by_id = actor.id
    db.session.flush()
    return presentation


def check_presentation_pdf(data: bytes, *, max_pages: int) -> int:
    """Refuse what is not a PDF (by content), a broken or locked PDF, too many pages; the pages."""
    import io

    from pypdf import PdfReader

    if not data:
        raise ValidationError({"file": _("El archivo está vacío.")})
    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime != "application/pdf":
        raise ValidationError(
            {
                "file": (
                    _(
                        "El archivo no es un PDF. Exporta la presentación como PDF "
                        "(cambiarle el nombre no basta)."
                    )
                )
            }
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise ValueError("encrypted")
            pages = len(reader.pages)
    except Exception:  # pypdf raises many kinds of errors for broken files
        raise ValidationError(
            {"file": (_("El PDF está dañado o protegido con contraseña y no se puede abrir."))}
        ) from None
    if pages < 1:
        raise ValidationError({"file": _("El PDF no tiene páginas.")})
    if pages > max_pages:
        raise ValidationError(
            {
                "file": (
                    _(
                        "El PDF tiene %(pages)s páginas; el límite es de %(max_pages)s. Deja solo lo que presentarán.",
                        pages=pages,
                        max_pages=max_pages,
                    )
                )
            }
        )
    return pages


#: At most this many characters of text are kept per page (a slide, not a book).
PAGE_TEXT_LIMIT = 1500


def extract_pdf_text(data: bytes, *, limit: int = PAGE_TEXT_LIMIT) -> list[str]:
    """The text of each page of a PDF (already checked by ``check_presentation_pdf``), its blank
    runs folded, at most ``limit`` characters a page; "" for a page that is only a picture or whose
    text cannot be read. Done once, at upload: the room's text-only mode shows it instead of the page.

    >>> extract_pdf_text(b"not a pdf")
    []
    """
    import io

    from pypdf import PdfReader

    texts = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            for page in reader.pages:
                try:
                    raw = page.extract_text() or ""
                except Exception:  # a page pypdf cannot read: no text, the rest still counts
                    raw = ""
                lines = (" ".join(line.split()) for line in raw.splitlines())
                text = "\n".join(line for line in lines if line)
                texts.append(text[:limit].rstrip())
    except Exception:
        return []
    return texts


def upload_presentation_pdf(
    encounter: Encounter,
    school: School,
    file_storage,
    *,
    actor: User,
    folder: Path,
    max_bytes: int,
    max_pages: int,
) -> tuple[Presentation, str | None]:
    """Store the school's own PDF under a random name; the presentation and the name of the file
    it replaces (to delete after the commit)."""
    from app.uploads import human_size, read_limited

    presentation = _presentation_for_edit(encounter, school, actor)
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise ValidationError({"file": _("Elige un archivo PDF.")})
    try:
        data = read_limited(file_storage.stream, max_bytes)
    except ValidationError:
        raise ValidationError(
            {"file": _("El archivo pasa del límite de %(value1)s.", value1=human_size(max_bytes))}
        ) from None
    pages = check_presentation_pdf(data, max_pages=max_pages)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.pdf"
    with open(folder / stored_name, "xb") as handle:
        handle.write(data)
    from werkzeug.utils import secure_filename

    old = presentation.pdf_stored_name
    presentation.pdf_stored_name = stored_name
    presentation.pdf_original_name = secure_filename(file_storage.filename or "")[:200] or "presentacion.pdf"
    presentation.pdf_pages = pages
    presentation.pdf_text = extract_pdf_text(data)
    presentation.kind = "pdf"
    presentation.updated_by_id = actor.id
    db.session.flush()
    return presentation, old


def readiness(encounter: Encounter) -> list[dict]:
    """Each participating school's preparation: group, problems chosen, ready, kind."""
    presentations = {
        p.school_id: p
        for p in db.session.execute(db.select(Presentation).filter_by(encounter_id=encounter.id)).scalars()
    }
    rows = []
    for group in encounter.groups:
        for member in group.schools:
            p = presentations.get(member.school_id)
            rows.append(
                {
                    "group": group,
                    "school": member.school,
                    "presentation": p,
                    "problems": len(p.problem_ids or []) if p else 0,
                    "is_ready": bool(p and p.is_ready),
                    "kind": str(PRESENTATION_KINDS.get(p.kind, p.kind)) if p else None,
                }
            )
    return rows
