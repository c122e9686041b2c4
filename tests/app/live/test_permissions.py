"""The live room's permission table: each role × (open the page, read the snapshot, join over
Socket.IO, contribute, raise a hand, facilitate), every cell its own test.

Decided (issue 13): an advisor (ATP) assigned to one of the group's schools **observes** the room —
joins it and sees everything — but does not write in it: no contributions, no raised hand, no
commitments. The session's voice is the schools' collective (DOMAIN.md: the advisor "observes
sessions; answers the needs for external advice"), and what the group asks of the advisor reaches
them as requests for outside advice. As the group's facilitator an advisor runs the room like any
facilitator. docs/architecture.md has the table.
"""

from __future__ import annotations

import pytest

from realtime.rooms import LIVE_NAMESPACE as NS

ROLES = [
    "anonymous",
    "admin",
    "supervisor",
    "supervisor_otra_zona",
    "director_sede",
    "docente_a",
    "director_b",
    "docente_b",
    "director_otro_grupo",
    "director_otra_zona",
    "asesor_asignado",
    "asesor_no_asignado",
    "facilitador",
]
JOIN = {
    "admin",
    "supervisor",
    "director_sede",
    "docente_a",
    "director_b",
    "docente_b",
    "asesor_asignado",
    "facilitador",
}
PARTICIPATE = JOIN - {"asesor_asignado"}
FACILITATE = {"admin", "supervisor", "director_sede", "facilitador"}
TABLE = [
    (role, action, role in allowed)
    for action, allowed in [
        ("page", JOIN),
        ("snapshot", JOIN),
        ("join", JOIN),
        ("contribute", PARTICIPATE),
        ("raise_hand", PARTICIPATE),
        ("facilitate", FACILITATE),
    ]
    for role in ROLES
]


@pytest.mark.parametrize("role,action,allowed", TABLE, ids=[f"{r}-{a}" for r, a, _ in TABLE])
def test_permission_table(room, client, login_as, sio_for, role, action, allowed):
    user = None if role == "anonymous" else room.people[role]
    if action in ("page", "snapshot"):
        if user is not None:
            login_as(user)
        url = room.url + ("/estado.json" if action == "snapshot" else "")
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == (200 if allowed else 403)
        return
    socket = sio_for(user)
    if user is None:
        assert not socket.is_connected(NS)
        return
    ack = socket.emit("join", {"group_id": room.group.id}, namespace=NS, callback=True)
    if action == "join":
        assert ack["ok"] is allowed
        return
    if not ack["ok"]:
        assert not allowed
        return
    if action == "contribute":
        ack = socket.emit(
            "contribution_add",
            {
                "group_id": room.group.id,
                "client_id": f"perm-{role}",
                "kind": "punto_relevante",
                "text": "Importa",
            },
            namespace=NS,
            callback=True,
        )
    elif action == "raise_hand":
        ack = socket.emit("hand", {"group_id": room.group.id, "action": "raise"}, namespace=NS, callback=True)
    else:
        ack = socket.emit(
            "timer", {"group_id": room.group.id, "action": "start"}, namespace=NS, callback=True
        )
    assert ack["ok"] is allowed
    if not allowed:
        assert ack["error"] == "prohibido"
