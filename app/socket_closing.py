"""Ending a person's live connections on every process, through the Socket.IO message queue.

python-socketio's pub/sub managers carry emits, and disconnects of one known ``sid``, from one
process to the others; they do not carry "disconnect everyone in this room", and a room's members
are known only to the process that holds each connection. Ending a person's sessions (issue 16,
finding 5) therefore closed their connections on the process that handled the request only; on the
other one a disabled account kept receiving the room's events.

The ``session_ended`` event already reaches every process through the queue, addressed to the
person's own room (realtime.auth.disconnect_user). ``ClosesOnSessionEnded`` makes it the order to
close as well: ``_handle_emit`` is where python-socketio's ``PubSubManager`` delivers an emit, both
one made on this process and one received from another, so each process first delivers the event
and then disconnects the members of that room connected to it. No new message type, no list of
connections kept anywhere else. This module imports no area (the event's name is repeated here).

The same hook carries ``access_changed`` (realtime.access): the people and groups a commit changed,
so that every process drops its kept copies of them; the manager's ``access_cache`` applies it.
"""

from __future__ import annotations

CLOSING_EVENT = "session_ended"  # app.live.events.session_ended_event
ACCESS_EVENT = "access_changed"  # realtime.access.ACCESS_EVENT


class ClosesOnSessionEnded:
    """Mixin for a python-socketio ``PubSubManager`` (e.g. ``RedisManager``): see the module."""

    def _handle_emit(self, message: dict) -> None:
        super()._handle_emit(message)
        if message.get("event") == ACCESS_EVENT:
            kept = getattr(self, "access_cache", None)
            data = message.get("data")
            data = data[0] if isinstance(data, list) and data else data  # an emit's arguments
            if kept is not None and isinstance(data, dict):
                kept.apply(data)
            return
        room = message.get("room")
        if message.get("event") != CLOSING_EVENT or not isinstance(room, str):
            return
        namespace = message.get("namespace") or "/"
        for sid, _eio_sid in list(self.get_participants(namespace, room)):
            # This process's connections only (ignore_queue): every process runs this for its own.
            self.server.disconnect(sid, namespace=namespace, ignore_queue=True)


def closing(manager_class: type) -> type:
    """``manager_class`` whose ``session_ended`` emits also close the connections they reach.

    >>> from socketio import RedisManager
    >>> closing(RedisManager).__mro__[1:3] == (ClosesOnSessionEnded, RedisManager)
    True
    """
    return type(f"Closing{manager_class.__name__}", (ClosesOnSessionEnded, manager_class), {})
