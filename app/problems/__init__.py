"""The problems area: blueprint."""
from flask import Blueprint

bp = Blueprint("problems", __name__)

from app.problems import routes  # noqa: E402,F401
