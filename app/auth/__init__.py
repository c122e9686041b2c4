"""The auth area: blueprint."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.areas import MenuEntry

bp = Blueprint("auth", __name__)
MENU = (
    MenuEntry(
        30,
        _l("Invitaciones"),
        "auth.invitations",
        visible=lambda user: user.role in ("admin", "supervisor", "director"),
    ),
    MenuEntry(31, _l("Personas"), "auth.people", visible=lambda user: user.role in ("admin", "supervisor")),
)

from app.auth import account_routes, routes  # noqa: E402,F401
