"""The Socket.IO packets of this application: JSON text only, encoded by orjson.

python-socketio walks every payload it sends looking for ``bytes`` to split off as binary
attachments (``Packet.data_is_binary``, recursive, twice per level), then encodes it with the
standard library's ``json``. Nothing this application sends is binary, and the walk plus the
encoding of a join's snapshot took ~5 % of a join storm's work. This packet class (python-socketio's
``serializer`` option) skips the walk and encodes with app.live.jsontext; the text sent is the same
JSON. Received packets decode as before (a client's binary event still arrives as such).
"""

from __future__ import annotations

from socketio.packet import Packet

from app.live import jsontext


class JsonPacket(Packet):
    uses_binary_events = False  # no walk for binary parts: this application sends JSON only
    json = jsontext
