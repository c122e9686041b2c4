"""Flask extensions, created unbound and initialised in ``create_app``."""

from __future__ import annotations

import flask_socketio
from flask_babel import Babel
from flask_compress import Compress
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class SocketIO(flask_socketio.SocketIO):
    """Flask-SocketIO whose Redis message queue never holds back a request (app.message_queue)."""

    def init_app(self, app, **kwargs):
        # A manager left by an app built earlier in this process (the tests build several) is not
        # this app's: without a queue of its own, it gets Flask-SocketIO's in-process default.
        self.server_options.pop("client_manager", None)
        self.server_options.pop("channel", None)
        url = kwargs.get("message_queue") or ""
        if app is not None and url.startswith(("redis://", "rediss://")) and "client_manager" not in kwargs:
            from app.message_queue import BoundedRedisManager
            from app.socket_closing import closing

            # closing(): a person's ended session closes their connections on every process
            kwargs["client_manager"] = closing(BoundedRedisManager)(
                url,
                channel=kwargs.pop("channel", None) or "flask-socketio",
                publish_timeout=app.config["SOCKETIO_PUBLISH_TIMEOUT"],
            )
        super().init_app(app, **kwargs)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# gzip/brotli/zstd for pages, CSS, JS, JSON and SVG (issue 13: pages light enough for 3G); see config.
compress = Compress()
socketio = SocketIO()
