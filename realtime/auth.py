"""Who is connected: the logged-in person of a Socket.IO connection, read from the Flask-Login
session cookie of the handshake (the same cookie the pages use), re-read on every event.

Connections are accepted from the app's own origin only: ``cors_allowed_origins`` stays at its
same-origin default (never ``'*'``), so a page on another site cannot ride a teacher's cookie.
"""

from __future__ import annotations

from functools import partial

from flask import g
from flask_login import current_user

from app import permissions, signals
from app.live.events import session_ended_event
from app.transactions import on_commit
from realtime.rooms import LIVE_NAMESPACE, user_room


def connected_user():
    """The active, logged-in user of this connection, loaded afresh (None if logged out or disabled)."""
    # Flask-Login caches the user on ``g``; an event may share an app context with the previous one
    # (the test client does), so drop the cache to notice an account disabled in between.
    g.pop("_login_user", None)
    user = current_user._get_current_object() if current_user else None
    return user if permissions._authenticated(user) else None


def disconnect_user(user_id: int, *, reason: str = "cuenta_desactivada") -> int:
    """End a person's live connections, on every process (their sessions ended: see app.auth.sessions).

    Each connection first gets a ``session_ended`` event (the room page says so), then is closed:
    with a message queue, every process closes its own on receiving that event
    (app.socket_closing); those of this process are closed here too, which is all there is without
    a queue. Any further event of such a connection would be refused anyway (``connected_user``
    re-reads the session token). Returns how many connections of this process were closed.
    """
    from app.extensions import socketio

    server = getattr(socketio, "server", None)
    if server is None:
        return 0
    room = user_room(user_id)
    socketio.emit("session_ended", session_ended_event(reason), to=room, namespace=LIVE_NAMESPACE)
    sids = [sid for sid, _ in server.manager.get_participants(LIVE_NAMESPACE, room)]
    for sid in sids:
        server.disconnect(sid, namespace=LIVE_NAMESPACE)
    return len(sids)


@signals.sessions_ended.connect
def _end_live_connections(user, *, reason: str, **_) -> None:
    """A person whose sessions ended (logout, new password, account disabled, "cerrar todas las
    sesiones") loses their open connections once that is stored."""
    on_commit(partial(disconnect_user, user.id, reason=reason))
