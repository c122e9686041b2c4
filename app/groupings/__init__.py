"""The groupings area (the zone council's *Proponer agrupamientos*): blueprint and `flask network`."""

from flask import Blueprint

bp = Blueprint("groupings", __name__, cli_group="network")

from app.groupings import cli, routes  # noqa: E402,F401
