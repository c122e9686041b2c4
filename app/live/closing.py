"""When an encounter is concluded (app.encounters sends ``encounter_closed``), each of its rooms is
told with a ``closed`` event and turns read-only; the services then refuse new writes
(``app.encounters.closing.late_write``). When a group's agenda is built or edited (``agenda_changed``),
its room forgets the agenda's outline it keeps for the activity of each contribution."""

from __future__ import annotations

from app import signals
from app.encounters.models import Encounter
from app.live import events
from app.live.room import _STATIC_KEYS, _lock_row, _locked, _publish
from app.utils import as_utc


@signals.encounter_closed.connect
def _close_rooms(encounter: Encounter) -> None:
    """Publish ``closed`` to every group's room once (closing again publishes nothing new)."""
    closed_at = events.iso(as_utc(encounter.closed_at))
    for group in encounter.groups:
        live, state = _locked(group)
        if state.get("closed_at") == closed_at:
            continue
        state["closed_at"] = closed_at
        _publish(live, group, state, "closed")


@signals.agenda_changed.connect
def _forget_agenda_outline(group) -> None:
    """The agenda was built or edited (before the encounter runs): the room reads its outline again
    at the next write, so a contribution names the activity of the agenda as it is now."""
    _STATIC_KEYS.pop(group.id, None)
    if group.id is None:
        return
    live = _lock_row(group.id)
    if live is not None and "agenda_outline" in (live.state or {}):
        live.state = {k: v for k, v in live.state.items() if k != "agenda_outline"}
