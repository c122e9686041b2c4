"""Configuration classes, read from the environment with safe defaults.

``create_app(config_class)`` takes one of these. Everything that differs between a laptop, the test
suite and a production deployment (database, message queue, secret key) is an environment variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("AEE_INSTANCE_DIR", BASE_DIR / "instance"))
DEV_SECRET_KEY = "dev-only-insecure-key"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "si", "sí"}


class Config:
    """Development defaults: embedded SQLite, no message queue, in-process everything."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'aprendizaje.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # A pooled connection idle longer than this is pinged before use (a restarted database is
    # noticed then); one used within it is not (a ping per checkout was a round trip and a tenth
    # of a contribution's work). An event that still meets a dropped one is retried.
    DATABASE_PING_IDLE_SECONDS = float(os.environ.get("DATABASE_PING_IDLE_SECONDS", 1.0))
    # PostgreSQL connections each process keeps open, and how many more it may open for a moment
    # (SQLAlchemy's defaults, 5 and 10, made a join storm open and close connections all the time:
    # connect + join of 1,000 took 6.8 s with them, 5.2 s with 30 kept). Processes × (both) must fit
    # PostgreSQL's max_connections (100 by default), or go through PgBouncer.
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", 20))
    DATABASE_MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW", 10))
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # The Redis pub/sub channel of this installation's live rooms. Redis's pub/sub ignores database
    # numbers, so two installations sharing one Redis need different channels; by default it is
    # derived from the database URL (see app.socketio_channel).
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL") or None
    # Seconds one publish to Redis may take (connect, then reply) before the event is dropped. An
    # acknowledgement never waits for it: events are published after the commit by a background
    # publisher (app.message_queue); a dropped event is recovered by the clients' version check.
    SOCKETIO_PUBLISH_TIMEOUT = float(os.environ.get("SOCKETIO_PUBLISH_TIMEOUT", 0.5))
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE") or None  # default: see app._async_mode
    # Other sites whose pages may open the live rooms' Socket.IO connection (comma-separated);
    # none by default: Socket.IO then accepts same-origin connections only.
    SOCKETIO_ALLOWED_ORIGINS = [
        o.strip() for o in os.environ.get("SOCKETIO_ALLOWED_ORIGINS", "").split(",") if o.strip()
    ] or None
    SOCKETIO_MAX_MESSAGE_BYTES = int(os.environ.get("SOCKETIO_MAX_MESSAGE_BYTES", 64 * 1024))
    # A participant may edit their own contribution for this many minutes after writing it.
    CONTRIBUTION_EDIT_MINUTES = int(os.environ.get("CONTRIBUTION_EDIT_MINUTES", 5))
    # Redis for what every process must share (rate limits, background jobs); none: this process.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "aee-limits")
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (werkzeug's
    # ProxyFix trusts that many). 0: the connection's own address is the client's.
    PROXY_FIX = int(os.environ.get("PROXY_FIX", 0))
    # The platform's address for links made outside a request (e-mails from `flask logbook notify`),
    # e.g. https://aprendizaje.example.org; inside a request the request's own address is used.
    PUBLIC_BASE_URL = (os.environ.get("PUBLIC_BASE_URL") or "").rstrip("/") or None
    # Live rooms: a school's deck, built for the snapshot a person gets on joining, is reused for this
    # many seconds (a changed presentation is rebuilt at once; an edited problem within this time).
    LIVE_DECK_CACHE_SECONDS = float(os.environ.get("LIVE_DECK_CACHE_SECONDS", 30))
    # How long a turn to speak lasts in the live room (a countdown everyone sees; 0:00 is a reminder,
    # the facilitator ends the turn).
    LIVE_FLOOR_SECONDS = int(os.environ.get("LIVE_FLOOR_SECONDS", 180))
    # Live rooms' limits (realtime/ratelimit.py), checked before any database work and shared by
    # every process through REDIS_URL: events per second and burst per connection, per person (all
    # their connections together) and per room (what writes it: not join, snapshot or older pages).
    LIVE_EVENTS_PER_SECOND = float(os.environ.get("LIVE_EVENTS_PER_SECOND", 10))
    LIVE_EVENTS_BURST = float(os.environ.get("LIVE_EVENTS_BURST", 20))
    LIVE_PERSON_EVENTS_PER_SECOND = float(os.environ.get("LIVE_PERSON_EVENTS_PER_SECOND", 10))
    LIVE_PERSON_EVENTS_BURST = float(os.environ.get("LIVE_PERSON_EVENTS_BURST", 30))
    LIVE_ROOM_EVENTS_PER_SECOND = float(os.environ.get("LIVE_ROOM_EVENTS_PER_SECOND", 40))
    LIVE_ROOM_EVENTS_BURST = float(os.environ.get("LIVE_ROOM_EVENTS_BURST", 120))
    # A connection with more than this many events refused within 10 seconds is closed (a flood).
    LIVE_MAX_REFUSED_EVENTS = int(os.environ.get("LIVE_MAX_REFUSED_EVENTS", 100))
    # Open live connections one person may have at once (tabs, devices); more are refused.
    LIVE_MAX_CONNECTIONS_PER_PERSON = int(os.environ.get("LIVE_MAX_CONNECTIONS_PER_PERSON", 5))
    # Contributions one person may add in one group's live session; 0: no limit.
    LIVE_CONTRIBUTIONS_PER_PERSON = int(os.environ.get("LIVE_CONTRIBUTIONS_PER_PERSON", 60))
    # A room's events closer together than this (seconds) leave as one ``events`` message at the end
    # of the window (realtime/publish.py); the first event after a quiet moment leaves at once. 0: off.
    LIVE_BATCH_SECONDS = float(os.environ.get("LIVE_BATCH_SECONDS", 0.05))
    # The room's hot events read the person and the group as the process keeps them, unbound from
    # the database session (realtime.namespaces.live_event). If a path reads more than is kept, the
    # event runs again bound, with a warning; True (the tests) makes it fail, so the path is found.
    LIVE_STRICT_DETACHED = os.environ.get("LIVE_STRICT_DETACHED", "0") == "1"
    # Contributions in a snapshot (the latest); older ones are fetched page by page of this size.
    LIVE_SNAPSHOT_CONTRIBUTIONS = int(os.environ.get("LIVE_SNAPSHOT_CONTRIBUTIONS", 50))
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 60 * 1024 * 1024))
    MAX_EVIDENCE_BYTES = int(os.environ.get("MAX_EVIDENCE_BYTES", 10 * 1024 * 1024))
    MAX_PRESENTATION_BYTES = int(os.environ.get("MAX_PRESENTATION_BYTES", 20 * 1024 * 1024))
    MAX_PRESENTATION_PAGES = int(os.environ.get("MAX_PRESENTATION_PAGES", 40))
    BABEL_DEFAULT_LOCALE = "es_MX"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TZ_DISPLAY", "America/Mexico_City")
    LANGUAGES = {"es_MX": "Español", "en": "English"}
    WTF_CSRF_ENABLED = True  # Flask-WTF's default, declared here because the API reads it too
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # "Mantener la sesión abierta": 30 days, not Flask-Login's default of a year (issue 16, finding 3).
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", 30)))
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_NAME = "remember_token"  # Flask-Login's default; app.auth.sessions renews it
    # Compressed responses (Flask-Compress): brotli, zstd or gzip, as the browser accepts, for every
    # text type plus pdf.js's WebAssembly; nothing under 500 bytes. Static files are compressed as
    # they stream; browsers keep them a year (app.static_files), so that is once per file and device.
    COMPRESS_ALGORITHM = ["br", "zstd", "gzip", "deflate"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "zstd", "deflate"]  # what a streamed static file may get
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "text/calendar",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "application/wasm",
        "image/svg+xml",
        "image/x-icon",
        "image/vnd.microsoft.icon",
    ]
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    INVITATION_TTL = timedelta(days=int(os.environ.get("INVITATION_TTL_DAYS", 7)))
    PASSWORD_RESET_TTL = timedelta(hours=int(os.environ.get("PASSWORD_RESET_TTL_HOURS", 48)))
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
    LOGIN_LOCKOUT = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15)))
    # Failed logins for one account from one address within the window (django-axes' and OWASP's
    # tight limit: a colleague behind the same proxy still logs in); 0 turns the limit off.
    LOGIN_IP_ACCOUNT_MAX_FAILURES = int(os.environ.get("LOGIN_IP_ACCOUNT_MAX_FAILURES", 5))
    # Failed logins from one address, any accounts, within the window: loose, it only catches one
    # address trying many accounts (credential stuffing); 0 turns the limit off.
    LOGIN_IP_MAX_FAILURES = int(os.environ.get("LOGIN_IP_MAX_FAILURES", 100))
    LOGIN_IP_WINDOW = timedelta(minutes=int(os.environ.get("LOGIN_IP_WINDOW_MINUTES", 15)))
    PASSWORD_HASH_METHOD = "scrypt"
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-responder@aprendizaje-entre-escuelas.local")
    API_PAGE_SIZE = 50
    API_MAX_PAGE_SIZE = 200
    TESTING = False


class TestConfig(Config):
    """The test suite: its own database (SQLite file by default, PostgreSQL via TEST_DATABASE_URL)."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Forms are tested without the token; tests/app/test_security.py turns it back on to prove
    # that a form without it is refused.
    WTF_CSRF_ENABLED = False
    # Cheap hashing for the thousands of users tests create; real configurations use scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    SOCKETIO_MESSAGE_QUEUE = None
    MAIL_SERVER = None
    SERVER_NAME = None
    # The tests build many apps, each with its engine: few connections kept by each.
    DATABASE_POOL_SIZE = 5
    # The in-process test client reads what an emit sent right after it: events leave at once here
    # (the browser tests and the real servers the tests start batch them, as in production).
    LIVE_BATCH_SECONDS = 0.0
    LIVE_STRICT_DETACHED = True


class ProductionConfig(Config):
    """Production: refuses to start without a real secret key; secure cookies."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    def __init__(self) -> None:
        key = os.environ.get("SECRET_KEY", "")
        if len(key) < 32 or key == DEV_SECRET_KEY:
            raise RuntimeError("ProductionConfig necesita SECRET_KEY en el entorno (32 caracteres o más).")
        self.SECRET_KEY = key


CONFIGS = {"development": Config, "testing": TestConfig, "production": ProductionConfig}


def config_from_env() -> type[Config] | Config:
    """Choose the configuration named by AEE_CONFIG (development, testing, production)."""
    name = os.environ.get("AEE_CONFIG", "development")
    cls = CONFIGS.get(name, Config)
    return cls() if cls is ProductionConfig else cls
