"""Benchmark of the live rooms on the production stack: N clients across M rooms on 1 or 2 gunicorn
processes (one gevent worker each, PostgreSQL, Redis between two), and the same broadcast on a
reference Node socket.io server in the same run.

Measures, per case: connect + join time; slide-change latency (the presenter's emit → each member's
receipt, same clock) p50/p99, once with all rooms changing slide at the same instant (the worst
burst; deliveries per second) and once with each room changing every ``--slide-every`` seconds at
random offsets (the steady pattern); contribution emit → acknowledgement (the ack is sent after the database commit) p50/p99
at a steady write rate; that every acknowledged write is stored exactly once; the CPU used by the
servers and by this load generator; ``uptime`` load before and after. The ``kill`` case runs two
processes, kills one with SIGKILL while writes (with client ids) flow, reconnects its clients to
the other, resends their unacknowledged writes, and asserts in the output that every write is
stored exactly once (rows counted by client_id in PostgreSQL) and that every room's snapshot holds
every write. Loopback only.

Setup (once)::

    .venv/bin/pip install -e ".[deploy,bench]"       # gunicorn, gevent; aiohttp for the clients
    psql -h 127.0.0.1 -d postgres -c 'create database bench_live'   # the benchmark recreates it
    redis-cli -h 127.0.0.1 ping                        # Redis at 127.0.0.1:6379 (2 processes)
    (cd benchmarks/node_reference && npm install)      # socket.io 4.8.1 (not committed)

Each server process is started exactly as in production, from the project folder so that gunicorn
reads gunicorn.conf.py (one gevent worker per process; WebSocket through simple-websocket, which
python-engineio uses under gevent when gevent-websocket is absent)::

    AEE_CONFIG=production SECRET_KEY=... DATABASE_URL=postgresql://127.0.0.1:5432/bench_live \\
    SOCKETIO_MESSAGE_QUEUE=redis://127.0.0.1:6379/0 \\
    .venv/bin/gunicorn -k gevent -w 1 --worker-connections 5000 -b 127.0.0.1:PORT "app:create_app()"

Runs::

    .venv/bin/python benchmarks/live_rooms.py                 # every case (≈12 minutes)
    .venv/bin/python benchmarks/live_rooms.py --quick         # small sizes (≈2 minutes)
    .venv/bin/python benchmarks/live_rooms.py --cases rooms1,node --clients 1000 --rooms 50

Cases: ``rooms1`` (1 process), ``rooms1gc`` (the same with CPython's and gevent's garbage-collector
defaults, ``GC_TUNING=0``: the baseline of gunicorn.conf.py's tuning), ``rooms2`` (2 processes,
clients alternate), ``node`` (the Node reference, same clients and rooms), ``floor`` (the Node
reference's server on this project's socket stack, benchmarks/socket_floor.py: what the stack costs
without the application), ``oneroom1`` / ``oneroom_node`` (``--one-room`` clients in a
single room), ``kill``. The JSON result goes to stdout; progress to stderr.

Clients: one asyncio process holds every connection, each a minimal Socket.IO client
(``AioSocketIO``: Engine.IO 4 / Socket.IO 5 over an aiohttp WebSocket, the same protocol subset as
tests/realtime/sioclient.py). python-socketio's AsyncClient would also work but decodes every
packet; this one decodes only the events it measures, so the generator stays cheaper than the
servers (its CPU is reported).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "benchmark-secret-key-not-for-production-000"
NS = "/sala"
DEFAULT_DB = "postgresql://127.0.0.1:5432/bench_live"
TICKS = os.sysconf("SC_CLK_TCK")
RUN_CHANNEL = f"bench-{uuid.uuid4().hex[:10]}"


def say(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def pct(values, q):
    """The q-th percentile of seconds, in milliseconds (nearest rank)."""
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q / 100 * len(values)))] * 1000, 1)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (gunicorn master + worker), in seconds."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICKS
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += cpu_seconds(int(child))
    except (OSError, IndexError, ValueError):
        pass
    return total


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- data --------------------------------------------------------------------------------------


def reset_database(url: str) -> None:
    """Drop and recreate the benchmark's own database (never another one)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("bench"):
        raise SystemExit(f"la base de la prueba de carga debe llamarse bench*: {name}")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(database_url: str, clients: int, rooms: int):
    """Create the schema, M rooms (each with a facilitator who presents) and one user per client.

    Returns (app, [(group id, [user ids, the facilitator first])], {user id: cookie}).
    """
    os.environ["SECRET_KEY"] = SECRET
    import app.models as _models  # noqa: F401  (import order: registers every table first)
    from app import create_app
    from app.auth.models import User
    from app.catalogue.models import School, Zone
    from app.encounters.models import AgendaItem, Encounter, EncounterGroup, EncounterSchool, Presentation
    from app.extensions import db
    from app.problems.models import Problem
    from app.utils import current_school_year, utcnow
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        SECRET_KEY = SECRET
        WTF_CSRF_ENABLED = False
        SOCKETIO_MESSAGE_QUEUE = None

    app = create_app(BenchConfig)
    layout = []
    people = []
    with app.app_context():
        db.create_all()
        zone = Zone(cct="22FIZ9999Z", number=9999, name="ZONA DE PRUEBA DE CARGA", level="primaria")
        db.session.add(zone)
        db.session.flush()
        per_room = max(2, clients // rooms)
        for r in range(rooms):
            a = School(cct=f"22DPR{r:04d}X"[:10], name=f"ESCUELA {r} A", zone=zone, level="primaria")
            b = School(cct=f"22DPR{r:04d}Y"[:10], name=f"ESCUELA {r} B", zone=zone, level="primaria")
            facilitator = User(email=f"f{r}@bench.mx", name=f"Facilita {r}", role="asesor", password_hash="!")
            db.session.add_all([a, b, facilitator])
            db.session.flush()
            enc = Encounter(
                title=f"Carga {r}", starts_at=utcnow(), ends_at=utcnow(), status="en_curso", zones=[zone]
            )
            db.session.add(enc)
            db.session.flush()
            group = EncounterGroup(
                encounter_id=enc.id, position=1, host_school_id=a.id, facilitator_id=facilitator.id
            )
            db.session.add(group)
            db.session.flush()
            db.session.add_all(
                [
                    EncounterSchool(encounter_id=enc.id, group_id=group.id, school_id=a.id),
                    EncounterSchool(encounter_id=enc.id, group_id=group.id, school_id=b.id),
                    AgendaItem(
                        group_id=group.id, position=0, activity=2, title="Turno", minutes=15, school_id=a.id
                    ),
                ]
            )
            problems = [
                Problem(
                    school_id=a.id,
                    title=f"Problemática {p}",
                    description="Lectura\nEscritura",
                    school_year=current_school_year(),
                    grades=[],
                )
                for p in range(3)
            ]
            db.session.add_all(problems)
            db.session.flush()
            db.session.add(
                Presentation(
                    encounter_id=enc.id,
                    school_id=a.id,
                    kind="generada",
                    problem_ids=[p.id for p in problems],
                    is_ready=True,
                )
            )
            users = [
                User(
                    email=f"u{r}.{k}@bench.mx",
                    name=f"Docente {r}.{k}",
                    role="docente",
                    school_id=(a.id if k % 2 else b.id),
                    password_hash="!",
                )
                for k in range(per_room - 1)
            ]
            db.session.add_all(users)
            db.session.flush()
            layout.append((group.id, [facilitator.id] + [u.id for u in users]))
            people.extend([facilitator, *users])
        db.session.commit()
        # What Flask-Login keeps in the session: the id and the account's session token.
        login_ids = {person.id: person.get_id() for person in people}
    cookies = {}
    http = app.test_client()
    for _, user_ids in layout:
        for uid in user_ids:
            with http.session_transaction() as sess:
                sess.clear()
                sess["_user_id"] = login_ids[uid]
                sess["_fresh"] = True
            cookies[uid] = f"session={http.get_cookie('session').value}"
    return app, layout, cookies


def stored_client_ids(app) -> list[str]:
    from app.extensions import db
    from app.live.models import Contribution

    with app.app_context():
        db.session.remove()
        return [c for (c,) in db.session.execute(db.select(Contribution.client_id))]


# --- servers -----------------------------------------------------------------------------------


def _wait_http(url: str, proc, log: Path | None, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(f"el servidor terminó: {url}\n{tail}")
        try:
            with urllib.request.urlopen(url + "/socket.io/?EIO=4&transport=polling", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"sin respuesta: {url}")


def production_app():
    """gunicorn's fallback application (``--pythonpath benchmarks live_rooms:production_app()``):
    ``create_app()`` after importing app.models first, for when an import cycle in the app breaks
    ``app:create_app()`` (the run's JSON says which spec served)."""
    import app.models as _models  # noqa: F401
    from app import create_app

    return create_app()


FALLBACK_WSGI = "live_rooms:production_app()"
FLOOR_WSGI = "socket_floor:create()"
NOTES: list[str] = []


def start_gunicorn(database_url: str, mq: str | None, logdir: Path, wsgi: str, extra_env: dict | None = None):
    try:
        return _start_gunicorn(database_url, mq, logdir, wsgi, extra_env)
    except RuntimeError as exc:
        if "circular import" not in str(exc) or wsgi == FALLBACK_WSGI:
            raise
        note = f"{wsgi} failed to import (circular import in the app); served {FALLBACK_WSGI}"
        if note not in NOTES:
            NOTES.append(note)
            say("  AVISO:", note)
        return _start_gunicorn(database_url, mq, logdir, FALLBACK_WSGI, extra_env)


def _start_gunicorn(
    database_url: str, mq: str | None, logdir: Path, wsgi: str, extra_env: dict | None = None
):
    port = free_port()
    env = {
        **os.environ,
        "AEE_CONFIG": "production",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        **(extra_env or {}),
    }
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    if mq:
        env["SOCKETIO_MESSAGE_QUEUE"] = mq
        # the rooms' state is kept in Redis under the channel (app.live.state_store): each run has
        # its own, as the database is recreated and its room ids come back
        env.setdefault("SOCKETIO_CHANNEL", RUN_CHANNEL)
    log = logdir / f"gunicorn-{port}.log"
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-k",
        "gevent",
        "-w",
        "1",
        "--worker-connections",
        "5000",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--graceful-timeout",
        "5",
    ]
    if wsgi in (FALLBACK_WSGI, FLOOR_WSGI):
        cmd += ["--pythonpath", str(ROOT / "benchmarks")]
    cmd.append(wsgi)
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    _wait_http(url, proc, log)
    return proc, url


def start_node(logdir: Path):
    port = free_port()
    log = logdir / f"node-{port}.log"
    proc = subprocess.Popen(
        ["node", "server.js"],
        cwd=ROOT / "benchmarks" / "node_reference",
        env={**os.environ, "PORT": str(port)},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_http(url, proc, log)
    return proc, url


def stop(proc) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


# --- the client --------------------------------------------------------------------------------


class Disconnected(Exception):
    """The connection closed before the acknowledgement."""


class AioSocketIO:
    """One Socket.IO connection to the /sala namespace over an aiohttp WebSocket.

    ``on_event(name, payload, received_at)`` is called for the event names in ``decode`` only;
    every other packet is counted and dropped undecoded.
    """

    def __init__(self, session, url: str, cookie: str | None, on_event, decode=("slide", "contribution")):
        self.session, self.url, self.cookie, self.on_event = session, url, cookie, on_event
        self.prefixes = tuple(f'42{NS},["{name}"' for name in (*decode, "events"))  # events: a batch
        self.decode = decode
        self.acks: dict[int, asyncio.Future] = {}
        self.ids = itertools.count(1)
        self.ws = None
        self.reader = None
        self.other_packets = 0
        self.closed = asyncio.Event()

    async def connect(self, timeout: float = 60) -> None:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        ws_url = self.url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = await asyncio.wait_for(
            self.session.ws_connect(ws_url, headers=headers, autoping=True, max_msg_size=0), timeout
        )
        opening = await asyncio.wait_for(self.ws.receive_str(), timeout)
        if not opening.startswith("0"):
            raise ConnectionError(f"handshake inesperado: {opening[:80]}")
        await self.ws.send_str(f"40{NS},")
        reply = await asyncio.wait_for(self.ws.receive_str(), timeout)
        while reply == "2":
            await self.ws.send_str("3")
            reply = await asyncio.wait_for(self.ws.receive_str(), timeout)
        if not reply.startswith(f"40{NS},"):
            raise ConnectionError(f"conexión rechazada: {reply[:120]}")
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        import aiohttp

        try:
            async for msg in self.ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                data = msg.data
                if data == "2":
                    await self.ws.send_str("3")
                elif data.startswith(self.prefixes):
                    name, payload = json.loads(data[len(NS) + 3 :])
                    at = time.perf_counter()
                    if name == "events":  # several events of the room, batched by the server
                        for event in payload:
                            if event.get("type") in self.decode:
                                self.on_event(self, event["type"], event, at)
                    else:
                        self.on_event(self, name, payload, at)
                elif data.startswith(f"43{NS},"):
                    body = data[len(NS) + 3 :]
                    cut = body.index("[")
                    future = self.acks.pop(int(body[:cut]), None)
                    if future is not None and not future.done():
                        args = json.loads(body[cut:])
                        future.set_result(args[0] if args else None)
                else:
                    self.other_packets += 1
        except Exception:
            pass
        finally:
            self.closed.set()
            for future in self.acks.values():
                if not future.done():
                    future.set_exception(Disconnected())
            self.acks.clear()

    async def call(self, event: str, data: dict, timeout: float = 30):
        """Emit with an acknowledgement and wait for it."""
        if self.closed.is_set():
            raise Disconnected()
        ack_id = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.acks[ack_id] = future
        try:
            await self.ws.send_str(f"42{NS},{ack_id}" + json.dumps([event, data]))
        except Exception as exc:
            self.acks.pop(ack_id, None)
            raise Disconnected() from exc
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self.acks.pop(ack_id, None)

    async def close(self) -> None:
        try:
            await self.ws.send_str(f"41{NS},")
            await self.ws.close()
        except Exception:
            pass
        if self.reader:
            await asyncio.wait([self.reader], timeout=5)


class Recorder:
    """Receives the measured events of every client."""

    def __init__(self):
        self.slide_sent: dict[int, tuple[int, float]] = {}  # gid -> (slide, emitted at)
        self.slide_lat: list[float] = []
        self.slide_got: dict[int, int] = {}
        self.contributions = 0
        self.last_at = 0.0

    def __call__(self, client, name, payload, at):
        if name == "slide":
            gid = payload["group_id"]
            sent = self.slide_sent.get(gid)
            if sent and payload["slide"] == sent[0]:
                self.slide_lat.append(at - sent[1])
                self.slide_got[gid] = self.slide_got.get(gid, 0) + 1
                self.last_at = max(self.last_at, at)
        elif name == "contribution":
            self.contributions += 1


async def connect_room_clients(session, urls, layout, cookies, recorder, *, concurrency=50, join=True):
    """One client per user, alternating servers within each room; all joined. [(gid, [clients])]."""
    sem = asyncio.Semaphore(concurrency)

    async def one(gid, k, uid):
        async with sem:
            client = AioSocketIO(session, urls[k % len(urls)], cookies.get(uid), recorder)
            client.gid, client.uid, client.k = gid, uid, k
            await client.connect()
            if join:
                ack = await client.call("join", {"group_id": gid}, timeout=120)
                if not (ack and ack.get("ok")):
                    raise RuntimeError(f"join refused: {ack}")
            return client

    rooms = []
    for gid, uids in layout:
        rooms.append((gid, [one(gid, k, uid) for k, uid in enumerate(uids)]))
    flat = [c for _, cs in rooms for c in cs]
    done = await asyncio.gather(*flat)
    out, i = [], 0
    for gid, cs in rooms:
        out.append((gid, done[i : i + len(cs)]))
        i += len(cs)
    return out


async def slide_phase(rooms, recorder, changes: int, deck: int = 2):
    """Every room's presenter changes slide at the same instant, ``changes`` times; wait for all."""
    spans, lost = [], 0
    for n in range(changes):
        slide = (n + 1) % deck
        recorder.slide_got = {}
        start = time.perf_counter()
        recorder.last_at = start
        calls = []
        for gid, clients in rooms:
            recorder.slide_sent[gid] = (slide, time.perf_counter())
            calls.append(clients[0].call("slide", {"group_id": gid, "slide": slide}, timeout=60))
        acks = await asyncio.gather(*calls, return_exceptions=True)
        bad = [a for a in acks if not (isinstance(a, dict) and a.get("ok"))]
        if bad:
            say("  slide refused:", bad[:3])
        expected = sum(len(cs) for _, cs in rooms)
        deadline = time.perf_counter() + 30
        while sum(recorder.slide_got.values()) < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        lost += expected - sum(recorder.slide_got.values())
        spans.append(recorder.last_at - start)
        await asyncio.sleep(0.3)
    return spans, lost


async def steady_slide_phase(rooms, recorder, every: float, seconds: float, deck: int = 2):
    """Each room's presenter changes slide every ``every`` seconds, rooms at random offsets (the
    ordinary pattern of a morning); returns (latencies, expected deliveries)."""
    before = len(recorder.slide_lat)
    expected = 0

    async def presenter(gid, clients):
        nonlocal expected
        await asyncio.sleep(random.uniform(0, every))
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            n += 1
            # always a different slide from the room's current one (an unchanged slide emits nothing)
            slide = (recorder.slide_sent.get(gid, (0, 0.0))[0] + 1) % deck
            recorder.slide_sent[gid] = (slide, time.perf_counter())
            expected += len(clients)
            ack = await clients[0].call("slide", {"group_id": gid, "slide": slide}, timeout=60)
            if not (ack and ack.get("ok")):
                say("  slide refused:", ack)
            await asyncio.sleep(max(0.0, start + n * every - time.perf_counter()))

    await asyncio.gather(*(presenter(gid, cs) for gid, cs in rooms))
    await asyncio.sleep(2)
    return recorder.slide_lat[before:], expected


async def write_phase(rooms, rate: float, seconds: float, *, on_failure=None):
    """Contributions from the participants (round robin over rooms) at a steady rate.

    Returns (ack times, acknowledged client ids, errors, issued client ids). ``on_failure(slot)``,
    when given, returns a fresh client for a slot whose connection died; the write is resent with
    the same client_id until acknowledged.
    """
    slots = []
    for gid, clients in rooms:
        slots.append([gid, clients, 1])
    times, acked, errors, issued = [], [], [], []
    total = int(rate * seconds)
    tasks = []

    async def write(k):
        gid, clients, _ = slot = slots[k % len(slots)]
        index = slot[2]
        slot[2] = index + 1 if index + 1 < len(clients) else 1
        cid = str(uuid.uuid4())
        issued.append(cid)
        data = {"group_id": gid, "client_id": cid, "kind": "pregunta", "text": f"Aportación de carga {k}"}
        t0 = time.perf_counter()
        for _attempt in range(6):
            client = clients[index]
            try:
                ack = await client.call("contribution_add", data, timeout=15)
            except (TimeoutError, Disconnected) as exc:
                if on_failure is None:
                    errors.append(type(exc).__name__)
                    return
                clients[index] = await on_failure(client)
                continue
            if ack and ack.get("ok"):
                times.append(time.perf_counter() - t0)
                acked.append(cid)
            elif ack and ack.get("error") == "demasiados_eventos":
                await asyncio.sleep(1)
                continue
            else:
                errors.append(ack)
            return
        errors.append("sin_ack")

    start = time.perf_counter()
    for k in range(total):
        delay = start + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(write(k)))
    await asyncio.gather(*tasks)
    return times, acked, errors, issued


# --- cases -------------------------------------------------------------------------------------


async def measure(urls, layout, cookies, args, *, writes=True, label=""):
    """Connect everybody, run the slide burst phase and the write phase; the figures."""
    import aiohttp

    recorder = Recorder()
    out = {}
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        t0, c0 = time.perf_counter(), own_cpu()
        rooms = await connect_room_clients(session, urls, layout, cookies, recorder)
        out["connect_and_join_s"] = round(time.perf_counter() - t0, 2)
        say(f"  {label}: {sum(len(c) for _, c in rooms)} conectados en {out['connect_and_join_s']} s")
        await asyncio.sleep(1)
        t0, c0 = time.perf_counter(), own_cpu()
        spans, lost = await slide_phase(rooms, recorder, args.changes)
        delivered = len(recorder.slide_lat)
        out.update(
            slide_p50_ms=pct(recorder.slide_lat, 50),
            slide_p99_ms=pct(recorder.slide_lat, 99),
            slide_max_ms=pct(recorder.slide_lat, 100),
            slide_delivered=delivered,
            slide_lost=lost,
            burst_deliveries_per_s=round(delivered / sum(spans), 0) if sum(spans) else None,
            burst_spans_ms=[round(s * 1000, 1) for s in spans],  # each burst: first emit → last receipt
            loadgen_cpu_slide_pct=round(100 * (own_cpu() - c0) / (time.perf_counter() - t0), 1),
        )
        say(
            f"  {label}: diapositiva p50 {out['slide_p50_ms']} ms p99 {out['slide_p99_ms']} ms, "
            f"{out['burst_deliveries_per_s']} entregas/s; ráfagas (ms): {out['burst_spans_ms']}"
        )
        t0, c0 = time.perf_counter(), own_cpu()
        lat, expected = await steady_slide_phase(rooms, recorder, args.slide_every, args.seconds)
        out.update(
            steady_slide_every_s=args.slide_every,
            steady_slide_p50_ms=pct(lat, 50),
            steady_slide_p99_ms=pct(lat, 99),
            steady_slide_max_ms=pct(lat, 100),
            steady_slide_delivered=len(lat),
            steady_slide_expected=expected,
            steady_deliveries_per_s=round(len(lat) / args.seconds, 0),
            loadgen_cpu_steady_pct=round(100 * (own_cpu() - c0) / (time.perf_counter() - t0), 1),
        )
        say(
            f"  {label}: diapositiva cada {args.slide_every} s por sala: p50 {out['steady_slide_p50_ms']} ms "
            f"p99 {out['steady_slide_p99_ms']} ms ({len(lat)}/{expected})"
        )
        if writes:
            recorder.contributions = 0
            t0, c0 = time.perf_counter(), own_cpu()
            times, acked, errors, issued = await write_phase(rooms, args.rate, args.seconds)
            await asyncio.sleep(1)
            span = time.perf_counter() - t0
            out.update(
                write_rate=args.rate,
                ack_p50_ms=pct(times, 50),
                ack_p99_ms=pct(times, 99),
                ack_max_ms=pct(times, 100),
                writes_acked=len(acked),
                write_errors=len(errors),
                write_error_sample=[str(e) for e in errors[:3]],
                contribution_deliveries=recorder.contributions,
                contribution_deliveries_per_s=round(recorder.contributions / span, 0),
                loadgen_cpu_write_pct=round(100 * (own_cpu() - c0) / span, 1),
            )
            out["_acked"] = acked
            say(
                f"  {label}: ack p50 {out['ack_p50_ms']} ms p99 {out['ack_p99_ms']} ms "
                f"({len(acked)} ok, {len(errors)} errores)"
            )
        await asyncio.gather(*(c.close() for _, cs in rooms for c in cs))
    return out


def python_case(args, processes: int, clients: int, rooms: int, logdir: Path, extra_env=None) -> dict:
    reset_database(args.database_url)
    app, layout, cookies = build(args.database_url, clients, rooms)
    result = {
        "servers": f"gunicorn gevent x{processes}",
        "clients": sum(len(u) for _, u in layout),
        "rooms": rooms,
        "processes": processes,
        "env": extra_env or {},
    }
    procs = []
    try:
        mq = args.redis if processes > 1 else None
        procs = [
            start_gunicorn(args.database_url, mq, logdir, args.wsgi, extra_env) for _ in range(processes)
        ]
        cpu0 = [cpu_seconds(p.pid) for p, _ in procs]
        t0 = time.perf_counter()
        figures = asyncio.run(
            measure([u for _, u in procs], layout, cookies, args, label=f"python x{processes}")
        )
        span = time.perf_counter() - t0
        result["server_cpu_pct"] = [
            round(100 * (cpu_seconds(p.pid) - c) / span, 1) for (p, _), c in zip(procs, cpu0)
        ]
        acked = figures.pop("_acked", [])
        result.update(figures)
        stored = stored_client_ids(app)
        # every acknowledged write is stored once; a write that timed out may be stored too (its
        # client would resend it with the same client_id), but never twice
        result["acked_stored_exactly_once"] = set(acked) <= set(stored) and len(set(stored)) == len(stored)
        result["stored_without_ack"] = len(set(stored) - set(acked))
    finally:
        for proc, _ in procs:
            stop(proc)
    return result


def _reference_case(args, clients: int, rooms: int, start, label: str, servers: str) -> dict:
    """A reference server (no database, no authorisation) started by ``start()``, measured like the
    application with the same clients and rooms."""
    per_room = max(2, clients // rooms)
    layout = [(r + 1, list(range(r * per_room, (r + 1) * per_room))) for r in range(rooms)]
    proc, url = start()
    try:
        c0, t0 = cpu_seconds(proc.pid), time.perf_counter()
        figures = asyncio.run(measure([url], layout, {}, args, label=label))
        figures.pop("_acked", None)
        figures["server_cpu_pct"] = [
            round(100 * (cpu_seconds(proc.pid) - c0) / (time.perf_counter() - t0), 1)
        ]
    finally:
        stop(proc)
    return {"servers": servers, "clients": clients, "rooms": rooms, **figures}


def floor_case(args, clients: int, rooms: int, logdir: Path) -> dict:
    """The Node reference's server on this project's socket stack (benchmarks/socket_floor.py),
    served by gunicorn exactly as the application: what the stack costs without the application."""

    def start():
        return _start_gunicorn(args.database_url, None, logdir, FLOOR_WSGI)

    return _reference_case(args, clients, rooms, start, "floor", "gunicorn gevent x1, socket_floor.py")


def node_case(args, clients: int, rooms: int, logdir: Path) -> dict:
    return _reference_case(args, clients, rooms, lambda: start_node(logdir), "node", "node socket.io 4.8.1")


async def kill_run(urls, procs, layout, cookies, args) -> dict:
    """Writes flow through two processes; process B is killed mid-run; its clients move to A."""
    import aiohttp

    recorder = Recorder()
    out = {"reconnected": 0}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        rooms = await connect_room_clients(session, urls, layout, cookies, recorder)
        say(f"  kill: {sum(len(c) for _, c in rooms)} conectados")
        moving: dict[int, asyncio.Future] = {}

        async def reconnect(client):
            """The browser's behaviour: reconnect (to the surviving process), rejoin, resend."""
            key = id(client)
            if key not in moving:

                async def again():
                    await asyncio.sleep(random.uniform(0, 0.5))  # reconnection jitter
                    fresh = AioSocketIO(session, urls[0], cookies[client.uid], recorder)
                    fresh.gid, fresh.uid, fresh.k = client.gid, client.uid, client.k
                    for _attempt in range(20):
                        try:
                            await fresh.connect()
                            ack = await fresh.call("join", {"group_id": client.gid}, timeout=60)
                            if ack and ack.get("ok"):
                                out["reconnected"] += 1
                                return fresh
                        except Exception:
                            await asyncio.sleep(0.5)
                            fresh = AioSocketIO(session, urls[0], cookies[client.uid], recorder)
                            fresh.gid, fresh.uid, fresh.k = client.gid, client.uid, client.k
                    raise RuntimeError("no se pudo reconectar")

                moving[key] = asyncio.ensure_future(again())
            return await moving[key]

        async def killer():
            await asyncio.sleep(args.seconds / 2)
            say("  kill: SIGKILL al proceso B", procs[1].pid)
            os.killpg(procs[1].pid, signal.SIGKILL)  # the whole gunicorn (master and worker)
            out["killed_at_s"] = round(args.seconds / 2, 1)
            t0 = time.perf_counter()
            orphans = [(cs, i, c) for _, cs in rooms for i, c in enumerate(cs) if c.url == urls[1]]
            out["clients_on_killed_process"] = len(orphans)
            await asyncio.gather(*(c.closed.wait() for _, _, c in orphans))
            fresh = await asyncio.gather(*(reconnect(c) for _, _, c in orphans))
            for (cs, i, _), client in zip(orphans, fresh):
                if cs[i].url == urls[1]:
                    cs[i] = client
            out["all_reconnected_and_joined_s"] = round(time.perf_counter() - t0, 2)

        kill_task = asyncio.create_task(killer())
        times, acked, errors, issued = await write_phase(rooms, args.rate, args.seconds, on_failure=reconnect)
        await kill_task
        out.update(
            writes_issued=len(issued),
            writes_acked=len(acked),
            write_errors=len(errors),
            ack_p50_ms=pct(times, 50),
            ack_p99_ms=pct(times, 99),
            ack_max_ms=pct(times, 100),
        )
        # every room's snapshot, from the surviving process, holds every write made in it
        survivors = [next(c for c in cs if c.url == urls[0] and not c.closed.is_set()) for _, cs in rooms]
        snaps = await asyncio.gather(
            *(c.call("snapshot", {"group_id": c.gid}, timeout=60) for c in survivors)
        )
        in_snapshots = [row["client_id"] for s in snaps for row in s["snapshot"]["contributions"]]
        out["_issued"], out["_in_snapshots"] = issued, in_snapshots
        for _, cs in rooms:
            for c in cs:
                if not c.closed.is_set():
                    await c.close()
    return out


def kill_case(args, clients: int, rooms: int, logdir: Path) -> dict:
    reset_database(args.database_url)
    app, layout, cookies = build(args.database_url, clients, rooms)
    procs = []
    try:
        procs = [start_gunicorn(args.database_url, args.redis, logdir, args.wsgi) for _ in range(2)]
        out = asyncio.run(kill_run([u for _, u in procs], [p for p, _ in procs], layout, cookies, args))
    finally:
        for proc, _ in procs:
            stop(proc)
    issued, in_snapshots = out.pop("_issued"), out.pop("_in_snapshots")
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        from app.live.models import Contribution

        rows = dict(
            db.session.execute(
                db.select(Contribution.client_id, db.func.count()).group_by(Contribution.client_id)
            ).all()
        )
    missing = [c for c in issued if rows.get(c, 0) == 0]
    duplicated = [c for c, n in rows.items() if n > 1]
    unexpected = [c for c in rows if c not in set(issued)]
    out.update(
        clients=clients,
        rooms=rooms,
        rows_stored=sum(rows.values()),
        missing=len(missing),
        duplicated=len(duplicated),
        unexpected=len(unexpected),
        snapshot_rows=len(in_snapshots),
        snapshot_missing=len(set(issued) - set(in_snapshots)),
    )
    out["every_write_stored_exactly_once"] = not missing and not duplicated and not unexpected
    out["every_snapshot_complete"] = len(in_snapshots) == len(set(in_snapshots)) == len(issued) and not (
        set(issued) - set(in_snapshots)
    )
    return out


def run(args) -> dict:
    logdir = Path(tempfile.mkdtemp(prefix="aee-bench-"))
    cases = args.cases.split(",")
    results: dict = {"uptime_before": loadavg(), "cpus": os.cpu_count(), "logs": str(logdir)}
    say("carga (uptime) antes:", results["uptime_before"])
    if "rooms1" in cases:
        say(f"caso rooms1: {args.clients} clientes en {args.rooms} salas, 1 proceso")
        results["rooms_1_process"] = python_case(args, 1, args.clients, args.rooms, logdir)
    if "rooms1gc" in cases:
        say(
            f"caso rooms1gc: {args.clients} clientes en {args.rooms} salas, 1 proceso, GC sin ajustar (GC_TUNING=0)"
        )
        results["rooms_1_process_gc_defaults"] = python_case(
            args, 1, args.clients, args.rooms, logdir, {"GC_TUNING": "0"}
        )
    if "node" in cases:
        say(f"caso node: {args.clients} clientes en {args.rooms} salas")
        results["rooms_node"] = node_case(args, args.clients, args.rooms, logdir)
    if "floor" in cases:
        say(
            f"caso floor: {args.clients} clientes en {args.rooms} salas, la pila de sockets sin la aplicación"
        )
        results["rooms_floor"] = floor_case(args, args.clients, args.rooms, logdir)
    if "rooms2" in cases:
        say(f"caso rooms2: {args.clients} clientes en {args.rooms} salas, 2 procesos + Redis")
        results["rooms_2_processes"] = python_case(args, 2, args.clients, args.rooms, logdir)
    if "oneroom1" in cases:
        say(f"caso oneroom1: {args.one_room} clientes en 1 sala, 1 proceso")
        results["one_room_1_process"] = python_case(args, 1, args.one_room, 1, logdir)
    if "oneroom_node" in cases:
        say(f"caso oneroom_node: {args.one_room} clientes en 1 sala")
        results["one_room_node"] = node_case(args, args.one_room, 1, logdir)
    for py, node, name in (
        ("rooms_1_process", "rooms_node", "rooms"),
        ("one_room_1_process", "one_room_node", "one_room"),
    ):
        if py in results and node in results and results[node].get("slide_p99_ms"):
            results[f"{name}_slide_p99_ratio_python_over_node"] = round(
                results[py]["slide_p99_ms"] / results[node]["slide_p99_ms"], 1
            )
            if results[node].get("steady_slide_p99_ms"):
                results[f"{name}_steady_slide_p99_ratio_python_over_node"] = round(
                    results[py]["steady_slide_p99_ms"] / results[node]["steady_slide_p99_ms"], 1
                )
    if "kill" in cases:
        say(f"caso kill: {args.kill_clients} clientes en {args.kill_rooms} salas, 2 procesos, SIGKILL a uno")
        results["kill"] = kill_case(args, args.kill_clients, args.kill_rooms, logdir)
    results["uptime_after"] = loadavg()
    results["notes"] = NOTES
    say("carga (uptime) después:", results["uptime_after"])
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, short phases")
    parser.add_argument("--cases", default="rooms1,rooms1gc,node,floor,rooms2,oneroom1,oneroom_node,kill")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--one-room", type=int, default=500, help="clients of the single-room case")
    parser.add_argument("--changes", type=int, default=10, help="slide changes per room")
    parser.add_argument(
        "--slide-every",
        type=float,
        default=5.0,
        help="seconds between slide changes of one room in the steady phase",
    )
    parser.add_argument("--rate", type=float, default=50, help="contributions per second")
    parser.add_argument("--seconds", type=float, default=10, help="length of the write phase")
    parser.add_argument("--kill-clients", type=int, default=400)
    parser.add_argument("--kill-rooms", type=int, default=20)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--wsgi", default="app:create_app()", help="gunicorn's application spec")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.rooms, args.one_room = 200, 10, 100
        args.changes, args.seconds, args.kill_clients, args.kill_rooms = 5, 6, 100, 5
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 20000)), hard))
    print(json.dumps(run(args), indent=2))


if __name__ == "__main__":
    main()
