"""The practices area: blueprint."""

from flask import Blueprint

bp = Blueprint("practices", __name__)

from app.practices import routes  # noqa: E402,F401
