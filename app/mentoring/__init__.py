"""Mentoring (mentoría, issue 14): a person offers to mentor on problem categories, with the evidence
of their school's records; a novice teacher, a new director or a school asks for a mentor on a
problem; a network leader (the zone's supervisor or advisor, or the administrator) runs the exact
matching of ``network.mentoring`` and confirms pairs; both sides accept; an active pair keeps a plan,
a log of sessions and a closing with its outcome, written into the mentee school's bitácora.

Above the problems, practices, logbook and encounters (its notices); nothing imports it.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.areas import MenuEntry

bp = Blueprint("mentoring", __name__)
URL_PREFIX = "/mentoria"


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


MENU = (MenuEntry(48, label=_l("Mentoría"), endpoint="mentoring.index", visible=_signed_in),)

from app.mentoring import routes  # noqa: E402,F401
