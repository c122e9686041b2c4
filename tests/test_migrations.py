"""The Alembic migrations build the same schema as the models, on a fresh SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.conftest import require

PG_URL = os.environ.get("TEST_PG_URL", "postgresql://127.0.0.1:5432/test")
# What the models do not declare: the FTS5 index and its shadow tables; the PostgreSQL GIN index.
NOT_IN_MODELS = ("practices_fts",)
SEARCH_INDEX = "ix_practices_search_tsv"


def _app_for(url: str):
    class _Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(_Config)


def _differences(application) -> list:
    with application.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, type_, _p: (
                        not (type_ == "table" and name and name.startswith(NOT_IN_MODELS))
                        and name not in ("alembic_version", SEARCH_INDEX, "search_vector")
                    ),
                },
            )
            return compare_metadata(context, db.metadata)


def _check_fresh_upgrade(application) -> None:
    with application.app_context():
        upgrade()
    assert _differences(application) == []
    with application.app_context():
        names = sa.inspect(db.engine).get_table_names()
        assert {"users", "zones", "schools", "problems", "practices"} <= set(names)
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_migrations_on_fresh_sqlite(tmp_path):
    _check_fresh_upgrade(_app_for(f"sqlite:///{tmp_path / 'fresh.sqlite3'}"))


@pytest.mark.postgres
def test_migrations_on_fresh_postgresql():
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        require(False, f"PostgreSQL not reachable at {PG_URL}")
        return
    name = f"aee_migrations_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    application = _app_for(url)
    try:
        _check_fresh_upgrade(application)
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_postgresql_search_statements_are_the_apps():
    """On PostgreSQL the migration runs the very statements install_search runs."""
    import importlib.util
    from pathlib import Path

    from app.practices.search import POSTGRES_DDL

    path = next(Path(__file__).resolve().parent.parent.glob("migrations/versions/*practice_search_index.py"))
    spec = importlib.util.spec_from_file_location("search_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.POSTGRES_UP == POSTGRES_DDL


def test_migrated_search_index_is_the_one_the_app_installs(tmp_path):
    """The migration copies app/practices/search.py's DDL; the two must not drift apart."""
    from app.practices.search import install_search

    def search_schema(application):
        with application.app_context():
            rows = db.session.execute(
                sa.text(
                    "SELECT name, sql FROM sqlite_master WHERE name LIKE 'practices_fts%' "
                    "AND sql IS NOT NULL ORDER BY name"
                )
            ).all()
            db.session.remove()
            return [(name, " ".join(sql.replace("IF NOT EXISTS ", "").split())) for name, sql in rows]

    migrated = _app_for(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    with migrated.app_context():
        upgrade()
    installed = _app_for(f"sqlite:///{tmp_path / 'installed.sqlite3'}")
    with installed.app_context():
        db.create_all()
        with db.engine.begin() as conn:
            install_search(conn)
    assert search_schema(migrated) == search_schema(installed)
    assert len(search_schema(migrated)) >= 4


def test_category_words_are_added_to_recorded_practices_and_removed_on_downgrade(tmp_path):
    """The migration gives practices recorded before it their category words (found through the
    full-text index, as the library's category filter looks for them), and takes them back."""
    from app.practices.search import category_tag, fts5_match

    application = _app_for(f"sqlite:///{tmp_path / 'tags.sqlite3'}")
    with application.app_context():
        upgrade(revision="c0ffee000002")
        from app.practices.models import Practice
        from tests import factories

        school = factories.create_school()
        lectura, convivencia = (
            factories.get_category("lectura-escritura"),
            factories.get_category("convivencia"),
        )
        db.session.add_all(
            [
                Practice(
                    id=1,
                    school=school,
                    title="Lectura",
                    summary="En voz alta",
                    visibility="todos",
                    search_text="lectura en voz alta",
                    categories=[lectura, convivencia],
                ),
                Practice(
                    id=2,
                    school=school,
                    title="Huerto",
                    summary="Plantas",
                    visibility="todos",
                    search_text="huerto plantas",
                ),
            ]
        )
        db.session.commit()
        upgrade()
        texts = dict(db.session.execute(sa.text("SELECT id, search_text FROM practices")).all())
        assert texts[1].split() == [
            "lectura",
            "en",
            "voz",
            "alta",
            category_tag("convivencia"),
            category_tag("lectura-escritura"),
        ]
        assert texts[2] == "huerto plantas"
        found = (
            db.session.execute(
                sa.text("SELECT rowid FROM practices_fts WHERE practices_fts MATCH :m"),
                {"m": fts5_match(["voz"], (category_tag("convivencia"),))},
            )
            .scalars()
            .all()
        )
        assert found == [1]
        db.session.commit()
        downgrade(revision="c0ffee000002")
        texts = dict(db.session.execute(sa.text("SELECT id, search_text FROM practices")).all())
        assert texts == {1: "lectura en voz alta", 2: "huerto plantas"}
        db.session.remove()
