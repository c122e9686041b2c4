"""Logging in: the same answer for an unknown e-mail, a wrong password and a locked account; the
per-account lockout and the per-address limits (app.ratelimits). The rules of a new password are in
app.auth.passwords.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from app import ratelimits
from app.auth.models import User
from app.extensions import db
from app.utils import utcnow

GENERIC_LOGIN_ERROR = _l(
    "Correo o contraseña incorrectos. Tras varios intentos fallidos la cuenta se bloquea unos minutos."
)


IP_LIMIT_ERROR = _l(
    "Demasiados intentos fallidos desde esta conexión. Espera unos minutos e intenta de nuevo."
)
ACCOUNT_IP_LIMIT_ERROR = _l(
    "Demasiados intentos fallidos con este correo desde esta conexión. Espera unos minutos e intenta "
    "de nuevo, o pide que restablezcan tu contraseña."
)


class AuthError(Exception):
    """A login that must be refused, with the message to show."""


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None
    rate_limited: bool = False


def _ip_rule():
    """The loose limit: LOGIN_IP_MAX_FAILURES failed logins from one address, whatever the accounts,
    within LOGIN_IP_WINDOW (0 turns it off). It catches credential stuffing: one address trying
    many accounts. It is loose because a school behind one proxy shares its address: the
    failures of many honest people must not reach it.

    The address must be the client's: behind a reverse proxy set PROXY_FIX, or every person would
    share the proxy's address and its counter. Counted in app.ratelimits, so every process shares
    the count when REDIS_URL is set.
    """
    config = current_app.config
    limit = config["LOGIN_IP_MAX_FAILURES"]
    return ratelimits.window(limit, config["LOGIN_IP_WINDOW"]) if limit else None


def _account_ip_rule():
    """The tight limit: LOGIN_IP_ACCOUNT_MAX_FAILURES failed logins for one e-mail from one address
    within LOGIN_IP_WINDOW (0 turns it off), as django-axes and OWASP count them: someone guessing
    one account's password waits, while a colleague behind the same proxy still logs in to theirs.

    It holds before the per-account lockout in the database (LOGIN_MAX_FAILURES, any address)
    when set lower, so a guesser at one address does not lock the person out everywhere.
    """
    config = current_app.config
    limit = config["LOGIN_IP_ACCOUNT_MAX_FAILURES"]
    return ratelimits.window(limit, config["LOGIN_IP_WINDOW"]) if limit else None


def _account_key(email: str) -> str:
    """The e-mail's part of a limit's key: hashed, so the limits' storage holds no addresses."""
    return hashlib.sha256(normalise_email(email).encode("utf-8")).hexdigest()[:32]


_dummy_hashes: dict[str, str] = {}


def _spend_a_hash(password: str) -> None:
    """Check the password against a dummy hash so an unknown e-mail takes as long as a known one."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("contraseña-que-nadie-tiene", method=method)
    check_password_hash(_dummy_hashes[method], password or "")


def normalise_email(email: str) -> str:
    """E-mail addresses are compared in lower case, without surrounding spaces."""
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail address, if any."""
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def authenticate(
    email: str, password: str, *, ip: str | None = None, now: datetime | None = None
) -> LoginResult:
    """Check a login; lock the account after repeated failures; make an address that keeps failing
    for one account (or for very many) wait.

    Unknown e-mail, wrong password and locked account give the same message (and take about the
    same time), so the form does not tell who has an account.
    """
    config = current_app.config
    now = now or utcnow()
    limits = ratelimits.limits()
    ip_rule = _ip_rule() if ip else None
    pair_rule = _account_ip_rule() if ip else None
    pair = ("login-ip-account", ip, _account_key(email)) if ip else ()
    if ip_rule is not None and not limits.allows(ip_rule, "login-ip", ip):
        return LoginResult(None, str(IP_LIMIT_ERROR), rate_limited=True)
    if pair_rule is not None and not limits.allows(pair_rule, *pair):
        return LoginResult(None, str(ACCOUNT_IP_LIMIT_ERROR), rate_limited=True)

    def failure() -> LoginResult:
        if ip_rule is not None:
            limits.hit(ip_rule, "login-ip", ip)
        if pair_rule is not None:
            limits.hit(pair_rule, *pair)
        return LoginResult(None, str(GENERIC_LOGIN_ERROR))

    user = find_user_by_email(email)
    if user is None or user.is_locked(now):
        _spend_a_hash(password)
        return failure()
    if not user.check_password(password):
        user.failed_login_count = (user.failed_login_count or 0) + 1
        if user.failed_login_count >= config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + config["LOGIN_LOCKOUT"]
            user.failed_login_count = 0
        db.session.flush()
        return failure()
    if not user.is_active:
        # Only someone who knows the password learns that the account is deactivated.
        return LoginResult(
            None, _("Esta cuenta está desactivada. Pide ayuda a tu supervisión o a la administración.")
        )
    if pair_rule is not None:
        limits.clear(pair_rule, *pair)  # this person's typos from here are forgiven (django-axes)
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return LoginResult(user)
