"""The practices area: blueprint."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.areas import MenuEntry

bp = Blueprint("practices", __name__)
MENU = (MenuEntry(20, _l("Prácticas"), "practices.library"),)

from app.practices import routes  # noqa: E402,F401
