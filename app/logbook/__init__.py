"""The logbook area (Cuaderno de Bitácora): minutes, agreements, commitments; `flask logbook`."""

from flask import Blueprint

bp = Blueprint("logbook", __name__, cli_group="logbook")

from app.logbook import cli, followup, room, routes  # noqa: E402,F401  (room: agreements in the room's snapshot)
