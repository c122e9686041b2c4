"""The Node reference's server (node_reference/server.js) on this project's Python socket stack:
Flask-SocketIO, python-socketio, python-engineio and simple-websocket under gunicorn's gevent
worker, with no database, no session cookie and no authorisation. ``live_rooms.py --cases floor``
serves it exactly as the application (same gunicorn settings), so that the gap between the
application and Node splits into what the socket stack costs by itself (this server against Node)
and what the application adds (the application against this server).

    gunicorn -k gevent -w 1 --worker-connections 5000 --pythonpath benchmarks "socket_floor:create()"
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from flask import Flask, request
from flask_socketio import Namespace, SocketIO, emit, join_room

from realtime.packets import JsonPacket

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent", manage_session=False, serializer=JsonPacket)
_versions: dict[str, int] = {}
_ids = itertools.count(1)


def _bump(room: str) -> int:
    _versions[room] = _versions.get(room, 0) + 1
    return _versions[room]


class Room(Namespace):
    def on_join(self, data):
        room = f"grupo:{data['group_id']}"
        join_room(room)
        return {"ok": True, "snapshot": {"version": _versions.get(room, 0)}}

    def on_slide(self, data):
        room = f"grupo:{data['group_id']}"
        event = {
            "type": "slide",
            "version": _bump(room),
            "group_id": data["group_id"],
            "server_time": datetime.now(UTC).isoformat(),
            "slide": data["slide"],
            "problem_id": None,
        }
        emit("slide", event, to=room, namespace=request.namespace)
        return {"ok": True}

    def on_contribution_add(self, data):
        room = f"grupo:{data['group_id']}"
        version = _bump(room)
        contribution = {
            "id": next(_ids),
            "client_id": data["client_id"],
            "kind": data["kind"],
            "text": data["text"],
        }
        event = {
            "type": "contribution",
            "version": version,
            "group_id": data["group_id"],
            "server_time": datetime.now(UTC).isoformat(),
            "contribution": contribution,
        }
        emit("contribution", event, to=room, namespace=request.namespace)
        return {"ok": True, "contribution": contribution, "duplicate": False}


socketio.on_namespace(Room("/sala"))


def create():
    return app
