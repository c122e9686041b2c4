"""Every Socket.IO event of the live room, built here as a plain dict.

Each room event has the same four keys — ``type``, ``version`` (the room's version after the
change), ``group_id`` and ``server_time`` (ISO 8601, UTC; clients use it to run the countdown on
their own clock) — plus the keys listed for its type in ``SHAPES``. An event carries the whole of
what it changes, so applying it is a replacement, except ``presence``: it carries who ``joined``
(the person's entry in ``online``) or who ``left`` (their user id), never the whole list, which
everyone in a room of 500 received 500 times as people arrived (issue 15). ``apply_event(snapshot, event)``
is the reference reducer that the browser's ``room.js`` mirrors, and the tests check that a
snapshot plus the events that followed it equals the next snapshot.
"""

from __future__ import annotations

import copy
from datetime import datetime

from app.utils import utcnow

COMMON_KEYS = frozenset({"type", "version", "group_id", "server_time"})

#: The keys of ``snapshot["state"]`` each state event replaces.
STATE_EVENTS: dict[str, tuple[str, ...]] = {
    "presence": ("online", "present_school_ids"),
    "timer": ("agenda_index", "timer"),
    "turn": ("turn_school_id", "slide", "problem_id"),
    "slide": ("slide", "problem_id"),
    "hands": ("hands", "floor_user_id", "floor"),
    "closed": ("closed_at",),  # the encounter was concluded: the room turns read-only
    "reminder": ("reminder",),  # the facilitator's "volvamos a la problemática": {"at", "by"}
}
#: ``presence`` carries a diff of ``online`` (these keys) and the whole ``present_school_ids``.
PRESENCE_KEYS = ("joined", "left", "present_school_ids")
#: Events that add or replace one row of a list in the snapshot: type -> (key, list name).
ROW_EVENTS: dict[str, tuple[str, str]] = {
    "contribution": ("contribution", "contributions"),
    "commitment": ("commitment", "commitments"),
    "agreement": ("agreement", "agreements"),  # the session's agreements, by activity (issue 11)
    "review": ("review", "previous_commitments"),  # a previous commitment followed up in the review
}
#: What a contribution row always carries: the problem it is about and the activity it was written in.
CONTRIBUTION_KEYS = frozenset({"id", "problem_id", "activity"})
#: Every event type and its extra keys (besides COMMON_KEYS).
SHAPES: dict[str, frozenset[str]] = {
    **{t: frozenset(keys) for t, keys in STATE_EVENTS.items()},
    "presence": frozenset(PRESENCE_KEYS),
    **{t: frozenset({key}) for t, (key, _) in ROW_EVENTS.items()},
    "session_ended": frozenset({"reason"}),
}


def iso(value: datetime | None) -> str | None:
    """A datetime as ISO 8601 text (None stays None)."""
    return value.isoformat() if value is not None else None


def _event(type_: str, version: int | None, group_id: int | None, **payload) -> dict:
    extra = SHAPES[type_]
    if set(payload) != extra:
        raise ValueError(f"evento {type_}: se esperaban {sorted(extra)}, llegaron {sorted(payload)}")
    return {"type": type_, "version": version, "group_id": group_id, "server_time": iso(utcnow()), **payload}


def state_event(type_: str, version: int, group_id: int, state: dict) -> dict:
    """A state event (presence, timer, turn, slide, hands) taken from the room's state."""
    return _event(
        type_, version, group_id, **{key: copy.deepcopy(state.get(key)) for key in STATE_EVENTS[type_]}
    )


def presence_event(
    version: int, group_id: int, state: dict, *, joined: dict | None = None, left: int | None = None
) -> dict:
    """Someone joined (their entry in ``online``) or left (their user id) the room; with the
    schools present so far."""
    return _event(
        "presence",
        version,
        group_id,
        joined=copy.deepcopy(joined),
        left=left,
        present_school_ids=list(state.get("present_school_ids") or []),
    )


def apply_presence(online: list[dict], event: dict) -> list[dict]:
    """``online`` after a presence event (sorted by user id, as the server keeps it)."""
    joined, left = event.get("joined"), event.get("left")
    gone = {left, joined["user_id"] if joined else None} - {None}
    people = [p for p in online if p["user_id"] not in gone]
    if joined:
        people.append(copy.deepcopy(joined))
    return sorted(people, key=lambda p: p["user_id"])


def contribution_event(version: int, group_id: int, contribution: dict) -> dict:
    """A contribution was added, edited, hidden or marked *la probaremos* (the whole row, with its
    ``problem_id`` and ``activity``)."""
    missing = CONTRIBUTION_KEYS - set(contribution)
    if missing:
        raise ValueError(f"evento contribution: faltan {sorted(missing)}")
    return _event("contribution", version, group_id, contribution=contribution)


def commitment_event(version: int, group_id: int, commitment: dict) -> dict:
    """A commitment was recorded in the room (the whole row)."""
    return _event("commitment", version, group_id, commitment=commitment)


def agreement_event(version: int, group_id: int, agreement: dict) -> dict:
    """An agreement was recorded in the room (the whole row)."""
    return _event("agreement", version, group_id, agreement=agreement)


def row_event(type_: str, version: int, group_id: int, row: dict) -> dict:
    """A row of one of ``ROW_EVENTS``' lists was added or changed (the whole row)."""
    if type_ == "contribution":
        return contribution_event(version, group_id, row)
    return _event(type_, version, group_id, **{ROW_EVENTS[type_][0]: row})


def session_ended_event(reason: str) -> dict:
    """Sent to one person's connections when their account is disabled; carries no room version."""
    return _event("session_ended", None, None, reason=reason)


def check_shape(event: dict) -> None:
    """Raise ValueError unless ``event`` has exactly the keys its type calls for.

    >>> check_shape(state_event("slide", 3, 1, {"slide": 2, "problem_id": None}))
    >>> check_shape({"type": "slide", "version": 3})
    Traceback (most recent call last):
    ...
    ValueError: evento slide: claves ['group_id', 'problem_id', 'server_time', 'slide', 'type', 'version']
    """
    type_ = event.get("type")
    if type_ not in SHAPES:
        raise ValueError(f"tipo de evento desconocido: {type_!r}")
    expected = COMMON_KEYS | SHAPES[type_]
    if set(event) != expected:
        raise ValueError(f"evento {type_}: claves {sorted(expected)}")
    if type_ != "session_ended" and not isinstance(event["version"], int):
        raise ValueError(f"evento {type_}: la versión debe ser un entero")
    if type_ == "contribution" and not CONTRIBUTION_KEYS <= set(event["contribution"] or {}):
        raise ValueError(f"evento contribution: la fila lleva {sorted(CONTRIBUTION_KEYS)}")


def apply_event(snapshot: dict, event: dict) -> dict:
    """The snapshot after one event (a new dict; events at or below its version change nothing)."""
    if event.get("version") is None or event["version"] <= snapshot["version"]:
        return snapshot
    result = copy.deepcopy(snapshot)
    type_ = event["type"]
    if type_ == "presence":
        result["state"]["online"] = apply_presence(result["state"]["online"], event)
        result["state"]["present_school_ids"] = copy.deepcopy(event["present_school_ids"])
    elif type_ in STATE_EVENTS:
        for key in STATE_EVENTS[type_]:
            result["state"][key] = copy.deepcopy(event[key])
    elif type_ in ROW_EVENTS:
        key, list_name = ROW_EVENTS[type_]
        row = copy.deepcopy(event[key])
        rows = [r for r in result[list_name] if r["id"] != row["id"]]
        rows.append(row)
        rows.sort(key=lambda r: r["id"])
        result[list_name] = rows
    result["version"] = event["version"]
    return result
