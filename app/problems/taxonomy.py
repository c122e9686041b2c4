"""The problem taxonomy (ámbitos of the PEMC and learning areas), read from its CSV file."""

from __future__ import annotations

import csv
from pathlib import Path

from app.extensions import db
from app.problems.models import Category

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomia_problematicas.csv"
FACETS = ("ambito", "area")


def load_taxonomy(path: str | Path | None = None) -> list[dict]:
    """The categories of the CSV, in file order: code, facet, name, description, levels, source."""
    path = Path(path) if path is not None else DEFAULT_PATH
    rows: list[dict] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            code = (row.get("codigo") or "").strip()
            facet = (row.get("faceta") or "").strip()
            if not code:
                continue
            if facet not in FACETS:
                raise ValueError(f"{path.name}, línea {line_no}: faceta desconocida {facet!r}")
            rows.append(
                {
                    "code": code,
                    "facet": facet,
                    "name": (row.get("nombre") or "").strip() or code,
                    "description": (row.get("descripcion") or "").strip() or None,
                    "levels": [lvl.strip() for lvl in (row.get("niveles") or "").split(";") if lvl.strip()],
                    "source": (row.get("fuente") or "").strip() or None,
                }
            )
    return rows


def sync_categories(path: str | Path | None = None) -> int:
    """Create or update a ``Category`` per taxonomy row; returns how many changed (0 if in sync).

    Flushes only: the caller (CLI command, demo seeding, test) commits.
    """
    existing = {c.code: c for c in db.session.execute(db.select(Category)).scalars()}
    changed = 0
    for row in load_taxonomy(path):
        category = existing.get(row["code"])
        if category is None:
            db.session.add(Category(**row))
            changed += 1
            continue
        if any(getattr(category, key) != value for key, value in row.items()):
            for key, value in row.items():
                setattr(category, key, value)
            changed += 1
    db.session.flush()
    return changed


def categories_for_level(level: str | None) -> list[Category]:
    """Every category that applies to a school level (all of them if the level is unknown)."""
    categories = db.session.execute(db.select(Category).order_by(Category.id)).scalars().all()
    return [c for c in categories if applies_to_level(c, level)]


def applies_to_level(category: Category, level: str | None) -> bool:
    """A category with no listed levels, or a school of unknown level, always applies."""
    return not level or not category.levels or level in category.levels
