"""The logbook area (Cuaderno de Bitácora): minutes, agreements, commitments; `flask logbook`."""

from flask import Blueprint

bp = Blueprint("logbook", __name__, cli_group="logbook")

from app.logbook import cli, followup, routes  # noqa: E402,F401
