"""Contact between schools: a director writes to another school's director about a problem or a
practice (from a partner, a practice's "A quién preguntar" or a school's profile), the answer comes
back in the platform, and either may propose an encounter between the two schools to both zones'
supervisors.

Above the encounters (its notices) and the practices and problems it is about; below nothing but
the pages that link to it.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.areas import MenuEntry

bp = Blueprint("contacts", __name__)


def _has_conversations(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in ("director", "supervisor")


MENU = (MenuEntry(46, label=_l("Contactos"), endpoint="contacts.index", visible=_has_conversations),)

from app.contacts import routes  # noqa: E402,F401
