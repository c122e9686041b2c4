"""The encounters area: scheduling, groups, agenda, presentations, attendance, notifications and
calendars of the encuentros de Aprendizaje entre escuelas."""

from flask import Blueprint

from app.areas import MenuEntry

bp = Blueprint("encounters", __name__)
MENU = (MenuEntry(50, template="encounters/_nav.html"),)  # encounters, and notices with their count

from app.encounters import group_routes, personal_routes, presentation_routes, routes  # noqa: E402,F401
