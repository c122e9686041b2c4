"""Services of the catalogue area: past imports, and an import's progress as the upload page polls it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from app.catalogue.importer import FINISHED_STATUSES, STATUS_LABELS
from app.catalogue.models import ImportRun
from app.extensions import db

if TYPE_CHECKING:
    from flask_sqlalchemy.pagination import Pagination


def recent_import_runs(*, page: int = 1, per_page: int = 25) -> Pagination:
    """Past catalogue imports, newest first."""
    return db.paginate(
        select(ImportRun).order_by(ImportRun.started_at.desc(), ImportRun.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def import_run_status(run: ImportRun) -> dict:
    """The run as the JSON the upload page polls."""
    total = run.total_rows or 0
    return {
        "id": run.id,
        "filename": run.filename,
        "status": run.status,
        "status_label": str(STATUS_LABELS.get(run.status, run.status)),
        "finished": run.status in FINISHED_STATUSES,
        "strict": run.is_strict,
        "total_rows": total,
        "processed_rows": run.processed_rows or 0,
        "percent": round(100 * (run.processed_rows or 0) / total, 1) if total else 0,
        "zones_created": run.zones_created,
        "zones_updated": run.zones_updated,
        "schools_created": run.schools_created,
        "schools_updated": run.schools_updated,
        "skipped_rows": run.skipped_rows,
        "bad_rows": run.bad_rows,
        "errors": run.errors or [],
        "message": run.message,
    }
