"""The encounter overview over Socket.IO, on the live namespace (``/sala``): thin handlers and the
re-emission of every room's events, summarised, to the encounter's room (``encuentro:<id>``).

``watch`` (``{"encounter_id"}``): whoever may run the encounter (app.live.overview.can_watch) joins
the encounter's room and gets the overview's snapshot; ``announce`` (``{"encounter_id", "text"}``)
sends a message to every group's room. Both answer like the room's events (``{"ok": true, ...}`` or
``{"ok": false, "error": code, "errors": {...}}``) and commit once. A room event, once committed,
also reaches the watchers as ``overview_group`` (app.live.overview.summary_update: no text of any
contribution, no statement run).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_socketio import disconnect, join_room
from sqlalchemy.orm import selectinload

from app import signals
from app.encounters.models import Encounter, EncounterGroup, EncounterSchool
from app.extensions import db
from app.live import overview
from app.transactions import on_commit
from app.validation import PermissionDenied, ValidationError, parse_id
from realtime import access
from realtime.auth import connected_user
from realtime.rooms import LIVE_NAMESPACE, encounter_room

log = logging.getLogger(__name__)


def _error(code: str, errors: dict | None = None) -> dict:
    return {"ok": False, "error": code, "errors": errors or {}}


def _load_encounter(data) -> Encounter | None:
    encounter_id = parse_id(data.get("encounter_id"))
    if encounter_id is None:
        return None
    return db.session.get(
        Encounter,
        encounter_id,
        populate_existing=True,
        options=[
            selectinload(Encounter.zones),
            selectinload(Encounter.groups)
            .selectinload(EncounterGroup.schools)
            .selectinload(EncounterSchool.school),
            selectinload(Encounter.groups).selectinload(EncounterGroup.agenda),
        ],
    )


def _run(data, action) -> dict:
    """Authenticate, load the encounter, run ``action(user, encounter)``, commit once, acknowledge."""
    if not isinstance(data, dict):
        return _error("solicitud_invalida")
    user = connected_user()
    if user is None:
        disconnect()
        return _error("no_autenticado")
    encounter = _load_encounter(data)
    if encounter is None:
        return _error("no_encontrado")
    if not overview.can_watch(user, encounter):
        return _error("prohibido")
    try:
        result = action(user, encounter)
        db.session.commit()
        return {"ok": True, **result}
    except ValidationError as exc:
        db.session.rollback()
        return _error(getattr(exc, "code", "invalido"), exc.errors)
    except PermissionDenied as exc:
        db.session.rollback()
        return _error("prohibido", {"_": str(exc)} if str(exc) else None)
    except Exception:
        db.session.rollback()
        log.exception("evento del panorama falló")
        return _error("error_del_servidor")


def on_watch(data) -> dict:
    """Watch an encounter: join its room, answer its overview."""

    def watch(user, encounter):
        # join first: an update sent while the snapshot is read carries a version it already holds
        # (ignored), rather than one the page would never get
        join_room(encounter_room(encounter.id))
        return {"overview": overview.overview(encounter, actor=user)}

    return _run(data, watch)


def on_announce(data) -> dict:
    """Send a message to every group's room of the encounter."""

    def announce(user, encounter):
        return overview.announce(encounter, (data or {}).get("text"), actor=user)

    return _run(data, announce)


@dataclass(frozen=True)
class _ToWatchers:
    """One summary update waiting for the commit (an emit of its own: the room's events and their
    tests stay as they were)."""

    room: str
    payload: dict

    def __call__(self) -> None:
        from app.extensions import socketio

        if getattr(socketio, "server", None) is None:
            return
        try:
            socketio.emit(self.payload["type"], self.payload, to=self.room, namespace=LIVE_NAMESPACE)
        except Exception:  # the watcher catches up from the next version gap
            log.exception("no se pudo emitir el resumen a %s", self.room)


@signals.room_event.connect
def _summarise_for_watchers(group_id: int, *, event: dict) -> None:
    """Every versioned room event also reaches the encounter's watchers, summarised, after the commit.
    The group's encounter is the one the process keeps with the group (realtime.access)."""
    encounter_id = access.encounter_id_of(group_id)
    if encounter_id is None:
        return
    on_commit(_Summary(encounter_room(encounter_id), encounter_id, event), session=db.session)


@dataclass(frozen=True)
class _Summary:
    """The summary of a room event, made at the commit: a row event's version is stamped then
    (app.live.room._Stamp, which runs first)."""

    room: str
    encounter_id: int
    event: dict

    def __call__(self) -> None:
        event = self.event
        if event.get("type") == "presence":  # a diff for the room; the overview shows everyone
            from app.live.room import online_now

            event = {**event, "online": online_now(event["group_id"])}
        update = overview.summary_update(self.encounter_id, event)
        if update is not None:
            _ToWatchers(self.room, update)()


def _row_for_watchers(row, type_: str) -> None:
    """A row stored outside the room's events (an agreement, a commitment written on the logbook's
    page) still reaches the watchers' counts: an update without a room version, counted once by id."""
    if getattr(row, "group_id", None) is None:
        return
    update = {
        "type": "overview_group",
        "encounter_id": row.encounter_id,
        "group_id": row.group_id,
        "version": None,
        "server_time": None,
        "changes": {"row": {"type": type_, "id": row.id}},
    }
    on_commit(_ToWatchers(encounter_room(row.encounter_id), update), session=db.session)


@signals.agreement_recorded.connect
def _agreement_for_watchers(agreement, **_) -> None:
    _row_for_watchers(agreement, "agreement")


@signals.commitment_recorded.connect
def _commitment_for_watchers(commitment, **_) -> None:
    _row_for_watchers(commitment, "commitment")
