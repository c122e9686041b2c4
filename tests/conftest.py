"""Shared fixtures: app, db (isolated per test), client, login_as(role), factories.

The schema is created once per run; after each test every table is emptied, which keeps tests
isolated on SQLite and PostgreSQL alike (and works for tests that run a real server in a thread).
Set TEST_DATABASE_URL=postgresql://127.0.0.1/test to run the suite on PostgreSQL.
With CI=true, tests that need PostgreSQL, Redis or the browser fail instead of skipping.
"""

from __future__ import annotations

import os

import pytest
from flask import g
from sqlalchemy import text

from app import create_app
from app.extensions import db as _db
from app.practices.search import install_search
from config import TestConfig
from tests import factories

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip a test whose outside component is missing, except in CI, where that is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    """A running Redis (TEST_REDIS_URL), or a skip outside CI and a failure in it."""
    import redis

    try:
        up = bool(redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        up = False
    require(up, f"Redis no responde en {TEST_REDIS_URL}")
    return TEST_REDIS_URL


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    class _Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        UPLOAD_FOLDER = str(tmp_path_factory.mktemp("uploads"))

    application = create_app(_Config)
    with application.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        _db.create_all()
        with _db.engine.begin() as conn:
            install_search(conn)
    yield application
    # Close the pool's connections now: left to the garbage collector at exit, an open psycopg
    # connection warns (ResourceWarning), which filterwarnings=error turns into a failed run.
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _empty_all_tables() -> None:
    _db.session.remove()
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
            conn.execute(text("INSERT INTO practices_fts(practices_fts) VALUES ('delete-all')"))


@pytest.fixture
def db(app):
    """The database, empty at the start of the test and emptied again after it."""
    # Tests that build another app (create_app) re-initialise the global SocketIO object with a new
    # server; point it back at the server this app serves, or live rooms would look up their
    # connections on the wrong one.
    from app.extensions import socketio

    socketio.server = app.wsgi_app.engineio_app
    from app.live.services import clear_deck_cache

    clear_deck_cache()  # the tables are emptied, so ids come back: decks kept under them are not theirs
    from app.live import state_store

    state_store.reset(app)  # and so are the rooms' ephemeral states kept in the process
    from realtime import access

    access.reset(app)  # and the people and groups each connection's checks keep
    from app import ratelimits

    with app.app_context():
        ratelimits.limits().reset()  # in memory: a test's failed logins must not count in the next
    with app.app_context():
        yield _db
        _db.session.rollback()
        _empty_all_tables()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def login_as(client, db):
    """login_as('director') creates a user of that role (with school or zone) and logs the client in.

    Pass an existing user to log in as them: login_as(user).
    """

    def _login(role_or_user="docente", **kw):
        user = (
            role_or_user if not isinstance(role_or_user, str) else factories.create_user(role_or_user, **kw)
        )
        with client.session_transaction() as sess:
            factories.log_in(sess, user)
        # Requests share the test's app context, hence its `g`, where Flask-Login caches the user
        # of the previous request: drop it so the next request loads this one.
        g.pop("_login_user", None)
        return user

    return _login


@pytest.fixture
def create_zone(db):
    return factories.create_zone


@pytest.fixture
def create_school(db):
    return factories.create_school


@pytest.fixture
def create_user(db):
    return factories.create_user


@pytest.fixture
def create_problem(db):
    return factories.create_problem


@pytest.fixture
def create_practice(db):
    return factories.create_practice
