"""The catalogue area: zones and schools as SEP's catalogue lists them, and its import (page and CLI).

The bottom of the areas: accounts, problems, practices and everything above refer to its zones and
schools; it refers to none of them. The CLI group keeps its name: ``flask schools import FILE``.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.areas import MenuEntry

bp = Blueprint("catalogue", __name__, cli_group="schools")
MENU = (
    MenuEntry(40, _l("Catálogo"), "catalogue.import_catalogue", visible=lambda user: user.role == "admin"),
)

from app.catalogue import cli, routes  # noqa: E402,F401
