"""Where a live room's ephemeral state lives while the session runs: off the database's hot path.

The slide, the timer, the turn, the raised hands and who is online change many times a minute and
matter only while the room is open. They are kept in the process (``LocalStore``, one process) or,
when ``SOCKETIO_MESSAGE_QUEUE`` is set, in Redis (``RedisStore``: a hash per room with the state as
JSON, the room's version and a revision), so that every process and a reconnecting client see the
same version. A change is a compare-and-set on the revision read (one Lua script: check, write,
``HINCRBY`` the version by the number of events); a lost race raises ``StateConflict`` and the socket
event runs again (realtime.namespaces.live_event). Row writes (contributions, commitments, agreements)
take their version from the same counter (``incr``) under the room's database lock, as before.

The database keeps a copy (``LiveSession.state`` and ``version``), written asynchronously and
coalesced: at most once per ``PERSIST_SECONDS`` per room by a background task of each process, at the
close of the encounter (synchronously, app.live.closing) and when the process stops (``flush_all``).
A room missing from the store (first use, a restarted process or a restarted Redis) is seeded from
that copy; its version then jumps by ``RESEED_GAP`` (more than the versions one room can hand out
between two persists: the room's rate limit is 40 events/s, burst 120) so that no version is handed
out twice, and every client sees the gap and fetches the snapshot again.

While Redis does not answer (a short timeout, then one attempt per ``RETRY_SECONDS``), a process
keeps its rooms in its own ``LocalStore`` (seeded the same way); when Redis answers again, a room
whose local version is ahead is written back to Redis, so the versions keep growing.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref

from app.live import jsontext

log = logging.getLogger(__name__)

#: The keys of the room's state kept in the store; the others (the close, the announcement, what
#: later features add) are the database row's.
EPHEMERAL_KEYS = frozenset(
    {
        "agenda_index",
        "timer",
        "turn_school_id",
        "slide",
        "problem_id",
        "deck",
        "hands",
        "floor_user_id",
        "floor",
        "online",
        "present_school_ids",
        "connections",
        "reminder",  # the facilitator's "volvamos a la problemática" (issue 11): shown for a while
    }
)
PERSIST_SECONDS = 1.0
RESEED_GAP = 1000
RETRY_SECONDS = 1.0
REDIS_TIMEOUT = 0.2
KEY_TTL_SECONDS = 12 * 3600
EXTENSION = "live_state_store"


class StateConflict(Exception):
    """Another change of the room's state won the race: read it again and retry."""


class StoreDown(Exception):
    """Redis did not answer."""


def ephemeral(state: dict) -> dict:
    return {k: v for k, v in state.items() if k in EPHEMERAL_KEYS}


class LocalStore:
    """Rooms in this process: ``{group_id: [version, revision, state, rows version]}`` behind one
    lock (the rows version: that of the last row event, which the snapshot's cache is keyed by)."""

    def __init__(self) -> None:
        self._rooms: dict[int, list] = {}
        self._lock = threading.Lock()

    def read(self, group_id: int):
        """(version, revision, state) or None when the room is not kept here."""
        with self._lock:
            hit = self._rooms.get(group_id)
            return None if hit is None else (hit[0], hit[1], jsontext.loads(hit[2]))

    def seed(self, group_id: int, version: int, state: dict):
        """Keep the room unless it is kept already; what is kept afterwards."""
        with self._lock:
            if group_id not in self._rooms:
                self._rooms[group_id] = [version, 0, jsontext.dumps(ephemeral(state)), version]
            hit = self._rooms[group_id]
            return hit[0], hit[1], jsontext.loads(hit[2])

    def write(self, group_id: int, revision: int, state: dict | None, events: int, rows: bool = False) -> int:
        """Store ``state`` (None: unchanged) if the room is still at ``revision``, and add ``events``
        to its version (``rows``: a row event's, kept as the rows version); the new version.
        ``StateConflict`` if it changed meanwhile."""
        with self._lock:
            hit = self._rooms.get(group_id)
            if hit is None or (state is not None and hit[1] != revision):
                raise StateConflict(group_id)
            if state is not None:
                hit[2] = jsontext.dumps(ephemeral(state))
                hit[1] += 1
            hit[0] += events
            if rows:
                hit[3] = hit[0]
            return hit[0]

    def rows_version(self, group_id: int) -> int | None:
        with self._lock:
            hit = self._rooms.get(group_id)
            return None if hit is None else hit[3]

    def put(self, group_id: int, version: int, state: dict) -> None:
        with self._lock:
            self._rooms[group_id] = [version, 0, jsontext.dumps(ephemeral(state)), version]

    def forget(self, group_id: int) -> None:
        with self._lock:
            self._rooms.pop(group_id, None)

    def groups(self) -> list[int]:
        with self._lock:
            return list(self._rooms)


# KEYS[1]: the room's hash. ARGV: revision read, new state JSON ('' = unchanged), events, ttl,
# rows ('1': a row event's version, kept in 'w').
_WRITE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[2] ~= '' then
  if tonumber(redis.call('HGET', KEYS[1], 'r')) ~= tonumber(ARGV[1]) then return -2 end
  redis.call('HSET', KEYS[1], 's', ARGV[2])
  redis.call('HINCRBY', KEYS[1], 'r', 1)
end
local v = redis.call('HINCRBY', KEYS[1], 'v', tonumber(ARGV[3]))
if ARGV[5] == '1' then redis.call('HSET', KEYS[1], 'w', v) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return v
"""
# KEYS[1]: the room's hash. ARGV: version, state JSON, ttl, force ('1': replace a lower version).
_SEED = """
local v = tonumber(redis.call('HGET', KEYS[1], 'v'))
if v == nil or (ARGV[4] == '1' and v < tonumber(ARGV[1])) then
  redis.call('HSET', KEYS[1], 'v', ARGV[1], 'r', 0, 's', ARGV[2], 'w', ARGV[1])
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return redis.call('HMGET', KEYS[1], 'v', 'r', 's')
"""


class RedisStore:
    """Rooms in Redis, shared by every process (see the module docstring), with ``LocalStore`` as
    the fallback while Redis does not answer."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.prefix = prefix
        self.client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT, retry=None
        )
        self._write = self.client.register_script(_WRITE)
        self._seed = self.client.register_script(_SEED)
        self.local = LocalStore()
        self._down_until = 0.0
        self._fallback: set[int] = set()  # rooms changed locally while Redis was down

    def key(self, group_id: int) -> str:
        return f"{self.prefix}:sala:{int(group_id)}"

    def _call(self, fn, *args, **kwargs):
        if time.monotonic() < self._down_until:
            raise StoreDown()
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # redis errors, timeouts, refused connections
            if self._down_until == 0.0 or time.monotonic() > self._down_until + 5:
                log.warning("Estado de las salas en cada proceso: sin respuesta de Redis (%s)", exc)
            self._down_until = time.monotonic() + RETRY_SECONDS
            raise StoreDown() from exc

    def _recovered(self, group_id: int) -> None:
        """Redis answers again: a room changed here meanwhile goes back to Redis if it is ahead,
        ``RESEED_GAP`` versions further on. Other processes kept the room too, seeded from the same
        copy, so their versions overlap this one's; the jump puts the next event past all of them,
        and every client sees a gap and fetches the snapshot (the furthest process's state wins)."""
        if group_id not in self._fallback:
            return
        kept = self.local.read(group_id)
        if kept is not None:  # StoreDown leaves it here for the next attempt
            self._call(
                self._seed,
                keys=[self.key(group_id)],
                args=[kept[0] + RESEED_GAP, jsontext.dumps(kept[2]), KEY_TTL_SECONDS, "1"],
            )
        self._fallback.discard(group_id)
        self.local.forget(group_id)

    def read(self, group_id: int):
        try:
            self._recovered(group_id)
            v, r, s = self._call(self.client.hmget, self.key(group_id), "v", "r", "s")
        except StoreDown:
            return self.local.read(group_id)
        if v is None:
            return None
        return int(v), int(r), jsontext.loads(s)

    def seed(self, group_id: int, version: int, state: dict):
        try:
            v, r, s = self._call(
                self._seed,
                keys=[self.key(group_id)],
                args=[version, jsontext.dumps(ephemeral(state)), KEY_TTL_SECONDS, "0"],
            )
        except StoreDown:
            self._fallback.add(group_id)
            return self.local.seed(group_id, version, state)
        return int(v), int(r), jsontext.loads(s)

    def write(self, group_id: int, revision: int, state: dict | None, events: int, rows: bool = False) -> int:
        if group_id in self._fallback or time.monotonic() < self._down_until:
            return self.local.write(group_id, revision, state, events, rows)
        try:
            result = self._call(
                self._write,
                keys=[self.key(group_id)],
                args=[
                    revision,
                    "" if state is None else jsontext.dumps(ephemeral(state)),
                    events,
                    KEY_TTL_SECONDS,
                    "1" if rows else "0",
                ],
            )
        except StoreDown:
            raise StateConflict(group_id) from None  # read again (locally) and retry
        if result == -2:
            raise StateConflict(group_id)
        if result == -1:  # expired or Redis restarted between the read and the write
            raise StateConflict(group_id)
        return int(result)

    def rows_version(self, group_id: int) -> int | None:
        if group_id in self._fallback:
            return self.local.rows_version(group_id)
        try:
            found = self._call(self.client.hget, self.key(group_id), "w")
        except StoreDown:
            return self.local.rows_version(group_id)
        return None if found is None else int(found)

    def forget(self, group_id: int) -> None:
        self.local.forget(group_id)
        self._fallback.discard(group_id)
        try:
            self._call(self.client.delete, self.key(group_id))
        except StoreDown:
            pass


# --- the asynchronous copy in the database ---------------------------------------------------


class Persister:
    """Rooms changed since their last copy, written to the database at most once per
    ``PERSIST_SECONDS`` each by one background task of this process."""

    def __init__(self, app) -> None:
        self.app = app
        self._dirty: set[int] = set()
        self._lock = threading.Lock()
        self._started = False

    def mark(self, group_id: int) -> None:
        with self._lock:
            self._dirty.add(group_id)
            start = not self._started and not self.app.testing  # tests flush when they mean to
            self._started = self._started or start
        if start:
            self._start()

    def _start(self) -> None:
        from app.extensions import socketio

        if getattr(socketio, "server", None) is not None:
            socketio.start_background_task(self._loop)
        else:  # pragma: no cover - Socket.IO not initialised (a CLI command)
            threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        from app.extensions import socketio

        while True:
            socketio.sleep(PERSIST_SECONDS)
            try:
                self.flush()
            except Exception:
                log.exception("no se pudo guardar el estado de las salas")
            with self._lock:
                if not self._dirty:  # nothing changed for a second: the next change starts it again
                    self._started = False
                    return

    def flush(self) -> int:
        """Copy every changed room to the database now; how many."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        if not dirty:
            return 0
        from app.extensions import db
        from app.live.room import persist_rooms

        with self.app.app_context():
            try:
                persist_rooms(sorted(dirty))
                db.session.commit()
            except Exception:
                db.session.rollback()
                with self._lock:
                    self._dirty |= dirty
                raise
            finally:
                db.session.remove()
        return len(dirty)


_PERSISTERS: weakref.WeakSet[Persister] = weakref.WeakSet()


def init_app(app) -> None:
    """The app's store (Redis when ``SOCKETIO_MESSAGE_QUEUE`` is set) and its persister."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    if url:
        from app import socketio_channel

        store = RedisStore(url, socketio_channel(app.config))
    else:
        store = LocalStore()
    persister = Persister(app)
    app.extensions[EXTENSION] = (store, persister)
    _PERSISTERS.add(persister)


def store_of(app):
    return app.extensions[EXTENSION][0]


def persister_of(app) -> Persister:
    return app.extensions[EXTENSION][1]


def reset(app) -> None:
    """Forget every room kept in this process (tests: the tables are emptied, ids come back)."""
    store, _persister = app.extensions[EXTENSION]
    if isinstance(store, RedisStore):
        store.local = LocalStore()
        store._fallback.clear()
    else:
        app.extensions[EXTENSION] = (LocalStore(), Persister(app))


def flush_all() -> None:
    """Copy every changed room of this process to the database (on shutdown)."""
    for persister in list(_PERSISTERS):
        try:
            persister.flush()
        except Exception:
            log.exception("no se pudo guardar el estado de las salas al salir")


atexit.register(flush_all)
