"""Login sessions that end when they should: logout, a password change or reset, a disabled
account and "Cerrar todas las sesiones" end every session of the person, on every device.

Flask-Login keeps in the session cookie, and in the remember-me cookie, whatever ``User.get_id``
returns. That is ``"<id>:<session token>"``, not the bare id (Flask-Login's "alternative tokens"):
``load_user`` accepts a cookie only while its token is still the account's. Giving the account a
new token (``end_sessions``) therefore turns every copy of its cookies, stolen or not, into an
anonymous visitor; with the bare id a copied cookie outlived logout and password resets.

Live rooms re-read the cookie on every event, so they refuse a stale token too; ``end_sessions``
also tells realtime (``signals.sessions_ended``) to close the person's open connections.
"""

from __future__ import annotations

import copy
import hmac
import time

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user

from app import signals
from app.auth.models import User, new_session_token
from app.extensions import db
from app.validation import parse_id

# The ``reason`` of the live room's ``session_ended`` event, by what ended the sessions.
LOGGED_OUT = "sesion_cerrada"
ALL_CLOSED = "sesiones_cerradas"
PASSWORD_CHANGED = "contrasena_cambiada"
DEACTIVATED = "cuenta_desactivada"


def load_user(cookie_id: str) -> User | None:
    """Flask-Login's user loader: the active account whose current token the cookie carries.

    A cookie of the old form (a bare id), a token replaced since, or a disabled account give None:
    Flask-Login then treats the request as anonymous and drops the id from the session.
    """
    number, token = cookie_parts(cookie_id)
    if number is None:
        return None
    user = db.session.get(User, number)
    return user if accepts(user, token) else None


def cookie_parts(cookie_id: str) -> tuple[int | None, str]:
    """The account id and the token a session cookie's ``_user_id`` carries (None: not of this form)."""
    user_id, sep, token = (cookie_id or "").partition(":")
    number = parse_id(user_id) if sep and token else None  # None also out of PostgreSQL's range
    return number, token


def accepts(user: User | None, token: str) -> bool:
    """Whether ``user`` is an active account whose current session token is ``token``."""
    if user is None or not user.is_active or not user.session_token:
        return False
    # Constant time: how much of a guessed token matched must not show in the answer's timing.
    return hmac.compare_digest(user.session_token.encode(), token.encode())


def end_sessions(user: User, *, reason: str) -> None:
    """Give ``user`` a new session token: every session and remember-me cookie issued so far stops
    working, and their open live connections close once this is committed (realtime)."""
    user.session_token = new_session_token()
    db.session.flush()
    signals.sessions_ended.send(user, reason=reason)


def stay_logged_in(user: User) -> None:
    """Log this browser in again under the account's new token, after ``end_sessions``.

    A browser that had asked to be remembered gets a new remember-me cookie (the old one names the
    old token); otherwise only the session cookie is renewed.
    """
    login_user(user, remember=current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, read once per WSGI environ.

    Flask-SocketIO pushes a request context, which opens the session, for every event of a live
    connection, always with the handshake's environ: its cookie cannot change for the connection's
    life, yet checking its signature and decoding it was ~4 % of a join storm's work. The session
    read from an environ is kept in it, and every later opening gets a copy (an event's change does
    not reach the next one, as before). An HTTP request has an environ of its own: it reads its
    cookie as always. A kept reading is trusted for ``KEEP_SECONDS``, so a session's lifetime
    still ends it on a connection left open."""

    KEPT = "aee.session"
    KEEP_SECONDS = 60.0  # then read again: a session past its lifetime ends as it did

    def open_session(self, app, request):
        kept = request.environ.get(self.KEPT)
        now = time.monotonic()
        if kept is None or now - kept[0] > self.KEEP_SECONDS:
            session = super().open_session(app, request)
            if session is None:  # no secret key: Flask's null session
                return None
            request.environ[self.KEPT] = kept = (now, copy.deepcopy(dict(session)))
        return self.session_class(copy.deepcopy(kept[1]))
