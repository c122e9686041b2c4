from app import create_app
from app.auth.models import User
from config import Config


def test_real_configurations_hash_passwords_with_scrypt(tmp_path):
    class _Config(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'x.sqlite3'}"

    app = create_app(_Config)
    with app.app_context():
        user = User(email="a@b.mx", name="A", role="docente")
        user.set_password("una contraseña larga")
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("una contraseña larga")
        assert not user.check_password("otra")


def test_postgresql_urls_use_psycopg3(tmp_path):
    class _Config(Config):
        SQLALCHEMY_DATABASE_URI = "postgresql://127.0.0.1:5432/test"

    app = create_app(_Config)
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_a_postgresql_pool_keeps_the_configured_connections():
    """A gevent worker runs many events at once: its pool is sized by DATABASE_POOL_SIZE and
    DATABASE_MAX_OVERFLOW (no connection is opened here)."""
    from app.extensions import db

    class _Config(Config):
        SQLALCHEMY_DATABASE_URI = "postgresql://127.0.0.1:5432/test"
        DATABASE_POOL_SIZE = 17
        DATABASE_MAX_OVERFLOW = 3

    app = create_app(_Config)
    with app.app_context():
        assert db.engine.pool.size() == 17
        assert db.engine.pool._max_overflow == 3  # noqa: SLF001 - no public reader


def test_a_connection_idle_a_while_is_pinged_and_one_just_used_is_not(monkeypatch):
    """The pool pings a connection before handing it out only when it sat idle (a database restart
    is noticed there, and the dead connection replaced without an error); one handed back a moment
    ago is reused at once (a ping per checkout was a round trip of every live event)."""
    import time

    import psycopg
    from sqlalchemy import text

    from app.extensions import db
    from tests.conftest import require
    from tests.test_migrations import PG_URL

    try:
        psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=2).close()
        up = True
    except psycopg.OperationalError:
        up = False
    require(up, f"PostgreSQL not reachable at {PG_URL}")

    class _Config(Config):
        SQLALCHEMY_DATABASE_URI = PG_URL
        DATABASE_PING_IDLE_SECONDS = 0.3

    app = create_app(_Config)
    with app.app_context():
        engine = db.engine
        pings = []
        real_ping = engine.dialect.do_ping
        monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))
        pid_of = text("SELECT pg_backend_pid()")
        with engine.connect() as conn:  # a new connection: pinged
            first = conn.execute(pid_of).scalar()
        assert len(pings) == 1
        with engine.connect() as conn:  # just handed back: not pinged
            assert conn.execute(pid_of).scalar() == first
        assert len(pings) == 1
        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (first,))
        time.sleep(0.4)
        with engine.connect() as conn:  # idle: pinged, found dead, replaced, no error
            assert conn.execute(pid_of).scalar() != first
        assert len(pings) >= 2
        engine.dispose()


# --- every setting declared in config.py -------------------------------------------------------


def _keys_the_code_reads() -> set[str]:
    """Every config key read by the application's code: config["X"], config.get("X"), …config["X"]."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""config(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
    keys: set[str] = set()
    for folder in ("app", "realtime", "network"):
        for path in (root / folder).rglob("*.py"):
            keys.update(pattern.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_setting_the_code_reads_is_declared_with_its_default():
    from flask import Flask

    flask_defaults = set(Flask.default_config)
    found = _keys_the_code_reads()
    assert {"LOGIN_IP_MAX_FAILURES", "SOCKETIO_MAX_MESSAGE_BYTES", "PUBLIC_BASE_URL"} <= found
    undeclared = sorted(k for k in found if not hasattr(Config, k) and k not in flask_defaults)
    assert undeclared == [], f"settings read but not declared in config.py: {undeclared}"


def _application_sources():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for folder in ("app", "realtime", "network"):
        for path in sorted((root / folder).rglob("*.py")):
            yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")


def test_settings_are_read_with_their_declared_default_not_an_inline_one():
    """config.get("X", default) hides a second default from config.py and the README."""
    import re

    pattern = re.compile(r"""config\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""")
    inline = sorted(
        f"{name}: {key}" for name, text in _application_sources() for key in pattern.findall(text)
    )
    assert inline == [], f"read config[...] instead: {inline}"


# Command-line parameters, not settings of the application: the development server's address and
# the demo seed's password (a click option's envvar, read when the command runs).
ENVIRONMENT_READ_OUTSIDE_CONFIG = {
    "app/__main__.py": {"HOST", "PORT"},
    "app/demo/services.py": {"DEMO_PASSWORD"},
}


def test_only_config_py_reads_the_environment():
    import re

    pattern = re.compile(r"""(?:environ(?:\.get\(|\[)|getenv\()\s*["']([A-Z][A-Z0-9_]+)["']""")
    reads = {name: set(pattern.findall(text)) for name, text in _application_sources()}
    reads = {name: keys for name, keys in reads.items() if keys}
    assert reads == ENVIRONMENT_READ_OUTSIDE_CONFIG


def test_every_declared_setting_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    import config

    source = Path(config.__file__).read_text(encoding="utf-8")
    import re

    variables = set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    variables |= set(re.findall(r"""_bool\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    variables -= {"TEST_DATABASE_URL"}  # the test suite's, documented with scripts/test
    missing = sorted(v for v in variables if f"`{v}`" not in readme)
    assert missing == [], f"environment variables missing from README.md: {missing}"
