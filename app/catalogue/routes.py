"""Pages of the catalogue area: the upload of SEP's catalogue and the progress of its imports."""

from __future__ import annotations

import os
import secrets
from functools import partial

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.catalogue import bp, services
from app.catalogue.forms import CatalogueUploadForm
from app.catalogue.importer import (
    FINISHED_STATUSES,
    REQUIRED_COLUMNS,
    STATUS_LABELS,
    count_rows,
    missing_columns,
    start_background_import,
)
from app.catalogue.models import ImportRun
from app.extensions import db
from app.transactions import on_commit
from app.uploads import upload_folder
from app.views import load_or_abort


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _require_importer() -> None:
    if not permissions.can_import_catalogue(current_user):
        abort(403)


@bp.route("/catalogo/importar", methods=["GET", "POST"])
@login_required
def import_catalogue():
    _require_importer()
    form = CatalogueUploadForm()
    if form.validate_on_submit():
        path = str(upload_folder("imports") / f"{secrets.token_hex(12)}.csv")
        form.file.data.save(path)
        missing = missing_columns(path)
        if missing:
            os.remove(path)
            form.file.errors.append(
                _(
                    "Línea 1: el archivo no tiene el encabezado del Catálogo de Centros de Trabajo (SIGED); "
                    "faltan las columnas: %(columns)s. Se leen archivos separados por comas, punto y coma "
                    "o tabuladores.",
                    columns=", ".join(missing),
                )
            )
        else:
            filename = os.path.basename(form.file.data.filename or "catalogo.csv")[:255]
            run = ImportRun(
                filename=filename,
                is_strict=bool(form.strict.data),
                user_id=current_user.id,
                status="pendiente",
                total_rows=count_rows(path),  # so that the page shows "0 / N" before the job starts
            )
            db.session.add(run)
            db.session.flush()
            # The import's thread reads the run's row: it starts once that row is committed.
            on_commit(partial(start_background_import, path, run.id, user_id=current_user.id))
            return redirect(url_for("catalogue.import_run", run_id=run.id))
    status = 422 if form.errors else 200
    recent = services.recent_import_runs(per_page=5)
    return render_template(
        "catalogue/import.html", form=form, recent=recent, required=REQUIRED_COLUMNS, labels=STATUS_LABELS
    ), status


@bp.route("/catalogo/importaciones")
@login_required
def import_runs():
    _require_importer()
    return render_template(
        "catalogue/import_runs.html",
        page=services.recent_import_runs(page=max(_page(), 1)),
        labels=STATUS_LABELS,
    )


@bp.route("/catalogo/importaciones/<int:run_id>")
@login_required
def import_run(run_id: int):
    _require_importer()
    run = load_or_abort(ImportRun, run_id)
    return render_template(
        "catalogue/import_run.html",
        run=run,
        status=services.import_run_status(run),
        finished=run.status in FINISHED_STATUSES,
    )


@bp.route("/catalogo/importaciones/<int:run_id>.json")
@login_required
def import_run_status(run_id: int):
    _require_importer()
    return jsonify(services.import_run_status(load_or_abort(ImportRun, run_id)))
