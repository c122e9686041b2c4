"""Communities of practice (issue 14): schools and people of any zone or state gathered around a
problem category or theme, with an asynchronous board, members who join, leave and follow, and
leaders who moderate (recorded). Suggested from the graph of schools and problems (``network/``).

Above the good practices (relatos), practices and problems its posts are tied to, and the
encounters' notices.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.areas import MenuEntry

bp = Blueprint("communities", __name__)


def _may_take_part(user) -> bool:
    from app import permissions

    return permissions.can_propose_community(user)


MENU = (MenuEntry(47, label=_l("Comunidades"), endpoint="communities.index", visible=_may_take_part),)

from app.communities import cli, routes  # noqa: E402,F401
