"""Who is calling the API: a bearer token, or the login session cookie (with a CSRF header to write).

The whole blueprint is exempt from the global CSRFProtect, because a token-authenticated client has
no session to steal. A browser using its session cookie is another matter: on unsafe methods it
must send the ``X-CSRFToken`` header (its value comes from ``GET /api/v1/me``).

Anonymous callers get a 401 JSON error, never a redirect to the login page, because the check runs
in the blueprint's ``before_request`` instead of ``@login_required``.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError as WTFValidationError

from app.api.errors import ApiError
from app.views import commit_before_responding

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Endpoints anyone may read without signing in (the API's own description).
PUBLIC_ENDPOINTS = frozenset({"api.openapi"})


def api_user():
    """The user the current API request acts for (set by ``authenticate_request``)."""
    return g.get("api_user")


def api_auth_method() -> str | None:
    """'token' or 'session': how the current API request was authenticated."""
    return g.get("api_auth")


def _bearer_token() -> str | None:
    """The raw token of an ``Authorization: Bearer`` header; 401 for any other Authorization scheme."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _space, raw = header.strip().partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise ApiError(401, _("El encabezado Authorization debe ser «Bearer <token>»."))
    return raw


def _check_csrf() -> None:
    """Session-cookie writes must carry a valid X-CSRFToken header (when CSRF is enabled)."""
    if request.method in SAFE_METHODS or not current_app.config["WTF_CSRF_ENABLED"]:
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token"))
    except WTFValidationError as exc:
        raise CSRFError(str(exc)) from exc


def authenticate_request() -> None:
    """Blueprint ``before_request``: set ``g.api_user`` from the bearer token or the session."""
    g.api_user = None
    g.api_auth = None
    raw = _bearer_token()
    if raw is not None:
        from app.auth.services import authenticate_token, find_api_token

        api_token = find_api_token(raw)
        if api_token is not None and api_token.revoked_at is None and api_token.expired():
            raise ApiError(
                401,
                _(
                    "El token «%(name)s» venció el %(date)s: crea uno nuevo en «Acceso a la API».",
                    name=api_token.name,
                    date=format_date(api_token.expires_at, "short"),
                ),
            )
        user = authenticate_token(raw)
        if user is None or not user.is_active:
            raise ApiError(401, _("El token no es válido, fue revocado o la cuenta está desactivada."))
        if api_token.read_only and request.method not in SAFE_METHODS:
            commit_before_responding()  # the token was used: keep its last_used_at
            raise ApiError(
                403,
                _(
                    "Este token es de solo lectura: para escribir, crea uno de lectura y escritura en «Acceso a la API»."
                ),
            )
        g.api_user, g.api_auth = user, "token"
        commit_before_responding()  # keep the token's last_used_at, whatever the request does next
        return
    if current_user.is_authenticated and current_user.is_active:
        g.api_user, g.api_auth = current_user._get_current_object(), "session"
        _check_csrf()
        return
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    raise ApiError(401)
