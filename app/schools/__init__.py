"""The schools area: the list of zones, a zone's page and a school's page (blueprint)."""

from flask import Blueprint

bp = Blueprint("schools", __name__)

from app.schools import routes  # noqa: E402,F401
