"""The Socket.IO namespace of the live room (``/sala``): thin handlers over app.live.services.

Every event is first rate-limited by ``LiveRoomNamespace.trigger_event``, before Flask's request
context and any database work: the connection's, the person's and the room's buckets
(realtime.ratelimit; the person is known from the handshake's session cookie, never loaded).
Each handler is then wrapped by ``live_event``, the socket's commit boundary: it takes the person of
the connection and the group named in the payload as this process keeps them (realtime.access: no
SQL while nothing changed; a disabled account or a changed group is read afresh), checks that the
person may still be in it (a school removed from the group is disconnected, after a fresh read),
calls one service, commits, and answers with an acknowledgement: ``{"ok": true, ...}`` or
``{"ok": false, "error": code, "errors": {...}}``. Codes: ``no_autenticado``, ``demasiados_eventos``
(with ``retry_after`` seconds), ``solicitud_invalida``, ``no_encontrado``, ``prohibido``,
``sin_unirse``, ``invalido``, ``limite`` (the person's contributions in this session),
``ocupado``, ``error_del_servidor``. A ``prohibido`` that ends the connection (no longer allowed
in the group) answers first and disconnects just after, so the client reads ``prohibido`` rather
than a lost acknowledgement; a session that ended (``no_autenticado``) is cut at once. Events reach the room only after the commit (realtime.publish).
A connection is refused (``ConnectionRefusedError``) when logged out (``no_autenticado``), when
the person already has ``LIVE_MAX_CONNECTIONS_PER_PERSON`` open (``demasiadas_conexiones``) or
connects too fast or right after a connection of theirs was closed for flooding
(``demasiados_eventos``).
"""

from __future__ import annotations

import functools
import logging
import time

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError, Namespace, disconnect, join_room, leave_room
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import DetachedInstanceError

from app import permissions
from app.extensions import db, socketio
from app.live import services
from app.live.state_store import StateConflict
from app.logbook import room as room_agreements
from app.validation import PermissionDenied, ValidationError, parse_id
from realtime import (
    access,
    overview,  # the encounter overview's handlers (and its summaries of the room events)
    publish,  # noqa: F401  (connects app.live's room events to the rooms)
    ratelimit,
)
from realtime.rooms import LIVE_NAMESPACE, group_room, user_room

log = logging.getLogger(__name__)
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024
DROP_DELAY = 0.1  # seconds between a refusal's acknowledgement and the end of its connection


def _error(code: str, errors: dict | None = None, **extra) -> dict:
    return {"ok": False, "error": code, "errors": errors or {}, **extra}


def _in_room(room: str) -> bool:
    """Whether this connection has joined ``room``, in O(1) from the manager's room table
    (``{namespace: {room: {sid: eio_sid}}}``); ``flask_socketio.rooms()`` scans every room of the
    process, which with 1,000 connections was a sixth of an event's CPU."""
    return request.sid in socketio.server.manager.rooms.get(LIVE_NAMESPACE, {}).get(room, ())


#: The group rooms each connection of this process joined (sid → group ids): its disconnect leaves
#: them without scanning every room of the process (``flask_socketio.rooms()`` does: with 1,000
#: connections, each in a room of its own, a third of a disconnect storm's work).
_JOINED: dict[str, set[int]] = {}


def _drop_after_ack(group_id: int) -> None:
    """End this connection just after its acknowledgement is sent (python-socketio sends the
    ack when the handler returns; a disconnect before it would lose the answer): it leaves the
    group's room now, so it receives nothing more from it meanwhile, and its disconnect takes the
    person off who is online there (the group stays in ``_JOINED``)."""
    sid = request.sid
    leave_room(group_room(group_id))

    def later():
        socketio.sleep(DROP_DELAY)
        socketio.server.disconnect(sid, namespace=LIVE_NAMESPACE)

    socketio.start_background_task(later)


def live_event(*, needs_room: bool = True, attach: bool = True):
    """Authenticate, authorise, run one service, commit once, acknowledge (the rate limit was
    taken before, in ``LiveRoomNamespace.trigger_event``).

    ``attach=False`` (the hot events: join, slide, hands, timer, turn): the service gets the person
    and the group as the process keeps them, not merged into the event's session (a merge of the
    group with its encounter and schools was a fifth of a join's work); it binds them itself where
    it reads more (app.live.room._bound). Should a path read an attribute they do not hold
    (``DetachedInstanceError``), the event runs again with both merged, and it is logged; with
    ``LIVE_STRICT_DETACHED`` (the tests) it fails instead, so that such a path is found."""

    def decorate(handler):
        @functools.wraps(handler)
        def wrapper(self, data=None):
            if not isinstance(data, dict):
                return _error("solicitud_invalida")
            bind = attach
            user = access.actor(attach=bind)
            if user is None:  # logged out or disabled: this connection ends at once
                disconnect()
                return _error("no_autenticado")
            group = access.group(data, attach=bind)
            if group is None:
                return _error("no_encontrado")
            if not permissions.can_join_room(user, group):
                # never refused on kept copies alone: read the person and the group again
                user, group = access.actor(fresh=True), access.group(data, fresh=True)
                if user is None:
                    disconnect()
                    return _error("no_autenticado")
                if group is None:
                    return _error("no_encontrado")
                if not permissions.can_join_room(user, group):
                    _drop_after_ack(group.id)
                    return _error("prohibido")
            if needs_room and not _in_room(group_room(group.id)):
                return _error("sin_unirse")
            # the event's session ends with the event: nothing is read after its commit, so the
            # commit need not expire every object it holds (the person, the group and its schools)
            db.session().expire_on_commit = False
            for attempt in range(3):
                try:
                    result = handler(self, user, group, data)
                    db.session.commit()
                    return {"ok": True, **(result or {})}
                except ValidationError as exc:
                    db.session.rollback()
                    return _error(getattr(exc, "code", "invalido"), exc.errors)
                except PermissionDenied as exc:
                    db.session.rollback()
                    return _error("prohibido", {"_": str(exc)} if str(exc) else None)
                except DetachedInstanceError:
                    db.session.rollback()
                    if current_app.config["LIVE_STRICT_DETACHED"]:
                        raise
                    if bind:
                        log.exception("evento %s falló", handler.__name__)
                        return _error("error_del_servidor")
                    log.warning("evento %s: leyó más de lo que se guarda; otra vez, unido", handler.__name__)
                    bind = True
                    user, group = access.actor(), access.group(data)
                    if user is None or group is None:
                        return _error("no_encontrado")
                except (OperationalError, StateConflict):  # SQLite's busy snapshot under two
                    # writers, or another change of the room's state came first: try again
                    db.session.rollback()
                    if attempt == 2:
                        log.exception("evento %s: base de datos ocupada", handler.__name__)
                        return _error("ocupado")
                    time.sleep(0.05 * (attempt + 1))
                    # this event's copies again
                    user, group = access.actor(attach=bind), access.group(data, attach=bind)
                    if user is None or group is None:
                        return _error("no_encontrado")
                except Exception:
                    db.session.rollback()
                    log.exception("evento %s falló", handler.__name__)
                    return _error("error_del_servidor")
            return _error("ocupado")  # pragma: no cover

        return wrapper

    return decorate


#: Events that do not take from the room's bucket: they read, or (join) are bounded by the
#: person's bucket and the connection cap; the others write the room.
ROOM_FREE_EVENTS = frozenset({"join", "snapshot", "contributions_before"})


class LiveRoomNamespace(Namespace):
    """The live room of an encounter group."""

    def trigger_event(self, event, *args):
        """Rate-limit every event before Flask's request context and before any database work: a
        refused one costs a dict look-up (its connection) or one Redis call (its person, its room)."""
        if event not in ("connect", "disconnect") and args:
            refused = self._refuse(event, args[0], args[1] if len(args) > 1 else None)
            if refused is not None:
                return refused
        return super().trigger_event(event, *args)

    def _refuse(self, event: str, sid: str, data) -> dict | None:
        environ = self.server.get_environ(sid, namespace=self.namespace)
        if not environ:
            return None
        limits = environ["flask.app"].extensions[ratelimit.EXTENSION]
        person = limits.person_of(sid)
        if person is None:  # not counted here (no session): live_event answers no_autenticado
            return None
        group_id = None
        if event not in ROOM_FREE_EVENTS and isinstance(data, dict):
            group_id = parse_id(data.get("group_id"))
        wait = limits.take(sid, person, group_id)
        if wait is None:
            return None
        if limits.flooding(sid):
            limits.penalise(person)
            self._close_transport(sid)
        return _error("demasiados_eventos", retry_after=wait)

    def _close_transport(self, sid: str) -> None:
        """Close a flooding connection's socket itself (its last answer sent first), so that its
        further packets are not even read."""
        eio_sid = self.server.manager.eio_sid_from_sid(sid, self.namespace)

        def later():
            socketio.sleep(DROP_DELAY)
            if eio_sid is not None:
                self.server.eio.disconnect(eio_sid)

        socketio.start_background_task(later)

    def on_connect(self, auth=None):
        person = ratelimit.person_key()
        if person is None:
            raise ConnectionRefusedError("no_autenticado")
        limits = ratelimit.live_limits()
        counted = limits.connect(request.sid, person)
        if counted is None:  # their flooding connection was closed a moment ago
            raise ConnectionRefusedError("demasiados_eventos")
        if not counted:
            raise ConnectionRefusedError("demasiadas_conexiones", {"max": limits.max_connections})
        if limits.take(request.sid, person) is not None:  # reconnecting in a loop
            limits.disconnect(request.sid)
            raise ConnectionRefusedError("demasiados_eventos")
        user = access.connect(request.sid, attach=False)  # only its id is read here
        if user is None:
            limits.disconnect(request.sid)
            raise ConnectionRefusedError("no_autenticado")
        join_room(user_room(user.id))

    def on_disconnect(self, reason=None):
        ratelimit.live_limits().disconnect(request.sid)
        joined = _JOINED.pop(request.sid, ())
        kept_id = access.forget_connection(request.sid)
        if not joined:
            return
        # who leaves: as kept (their account may have just been disabled, which is why they go)
        user_id = kept_id
        if user_id is None:  # not kept (expired): read, and do not keep it for a closed connection
            user_id = getattr(access.actor(), "id", None)
            access.forget_connection(request.sid)
        if user_id is None:
            return
        for group_id in joined:
            # as kept, unmerged: leaving reads only the group's id (a merge per disconnect was
            # another third of a disconnect storm)
            group = access.group({"group_id": group_id}, attach=False)
            if group is None:
                continue
            try:
                services.leave(group, actor_id=user_id)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("no se pudo registrar la salida del grupo %s", group_id)

    @live_event(needs_room=False, attach=False)
    def on_join(self, user, group, data):
        # shared: the snapshot goes straight into the acknowledgement (no copy of its own needed)
        snapshot = services.join(group, actor=user, shared=True)
        join_room(group_room(group.id))
        _JOINED.setdefault(request.sid, set()).add(group.id)
        return {"snapshot": snapshot}

    @live_event()
    def on_snapshot(self, user, group, data):
        return {"snapshot": services.snapshot(group, actor=user)}

    @live_event()
    def on_contributions_before(self, user, group, data):
        """Older contributions than the snapshot's, a page at a time (``before``: an id)."""
        return services.older_contributions(group, data.get("before"), actor=user)

    @live_event(attach=False)
    def on_timer(self, user, group, data):
        return {
            "state": services.control_timer(
                group, data.get("action"), actor=user, minutes=data.get("minutes")
            )
        }

    @live_event(attach=False)
    def on_turn(self, user, group, data):
        return {"state": services.give_turn(group, data.get("school_id"), actor=user)}

    @live_event(attach=False)
    def on_slide(self, user, group, data):
        return {"state": services.change_slide(group, data.get("slide"), actor=user)}

    @live_event(attach=False)
    def on_hand(self, user, group, data):
        action = data.get("action")
        if action == "raise":
            return {"state": services.raise_hand(group, actor=user)}
        if action == "lower":
            return {"state": services.lower_hand(group, actor=user, user_id=data.get("user_id"))}
        if action == "floor":
            return {"state": services.give_floor(group, data.get("user_id"), actor=user)}
        if action == "clear":
            return {"state": services.clear_hands(group, actor=user)}
        raise ValidationError({"action": _("Acción no válida.")})

    @live_event(attach=False)
    def on_contribution_add(self, user, group, data):
        row, created = services.add_contribution(group, data, actor=user, client_id=data.get("client_id"))
        # the row answered is always the person's own (a retry of another's client id is refused)
        return {"contribution": services.contribution_dict(row, author=user), "duplicate": not created}

    @live_event()
    def on_contribution_edit(self, user, group, data):
        row = services.edit_contribution(group, data.get("contribution_id"), data, actor=user)
        return {"contribution": services.contribution_dict(row)}

    @live_event()
    def on_contribution_hide(self, user, group, data):
        row = services.hide_contribution(group, data.get("contribution_id"), data.get("reason"), actor=user)
        return {"contribution": services.contribution_dict(row)}

    @live_event()
    def on_contribution_will_try(self, user, group, data):
        row = services.set_will_try(
            group, data.get("contribution_id"), bool(data.get("value", True)), actor=user
        )
        return {"contribution": services.contribution_dict(row)}

    @live_event()
    def on_commitment_add(self, user, group, data):
        row, created = services.add_commitment(group, data, actor=user, client_id=data.get("client_id"))
        return {"commitment": services.commitment_dict(row), "duplicate": not created}

    @live_event()
    def on_agreement_add(self, user, group, data):
        row, created = room_agreements.add_agreement(group, data, actor=user, client_id=data.get("client_id"))
        return {"agreement": room_agreements.agreement_dict(row), "duplicate": not created}

    @live_event(attach=False)
    def on_reminder(self, user, group, data):
        """The facilitator's "volvamos a la problemática", shown to everyone for a while."""
        return {"state": services.send_reminder(group, actor=user)}

    @live_event()
    def on_commitment_edit(self, user, group, data):
        """Edit a commitment of this room until the close (stored once by ``client_id``)."""
        row, created = services.edit_commitment(
            group, data.get("commitment_id"), data, actor=user, client_id=data.get("client_id")
        )
        return {"commitment": services.commitment_dict(row), "duplicate": not created}

    @live_event()
    def on_commitment_review(self, user, group, data):
        """Set a previous commitment's status in the review (stored once by ``client_id``)."""
        row, created = services.review_commitment(
            group, data.get("commitment_id"), data, actor=user, client_id=data.get("client_id")
        )
        return {"review": row, "duplicate": not created}

    def on_watch(self, data=None):
        """Watch an encounter's overview (realtime.overview)."""
        return overview.on_watch(data)

    def on_announce(self, data=None):
        """Send a message to every group of an encounter (realtime.overview)."""
        return overview.on_announce(data)


def register(app) -> None:
    """Attach the live room's namespace to the app's Socket.IO server and set the message limit."""
    server = socketio.server
    server.eio.max_http_buffer_size = app.config["SOCKETIO_MAX_MESSAGE_BYTES"]
    ratelimit.init_app(app)
    access.init_app(app)
    if LIVE_NAMESPACE not in server.namespace_handlers:
        socketio.on_namespace(LiveRoomNamespace(LIVE_NAMESPACE))
