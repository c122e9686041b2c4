"""Evidence thumbnails and the zone's good practices: list, outcome totals, CSV (the booklet PDF is
``pdf.py``).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import permissions, uploads
from app.catalogue.models import Zone
from app.extensions import db
from app.goodpractices.common import THUMBNAIL_SIZE
from app.goodpractices.models import Recognition
from app.goodpractices.recognition import OutcomeCount, outcome_counts
from app.practices import services as practices
from app.practices.models import OUTCOMES, Evidence, Practice


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
            if image.width * image.height > uploads.MAX_IMAGE_PIXELS:
                return None  # stored before the upload check refused such images: never decoded
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
