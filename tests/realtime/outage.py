"""Redis faults for the outage tests, made on loopback without touching the machine's Redis:
``HungRedis`` accepts connections and never answers (a Redis frozen or a network that swallows
replies); ``RedisProxy`` forwards to the real Redis and can be taken down (every connection cut,
new ones refused) and brought back on the same port. ``start_server`` runs ``python -m app`` with
its message queue pointed at one of them."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _listen(port: int = 0) -> socket.socket:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    listener.settimeout(0.1)
    return listener


class HungRedis:
    """A TCP listener that accepts every connection, reads what it is sent and never answers."""

    def __init__(self) -> None:
        self._listener = _listen()
        self.port = self._listener.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._held.append(conn)  # kept open, never read from or written to

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        for conn in self._held:
            conn.close()


class RedisProxy:
    """A TCP proxy in front of the real Redis that can be taken down and brought back.

    Down is either ``refuse`` (Redis stopped: connections cut, new ones refused) or ``blackhole``
    (the network swallows everything: connections cut, new ones accepted and never answered).
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._held: list[socket.socket] = []
        self.blackhole = False
        self._listener = _listen()
        self.port = self._listener.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._stop = threading.Event()
        self._thread = self._serve()

    def _serve(self) -> threading.Thread:
        thread = threading.Thread(target=self._accept, args=(self._listener,), daemon=True)
        thread.start()
        return thread

    def _accept(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.blackhole:
                with self._lock:
                    self._held.append(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._pairs.append((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def down(self, mode: str = "refuse") -> None:
        """Redis goes away: every connection is cut; new ones are refused or swallowed (``mode``)."""
        if mode == "blackhole":
            self.blackhole = True
        else:
            self._stop.set()
            self._listener.close()
            self._thread.join(timeout=2)
        with self._lock:
            pairs, self._pairs = self._pairs, []
        self._cut([s for pair in pairs for s in pair])

    def up(self) -> None:
        """Redis is back, on the same address; connections the black hole held are reset."""
        if self.blackhole:
            self.blackhole = False
        elif self._stop.is_set():
            self._stop.clear()
            self._listener = _listen(self.port)
            self._thread = self._serve()
        with self._lock:
            held, self._held = self._held, []
        self._cut(held)

    @staticmethod
    def _cut(sockets: list[socket.socket]) -> None:
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def close(self) -> None:
        self.up()
        self.down()
