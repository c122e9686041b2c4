"""The schools area: the list of zones, a zone's page and a school's page (blueprint)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.areas import MenuEntry

bp = Blueprint("schools", __name__)
MENU = (
    MenuEntry(
        10,
        _l("Mi zona"),
        "schools.zone",
        visible=lambda user: user.role == "supervisor" and bool(user.zone_id),
        args=lambda user: {"cct": user.zone.cct},
    ),
    MenuEntry(
        11,
        _l("Mi escuela"),
        "schools.school",
        visible=lambda user: bool(user.school_id),
        args=lambda user: {"cct": user.school.cct},
    ),
    MenuEntry(12, _l("Zonas"), "schools.zones", visible=lambda user: user.role in ("admin", "asesor")),
)

from app.schools import routes  # noqa: E402,F401
