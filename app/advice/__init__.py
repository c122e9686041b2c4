"""Outside advice (solicitudes de asesoría): what a collective could not solve in the session and
asks an advisor (ATP) for, taken from the commitments ticked *requiere asesoría externa* and the
agreements of kind *asesoria* when the encounter closes; the advisor's inbox, the notices, the
zone dashboard's counts and the next agenda's reminder.

Above the logbook (agreements) and commitments, below the dashboard that counts its requests.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.areas import MenuEntry

bp = Blueprint("advice", __name__)


def _may_see_inbox(user) -> bool:
    from app import permissions

    return permissions.can_view_advice_inbox(user)


MENU = (MenuEntry(45, label=_l("Asesoría"), endpoint="advice.inbox", visible=_may_see_inbox),)

from app.advice import routes  # noqa: E402,F401
