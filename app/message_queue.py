"""The live rooms' Socket.IO message queue on Redis, whose publishing never holds back a request.

python-socketio's ``RedisManager`` publishes on the thread (or greenlet) that emits: inside the socket
event that has just committed a write and is about to acknowledge it. With redis-py 8's defaults (5 s
socket timeout, 10 retries, and two attempts by the manager) a Redis that accepts connections and never
answers held that acknowledgement for a minute or more per event (issue 16, finding 9). A stopped Redis
is refused at once; a lost network is the hung case again.

``BoundedRedisManager`` serialises each message, hands it to a bounded in-process queue and returns.
One publisher per process, started by the server in its own async mode (a greenlet under gevent, a
thread under threading), publishes the queue in order on a connection of its own, with connect and
read timeouts of SOCKETIO_PUBLISH_TIMEOUT and no redis-py retries. Why a queue rather than timeouts on
the request's own publish: socket timeouts bound each step (connect, the handshake, the reply), not
their sum, and during an outage every event would pay them again; with the queue an acknowledgement
never waits for Redis at all, under either async mode, and a slow Redis costs the publisher's time only.

When a publish fails, Redis counts as down: the messages handed over meanwhile are dropped, one attempt
is made per RETRY_SECONDS, and the outage is logged once when it starts and once when it ends, with how
many messages were lost. Nothing is lost that matters: the write is stored, the people on this process
received the event directly, and those on other processes see the gap in room versions on their next
event (or their next join) and fetch the snapshot. Receiving is python-socketio's own, unchanged: it
blocks without a read timeout and reconnects with back-off.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from socketio import RedisManager

log = logging.getLogger(__name__)

BACKLOG = 1000  # messages waiting for the publisher; beyond that they are dropped
RETRY_SECONDS = 1.0  # while Redis is down, one publish attempt per this many seconds
DOWN_MESSAGE = (
    "Redis no responde (%s): los eventos en vivo no llegan a los otros procesos hasta que vuelva; "
    "las escrituras se guardan y los clientes se resincronizan por versión"
)
BACK_MESSAGE = "Redis responde de nuevo tras %.1f s; %d mensajes en vivo no se publicaron"


class BoundedRedisManager(RedisManager):
    """A ``RedisManager`` whose ``_publish`` hands over and returns (see the module docstring)."""

    def __init__(self, url: str, *, channel: str, publish_timeout: float, backlog: int = BACKLOG):
        super().__init__(url, channel=channel)
        self.publish_timeout = publish_timeout
        self.backlog = backlog
        self._lock = threading.Lock()
        self._queue = None
        self._owner_pid: int | None = None
        self._client: redis.Redis | None = None
        self._down_since: float | None = None  # when this outage began (monotonic), None: Redis is up
        self._retry_at = 0.0
        self._lost = 0

    def _publish(self, data) -> None:
        message = self.json.dumps(data)  # now: what is queued cannot change after the emit
        if self.server is None:  # a write-only manager without a server: publish here, bounded
            self._send(message)
            return
        try:
            self._outbox().put_nowait(message)
        except queue.Full:  # gevent's queue raises the same class
            self._lose("la cola de publicación está llena")

    def _outbox(self):
        """This process's queue, with its publisher started on first use (and again after a fork)."""
        pid = os.getpid()
        if self._owner_pid != pid:
            with self._lock:
                if self._owner_pid != pid:
                    self._queue = self.server.eio.create_queue(maxsize=self.backlog)
                    self._client = None
                    self.server.start_background_task(self._publisher, self._queue)
                    self._owner_pid = pid
        return self._queue

    def _publisher(self, outbox) -> None:
        while True:
            message = outbox.get()
            try:
                self._send(message)
            except Exception:  # the publisher must outlive any surprise
                log.exception("error inesperado al publicar en Redis")

    def _send(self, message: str) -> None:
        if self._down_since is not None and time.monotonic() < self._retry_at:
            self._lost += 1
            return
        try:
            self._redis_client().publish(self.channel, message)
        except Exception as exc:  # refused, timed out, reset: the same for the room
            self._close_client()
            self._retry_at = time.monotonic() + RETRY_SECONDS
            self._lose(f"{type(exc).__name__}: {exc}")
            return
        if self._down_since is not None:
            log.warning(BACK_MESSAGE, time.monotonic() - self._down_since, self._lost)
            self._down_since = None
            self._lost = 0

    def _lose(self, reason: str) -> None:
        self._lost += 1
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning(DOWN_MESSAGE, reason)

    def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception:  # a socket already broken
                pass

    def _redis_client(self) -> redis.Redis:
        """The publishing connection: bounded in time, no retries (the next message is the retry)."""
        if self._client is None:
            self._client = redis.Redis.from_url(
                self.redis_url,
                socket_timeout=self.publish_timeout,
                socket_connect_timeout=self.publish_timeout,
                retry=Retry(NoBackoff(), 0),
                **self.redis_options,
            )
        return self._client
