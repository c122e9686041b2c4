"""Who may group a zone's schools and see its groupings."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.catalogue.models import Zone
from app.permissions.roles import advises_zone, is_admin, supervises_zone


def can_group_zone(user, zone: Zone) -> bool:
    """Propose, change and accept the zone's groupings: the zone council (its supervisor)."""
    return is_admin(user) or supervises_zone(user, zone.id)


def can_view_groupings(user, zone: Zone) -> bool:
    """See the zone's groupings and their reasons: the council and the zone's advisors."""
    return can_group_zone(user, zone) or advises_zone(user, zone.id)
