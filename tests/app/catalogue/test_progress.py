"""An import's progress: the file's rows are counted before it is read, rows read rise to that total
(the upload page shows "N / total", never "0 / 0"), and a file cut short keeps its total."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import event

from app.catalogue.importer import import_catalogue, run_import_job
from app.catalogue.models import ImportRun
from app.extensions import db as _db
from tests.app.catalogue.catalogue_rows import DATA, HEADER, render, sample_rows, school


@pytest.fixture
def recorded():
    """(status, processed_rows, total_rows) of the import run at each commit."""
    seen: list[tuple[str, int, int]] = []

    def record(session):
        for obj in list(session.new) + list(session.dirty):
            if isinstance(obj, ImportRun):
                seen.append((obj.status, obj.processed_rows or 0, obj.total_rows or 0))

    event.listen(_db.session, "before_commit", record)
    yield seen
    event.remove(_db.session, "before_commit", record)


def many_schools(n: int) -> list:
    rows: list = [school(f"22DPR{k:04d}A", f"ESCUELA {k}") for k in range(1, n + 1)]
    rows.insert(3, "")  # a blank line is no row
    rows.insert(8, school("22DPR0900A", "DOS\nLÍNEAS"))  # one row over two lines
    return rows


def test_rows_read_rise_to_the_total_counted_before_reading(db, tmp_path, recorded):
    path = tmp_path / "progreso.csv"
    path.write_bytes(render(many_schools(23)))  # 24 rows on 26 lines after the header
    run = import_catalogue(path, progress_every=5)
    assert run.status == "terminada", run.message
    assert run.processed_rows == run.total_rows == 24
    running = [(done, total) for status, done, total in recorded if status == "en_curso"]
    # the total is known before the first row is read, and never changes
    assert running[0] == (0, 0) and (0, 24) in running
    assert {total for done, total in running if done} == {24}
    done = [done for done, _total in running]
    assert done == sorted(done) and {5, 10, 15, 20}.issubset(done)
    assert recorded[-1] == ("terminada", 24, 24)


def test_a_strict_import_never_goes_back_to_zero(db, tmp_path, recorded):
    path = tmp_path / "estricta.csv"
    path.write_bytes(render(many_schools(12)))
    run = import_catalogue(path, strict=True, progress_every=5)
    assert run.status == "terminada", run.message
    done = [done for _status, done, _total in recorded]
    assert done == sorted(done) and done[-1] == 13
    assert ("guardando", 13, 13) in recorded
    assert run.processed_rows == run.total_rows == 13


def test_a_refused_header_keeps_the_files_total(db, tmp_path):
    path = tmp_path / "sin_columnas.csv"
    path.write_bytes(render(sample_rows(), header=[h for h in HEADER if h != "C_TIPO"]))
    run = import_catalogue(path)
    assert run.status == "rechazada"
    assert (run.processed_rows, run.total_rows) == (0, 14)


def test_a_file_cut_short_keeps_its_total(db, tmp_path):
    path = tmp_path / "comillas.csv"
    path.write_bytes(render([school("22DPR0001A")]) + b'22DPR0002B,"' + b"x" * 140_000 + b"\r\n")
    run = import_catalogue(path)
    assert run.status == "con_errores"
    assert (run.processed_rows, run.total_rows) == (1, 2)


# --- the upload page ---------------------------------------------------------------------------


def test_the_upload_page_shows_rows_read_of_the_total(client, login_as, monkeypatch):
    """The run is created with its rows counted, so the page reads "0 / 14" before the job starts,
    and "14 / 14" once it has ended (progress JSON and page)."""
    started = []
    monkeypatch.setattr(
        "app.catalogue.routes.start_background_import",
        lambda path, run_id, **kw: started.append((path, run_id)),
    )
    login_as("admin")
    response = client.post(
        "/catalogo/importar",
        data={"file": (io.BytesIO((DATA / "catalogo_muestra.csv").read_bytes()), "catalogo.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [(path, run_id)] = started
    status = client.get(f"/catalogo/importaciones/{run_id}.json").get_json()
    assert (status["status"], status["processed_rows"], status["total_rows"]) == ("pendiente", 0, 14)
    html = client.get(f"/catalogo/importaciones/{run_id}").get_data(as_text=True)
    assert '<span id="import-count">0</span> / <span id="import-total">14</span>' in html
    assert '<progress id="import-bar" value="0" max="14">' in html

    run_import_job(path, run_id)
    status = client.get(f"/catalogo/importaciones/{run_id}.json").get_json()
    assert status["finished"] and status["status"] == "terminada"
    assert status["processed_rows"] == status["total_rows"] == 14 and status["percent"] == 100
    html = client.get(f"/catalogo/importaciones/{run_id}").get_data(as_text=True)
    assert '<span id="import-count">14</span> / <span id="import-total">14</span>' in html
    assert "<progress" not in html and "escuelas nuevas" in html


def test_the_page_of_a_refused_file_shows_its_rows(client, login_as, db, tmp_path):
    path = tmp_path / "sin_columnas.csv"
    path.write_bytes(render(sample_rows(), header=[h for h in HEADER if h != "C_TIPO"]))
    run = import_catalogue(path)
    login_as("admin")
    html = client.get(f"/catalogo/importaciones/{run.id}").get_data(as_text=True)
    assert '<span id="import-count">0</span> / <span id="import-total">14</span>' in html
    assert "Línea 1: faltan columnas obligatorias en el encabezado: C_TIPO." in html
