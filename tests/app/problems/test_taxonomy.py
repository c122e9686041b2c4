"""The taxonomy CSV, its synchronisation into categories, and the CLI command."""

from __future__ import annotations

from app.problems.models import Category
from app.problems.taxonomy import categories_for_level, load_taxonomy, sync_categories


def test_load_taxonomy_reads_the_real_file():
    rows = load_taxonomy()
    assert len(rows) == 23
    assert sum(r["facet"] == "ambito" for r in rows) == 8
    first = rows[0]
    assert first["code"] == "amb-aprovechamiento"
    assert first["name"] == "Aprovechamiento académico y asistencia de los alumnos"
    assert first["levels"] == ["inicial", "preescolar", "primaria", "secundaria"]
    integral = next(r for r in rows if r["code"] == "desarrollo-integral")
    assert integral["levels"] == ["inicial", "preescolar"]


def test_load_taxonomy_refuses_an_unknown_facet(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "codigo,faceta,nombre,descripcion,niveles,fuente\nx,tema,X,,primaria,\n", encoding="utf-8"
    )
    try:
        load_taxonomy(path)
    except ValueError as exc:
        assert "faceta" in str(exc)
    else:
        raise AssertionError("an unknown facet must be refused")


def test_sync_categories_is_idempotent_and_updates(db, tmp_path):
    assert sync_categories() == 23
    db.session.commit()
    assert sync_categories() == 0
    category = db.session.execute(db.select(Category).filter_by(code="convivencia")).scalar_one()
    category.name = "Nombre viejo"
    db.session.commit()
    assert sync_categories() == 1
    db.session.commit()
    assert category.name == "Convivencia escolar"
    assert db.session.execute(db.select(db.func.count(Category.id))).scalar_one() == 23


def test_categories_for_level(db, taxonomy):
    inicial = {c.code for c in categories_for_level("inicial")}
    assert "desarrollo-integral" in inicial and "pensamiento-matematico" not in inicial
    assert "amb-planes" not in inicial
    assert len(categories_for_level(None)) == 23


def test_cli_sync_taxonomy(app, db):
    result = app.test_cli_runner().invoke(args=["problems", "sync-taxonomy"])
    assert result.exit_code == 0, result.output
    assert "23" in result.output
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count(Category.id))).scalar_one() == 23
    again = app.test_cli_runner().invoke(args=["problems", "sync-taxonomy"])
    assert "Categorías creadas o actualizadas: 0" in again.output
