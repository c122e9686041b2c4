"""The upload page: a background import with progress JSON, and its result page."""

from __future__ import annotations

import io
import os

from sqlalchemy import func, select

from app.catalogue.importer import wait_for_import
from app.catalogue.models import ImportRun, School, Zone
from app.extensions import db as _db
from tests.app.catalogue.catalogue_rows import DATA, HEADER, render, sample_rows, school


def upload(client, data: bytes, name: str = "catalogo.csv", strict: bool = False):
    form = {"file": (io.BytesIO(data), name)}
    if strict:
        form["strict"] = "y"
    return client.post("/catalogo/importar", data=form, content_type="multipart/form-data")


def finished_run(client, response) -> dict:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    wait_for_import(run_id, timeout=60)
    status = client.get(f"/catalogo/importaciones/{run_id}.json").get_json()
    assert status["finished"], status
    return status


def count(model) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(model))


def test_upload_imports_in_the_background(app, client, login_as):
    login_as("admin")
    status = finished_run(client, upload(client, (DATA / "catalogo_muestra.csv").read_bytes()))
    assert status["status"] == "terminada"
    assert (status["schools_created"], status["zones_created"], status["skipped_rows"]) == (8, 3, 3)
    assert status["processed_rows"] == status["total_rows"] == 14 and status["percent"] == 100
    assert count(School) == 8 and count(Zone) == 3
    html = client.get(f"/catalogo/importaciones/{status['id']}").get_data(as_text=True)
    assert "escuelas nuevas" in html and "<progress" not in html
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "imports")
    assert os.listdir(folder) == []  # the uploaded copy is removed


def test_upload_reports_bad_rows_by_line(client, login_as):
    login_as("admin")
    data = render([school("22DPR0001A"), school("22DPR01A", "MAL"), school("22DPR0001A", "REPETIDA")])
    status = finished_run(client, upload(client, data))
    assert status["status"] == "con_errores" and status["bad_rows"] == 2
    assert [e["line"] for e in status["errors"]] == [3, 4]
    html = client.get(f"/catalogo/importaciones/{status['id']}").get_data(as_text=True)
    assert "<td>3</td>" in html and "CCT no válida" in html and "CCT repetida" in html
    assert count(School) == 1


def test_strict_upload_writes_nothing(client, login_as):
    login_as("admin")
    data = render(sample_rows() + [school("22DPR01A", "MAL")])
    status = finished_run(client, upload(client, data, strict=True))
    assert status["status"] == "rechazada" and status["strict"]
    assert count(School) == 0 and count(Zone) == 0


def test_upload_without_catalogue_header_is_refused_at_once(client, login_as):
    login_as("admin")
    header = [h for h in HEADER if h != "SUPERVISION_CV_CCT"]
    response = upload(client, render(sample_rows(), header=header))
    assert response.status_code == 422
    assert "SUPERVISION_CV_CCT" in response.get_data(as_text=True)
    assert count(ImportRun) == 0


def test_upload_needs_a_csv_file(client, login_as):
    login_as("admin")
    response = client.post("/catalogo/importar", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Elige el archivo" in response.get_data(as_text=True)
    response = upload(client, b"%PDF-1.4", name="catalogo.pdf")
    assert response.status_code == 422 and "CSV" in response.get_data(as_text=True)


def test_progress_json_of_a_running_import(client, login_as):
    run = ImportRun(filename="nacional.csv", status="en_curso", total_rows=230_000, processed_rows=57_500)
    _db.session.add(run)
    _db.session.commit()
    login_as("admin")
    status = client.get(f"/catalogo/importaciones/{run.id}.json").get_json()
    assert status["finished"] is False and status["percent"] == 25.0
    assert status["status_label"] == "En curso"
    html = client.get(f"/catalogo/importaciones/{run.id}").get_data(as_text=True)
    assert '<progress id="import-bar" value="57500" max="230000">' in html
    assert f"/catalogo/importaciones/{run.id}.json" in html


def test_runs_list_and_form_show_past_imports(client, login_as):
    for n in range(3):
        _db.session.add(ImportRun(filename=f"archivo-{n}.csv", status="terminada", schools_created=n))
    _db.session.commit()
    login_as("admin")
    html = client.get("/catalogo/importaciones").get_data(as_text=True)
    assert all(f"archivo-{n}.csv" in html for n in range(3))
    assert "archivo-2.csv" in client.get("/catalogo/importar").get_data(as_text=True)


def test_non_admin_cannot_upload(client, login_as):
    login_as("supervisor")
    response = upload(client, (DATA / "catalogo_muestra.csv").read_bytes())
    assert response.status_code == 403
    assert count(ImportRun) == 0 and count(School) == 0
