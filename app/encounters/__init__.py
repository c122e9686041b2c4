"""The encounters area: scheduling, groups, agenda, presentations, attendance, notifications and
calendars of the encuentros de Aprendizaje entre escuelas."""

from flask import Blueprint

bp = Blueprint("encounters", __name__)

from app.encounters import group_routes, personal_routes, presentation_routes, routes  # noqa: E402,F401
