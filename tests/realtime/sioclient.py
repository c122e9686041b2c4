"""A minimal Socket.IO client (protocol 5 over Engine.IO 4, WebSocket transport only) on top of
simple-websocket, which the project already installs: enough for the multi-process tests and the
benchmark to connect, emit with acknowledgement and collect events, with the login cookie."""

from __future__ import annotations

import itertools
import json
import queue
import threading
import time
from urllib.parse import urlsplit

import simple_websocket


class SocketIOError(Exception):
    """The server refused the connection or the socket closed."""


class _Client(simple_websocket.Client):
    """simple-websocket 1.1's client reads the 101 response and takes only the first wsproto event:
    a frame that came in the same read (under load, the server's Engine.IO open packet) stays in
    wsproto's buffer until the next read, i.e. the server's first ping 25 s later. Handle it now."""

    def handshake(self):
        super().handshake()
        self.connected = self._handle_events()


class MiniSocketIO:
    """One connection to one namespace."""

    def __init__(
        self,
        base_url: str,
        *,
        namespace: str = "/sala",
        cookie: str | None = None,
        origin: str | None = None,
        timeout: float = 5.0,
    ):
        url = base_url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        # simple-websocket sends a Host header without the port, and the server's same-origin check
        # compares Origin with Host: so a same-site Origin, as this client is seen, has no port.
        same_site = "http://" + urlsplit(base_url).hostname
        headers = {"Origin": origin or same_site}
        if cookie:
            headers["Cookie"] = cookie
        self.namespace = namespace
        self.events: queue.Queue[tuple[str, dict, float]] = queue.Queue()
        self.batched = 0  # events that came inside a room's ``events`` batch
        self._acks: dict[int, tuple[threading.Event, list]] = {}
        self._ids = itertools.count(1)
        self._connected = threading.Event()
        self._refused: str | None = None
        self.closed = threading.Event()
        try:
            self.ws = _Client.connect(url, headers=headers)
        except Exception as exc:  # refused handshake (e.g. a foreign Origin)
            raise SocketIOError(str(exc)) from exc
        opening = self.ws.receive(timeout=timeout)
        if not opening or not str(opening).startswith("0"):
            raise SocketIOError(f"handshake inesperado: {opening!r}")
        self.ws.send(f"40{namespace},")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._connected.wait(timeout) or self._refused:
            self.close()
            raise SocketIOError(self._refused or "sin respuesta al conectar")

    def _read(self) -> None:
        prefix = f"{self.namespace},"
        try:
            while True:
                packet = self.ws.receive()
                if packet is None:
                    break
                packet = str(packet)
                if packet == "2":
                    self.ws.send("3")
                    continue
                if not packet.startswith("4"):
                    continue
                kind, body = packet[1], packet[2:]
                if body.startswith(prefix):
                    body = body[len(prefix) :]
                if kind == "0":
                    self._connected.set()
                elif kind == "4":
                    self._refused = body or "rechazada"
                    self._connected.set()
                elif kind == "1":
                    break
                elif kind == "2":
                    name, *args = json.loads(body[body.index("[") :])
                    at = time.perf_counter()
                    if name == "events" and args and isinstance(args[0], list):  # a room's batch
                        for event in args[0]:
                            self.events.put((event.get("type"), event, at))
                            self.batched += 1
                    else:
                        self.events.put((name, args[0] if args else None, at))
                elif kind == "3":
                    cut = body.index("[")
                    waiter = self._acks.pop(int(body[:cut]), None)
                    if waiter is not None:
                        waiter[1].extend(json.loads(body[cut:]))
                        waiter[0].set()
        except Exception:
            pass
        finally:
            self.closed.set()
            self._connected.set()

    def emit(self, event: str, data: dict, *, timeout: float = 10.0):
        """Emit and wait for the acknowledgement (raises TimeoutError without one)."""
        ack_id = next(self._ids)
        done, result = threading.Event(), []
        self._acks[ack_id] = (done, result)
        self.ws.send(f"42{self.namespace},{ack_id}" + json.dumps([event, data]))
        if not done.wait(timeout):
            self._acks.pop(ack_id, None)
            raise TimeoutError(event)
        return result[0] if result else None

    def wait_for(self, type_: str, predicate=lambda e: True, *, timeout: float = 5.0) -> dict:
        """The next event of this type that satisfies ``predicate`` (others are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(type_)
            try:
                name, payload, _ = self.events.get(timeout=left)
            except queue.Empty:
                raise TimeoutError(type_) from None
            if name == type_ and predicate(payload):
                return payload

    def close(self) -> None:
        """Leave the namespace and close the socket."""
        try:
            self.ws.send(f"41{self.namespace},")
        except Exception:
            pass
        try:
            self.ws.close()
        except Exception:
            pass
