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

import hmac

from flask import current_app, request
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
    user_id, sep, token = (cookie_id or "").partition(":")
    number = parse_id(user_id) if sep and token else None  # None also out of PostgreSQL's range
    if number is None:
        return None
    user = db.session.get(User, number)
    if user is None or not user.is_active or not user.session_token:
        return None
    # Constant time: how much of a guessed token matched must not show in the answer's timing.
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


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
