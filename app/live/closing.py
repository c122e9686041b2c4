"""When an encounter is concluded (app.encounters sends ``encounter_closed``), each of its rooms is
told with a ``closed`` event and turns read-only; the services then refuse new writes
(``app.encounters.closing.late_write``)."""

from __future__ import annotations

from app import signals
from app.encounters.models import Encounter
from app.live import events
from app.live.room import _locked, _publish
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
