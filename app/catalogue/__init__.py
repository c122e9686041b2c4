"""The catalogue area: zones and schools as SEP's catalogue lists them, and its import (page and CLI).

The bottom of the areas: accounts, problems, practices and everything above refer to its zones and
schools; it refers to none of them. The CLI group keeps its name: ``flask schools import FILE``.
"""

from flask import Blueprint

bp = Blueprint("catalogue", __name__, cli_group="schools")

from app.catalogue import cli, routes  # noqa: E402,F401
