"""``flask schools import`` and ``flask schools import-enlace``."""

from __future__ import annotations

from sqlalchemy import func, select

from app.catalogue.models import School, Zone
from app.extensions import db as _db
from tests.app.catalogue.catalogue_rows import DATA, HEADER, render, sample_rows, school


def count(model) -> int:
    _db.session.expire_all()
    return _db.session.scalar(select(func.count()).select_from(model))


def test_import_prints_a_summary(app, db):
    result = app.test_cli_runner().invoke(args=["schools", "import", str(DATA / "catalogo_muestra.csv")])
    assert result.exit_code == 0, result.output
    assert "Escuelas: 8 nuevas, 0 actualizadas" in result.output
    assert "Zonas: 3 nuevas" in result.output
    assert count(School) == 8


def test_import_lists_bad_rows_and_still_imports_good_ones(app, db, tmp_path):
    path = tmp_path / "errores.csv"
    path.write_bytes(render([school("22DPR0001A"), school("22DPR01A", "MAL")]))
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 0
    assert "línea 3 22DPR01A: CCT no válida" in result.output
    assert count(School) == 1


def test_strict_import_fails_with_non_zero_exit_and_writes_nothing(app, db, tmp_path):
    path = tmp_path / "errores.csv"
    path.write_bytes(render(sample_rows() + [school("22DPR01A", "MAL")]))
    result = app.test_cli_runner().invoke(args=["schools", "import", "--strict", str(path)])
    assert result.exit_code == 1
    assert "rechazada" in result.output and "línea 16" in result.output
    assert count(School) == 0 and count(Zone) == 0


def test_missing_header_fails(app, db, tmp_path):
    path = tmp_path / "otro.csv"
    path.write_bytes(render([], header=[h for h in HEADER if h != "CV_CCT"]))
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 1 and "CV_CCT" in result.output


def test_import_enlace(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["schools", "import", str(DATA / "catalogo_muestra.csv")])
    result = runner.invoke(args=["schools", "import-enlace", str(DATA / "enlace_muestra.csv")])
    assert result.exit_code == 0, result.output
    assert "2 escuelas actualizadas" in result.output and "1 claves que no están" in result.output
    _db.session.expire_all()
    first = _db.session.execute(select(School).where(School.cct == "22DPR0001A")).scalar_one()
    assert first.enlace_math6 == 512.5


def test_import_enlace_wrong_file(app, db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["schools", "import-enlace", str(path)])
    assert result.exit_code == 1 and "clave" in result.output


def test_strict_import_counts_an_unknown_supervision_as_an_error(app, db, tmp_path):
    path = tmp_path / "zona.csv"
    path.write_bytes(render([school("22DPR0001A", supervision="22FZP0998X")]))
    result = app.test_cli_runner().invoke(args=["schools", "import", "--strict", str(path)])
    assert result.exit_code == 1
    assert "línea 2 22DPR0001A" in result.output and "22FZP0998X" in result.output
    assert "filas con errores: 1" in result.output
    assert count(School) == 0


def test_import_prints_the_rows_read_of_the_total(app, db, tmp_path):
    path = tmp_path / "otro.csv"
    path.write_bytes(render(sample_rows(), header=[h for h in HEADER if h != "C_TIPO"]))
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 1 and "Filas leídas: 0 de 14" in result.output
    result = app.test_cli_runner().invoke(args=["schools", "import", str(DATA / "catalogo_muestra.csv")])
    assert result.exit_code == 0 and "Filas leídas: 14 de 14" in result.output
