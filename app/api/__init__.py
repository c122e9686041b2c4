"""The JSON API under /api/v1: blueprint."""

from flask import Blueprint

bp = Blueprint("api", __name__)
URL_PREFIX = "/api/v1"

from app.api import communities, contacts, cycle, routes  # noqa: E402,F401
