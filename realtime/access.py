"""Who a live connection is and which room it names, kept between events (issue 15).

Every event of the room checks who may do it (realtime.namespaces.live_event). Reading the person
and the group with its schools afresh for each event was ~80 % of a slide change's work, for data
that changes a few times a day. Here each process keeps:

* per connection, the person it authenticated as (read at the handshake, from the session cookie's
  token, as Flask-Login's loader does);
* per room, its group with the encounter, the encounter's zones and the group's schools.

Both are kept *detached* (no session owns them: people as read in a session of their own, with
their school and zone; groups copied by ``Session.merge(load=False)`` into a throwaway session).
The hot events (join, slide, hands, timer, turn: ``live_event(attach=False)``) read them as kept,
shared and never changed; what reads more binds them first (app.live.room._bound). The other
events get them merged into their session without SQL: ordinary persistent objects, whose lazy
loads and writes work as before.

What makes a kept copy stale is dropped as soon as it is committed, on every process:

* any ORM change of a person, a group, a group's schools or agenda, an encounter or a school, seen
  by SQLAlchemy's ``after_flush`` (an UPDATE, DELETE or INSERT statement on those tables run
  through a session, the ORM's or on the table itself as the catalogue import moves schools between
  zones, drops every kept group and person), is applied when the transaction commits: here at once,
  and on the other processes by an ``access_changed`` emit through the message queue
  (app.socket_closing hands it to ``apply``);
* a person whose sessions end (logout, new password, disabled account) loses their connections
  already (realtime.auth.disconnect_user), and their entries with them;
* nothing is kept longer than ``TTL`` seconds, for changes no session runs (SQL typed into psql, a
  script on its own connection).

A refusal never rests on a kept copy alone: before answering ``prohibido`` the wrapper reads the
rows again (``fresh=True``), so a school just added to a group is never turned away.
"""

from __future__ import annotations

import threading
import time
from itertools import chain

from flask import current_app, g, has_app_context, request, session
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app import permissions
from app.auth.models import User
from app.auth.sessions import accepts, cookie_parts
from app.catalogue.models import School
from app.encounters.models import AgendaItem, Encounter, EncounterGroup, EncounterSchool
from app.extensions import db
from app.live.snapshots import forget_snapshots
from app.validation import parse_id
from realtime.rooms import LIVE_NAMESPACE

TTL = 60.0  # seconds a kept person or group is trusted without news of a change
EXTENSION = "live_access"
ACCESS_EVENT = "access_changed"  # the emit that carries what changed to every process
ACCESS_ROOM = "acceso"  # a room nobody joins: the emit only travels through the queue
_CHANGED = "live_access.changed"  # session.info: what this transaction changed
_MAX_GROUPS = 20000
LOAD_WAIT = 2.0  # seconds an event waits for another one reading the same group

#: The rows whose change makes a kept group or person stale.
_WATCHED = (User, EncounterGroup, EncounterSchool, AgendaItem, Encounter, School)
_WATCHED_TABLES = frozenset(model.__table__.name for model in _WATCHED)


class AccessCache:
    """One process's kept people (by connection) and groups (by id), for one app."""

    def __init__(self) -> None:
        self.people: dict[str, tuple[float, User]] = {}
        self.groups: dict[int, tuple[float, EncounterGroup]] = {}
        self.loading: dict[int, threading.Event] = {}  # groups being read: the others wait for it
        self.generation = 0  # bumped by every change applied: a read begun before it is not kept
        self.reads = _Reads()  # people read together at the handshakes

    def apply(self, changed: dict) -> None:
        """Drop what ``changed`` names (``users``, ``groups``, ``encounters`` ids; ``everything``)."""
        self.generation += 1
        if changed.get("everything"):
            self.people.clear()
            self.groups.clear()
            forget_snapshots()
            return
        users = set(changed.get("users") or ())
        if users:
            # list(): a copy taken at once (another thread may add a connection meanwhile)
            for sid in [sid for sid, (_, user) in list(self.people.items()) if user.id in users]:
                self.people.pop(sid, None)
        groups = set(changed.get("groups") or ())
        encounters = set(changed.get("encounters") or ())
        if groups or encounters:
            stale = groups | {
                gid for gid, (_, group) in list(self.groups.items()) if group.encounter_id in encounters
            }
            for gid in stale:
                self.groups.pop(gid, None)
            forget_snapshots(stale)  # the room's kept snapshot shows its group too


def cache_of(app=None) -> AccessCache:
    app = app or current_app
    return app.extensions[EXTENSION]


def init_app(app) -> None:
    from app.extensions import socketio

    app.extensions[EXTENSION] = kept = AccessCache()
    # The message queue's manager applies the other processes' changes (app.socket_closing).
    socketio.server.manager.access_cache = kept


def reset(app) -> None:
    """Forget every kept person and group (the tests empty the tables, and ids come back)."""
    kept = app.extensions.get(EXTENSION)
    if kept is not None:
        kept.apply({"everything": True})


def _detached(obj):
    """A copy of ``obj`` (and of the relationships it has loaded) that no session owns, made
    without SQL; None if ``obj`` has changes not yet flushed (it is not what the database holds)."""
    return _detached_all([obj])[0]


def _detached_all(objs: list) -> list:
    """``_detached`` of each of ``objs``, in one throwaway session."""
    keeper = Session()
    try:
        return [
            None if obj is None or inspect(obj).modified else keeper.merge(obj, load=False) for obj in objs
        ]
    finally:
        keeper.close()


def _attach(obj):
    """This event's own copy of a kept object, in its session, without SQL."""
    return db.session.merge(obj, load=False)


def _fresh(entry) -> bool:
    return entry is not None and time.monotonic() - entry[0] < TTL


# --- people ---------------------------------------------------------------------------------------


class _Reads:
    """Connections authenticating at the same moment read their people in one statement.

    A CTE session opens with everyone at once (a process took ~1 ms of its only core per handshake
    for its person's own statement). While one read runs, the ids that arrive join the next batch,
    which its first arrival reads as soon as the running one is done: a lone connection waits for
    nobody, a crowd reads in a few statements. Each reader gets a detached copy (``_detached``)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # guards ``waiting``
        self.reading = threading.Lock()  # one read at a time
        self.waiting: _Batch | None = None

    def person(self, user_id: int) -> User | None:
        """The account ``user_id`` as a detached copy read after this call began (None: no such
        account, or the batch's read failed: the caller reads its own)."""
        with self.lock:
            batch = self.waiting
            lead = batch is None
            if lead:
                batch = self.waiting = _Batch()
            batch.ids.add(user_id)
        if lead:
            with self.reading:  # the read in progress ends; the ids arriving meanwhile join ``batch``
                with self.lock:
                    self.waiting = None
                try:
                    batch.found = _read_people(batch.ids)
                finally:
                    batch.done.set()
        elif not batch.done.wait(LOAD_WAIT):
            return None
        return batch.found.get(user_id)


class _Batch:
    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.done = threading.Event()
        self.found: dict[int, User] = {}


#: What the permission checks read of a person besides their row: their school and zone (read with
#: it, joined); an advisor's schools and zones are read apart (``_read_people``).
_PERSON = (joinedload(User.school), joinedload(User.zone))


def _read_people(ids: set[int]) -> dict[int, User]:
    """Detached copies of the accounts ``ids``, with what the permission checks read (their school
    and zone; an advisor's schools and zones), in one statement (three with advisors among them):
    read in a session of their own, which closing leaves to no session as they were read (no copy
    to make)."""
    reader = Session(bind=db.session.get_bind(), expire_on_commit=False)
    try:
        people = (
            reader.execute(select(User).where(User.id.in_(sorted(ids))).options(*_PERSON)).scalars().all()
        )
        advisors = [u.id for u in people if u.role == "asesor"]
        if advisors:
            reader.execute(
                select(User)
                .where(User.id.in_(advisors))
                .options(selectinload(User.advised_schools), selectinload(User.advised_zones))
            ).scalars().all()
        return {person.id: person for person in people}
    finally:
        reader.close()


def _load_person() -> tuple[User | None, User | None]:
    """The active account the handshake's session cookie names (its current token), read afresh
    with what the permission checks read (an advisor's schools and zones): this event's own (None
    when only the detached copy was read) and the detached copy (None: not an active account, or
    the caller makes the copy)."""
    number, token = cookie_parts(str(session.get("_user_id") or ""))
    if number is None:
        return None, None
    copy = cache_of().reads.person(number)
    user = copy if copy is not None else db.session.get(User, number, options=_PERSON)  # not in the batch
    if not accepts(user, token) or not permissions._authenticated(user):  # noqa: SLF001
        return None, None
    if copy is not None:
        return None, copy
    if user.role == "asesor":
        user.advised_schools, user.advised_zones  # noqa: B018 - loaded now, kept with the person
    return user, None


def connect(sid: str, *, attach: bool = True) -> User | None:
    """At the handshake (and when the kept copy is stale): authenticate the connection and keep
    who it is (unless a change was applied while reading). The person, in this event's session
    (``attach=False``: the detached copy, for a handshake that only reads who it is)."""
    kept = cache_of()
    generation = kept.generation
    user, copy = _load_person()
    if user is None and copy is None:
        return None
    copy = copy if copy is not None else _detached(user)
    if copy is not None and kept.generation == generation:
        kept.people[sid] = (time.monotonic(), copy)
    if user is None:
        user = _attach(copy) if attach else copy
    return user


def actor(*, fresh: bool = False, attach: bool = True) -> User | None:
    """The person of this connection (None: logged out or disabled), from what is kept unless it
    is stale or ``fresh``; also Flask-Login's ``current_user`` for this event (``attach=False``: the
    kept copy itself, as for ``group``)."""
    kept = cache_of()
    entry = None if fresh else kept.people.get(request.sid)
    if _fresh(entry):
        user = _attach(entry[1]) if attach else entry[1]
    else:
        kept.people.pop(request.sid, None)
        user = connect(request.sid, attach=attach)
    g._login_user = user  # Flask-Login's per-request user: nothing loads it again
    return user


def forget_connection(sid: str) -> int | None:
    """A connection closed: drop who it was, and answer their id (None if not kept)."""
    entry = cache_of().people.pop(sid, None)
    return entry[1].id if entry is not None else None


# --- groups ---------------------------------------------------------------------------------------


def _load_group(group_id: int) -> EncounterGroup | None:
    """The group with what the permission checks and the room's services read, in few statements."""
    return db.session.get(
        EncounterGroup,
        group_id,
        populate_existing=True,
        options=[
            joinedload(EncounterGroup.encounter).selectinload(Encounter.zones),
            joinedload(EncounterGroup.schools).joinedload(EncounterSchool.school),
            selectinload(EncounterGroup.agenda),  # a contribution's activity (app.live.writes)
        ],
    )


def group(data, *, fresh: bool = False, attach: bool = True) -> EncounterGroup | None:
    """The group the payload names (``group_id``), from what is kept unless stale or ``fresh``
    (``attach=False``: the kept copy itself, shared and read only, for the hot events; what reads
    more of it binds it to the event's session first, app.live.room._bound)."""
    group_id = parse_id(data.get("group_id")) if isinstance(data, dict) else None
    if group_id is None:  # not an id, or one no table can hold (an overflow on PostgreSQL)
        return None
    kept = cache_of()
    entry = None if fresh else kept.groups.get(group_id)
    if not fresh and not _fresh(entry) and group_id in kept.loading:
        # a join storm (a room's 20 people within a second): one event reads, the others wait
        kept.loading[group_id].wait(LOAD_WAIT)
        entry = kept.groups.get(group_id)
    if _fresh(entry):
        return _attach(entry[1]) if attach else entry[1]
    if fresh:
        forget_snapshots([group_id])
    kept.loading[group_id] = loaded = threading.Event()
    generation = kept.generation
    try:
        found = _load_group(group_id)
        copy = _detached(found)
        if copy is not None and kept.generation == generation:
            if len(kept.groups) >= _MAX_GROUPS:
                kept.groups.clear()
            kept.groups[group_id] = (time.monotonic(), copy)
        else:
            kept.groups.pop(group_id, None)
    finally:
        if kept.loading.get(group_id) is loaded:
            del kept.loading[group_id]
        loaded.set()
    return found


def encounter_id_of(group_id: int) -> int | None:
    """The encounter of a group (which never changes): from the kept copy, else read."""
    entry = cache_of().groups.get(group_id)
    if entry is not None:
        return entry[1].encounter_id
    found = db.session.get(EncounterGroup, group_id)
    return found.encounter_id if found is not None else None


# --- what a transaction changed -------------------------------------------------------------------


def _changes(session) -> dict:
    return session.info.setdefault(_CHANGED, {"users": set(), "groups": set(), "encounters": set()})


@event.listens_for(Session, "after_flush")
def _note_flushed(session, _flush_context) -> None:
    """Note the watched rows this flush wrote (session.new/dirty/deleted still hold them here)."""
    changed = None
    for obj in chain(session.new, session.dirty, session.deleted):
        if not isinstance(obj, _WATCHED):
            continue
        changed = changed or _changes(session)
        if isinstance(obj, User):
            changed["users"].add(obj.id)
        elif isinstance(obj, EncounterGroup):
            changed["groups"].add(obj.id)
        elif isinstance(obj, EncounterSchool | AgendaItem):
            history = inspect(obj).attrs.group_id.history  # a school moved: both groups
            changed["groups"].update(i for i in chain([obj.group_id], history.deleted or ()) if i)
        elif isinstance(obj, Encounter):
            changed["encounters"].add(obj.id)
        else:  # a school (its zone): every kept group may name it
            changed["everything"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state) -> None:
    """An UPDATE, DELETE or INSERT statement on a watched table run through a session, by the ORM
    (``update(School)``) or on the table itself (the catalogue import's ``update(School.__table__)``
    moving schools between zones): which rows is not known, so everything goes."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _WATCHED_TABLES:
        _changes(state.session)["everything"] = True


@event.listens_for(Session, "after_commit")
def _apply_committed(session) -> None:
    changed = session.info.pop(_CHANGED, None)
    if not changed or not has_app_context() or EXTENSION not in current_app.extensions:
        return
    message = {
        "users": sorted(changed["users"]),
        "groups": sorted(changed["groups"]),
        "encounters": sorted(changed["encounters"]),
        "everything": bool(changed.get("everything")),
    }
    cache_of().apply(message)  # this process, at once
    if current_app.config["SOCKETIO_MESSAGE_QUEUE"]:  # the others, through the queue
        from app.extensions import socketio

        try:
            socketio.emit(ACCESS_EVENT, message, to=ACCESS_ROOM, namespace=LIVE_NAMESPACE)
        except Exception:  # the queue is down: their copies expire within TTL
            current_app.logger.warning("no se pudo avisar a los demás procesos de un cambio de acceso")


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(_CHANGED, None)
