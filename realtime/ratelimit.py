"""Limits of the live room, checked before any database work: events per connection, per person
(all of that person's connections) and per room, and open connections per person.

Why: one participant flooding events stalled every room of a process (issue 16): each event
reloaded the user from the database before a per-connection limit, so 20 connections of one person
wrote thousands of rows and a burst of connections emptied the database pool. Now the person is
known from the session cookie alone (``person_key``: the raw ``session['_user_id']``, an opaque
string, hashed, kept per connection from its handshake). The connection's bucket is checked in this
process first, before Flask's request context is even pushed (``LiveRoomNamespace.trigger_event``);
then one Redis call decides the person's and the room's buckets together: an event goes through only
if both have a token, and then takes one from each, so a refused event costs nothing to the others
(a flooder cannot drain the room's bucket once their own is empty). A connection that keeps sending
after ``LIVE_MAX_REFUSED_EVENTS`` refusals within ``REFUSAL_WINDOW`` seconds is closed, and its person
may not connect again for that long (a script reconnecting in a loop would cost a join each time).

With ``REDIS_URL`` the person's and room's buckets and the connection counts are shared by every
process (a Lua script: one round trip, ~0.18 ms on loopback, against ~0.44 ms for three ``limits``
moving windows, which also cannot take from several limits all-or-nothing). Without it they live in this process. If Redis
cannot be reached the limits **fail open to this process**: for ``_RETRY_REDIS`` seconds they are
counted in memory, per process, as without Redis (a person could then get the limits once per
process), rather than refuse everyone or wait on a dead server; keys carry ``RATELIMIT_KEY_PREFIX``.

Connections are counted in a sorted set per person (member: the connection id, score: when it
expires). Each process refreshes its own connections' expiry every ``CONNECTION_TTL / 3`` seconds
and on each event, so a process that is killed stops refreshing and its connections stop counting
after ``CONNECTION_TTL`` seconds: nobody stays locked out.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from flask import current_app, session

log = logging.getLogger(__name__)
EXTENSION = "aee_live_limits"
CONNECTION_TTL = 90  # seconds a connection counts without a refresh
_RETRY_REDIS = 5.0  # seconds in memory after a Redis failure before trying Redis again
REFUSAL_WINDOW = 10.0  # seconds over which a connection's refused events are counted
REDIS_TIMEOUT = 1.0  # seconds a Redis call may take before the limits count in memory instead

# KEYS: the buckets, then the person's connection set. ARGV: rate, capacity per bucket, then the
# connection id and its TTL. Returns 0 (taken from every bucket) or the 1-based index of the first
# bucket without a token.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local n = #KEYS - 1
local tokens = {}
for i = 1, n do
  local rate, cap = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local v = redis.call('HMGET', KEYS[i], 't', 'at')
  local left = tonumber(v[1]) or cap
  local at = tonumber(v[2]) or now
  left = math.min(cap, left + math.max(0, now - at) * rate)
  if left < 1 then return i end
  tokens[i] = left
end
for i = 1, n do
  local rate, cap = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  redis.call('HSET', KEYS[i], 't', tokens[i] - 1, 'at', now)
  redis.call('PEXPIRE', KEYS[i], math.ceil(cap / rate * 1000) + 1000)
end
local ttl = tonumber(ARGV[2 * n + 2])
redis.call('ZADD', KEYS[#KEYS], 'XX', now + ttl, ARGV[2 * n + 1])
return 0
"""

# KEYS: the person's connection set, their penalty. ARGV: connection id, cap, TTL.
# 1: counted; 0: at the cap; -1: the person's flooding connection was closed a moment ago.
_CONNECT = """
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('EXPIRE', KEYS[1], ttl + 1)
return 1
"""


def person_key() -> str | None:
    """Who this connection is, from the session cookie and without the database: a digest of the
    raw ``session['_user_id']`` (opaque: an id or a session token), None when logged out."""
    raw = session.get("_user_id")
    if raw is None or raw == "":
        return None
    return hashlib.sha256(str(raw).encode()).hexdigest()[:32]


class _Memory:
    """The same buckets and connection sets in this process (no Redis, or Redis unreachable)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}
        self._connections: dict[str, set[str]] = {}
        self._penalties: dict[str, float] = {}

    def penalise(self, person: str, seconds: float) -> None:
        with self._lock:
            self._penalties[person] = time.monotonic() + seconds

    def take(self, keys: list[str], rules: list[tuple[float, float]]) -> int:
        now = time.monotonic()
        with self._lock:
            fresh = []
            for i, (key, (rate, cap)) in enumerate(zip(keys, rules), start=1):
                left, at = self._buckets.get(key, (cap, now))
                left = min(cap, left + (now - at) * rate)
                if left < 1:
                    return i
                fresh.append(left)
            for key, left in zip(keys, fresh):
                self._buckets[key] = (left - 1, now)
            if len(self._buckets) > 100_000:  # long-idle buckets are full anyway: start afresh
                self._buckets.clear()
        return 0

    def connect(self, person: str, sid: str, cap: int) -> bool | None:
        with self._lock:
            if self._penalties.get(person, 0.0) > time.monotonic():
                return None
            sids = self._connections.setdefault(person, set())
            if sid not in sids and len(sids) >= cap:
                return False
            sids.add(sid)
            return True

    def disconnect(self, person: str, sid: str) -> None:
        with self._lock:
            sids = self._connections.get(person)
            if sids is not None:
                sids.discard(sid)
                if not sids:
                    del self._connections[person]

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
            self._connections.clear()
            self._penalties.clear()


class LiveLimits:
    """The live room's limits for one application (see the module's docstring)."""

    def __init__(self, config) -> None:
        self.prefix = f"{config['RATELIMIT_KEY_PREFIX']}:sala"
        self.connection = (float(config["LIVE_EVENTS_PER_SECOND"]), float(config["LIVE_EVENTS_BURST"]))
        self.person = (
            float(config["LIVE_PERSON_EVENTS_PER_SECOND"]),
            float(config["LIVE_PERSON_EVENTS_BURST"]),
        )
        self.room = (float(config["LIVE_ROOM_EVENTS_PER_SECOND"]), float(config["LIVE_ROOM_EVENTS_BURST"]))
        self.max_connections = int(config["LIVE_MAX_CONNECTIONS_PER_PERSON"])
        self.max_refused = int(config["LIVE_MAX_REFUSED_EVENTS"])
        self._refusals: dict[str, tuple[float, int]] = {}  # sid -> (window start, refusals in it)
        self.memory = _Memory()
        self.redis = None
        self._down_until = 0.0
        self._local: dict[str, str] = {}  # this process's connections: sid -> person
        self._refresher = False
        if config["REDIS_URL"]:
            import redis

            # A bounded pool: a flood runs one greenlet per event, which must queue for a
            # connection rather than open hundreds. A reply later than REDIS_TIMEOUT counts as
            # Redis being away (the limits then count in this process for _RETRY_REDIS seconds).
            pool = redis.BlockingConnectionPool.from_url(
                config["REDIS_URL"],
                max_connections=32,
                timeout=REDIS_TIMEOUT,
                socket_timeout=REDIS_TIMEOUT,
                socket_connect_timeout=REDIS_TIMEOUT,
            )
            self.redis = redis.Redis(connection_pool=pool)
            self._take = self.redis.register_script(_TAKE)
            self._connect = self.redis.register_script(_CONNECT)

    # --- Redis, or memory while it is away ---

    def _shared(self):
        return self.redis is not None and time.monotonic() >= self._down_until

    def _redis_failed(self, what: str) -> None:
        if time.monotonic() >= self._down_until:  # one warning per outage, not one per event
            log.warning("límites de la sala: sin Redis (%s); se cuentan en este proceso", what, exc_info=True)
        self._down_until = time.monotonic() + _RETRY_REDIS

    def _key(self, *parts) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    # --- events ---

    def take(self, sid: str, person: str, group_id: int | None = None) -> float | None:
        """Take one event from the connection's, the person's and (``group_id``) the room's bucket:
        None when it may go on, else the seconds to wait before trying again.

        The connection's bucket is in this process (a connection lives in one), checked first and
        without any I/O: a flooding connection is refused for the cost of a dict look-up, and at
        most its own rate reaches Redis for the person's and the room's buckets.
        """
        if self.memory.take([self._key("c", sid)], [self.connection]):
            return self._refused(sid, self.connection)
        keys, rules = [self._key("p", person)], [self.person]
        if group_id is not None:
            keys.append(self._key("r", group_id))
            rules.append(self.room)
        refused = None
        if self._shared():
            args = [x for rule in rules for x in rule] + [sid, CONNECTION_TTL]
            try:
                refused = int(self._take(keys=[*keys, self._key("n", person)], args=args))
            except Exception:
                self._redis_failed("eventos")
        if refused is None:
            refused = self.memory.take(keys, rules)
        if refused:
            return self._refused(sid, rules[refused - 1])
        return None

    def _refused(self, sid: str, rule: tuple[float, float]) -> float:
        now = time.monotonic()
        since, count = self._refusals.get(sid, (now, 0))
        if now - since > REFUSAL_WINDOW:
            since, count = now, 0
        self._refusals[sid] = (since, count + 1)
        rate = rule[0]
        return round(max(1.0 / rate, 0.1), 2) if rate > 0 else 60.0

    def flooding(self, sid: str) -> bool:
        """Whether the connection had more than ``LIVE_MAX_REFUSED_EVENTS`` events refused within
        ``REFUSAL_WINDOW`` seconds (a browser waits and retries a few; a script floods): it is then
        closed."""
        return self._refusals.get(sid, (0.0, 0))[1] > self.max_refused

    def person_of(self, sid: str) -> str | None:
        """The person of a connection counted on this process (None: not connected here)."""
        return self._local.get(sid)

    # --- connections ---

    def connect(self, sid: str, person: str) -> bool | None:
        """Count a new connection of ``person``: True; False when they already have the maximum
        open; None while they are kept out for flooding (``penalise``)."""
        allowed = _UNKNOWN = object()
        if self._shared():
            try:
                answer = int(
                    self._connect(
                        keys=[self._key("n", person), self._key("x", person)],
                        args=[sid, self.max_connections, CONNECTION_TTL],
                    )
                )
                allowed = None if answer < 0 else bool(answer)
            except Exception:
                self._redis_failed("conexiones")
        if allowed is _UNKNOWN:
            allowed = self.memory.connect(person, sid, self.max_connections)
        if allowed:
            self._local[sid] = person
            self._start_refresher()
        return allowed

    def penalise(self, person: str) -> None:
        """Keep ``person`` from connecting for ``REFUSAL_WINDOW`` seconds: their connection was
        closed for flooding, and reconnecting in a loop would cost a join each time."""
        self.memory.penalise(person, REFUSAL_WINDOW)
        if self._shared():
            try:
                self.redis.set(self._key("x", person), 1, px=int(REFUSAL_WINDOW * 1000))
            except Exception:
                self._redis_failed("penalización")

    def disconnect(self, sid: str) -> None:
        """Stop counting a closed connection (and forget its bucket)."""
        person = self._local.pop(sid, None)
        self._refusals.pop(sid, None)
        if person is None:
            return
        self.memory.disconnect(person, sid)
        self.memory._buckets.pop(self._key("c", sid), None)
        if self._shared():
            try:
                pipe = self.redis.pipeline(transaction=False)
                pipe.zrem(self._key("n", person), sid)
                pipe.execute()
            except Exception:
                self._redis_failed("desconexión")

    def refresh(self) -> None:
        """Keep this process's open connections counted (their expiry moves forward)."""
        if not self._shared() or not self._local:
            return
        try:
            now = float(self.redis.time()[0])
            pipe = self.redis.pipeline(transaction=False)
            for sid, person in list(self._local.items()):
                key = self._key("n", person)
                pipe.zadd(key, {sid: now + CONNECTION_TTL}, xx=True)
                pipe.expire(key, CONNECTION_TTL + 1)
            pipe.execute()
        except Exception:
            self._redis_failed("renovación")

    def _start_refresher(self) -> None:
        if self._refresher or self.redis is None:
            return
        self._refresher = True
        from app.extensions import socketio

        def loop():
            while True:
                socketio.sleep(CONNECTION_TTL / 3)
                self.refresh()

        socketio.start_background_task(loop)

    def reset(self) -> None:
        """Forget every count (tests)."""
        self.memory.reset()
        self._local.clear()
        self._refusals.clear()
        if self.redis is not None:
            try:
                keys = list(self.redis.scan_iter(f"{self.prefix}:*", count=1000))
                if keys:
                    self.redis.delete(*keys)
            except Exception:
                self._redis_failed("reinicio")


def init_app(app) -> LiveLimits:
    """Give ``app`` the live room's limits (Redis from ``REDIS_URL``, else this process)."""
    app.extensions[EXTENSION] = LiveLimits(app.config)
    return app.extensions[EXTENSION]


def live_limits() -> LiveLimits:
    """The current application's live-room limits."""
    return current_app.extensions[EXTENSION]
