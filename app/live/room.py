"""The live room's row and its rules: the state, the lock and version of each change, the events
handed to ``app.signals.room_event`` and the checks every service of the room shares.

Every service takes the actor explicitly, checks it with app/permissions.py, flushes (the socket
event or HTTP route commits once) and hands its events (built by app.live.events) to the
``room_event`` signal; realtime/ connects to it and emits them only after the commit. This area
never imports realtime/.

The room's ephemeral state (slide, timer, turn, hands, presence) lives in app.live.state_store (the
process, or Redis when the message queue is set), with the room's version: ``_room`` reads it without
touching the database and ``_publish`` writes it back (a compare-and-set; the database's copy follows
within a second). Row writes (contributions, commitments, agreements) hold the row's lock with
``lock_room`` (an UPDATE of itself, nothing read; ``_locked`` also reads it, for the close), store
the row, and ``_publish_row`` queues its event, stamped with the room's next version from the same
counter once the row is committed. Long on purpose: the row, its two locks (reading it, or only
holding it: ``lock_room``) and its copy from the store are one piece.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import inspect, text, update
from sqlalchemy.exc import IntegrityError

from app import signals
from app.encounters.closing import late_write
from app.encounters.models import EncounterGroup
from app.extensions import db
from app.live import events, jsontext, state_store
from app.live.models import LiveSession
from app.live.state_store import EPHEMERAL_KEYS
from app.live.upserts import NO_UPSERT, insert_unless_taken
from app.problems.models import Problem
from app.transactions import on_commit
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError

CONTRIBUTION_TEXT_MAX = 2000

HIDDEN_REASON_MAX = 300

MAX_HANDS = 200

TIMER_ACTIONS = ("start", "pause", "extend", "next", "previous")


WILL_TRY_KINDS = ("propuesta", "recurso")


def get_group(encounter_id: int, position: int) -> EncounterGroup | None:
    """The group at ``position`` of the encounter, or None."""
    return db.session.execute(
        db.select(EncounterGroup).filter_by(encounter_id=encounter_id, position=position)
    ).scalar_one_or_none()


def _bound(obj):
    """``obj`` in this event's session: the hot events get the person and the group as kept by
    realtime.access (no session owns them); what reads more of them binds them first, without SQL."""
    if obj is None or not inspect(obj).detached:
        return obj
    return db.session.merge(obj, load=False)


def _reading(obj, attribute: str):
    """``obj`` as it is when ``attribute`` is loaded on it (a kept copy read without a merge), else
    bound to this event's session (``_bound``), where it loads."""
    return obj if attribute in inspect(obj).dict else _bound(obj)


def _initial_state(group: EncounterGroup) -> dict:
    group = _reading(group, "agenda")
    first = group.agenda[0] if group.agenda else None
    seconds = (first.minutes if first else 10) * 60
    return {
        "agenda_index": 0,
        "timer": {"running": False, "started_at": None, "remaining": seconds, "duration": seconds},
        "turn_school_id": first.school_id if first else None,
        "slide": 0,
        "problem_id": None,
        "hands": [],
        "floor_user_id": None,
        "floor": None,  # the turn to speak's clock: {"started_at", "seconds"} while someone has it
        "online": [],
        "present_school_ids": [],
        "connections": {},
        "closed_at": None,
        "reminder": None,  # the facilitator's last "volvamos a la problemática": {"at", "by"}
    }


STATE_KEYS = (EPHEMERAL_KEYS - {"deck"}) | {"closed_at"}  # the state's keys a room starts with


def get_live_session(group: EncounterGroup, *, starting: bool = False) -> LiveSession:
    """The group's live session, created on first use (a concurrent creator's row wins).

    ``starting`` (a room's first join): created started, by an INSERT that leaves a stored row as it
    is (one statement for a new room, two for one that ran before; no savepoint)."""

    def values() -> dict:
        return {
            "group_id": group.id,
            "version": 0,
            "state": _initial_state(group),
            "present_school_ids": [],
            "started_at": utcnow() if starting else None,
        }

    if starting:
        created = insert_unless_taken(LiveSession, values(), key="group_id")
        if created is not None and created is not NO_UPSERT:
            return created
    live = db.session.execute(db.select(LiveSession).filter_by(group_id=group.id)).scalar_one_or_none()
    if live is not None:
        return live
    live = LiveSession(**values())
    try:
        with db.session.begin_nested():
            db.session.add(live)
    except IntegrityError:
        live = db.session.execute(db.select(LiveSession).filter_by(group_id=group.id)).scalar_one()
    return live


def _lock_row(group_id: int) -> LiveSession | None:
    """Lock the group's live session for this transaction and read it, in one statement.

    ``UPDATE … SET version = version … RETURNING`` takes the row lock on PostgreSQL and the write
    lock on SQLite (where ``SELECT … FOR UPDATE`` locks nothing) and returns the fresh row; without
    UPDATE … RETURNING (old SQLite), an UPDATE and a locked SELECT.
    """
    stmt = update(LiveSession).where(LiveSession.group_id == group_id).values(version=LiveSession.version)
    options = {"synchronize_session": False}
    if db.session.get_bind().dialect.update_returning:
        return db.session.execute(
            stmt.returning(LiveSession), execution_options={**options, "populate_existing": True}
        ).scalar_one_or_none()
    db.session.execute(stmt, execution_options=options)
    return db.session.execute(
        db.select(LiveSession)
        .filter_by(group_id=group_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _copy(value):
    """A deep copy of JSON data (the room's state is JSON: a round trip is several times faster
    than ``copy.deepcopy`` on it)."""
    return jsontext.copy(value)


def _full_state(live: LiveSession, group: EncounterGroup) -> dict:
    """A copy of the stored state, with any key an older row lacks (the agenda is read only then)."""
    state = _copy(live.state or {})
    if not STATE_KEYS <= state.keys():
        for key, value in _initial_state(group).items():
            state.setdefault(key, value)
    return state


class Room:
    """A room's ephemeral state as read from the store (app.live.state_store): its version, and the
    revision a change is written against. ``_room`` hands it out without touching the database."""

    __slots__ = ("group_id", "version", "revision", "read")

    def __init__(self, group_id: int, version: int, revision: int, read: dict) -> None:
        self.group_id, self.version, self.revision, self.read = group_id, version, revision, read


def _store():
    return state_store.store_of(current_app)


def _seed_from(live: LiveSession, group: EncounterGroup):
    """Keep the room in the store from its database copy: a room that ran before (a restarted
    process or Redis) skips ``RESEED_GAP`` versions, so none is handed out twice."""
    state = _full_state(live, group)
    version = live.version + (state_store.RESEED_GAP if live.version else 0)
    return _store().seed(group.id, version, state)


def _room(group: EncounterGroup, live: LiveSession | None = None, kept=None) -> tuple[Room, dict]:
    """The room's ephemeral state from the store (seeded from the database copy on first use),
    and the database-kept keys from the row when ``live`` is given (or when seeding); ``kept``:
    what the store answered, read already."""
    kept = kept if kept is not None else _store().read(group.id)
    if kept is None:
        live = live if live is not None else get_live_session(group)
        kept = _seed_from(live, group)
    version, revision, ephemeral = kept
    if live is not None:
        state = _full_state(live, group)
        _remember_static(group.id, state)
    else:  # the hot path: no statement (the row's keys as last read by this process)
        state = {"closed_at": None, **_copy(_STATIC_KEYS.get(group.id, {}))}
    state.update(ephemeral)
    return Room(group.id, version, revision, _copy(ephemeral)), state


#: The database-kept key the hot events read without the row (the close), refreshed whenever the
#: row is read; per process, bounded.
_STATIC_KEYS: dict[int, dict] = {}


def _remember_static(group_id: int, state: dict) -> None:
    if len(_STATIC_KEYS) > 5000:
        _STATIC_KEYS.clear()
    _STATIC_KEYS[group_id] = {"closed_at": state.get("closed_at")}


#: Core text, not an ORM ``update()``: the ORM's bulk-update path was a third of a contribution's CPU.
_LOCK_ROOM = text("UPDATE live_sessions SET version = version WHERE group_id = :group_id")


def lock_room(group: EncounterGroup) -> None:
    """Take the room's row lock for this transaction without reading the row (an UPDATE of itself:
    the row lock on PostgreSQL, the write lock on SQLite), creating the row on first use. Row writes
    (contributions, commitments) take it so that they are serialised per room: an author's count
    of contributions is exact under it, and the close waits for them."""
    if db.session.execute(_LOCK_ROOM, {"group_id": group.id}).rowcount == 0:
        get_live_session(group)
        db.session.execute(_LOCK_ROOM, {"group_id": group.id})


def state_then_lock(group: EncounterGroup) -> dict:
    """The room's state as the hot events read it (the store; before the lock, see ``_locked``),
    then the row's lock (``lock_room``): for a row write that reads the state without changing it."""
    state = _room(group)[1]
    lock_room(group)
    return state


def _locked(group: EncounterGroup) -> tuple[LiveSession, dict]:
    """The live session, locked for this transaction, and a copy of its state to change (the
    ephemeral keys from the store, the others from the row)."""
    # The store first, then the lock: under gevent a wait for Redis while holding SQLite's write
    # lock would stall every other writer of the process.
    kept = _store().read(group.id)
    live = _lock_row(group.id)
    if live is None:  # first use: create it (a concurrent creator's row wins), then lock it
        get_live_session(group)
        live = _lock_row(group.id)
    room, state = _room(group, live, kept)
    live._room = room  # noqa: SLF001 - the store's revision this change is written against
    return live, state


def _changing(group: EncounterGroup, change, attempts: int = 20, live: LiveSession | None = None):
    """Run ``change(room, state)`` on a fresh read until its write wins (``StateConflict``: another
    change came first); what ``change`` returns."""
    for attempt in range(attempts):
        room, state = _room(group, live)
        try:
            return change(room, state)
        except state_store.StateConflict:
            if attempt == attempts - 1:
                raise
    return None  # pragma: no cover


def online_now(group_id: int) -> list[dict]:
    """Who is in the room now, from the store (the overview's summary of a presence event)."""
    kept = _store().read(group_id)
    return list(kept[2].get("online") or []) if kept is not None else []


def _rows_version(group_id: int) -> int | None:
    """The version of the room's last row event (None: the store does not keep the room)."""
    return _store().rows_version(group_id)


def _write_store(room: Room, state: dict, events_count: int) -> int:
    """Write the ephemeral part of ``state`` (if it changed) and take ``events_count`` versions."""
    changed = state_store.ephemeral(state) != room.read
    version = _store().write(room.group_id, room.revision, state if changed else None, events_count)
    if changed:
        room.revision += 1
        room.read = _copy(state_store.ephemeral(state))
    room.version = version
    if changed or events_count:
        state_store.persister_of(current_app).mark(room.group_id)
    return version


def _publish(live, group: EncounterGroup, state: dict, *types: str, presence: dict | None = None) -> None:
    """Store the new state and queue one versioned event per type (emitted after commit).

    ``live`` is the locked row (``_locked``: its database-kept keys are written with it) or a
    ``Room`` (``_room``: the store only; the database gets its copy within a second). A
    ``presence`` event carries who ``joined`` or ``left`` (``presence``: those keyword arguments)."""
    room = live if isinstance(live, Room) else live._room  # noqa: SLF001
    version = _write_store(room, state, len(types))
    first = version - len(types) + 1
    for n, type_ in enumerate(types):
        if type_ == "presence":
            event = events.presence_event(first + n, group.id, state, **(presence or {}))
        else:
            event = events.state_event(type_, first + n, group.id, state)
        signals.room_event.send(group.id, event=event)
    if not isinstance(live, Room):
        _save_row(live, state, version)
        db.session.flush()


def _save(live, state: dict) -> None:
    """Keep a change that is no event (a connection's count): the store, and the row if locked."""
    room = live if isinstance(live, Room) else live._room  # noqa: SLF001
    _write_store(room, state, 0)
    if not isinstance(live, Room):
        _save_row(live, state, room.version)
        db.session.flush()


def _save_row(live: LiveSession, state: dict, version: int) -> None:
    stored = live.state or {}
    if any(stored.get(k) != v for k, v in state.items() if k not in EPHEMERAL_KEYS):
        live.state = state
    live.version = max(live.version or 0, version)


class _Stamp:
    """A row event's version, taken from the store's counter once the row is committed (before the
    event is emitted: on_commit runs in order). A snapshot read between the commit and the stamp
    holds the row with an older version; the event then replaces it with itself, so a snapshot plus
    the events that follow it stays exact. A rolled-back write takes no version."""

    __slots__ = ("group_id", "event")

    def __init__(self, group_id: int, event: dict) -> None:
        self.group_id, self.event = group_id, event

    def __call__(self) -> None:
        self.event["version"] = next_version(self.group_id)


def next_version(group_id: int, events_count: int = 1) -> int:
    """Take ``events_count`` versions of the room (seeding it from its row if the store lost it)."""
    for _attempt in range(3):
        kept = _store().read(group_id)
        if kept is None:
            group = db.session.get(EncounterGroup, group_id)
            kept = _seed_from(get_live_session(group), group)
        try:
            version = _store().write(group_id, kept[1], None, events_count, rows=True)
        except state_store.StateConflict:  # the room left the store meanwhile (Redis restarted)
            continue
        state_store.persister_of(current_app).mark(group_id)
        return version
    raise state_store.StateConflict(group_id)


def _publish_row(group: EncounterGroup, type_: str, row: dict) -> None:
    """Queue a row's event (a contribution, a commitment...), stamped with the room's next version
    once the row is committed (``_Stamp``)."""
    event = events.row_event(type_, 0, group.id, row)
    on_commit(_Stamp(group.id, event))
    signals.room_event.send(group.id, event=event)
    db.session.flush()


#: PostgreSQL: a room's copy in one statement that reads nothing first, merging the store's keys
#: into the row's state (the row keeps its own keys: the close).
_COPY_ROOM = text(
    "UPDATE live_sessions SET"
    " state = (COALESCE(state::jsonb, '{}'::jsonb) || CAST(:ephemeral AS jsonb))::json,"
    " present_school_ids = CAST(:present AS json), version = GREATEST(COALESCE(version, 0), :version)"
    " WHERE group_id = :group_id"
)


def persist_rooms(group_ids: list[int]) -> None:
    """Copy the store's state of these rooms to their rows (state_store.Persister).

    On PostgreSQL every room is one row of a single executemany UPDATE: no row is read or locked
    before it is written, so the copy holds each room's row lock only for that statement and the
    commit, and a contribution arriving meanwhile hardly waits (a copy that read and locked 50 rows
    one by one, then committed, had held them ~30 ms: the contributions' ack p99 went from 14 ms
    to 46 ms in benchmarks/live_rooms.py). Elsewhere (SQLite: one writer at a time anyway) each
    row is read, merged and written."""
    read = {group_id: _store().read(group_id) for group_id in group_ids}  # Redis before any lock
    kept = {group_id: value for group_id, value in read.items() if value is not None}
    if not kept:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            _COPY_ROOM,
            [
                {
                    "group_id": group_id,
                    "ephemeral": jsontext.dumps(ephemeral),
                    "present": jsontext.dumps(list(ephemeral.get("present_school_ids") or [])),
                    "version": version,
                }
                for group_id, (version, _revision, ephemeral) in sorted(kept.items())
            ],
        )
        return
    for group_id, (version, _revision, ephemeral) in kept.items():
        live = _lock_row(group_id)
        if live is None:
            continue
        state = {**(live.state or {}), **ephemeral}
        if state != live.state:
            live.state = state
        live.present_school_ids = list(ephemeral.get("present_school_ids") or [])
        live.version = max(live.version or 0, version)
    db.session.flush()


def _require(condition: bool, message=None) -> None:
    """Refuse unless ``condition`` (``message``: a lazy string, translated only when refused: an
    eager ``gettext`` was a tenth of a join's work)."""
    if not condition:
        raise PermissionDenied(
            str(message) if message is not None else _("No tienes permiso para hacer esto en la sala.")
        )


def _require_open(group: EncounterGroup) -> None:
    if group.encounter.status == "borrador":
        raise ValidationError({"_": _("El encuentro aún es un borrador.")})


def _require_writable(group: EncounterGroup) -> None:
    """Open, and not concluded: after the close only offline writes typed before it are kept
    (``late_write``, in add_contribution and add_commitment); nothing else changes the room."""
    _require_open(group)
    late_write(group.encounter, None)


def _member_school_id(actor, group: EncounterGroup) -> int | None:
    school_id = getattr(actor, "school_id", None)
    return school_id if school_id in {m.school_id for m in group.schools} else None


def edit_minutes() -> int:
    """How long an author may edit a contribution (CONTRIBUTION_EDIT_MINUTES, default 5)."""
    return current_app.config["CONTRIBUTION_EDIT_MINUTES"]


def _group_problem_ids(group: EncounterGroup) -> set[int]:
    school_ids = [m.school_id for m in group.schools]
    return set(db.session.execute(db.select(Problem.id).where(Problem.school_id.in_(school_ids))).scalars())
