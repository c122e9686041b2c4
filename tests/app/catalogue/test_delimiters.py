"""The catalogue's delimiter is detected: a comma, semicolon or tab file imports the same schools and
zones (service, CLI and upload page), and a header that is not the catalogue's is refused by line."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import delete, select

from app.catalogue.importer import import_catalogue, missing_columns, wait_for_import
from app.catalogue.models import ImportRun, School, Zone
from app.catalogue.reading import detect_delimiter
from app.extensions import db as _db
from tests.app.catalogue.catalogue_rows import HEADER, render, sample_rows, school

DELIMITERS = [pytest.param(";", id="semicolon"), pytest.param("\t", id="tab")]


def rows() -> list[dict]:
    """The sample rows plus a school whose fields hold the other delimiters."""
    return sample_rows() + [
        school(
            "22DPR0009M",
            "ESCUELA; PRIMARIA, «BENITO JUÁREZ»",
            supervision="22FIZ0005Z",
            INMUEBLE_C_VIALIDAD_PRINCIPAL="AV. 5 DE MAYO, ESQ. HIDALGO; CENTRO\tNORTE",
        )
    ]


def snapshot() -> tuple[list, list]:
    """Every stored school and zone, by CCT, with the catalogue's columns and the school's zone."""
    _db.session.expire_all()
    schools = _db.session.execute(
        select(
            School.cct,
            School.name,
            School.level,
            School.service,
            School.shift,
            School.municipality,
            School.locality,
            School.address,
            School.postal_code,
            School.lat,
            School.lon,
            School.is_public,
            School.control,
            School.supervision_cct,
            Zone.cct,
        )
        .outerjoin(Zone, School.zone_id == Zone.id)
        .order_by(School.cct)
    ).all()
    zones = _db.session.execute(
        select(Zone.cct, Zone.number, Zone.name, Zone.level, Zone.service, Zone.municipality).order_by(
            Zone.cct
        )
    ).all()
    return [tuple(r) for r in schools], [tuple(r) for r in zones]


def clear() -> None:
    _db.session.execute(delete(School))
    _db.session.execute(delete(Zone))
    _db.session.execute(delete(ImportRun))
    _db.session.commit()


@pytest.fixture
def comma_snapshot(db, tmp_path):
    """What the comma-separated file imports (then the tables are emptied again)."""
    path = tmp_path / "comas.csv"
    path.write_bytes(render(rows()))
    run = import_catalogue(path)
    assert run.status == "terminada", run.message
    assert (run.schools_created, run.zones_created) == (9, 3)
    expected = snapshot()
    assert "AV. 5 DE MAYO, ESQ. HIDALGO; CENTRO\tNORTE 12, CENTRO" in [s[7] for s in expected[0]]
    clear()
    return expected


@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_service_imports_the_same_schools_and_zones(comma_snapshot, tmp_path, delimiter):
    path = tmp_path / "catalogo.csv"
    path.write_bytes(render(rows(), delimiter=delimiter))
    run = import_catalogue(path)
    assert run.status == "terminada", run.message
    assert (run.schools_created, run.zones_created, run.skipped_rows, run.bad_rows) == (9, 3, 3, 0)
    assert run.processed_rows == run.total_rows == 15
    assert snapshot() == comma_snapshot


@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_cli_imports_the_same_schools_and_zones(app, comma_snapshot, tmp_path, delimiter):
    path = tmp_path / "catalogo.csv"
    path.write_bytes(render(rows(), delimiter=delimiter))
    result = app.test_cli_runner().invoke(args=["schools", "import", "--strict", str(path)])
    assert result.exit_code == 0, result.output
    assert "Escuelas: 9 nuevas, 0 actualizadas" in result.output
    assert "Zonas: 3 nuevas" in result.output
    assert snapshot() == comma_snapshot


@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_upload_imports_the_same_schools_and_zones(client, login_as, comma_snapshot, delimiter):
    login_as("admin")
    data = render(rows(), delimiter=delimiter)
    response = client.post(
        "/catalogo/importar",
        data={"file": (io.BytesIO(data), "catalogo.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    wait_for_import(run_id, timeout=60)
    status = client.get(f"/catalogo/importaciones/{run_id}.json").get_json()
    assert status["status"] == "terminada", status
    assert (status["schools_created"], status["zones_created"]) == (9, 3)
    assert snapshot() == comma_snapshot


def test_a_semicolon_header_lacking_one_column_names_only_that_one(app, client, login_as, db, tmp_path):
    header = [h for h in HEADER if h != "SUPERVISION_CV_CCT"]
    path = tmp_path / "sin_supervision.csv"
    path.write_bytes(render(sample_rows(), header=header, delimiter=";"))
    assert missing_columns(path) == ["SUPERVISION_CV_CCT"]
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 1
    assert "Línea 1" in result.output and "SUPERVISION_CV_CCT" in result.output
    assert "C_NOMBRE" not in result.output
    login_as("admin")
    response = client.post(
        "/catalogo/importar",
        data={"file": (io.BytesIO(path.read_bytes()), "catalogo.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Línea 1" in html and "faltan las columnas: SUPERVISION_CV_CCT." in html


def test_a_header_that_is_not_the_catalogue_is_refused_by_line(app, client, login_as, db, tmp_path):
    path = tmp_path / "otro.csv"
    path.write_bytes("clave|nombre|tipo\r\n22DPR0001A|BENITO JUÁREZ|ESCUELA\r\n".encode())
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 1
    assert "rechazada" in result.output
    assert (
        "Línea 1: faltan columnas obligatorias en el encabezado: CV_CCT, C_NOMBRE, C_TIPO, " in result.output
    )
    assert "comas, punto y coma o tabuladores" in result.output
    run = _db.session.scalars(select(ImportRun)).one()
    assert run.status == "rechazada" and run.message.startswith("Línea 1: ")
    login_as("admin")
    response = client.post(
        "/catalogo/importar",
        data={"file": (io.BytesIO(path.read_bytes()), "otro.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Línea 1: el archivo no tiene el encabezado del Catálogo de Centros de Trabajo" in html
    assert "comas, punto y coma o tabuladores" in html


@pytest.mark.parametrize(
    "sample, expected",
    [
        (",".join(HEADER) + "\r\n", ","),
        (";".join(HEADER) + "\r\n", ";"),
        ("\t".join(HEADER) + "\r\n", "\t"),
        ('"CV_CCT";"C_NOMBRE";"C_TIPO"\r\n"22DPR0001A";"A, B, C, D";"ESCUELA"\r\n', ";"),
        ("CV_CCT;C_NOMBRE\r\n22DPR0001A;UNO, DOS, TRES, CUATRO\r\n", ";"),
        # no catalogue column in the header: csv.Sniffer decides among the three
        ("a;b;c\r\n1;2,5;3\r\n4;5;6\r\n", ";"),
        ("a\tb\tc\r\n1\t2\t3\r\n", "\t"),
        ("hola\r\nmundo\r\n", ","),
        ("a|b|c\r\n1|2|3\r\n", ","),
        ("", ","),
    ],
)
def test_detect_delimiter(sample, expected):
    assert detect_delimiter(sample) == expected


def test_the_upload_form_says_which_delimiters_it_reads(client, login_as):
    login_as("admin")
    html = client.get("/catalogo/importar").get_data(as_text=True)
    assert "separado por comas, punto y coma o tabuladores" in html
