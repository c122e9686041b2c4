"""JSON errors for the API: one shape for every failure, never an HTML page, never a 500 page.

Every error is ``{"error": {"status": 422, "message": "...", "fields": {...}}}``; ``fields`` appears only
when the client sent bad data that a service (or the API itself) could name field by field.
"""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from app.errors import MESSAGES
from app.extensions import db
from app.validation import PermissionDenied, ValidationError


class ApiError(HTTPException):
    """An API failure with its own message (and optional field errors), raised from anywhere."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        fields: dict | None = None,
        headers: dict | None = None,
    ):
        self.code = status
        self.message = str(message or MESSAGES.get(status) or _("Error"))
        self.fields = fields
        self.extra_headers = headers or {}
        super().__init__(self.message)


def api_error(
    status: int, message: str | None = None, *, fields: dict | None = None, headers: dict | None = None
):
    """The JSON response for an error status, with the Spanish message for that status by default."""
    body: dict = {"status": status, "message": str(message or MESSAGES.get(status) or _("Error"))}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def register(bp) -> None:
    """Attach the JSON error handlers to the API blueprint (they win over the app-wide ones)."""

    @bp.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return api_error(exc.code, exc.message, fields=exc.fields, headers=exc.extra_headers)

    @bp.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        db.session.rollback()
        return api_error(422, fields=exc.errors)

    @bp.errorhandler(PermissionDenied)
    def _denied(exc: PermissionDenied):
        db.session.rollback()
        return api_error(403, str(exc) or None)

    @bp.errorhandler(IntegrityError)
    def _conflict(exc: IntegrityError):
        # A unique constraint (for instance a school adopting the same practice twice) lost a race.
        db.session.rollback()
        return api_error(409)

    @bp.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return api_error(
            400, _("Falta el encabezado X-CSRFToken o no es válido; obtén uno en GET /api/v1/me.")
        )

    @bp.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        headers = {}
        if getattr(exc, "valid_methods", None):
            headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return api_error(status, headers=headers)

    @bp.errorhandler(Exception)
    def _unexpected(exc: Exception):
        current_app.logger.exception("Error no controlado en la API")
        db.session.rollback()
        return api_error(500)
