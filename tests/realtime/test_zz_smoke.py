from tests.realtime.world import room, sio_for  # noqa
def test_smoke(room, sio_for):
    c = sio_for(room.people["docente_a"])
    assert c.is_connected("/sala")
    ack = c.emit("join", {"group_id": room.group.id}, namespace="/sala", callback=True)
    print(ack["ok"], ack.get("error"), list(ack.get("snapshot", {}).keys()))
    f = sio_for(room.people["facilitador"])
    print(f.emit("join", {"group_id": room.group.id}, namespace="/sala", callback=True)["ok"])
    print(f.emit("timer", {"group_id": room.group.id, "action": "next"}, namespace="/sala", callback=True))
    print(c.emit("contribution_add", {"group_id": room.group.id, "client_id": "x1", "kind": "pregunta", "text": "hola"}, namespace="/sala", callback=True))
    print(c.get_received("/sala"))
    anon = sio_for(None)
    print("anon", anon.is_connected("/sala"))
