"""Evidence thumbnails and the zone's good practices: list, outcome totals, CSV (the booklet PDF is
``pdf.py``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions, uploads
from app.auth.models import ROLE_LABELS
from app.catalogue.models import Zone
from app.dates import day_text
from app.extensions import db
from app.goodpractices.models import Recognition
from app.goodpractices.recognition import OutcomeCount, outcome_counts
from app.practices import services as practices
from app.practices.models import OUTCOMES, Evidence, Practice
from app.utils import csv_cell as _csv_cell


def thumbnail_path(evidence: Evidence) -> Path:
    """Where an evidence image's thumbnail is stored: a ``thumbs`` folder next to the evidence."""
    return uploads.thumbnail_path(practices.evidence_path(evidence))


def stored_thumbnail(evidence: Evidence) -> Path | None:
    """The evidence image's thumbnail if its job has made it, else None. Never decodes the image: a
    page that did would block its worker (and every live room on it) for as long as that takes."""
    if not evidence.is_image:
        return None
    target = thumbnail_path(evidence)
    return target if target.is_file() else None


def make_thumbnail(evidence: Evidence) -> Path | None:
    """Make the evidence image's thumbnail now (the upload's job does this; for scripts and tests)."""
    if not evidence.is_image:
        return None
    relative = f"evidence/{evidence.stored_name}"
    return thumbnail_path(evidence) if uploads.make_thumbnail(relative) else None


@dataclass
class ZoneGoodPractice:
    """A practice recognised by a zone, with what its booklet shows."""

    recognition: Recognition
    practice: Practice
    outcomes: list[OutcomeCount] = field(default_factory=list)

    @property
    def adoption_count(self) -> int:
        return len(self.practice.adoptions)


def recognised_by_text(recognition) -> str:
    """Who recognised the practice, in the role they had then: "Reconocida por Mtra. Ana López
    (Asesoría técnico pedagógica) el 26/02/2027"."""
    role = ROLE_LABELS.get(recognition.recognised_as or "")
    person = recognition.recognised_by.name if recognition.recognised_by is not None else None
    who = f"{person} ({role})" if person and role else person or (str(role) if role else None)
    when = day_text(recognition.created_at)
    if who is None:
        return _("Reconocida por la zona el %(date)s.", date=when)
    return _("Reconocida por %(who)s el %(date)s.", who=who, date=when)


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
