"""ENLACE 2011 6th-grade maths scores, evaluated pupils and marginación, set on schools by CCT."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select, update

from app.catalogue.fields import _clip, is_valid_cct
from app.catalogue.models import School
from app.catalogue.reading import _Source
from app.catalogue.writing import BATCH_SIZE
from app.extensions import db

ENLACE_REQUIRED = ("clave", "mate_6")


def import_enlace(source) -> dict:
    """Set ENLACE 2011 6th-grade maths score, evaluated pupils and marginación on schools by CCT.

    Returns counts: rows, updated, not_found, bad. Commits (a batch job, like the catalogue).
    """
    src = _Source(source)
    try:
        raw = b"".join(src.lines())
    finally:
        src.close()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [name for name in ENLACE_REQUIRED if name not in header]
    if missing:
        from app.validation import ValidationError

        raise ValidationError({"archivo": "Faltan columnas en el archivo ENLACE: " + ", ".join(missing)})
    index = {name: i for i, name in enumerate(header)}
    school_ids = dict(db.session.execute(select(School.cct, School.id)).all())
    counts = {"rows": 0, "updated": 0, "not_found": 0, "bad": 0}
    updates: dict[int, dict] = {}

    def get(fields: list[str], name: str) -> str:
        position = index.get(name)
        return fields[position].strip() if position is not None and position < len(fields) else ""

    for fields in reader:
        if not fields:
            continue
        counts["rows"] += 1
        cct = get(fields, "clave").upper()
        try:
            score = float(get(fields, "mate_6")) if get(fields, "mate_6") else None
            evaluated_text = get(fields, "num_evaluados_total")
            evaluated = int(float(evaluated_text)) if evaluated_text else None
        except ValueError:
            counts["bad"] += 1
            continue
        if not is_valid_cct(cct):
            counts["bad"] += 1
            continue
        school_id = school_ids.get(cct)
        if school_id is None:
            counts["not_found"] += 1
            continue
        updates[school_id] = {
            "id": school_id,
            "enlace_math6": score,
            "enlace_evaluated": evaluated,
            "marginalization": _clip(get(fields, "marginacion"), 30),
        }
    rows = list(updates.values())
    for start in range(0, len(rows), BATCH_SIZE):
        db.session.execute(update(School), rows[start : start + BATCH_SIZE])
    counts["updated"] = len(rows)
    db.session.commit()
    return counts
