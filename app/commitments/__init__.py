"""The commitments area (compromisos): recording, follow-up and due-date notices (blueprint, CLI).

Above encounters (a commitment is made at an encounter), below the live room and the logbook, which
record and show commitments through this area's services.
"""

from flask import Blueprint

bp = Blueprint("commitments", __name__, cli_group="commitments")

from app.commitments import cli, routes  # noqa: E402,F401
