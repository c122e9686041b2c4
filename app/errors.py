"""Error pages in Spanish, and JSON errors under /api."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

# Lazy: each response shows the message in the reader's language.
MESSAGES = {
    400: _l("La solicitud no es válida."),
    401: _l("Necesitas iniciar sesión."),
    403: _l("No tienes permiso para ver o hacer esto."),
    404: _l("No encontramos lo que buscas."),
    405: _l("Método no permitido."),
    409: _l("La operación entra en conflicto con datos existentes."),
    413: _l("El archivo es demasiado grande."),
    422: _l("Los datos enviados no son válidos."),
    429: _l("Demasiados intentos. Espera unos minutos."),
    500: _l("Ocurrió un error inesperado. Ya quedó registrado; intenta de nuevo."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_response(status: int, message: str | None = None, **extra):
    """A JSON error for the API, a page for people."""
    message = str(message or MESSAGES.get(status) or _("Error"))
    if wants_json():
        body = {"error": {"status": status, "message": message, **extra}}
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


def _has_nul() -> bool:
    """Whether the request carries a NUL character: in its path, query, form or JSON body.

    No text of the platform contains one, PostgreSQL refuses it in text columns, and some clients
    cut a string there: it is refused up front (400) rather than met as a database error.
    """
    if "\x00" in request.path or b"%00" in request.query_string.lower():
        return True
    if request.is_json:
        body = request.get_data(cache=True)
        return b"\\u0000" in body.lower() or b"\x00" in body
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in key or "\x00" in value for key, value in request.form.items(multi=True))
    return False


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        if _has_nul():
            return error_response(400, _("La solicitud contiene un carácter nulo (\\0), que no se admite."))

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_response(
            400, _("El formulario caducó o no es válido. Recarga la página e intenta de nuevo.")
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        response, status = error_response(exc.code or 500, MESSAGES.get(exc.code or 500, exc.description))
        if getattr(exc, "valid_methods", None):  # a 405 must say which methods are allowed
            response = make_response(response, status)
            response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return response, status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("Error no controlado")
        from app.extensions import db

        db.session.rollback()
        return error_response(500)
