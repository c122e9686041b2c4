"""Aprendizaje entre Escuelas: the Flask application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_login import current_user

from app.extensions import babel, compress, csrf, db, login_manager, migrate, socketio
from config import Config, config_from_env

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def select_locale() -> str:
    """The user's chosen language, else the session's, else Spanish (es-MX)."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI, a background thread: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config_class: type[Config] | Config | None = None) -> Flask:
    """Build the application for the given configuration (default: from the environment)."""
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    app.config.from_object(config_class or config_from_env())
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        # psycopg 3 is the driver this project installs.
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # One gevent worker serves thousands of connections: its pool keeps enough PostgreSQL
        # connections open for the events running at once (opening one costs a few ms).
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": app.config["DATABASE_POOL_SIZE"],
            "max_overflow": app.config["DATABASE_MAX_OVERFLOW"],
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }

    register_compression(app)
    db.init_app(app)
    with app.app_context():
        _configure_sqlite(db.engine)
        _ping_idle_connections(db.engine, app.config["DATABASE_PING_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Inicia sesión para continuar.")
    login_manager.localize_callback = str  # flash the message in the reader's language
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    from realtime.packets import JsonPacket

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"] or _async_mode(),
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=socketio_channel(app.config),
        cors_allowed_origins=app.config["SOCKETIO_ALLOWED_ORIGINS"],
        manage_session=False,
        serializer=JsonPacket,  # JSON only, by orjson
    )
    if app.config["PROXY_FIX"]:
        # Outside the Socket.IO middleware, so that pages and live connections alike see the
        # client's address and scheme as the trusted proxies report them.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from app import ratelimits

    ratelimits.init_app(app)
    from app.live import state_store

    state_store.init_app(app)  # the live rooms' ephemeral state (in the process, or in Redis)
    import realtime.namespaces  # the live room's Socket.IO namespace (after init_app)

    realtime.namespaces.register(app)

    from app.auth.sessions import SessionInterface, load_user

    login_manager.user_loader(load_user)  # the cookie names the account and its session token
    app.session_interface = SessionInterface()  # a live connection's cookie is read once

    from app.validation import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: ids out of range are a 404
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    from app import static_files

    static_files.init_app(app)
    from app import drafts

    drafts.init_app(app)
    register_commit_boundary(app)
    register_security_headers(app)
    return app


def socketio_channel(config) -> str:
    """The pub/sub channel of this installation: SOCKETIO_CHANNEL, or one derived from its database.

    >>> socketio_channel({"SOCKETIO_CHANNEL": None, "SQLALCHEMY_DATABASE_URI": "sqlite:///a"})
    'aee-e8e3c6219420'
    >>> socketio_channel({"SOCKETIO_CHANNEL": "escuelas-qro", "SQLALCHEMY_DATABASE_URI": "sqlite:///a"})
    'escuelas-qro'
    """
    import hashlib

    if config["SOCKETIO_CHANNEL"]:
        return config["SOCKETIO_CHANNEL"]
    digest = hashlib.sha256(config["SQLALCHEMY_DATABASE_URI"].encode("utf-8")).hexdigest()
    return f"aee-{digest[:12]}"


def _async_mode() -> str:
    """gevent when its worker has patched the standard library (gunicorn -k gevent), else threads.

    Flask-SocketIO would pick gevent merely because it is installed, and then the Redis queue and
    the database drivers would block the whole process.
    """
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _configure_sqlite(engine) -> None:
    """Foreign keys on, and WAL so that readers do not wait for a writer."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        # A larger page cache and memory-mapped reads: full-text search touches many pages.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.close()


def _ping_idle_connections(engine, idle_seconds: float) -> None:
    """SQLAlchemy's pessimistic disconnect handling, for connections idle over ``idle_seconds``
    only: a failed ping raises ``DisconnectionError``, and the pool replaces the connection (up to
    three times) before handing it out. Under load connections come back within milliseconds and
    are handed out again unpinged; a database restarted in that moment fails one statement, which
    invalidates the pool (a live event is then retried, realtime.namespaces.live_event)."""
    import time

    from sqlalchemy import event, exc

    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_connection, record) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, _proxy) -> None:
        since = record.info.get("idle_since")
        if since is not None and time.monotonic() - since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError() from error


def register_blueprints(app: Flask) -> None:
    """Every area's blueprint, models and menu entries, from its own package (app.areas)."""
    from app import areas

    areas.register(app)


def register_commit_boundary(app: Flask) -> None:
    """Services flush; the request boundary commits once, or rolls back on error (see app.views)."""

    from app.views import has_writes

    @app.after_request
    def _commit_or_roll_back(response):
        # A success or a redirect keeps what the view did; an error response (a refused form, a
        # 403, the API's 4xx) keeps nothing. A failed commit raises here: Flask answers 500.
        if not has_writes():
            return response
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()


def register_compression(app: Flask) -> None:
    """Flask-Compress for every response (first registered, so its after_request runs last and
    compresses the final response).

    A streamed file (a static file from ``send_file``) is compressed by wrapping its iterable in a
    generator, which does not close the file; the response closes it instead (``call_on_close``).
    """
    compress.init_app(app)

    @app.after_request
    def _close_the_file_behind_the_stream(response):
        iterable = response.response
        if response.is_streamed and hasattr(iterable, "close"):
            response.call_on_close(iterable.close)
        return response


def register_security_headers(app: Flask) -> None:
    """Content-Security-Policy (scripts of our origin only, downloads sandboxed), no framing by other
    sites, no path of ours in links to other sites: see app.security_headers."""
    from app import security_headers

    security_headers.init_app(app)


def register_error_handlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app import areas, permissions
    from app.utils import utcnow

    @app.context_processor
    def inject():
        return {
            "perm": permissions,
            "menu_for": areas.menu_for,
            "languages": app.config["LANGUAGES"],
            "current_locale": select_locale() if request else app.config["BABEL_DEFAULT_LOCALE"],
            "now": utcnow(),
            "has_endpoint": lambda name: name in app.view_functions,
        }

    @app.template_filter("reject_page")
    def reject_page(args: dict) -> dict:
        return {k: v for k, v in args.items() if k != "page"}

    @app.template_filter("fecha")
    def fecha(value, fmt: str = "medium"):
        from flask_babel import format_datetime

        if value is None:
            return "—"
        from app.utils import as_utc

        return format_datetime(as_utc(value), fmt)
