"""The Socket.IO packets the application sends (realtime.packets.JsonPacket): the same JSON text as
python-socketio's own packets, without its walk for binary parts, encoded by orjson."""

from __future__ import annotations

import json

import pytest
from socketio import packet
from socketio.packet import Packet

from app.live import jsontext
from realtime.packets import JsonPacket

DOCUMENTS = [
    ["slide", {"type": "slide", "version": 7, "slide": 2, "group_id": 3}],
    ["events", [{"type": "presence", "presence": {"joined": {"user_id": 5, "name": "Ana Ñúñez"}}}]],
    [{"ok": True, "snapshot": {"connections": {"12": 1}, "hands": [], "problem_id": None, "x": 1.5}}],
    ["texto", {"text": 'comillas " y \\ barra, emoji 🙂, salto\nde línea, <script>'}],
]


@pytest.mark.parametrize("data", DOCUMENTS)
def test_the_text_sent_is_the_same_json(data):
    for kind, pid in ((packet.EVENT, None), (packet.ACK, 4)):
        ours = JsonPacket(kind, data=data, namespace="/sala", id=pid).encode()
        theirs = Packet(kind, data=data, namespace="/sala", id=pid).encode()
        assert json.loads(ours[ours.index("[") :]) == json.loads(theirs[theirs.index("[") :])
        assert ours[: ours.index("[")] == theirs[: theirs.index("[")]
        assert JsonPacket(encoded_packet=ours).data == data


def test_keys_that_are_not_strings_become_strings_as_with_json():
    assert jsontext.dumps({1: "a", "b": {2: [1, 2]}}) == json.dumps(
        {1: "a", "b": {2: [1, 2]}}, separators=(",", ":")
    )


def test_no_walk_for_binary_parts(monkeypatch):
    def walked(*_args):
        raise AssertionError("walked the payload")

    monkeypatch.setattr(Packet, "data_is_binary", classmethod(walked))
    encoded = JsonPacket(packet.EVENT, data=["x", {"a": [1, 2, 3]}], namespace="/sala").encode()
    assert encoded == '2/sala,["x",{"a":[1,2,3]}]'


def test_a_received_number_of_thousands_of_digits_is_not_made_an_int():
    """Converting a huge digit string to a Python int is quadratic (python-engineio's own loader
    refuses over 100 digits); orjson reads a number beyond 64 bits as a float, at once."""
    assert isinstance(JsonPacket(encoded_packet='2/sala,["x",' + "9" * 200 + "]").data[1], float)
    with pytest.raises(ValueError):  # beyond a double: refused, as a malformed packet
        JsonPacket(encoded_packet='2/sala,["x",' + "9" * 5000 + "]")


def test_the_application_sends_with_it(app):
    from app.extensions import socketio

    assert socketio.server.packet_class is JsonPacket


def test_copy_is_deep():
    state = {"online": [{"user_id": 1}], "timer": {"running": False}}
    copied = jsontext.copy(state)
    copied["online"][0]["user_id"] = 2
    copied["timer"]["running"] = True
    assert state == {"online": [{"user_id": 1}], "timer": {"running": False}}
