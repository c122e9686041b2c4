"""Salud de la red (issue 14): the zone's network of ties between schools, who is isolated, who
bridges, how practices spread and how participation moves month by month."""

from flask import Blueprint

bp = Blueprint("networkhealth", __name__)

from app.networkhealth import routes  # noqa: E402,F401
