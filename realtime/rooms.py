"""Room names, from this one place, so that emitters and joiners always agree."""

from __future__ import annotations

LIVE_NAMESPACE = "/sala"


def group_room(group_id: int) -> str:
    """The room of an encounter group's live session.

    >>> group_room(7)
    'grupo:7'
    """
    return f"grupo:{int(group_id)}"


def user_room(user_id: int) -> str:
    """Every connection of one person (used to end a disabled account's connections).

    >>> user_room(3)
    'persona:3'
    """
    return f"persona:{int(user_id)}"


def encounter_room(encounter_id: int) -> str:
    """Whoever watches an encounter's overview: a summary of every group's room events.

    >>> encounter_room(5)
    'encuentro:5'
    """
    return f"encuentro:{int(encounter_id)}"
