"""Pages of the schools area: zones, a zone's page, a school's page, the catalogue upload."""
from __future__ import annotations

import os
import secrets
from functools import partial

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import permissions
from app.extensions import db
from app.schools import bp, services
from app.schools.catalogue import (
    FINISHED_STATUSES, REQUIRED_COLUMNS, STATUS_LABELS, missing_columns, start_background_import,
)
from app.schools.forms import CatalogueUploadForm
from app.problems.models import PRIORITY_LABELS
from app.schools.models import LEVEL_LABELS, LEVELS, ImportRun
from app.transactions import on_commit
from app.views import load_or_abort


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/zonas")
@login_required
def zones():
    if current_user.role == "supervisor" and current_user.zone_id:
        return redirect(url_for("schools.zone", cct=current_user.zone.cct))
    if not permissions.can_list_zones(current_user):
        abort(403)
    level = request.args.get("nivel") or None
    level = level if level in LEVELS else None
    q = (request.args.get("q") or "").strip()[:100]
    page, school_counts = services.zones_for(current_user, level=level, q=q, page=max(_page(), 1))
    return render_template("schools/zones.html", page=page, school_counts=school_counts, level=level,
                           q=q, levels=LEVEL_LABELS)


@bp.route("/zonas/<cct>")
@login_required
def zone(cct: str):
    found = load_or_abort(services.get_zone, cct, check=permissions.can_view_zone)
    return render_template("schools/zone.html", view=services.zone_overview(found),
                           zone=found)


@bp.route("/escuelas/<cct>")
@login_required
def school(cct: str):
    found = load_or_abort(services.get_school, cct, check=permissions.can_view_school)
    view = services.school_overview(found, viewer=current_user)
    return render_template("schools/school.html", view=view, school=found,
                           top_priority=services.top_priority, priority_labels=PRIORITY_LABELS)


# --- the catalogue import ------------------------------------------------------------------------

def _require_importer() -> None:
    if not permissions.can_import_catalogue(current_user):
        abort(403)


@bp.route("/catalogo/importar", methods=["GET", "POST"])
@login_required
def import_catalogue():
    _require_importer()
    form = CatalogueUploadForm()
    if form.validate_on_submit():
        folder = os.path.join(current_app.config["UPLOAD_FOLDER"], "imports")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{secrets.token_hex(12)}.csv")
        form.file.data.save(path)
        missing = missing_columns(path)
        if missing:
            os.remove(path)
            form.file.errors.append(_(
                "El archivo no tiene el encabezado del Catálogo de Centros de Trabajo (SIGED); "
                "faltan las columnas: %(columns)s.", columns=", ".join(missing)
            ))
        else:
            filename = os.path.basename(form.file.data.filename or "catalogo.csv")[:255]
            run = ImportRun(filename=filename, is_strict=bool(form.strict.data),
                            user_id=current_user.id, status="pendiente")
            db.session.add(run)
            db.session.flush()
            # The import's thread reads the run's row: it starts once that row is committed.
            on_commit(partial(start_background_import, path, run.id, user_id=current_user.id))
            return redirect(url_for("schools.import_run", run_id=run.id))
    status = 422 if form.errors else 200
    recent = services.recent_import_runs(per_page=5)
    return render_template("schools/import.html", form=form, recent=recent,
                           required=REQUIRED_COLUMNS, labels=STATUS_LABELS), status


@bp.route("/catalogo/importaciones")
@login_required
def import_runs():
    _require_importer()
    return render_template("schools/import_runs.html",
                           page=services.recent_import_runs(page=max(_page(), 1)),
                           labels=STATUS_LABELS)


@bp.route("/catalogo/importaciones/<int:run_id>")
@login_required
def import_run(run_id: int):
    _require_importer()
    run = load_or_abort(ImportRun, run_id)
    return render_template("schools/import_run.html", run=run,
                           status=services.import_run_status(run),
                           finished=run.status in FINISHED_STATUSES)


@bp.route("/catalogo/importaciones/<int:run_id>.json")
@login_required
def import_run_status(run_id: int):
    _require_importer()
    return jsonify(services.import_run_status(load_or_abort(ImportRun, run_id)))
