"""Who may do what in a live room: one cell per (event, person), through the real namespace.

Decided (issue 13): an advisor (ATP) assigned to one of the group's schools **observes** the room —
joins it, sees the presentation, the contributions and the agreements — but does not write in it:
no contributions, no raised hand, no commitments. The session's voice is the schools' collective
(DOMAIN.md: the advisor "observes sessions; answers the needs for external advice"), and what the
group asks of the advisor reaches them as requests for outside advice, outside the room. An advisor
who is the group's facilitator runs the room like any facilitator. docs/architecture.md has the table.
"""

from __future__ import annotations

import pytest

from realtime.rooms import LIVE_NAMESPACE as NS

pytestmark = pytest.mark.usefixtures("db")

PEOPLE = [
    "admin",
    "supervisor",
    "supervisor_otra_zona",
    "facilitador",
    "director_sede",
    "docente_a",
    "director_b",
    "docente_b",
    "director_otro_grupo",
    "director_otra_zona",
    "asesor_asignado",
    "asesor_no_asignado",
]
RUNS = {"admin", "supervisor", "facilitador", "director_sede"}
MEMBERS = {"director_sede", "docente_a", "director_b", "docente_b"}
TABLE = {
    "join": RUNS | MEMBERS | {"asesor_asignado"},
    "contribution_add": RUNS | MEMBERS,
    "hand": RUNS | MEMBERS,
    "timer": RUNS,
}


def _payload(event: str, room, who: str) -> dict:
    base = {"group_id": room.group.id}
    if event == "contribution_add":
        return base | {"client_id": f"perm-{who}", "kind": "similitud", "text": "También nos pasa."}
    if event == "hand":
        return base | {"action": "raise"}
    if event == "timer":
        return base | {"action": "start"}
    return base


@pytest.mark.parametrize(
    "event, who",
    [pytest.param(e, w, id=f"{e}-{w}") for e in TABLE for w in PEOPLE],
)
def test_room_permission_table(room, sio_for, event, who):
    client = sio_for(room.people[who])
    join = client.emit("join", {"group_id": room.group.id}, namespace=NS, callback=True)
    if event == "join":
        assert join["ok"] is (who in TABLE["join"]), join
        if not join["ok"]:
            assert join["error"] == "prohibido"
        return
    if not join["ok"]:  # whoever may not join may do nothing else either
        assert who not in TABLE[event]
        return
    ack = client.emit(event, _payload(event, room, who), namespace=NS, callback=True)
    assert ack["ok"] is (who in TABLE[event]), ack
    if not ack["ok"]:
        assert ack["error"] == "prohibido"
