"""The schools area: zones, schools and the import of SEP's catalogue (blueprint and CLI group)."""
from flask import Blueprint

bp = Blueprint("schools", __name__, cli_group="schools")

from app.schools import cli, routes  # noqa: E402,F401
