"""Benchmark of the live rooms: N clients across M rooms on 1 or 2 server processes (Redis between
them), and the same broadcast on a reference Node socket.io server.

Measures slide-change latency (presenter's emit → each client's receipt) p50/p99, deliveries per
second, and contribution commit-to-acknowledgement p50/p99 at a steady write rate; checks that every
acknowledged write is stored exactly once. Loopback only.

    .venv/bin/python benchmarks/live_rooms.py --clients 200 --rooms 10 --processes 1
    .venv/bin/python benchmarks/live_rooms.py --clients 200 --rooms 1 --processes 2 --node

Clients are tests/realtime/sioclient.MiniSocketIO (WebSocket, one thread each; python-socketio's
own clients need requests/websocket-client or aiohttp, which the project does not install).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.realtime.sioclient import MiniSocketIO  # noqa: E402

SECRET = "benchmark-secret-key-not-for-production-000"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"el servidor terminó: {url}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"sin respuesta: {url}")


def say(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def pct(values, q):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q / 100 * len(values)))] * 1000, 2)


def build(database_url: str, clients: int, rooms: int):
    """Create the schema, M rooms and one user per client; return (group ids, cookies by room)."""
    os.environ["SECRET_KEY"] = SECRET
    from app import create_app
    from app.auth.models import User
    from app.encounters.models import AgendaItem, Encounter, EncounterGroup, EncounterSchool, Presentation
    from app.problems.models import Problem
    from app.utils import current_school_year
    from app.extensions import db
    from app.schools.models import School, Zone
    from app.utils import utcnow
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        SECRET_KEY = SECRET
        WTF_CSRF_ENABLED = False

    app = create_app(BenchConfig)
    layout = []
    with app.app_context():
        db.create_all()
        zone = Zone(cct="22FIZ9999Z", number=9999, name="ZONA DE PRUEBA DE CARGA", level="primaria")
        db.session.add(zone)
        db.session.flush()
        per_room = max(1, clients // rooms)
        for r in range(rooms):
            a = School(cct=f"22DPR{r:04d}X"[:10], name=f"ESCUELA {r} A", zone=zone, level="primaria")
            b = School(cct=f"22DPR{r:04d}Y"[:10], name=f"ESCUELA {r} B", zone=zone, level="primaria")
            facilitator = User(email=f"f{r}@bench.mx", name=f"Facilita {r}", role="asesor", password_hash="!")
            db.session.add_all([a, b, facilitator])
            db.session.flush()
            enc = Encounter(title=f"Carga {r}", starts_at=utcnow(), ends_at=utcnow(), status="en_curso",
                            zones=[zone])
            db.session.add(enc)
            db.session.flush()
            group = EncounterGroup(encounter_id=enc.id, position=1, host_school_id=a.id,
                                   facilitator_id=facilitator.id)
            db.session.add(group)
            db.session.flush()
            db.session.add_all([
                EncounterSchool(encounter_id=enc.id, group_id=group.id, school_id=a.id),
                EncounterSchool(encounter_id=enc.id, group_id=group.id, school_id=b.id),
                AgendaItem(group_id=group.id, position=0, activity=2, title="Turno", minutes=15, school_id=a.id),
            ])
            problems = [Problem(school_id=a.id, title=f"Problemática {p}", description="Lectura\nEscritura",
                                school_year=current_school_year(), grades=[]) for p in range(3)]
            db.session.add_all(problems)
            db.session.flush()
            db.session.add(Presentation(encounter_id=enc.id, school_id=a.id, kind="generada",
                                        problem_ids=[p.id for p in problems], is_ready=True))
            users = [User(email=f"u{r}.{k}@bench.mx", name=f"Docente {r}.{k}", role="docente",
                          school_id=(a.id if k % 2 else b.id), password_hash="!") for k in range(per_room - 1)]
            db.session.add_all(users)
            db.session.flush()
            layout.append((group.id, [facilitator.id] + [u.id for u in users]))
        db.session.commit()
    cookies = {}
    http = app.test_client()
    for _, user_ids in layout:
        for uid in user_ids:
            with http.session_transaction() as sess:
                sess.clear()
                sess["_user_id"] = str(uid)
                sess["_fresh"] = True
            cookies[uid] = f"session={http.get_cookie('session').value}"
    return app, layout, cookies


def start_python(database_url: str, mq: str | None):
    port = free_port()
    env = {**os.environ, "AEE_CONFIG": "development", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
           "HOST": "127.0.0.1", "PORT": str(port)}
    if mq:
        env["SOCKETIO_MESSAGE_QUEUE"] = mq
    proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/socket.io/?EIO=4&transport=polling", proc)
    return proc, url


def start_node():
    port = free_port()
    proc = subprocess.Popen(["node", "server.js"], cwd=ROOT / "benchmarks" / "node_reference",
                            env={**os.environ, "PORT": str(port)}, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/socket.io/?EIO=4&transport=polling", proc)
    return proc, url


def connect_all(urls, layout, cookies):
    """One client per user, round robin over the servers; all joined. Returns [(group_id, [clients])]."""
    jobs = [(gid, uid, urls[k % len(urls)]) for gid, uids in layout for k, uid in enumerate(uids)]

    def one(job):
        gid, uid, url = job
        client = MiniSocketIO(url, cookie=cookies.get(uid), timeout=30)
        ack = client.emit("join", {"group_id": gid}, timeout=60)
        assert ack and ack.get("ok"), ack
        return gid, client

    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(one, jobs))
    rooms = {}
    for gid, client in results:
        rooms.setdefault(gid, []).append(client)
    return list(rooms.items())


def drain(clients):
    for c in clients:
        while not c.events.empty():
            c.events.get_nowait()


def slide_phase(rooms, changes: int, turn: bool):
    latencies, delivered = [], 0
    started = time.perf_counter()
    for gid, clients in rooms:
        if turn:
            clients[0].emit("turn", {"group_id": gid, "school_id": None}, timeout=30)
    all_clients = [c for _, cs in rooms for c in cs]
    time.sleep(0.5)
    drain(all_clients)
    started = time.perf_counter()
    last = started
    for n in range(changes):
        sent = {}
        for gid, clients in rooms:
            sent[gid] = time.perf_counter()
            threading.Thread(target=clients[0].emit, args=("slide", {"group_id": gid, "slide": (n + 1) % 2}),
                             kwargs={"timeout": 30}, daemon=True).start()
        for gid, clients in rooms:
            for c in clients:
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    try:
                        name, payload, at = c.events.get(timeout=max(0.01, deadline - time.monotonic()))
                    except Exception:
                        break
                    if name == "slide":
                        latencies.append(at - sent[gid])
                        delivered += 1
                        last = max(last, at)
                        break
    return latencies, delivered, last - started


def write_phase(rooms, rate: float, seconds: float):
    """Contributions from random participants at a steady rate; emit → ack times; the ids sent."""
    writers = [(gid, c) for gid, cs in rooms for c in cs[1:]] or [(gid, cs[0]) for gid, cs in rooms]
    times, ids, errors = [], [], []
    lock = threading.Lock()

    def write(k):
        gid, client = writers[k % len(writers)]
        cid = str(uuid.uuid4())
        t0 = time.perf_counter()
        try:
            ack = client.emit("contribution_add", {"group_id": gid, "client_id": cid, "kind": "pregunta",
                                                   "text": f"Aportación de carga {k}"}, timeout=30)
        except TimeoutError:
            ack = None
        with lock:
            if ack and ack.get("ok"):
                times.append(time.perf_counter() - t0)
                ids.append(cid)
            else:
                errors.append(ack)

    total = int(rate * seconds)
    start = time.perf_counter()
    with ThreadPoolExecutor(64) as pool:
        for k in range(total):
            delay = start + k / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(write, k)
    return times, ids, errors


def run(args):
    tmp = tempfile.mkdtemp(prefix="aee-bench-")
    database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    app, layout, cookies = build(database_url, args.clients, args.rooms)
    results = {"clients": args.clients, "rooms": args.rooms, "processes": args.processes,
               "database": database_url.split(":", 1)[0]}
    say("datos listos", database_url)
    procs = []
    try:
        mq = args.redis if args.processes > 1 else None
        procs = [start_python(database_url, mq) for _ in range(args.processes)]
        say("servidores", [u for _, u in procs])
        t0 = time.perf_counter()
        rooms = connect_all([u for _, u in procs], layout, cookies)
        results["connect_and_join_s"] = round(time.perf_counter() - t0, 2)
        say("conectados", results["connect_and_join_s"], "s")
        lat, delivered, span = slide_phase(rooms, args.changes, turn=False)
        say("diapositivas", len(lat))
        expected = args.changes * sum(len(cs) for _, cs in rooms)
        # a turn must be held to change slides: give it first
        results.update(slide_p50_ms=pct(lat, 50), slide_p99_ms=pct(lat, 99), slide_delivered=delivered,
                       slide_expected=expected, deliveries_per_s=round(delivered / span, 1) if span else None)
        times, ids, errors = write_phase(rooms, args.rate, args.seconds)
        results.update(write_rate=args.rate, ack_p50_ms=pct(times, 50), ack_p99_ms=pct(times, 99),
                       writes_acked=len(ids), write_errors=len(errors))
        from app.extensions import db
        from app.live.models import Contribution

        with app.app_context():
            stored = [c for (c,) in db.session.execute(db.select(Contribution.client_id))]
        results["stored_once"] = sorted(stored) == sorted(ids) and len(set(stored)) == len(stored)
        for _, cs in rooms:
            for c in cs:
                c.close()
    finally:
        for proc, _ in procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
    if args.node:
        proc, url = start_node()
        try:
            node_layout = [(gid, uids) for gid, uids in layout]
            rooms = connect_all([url], node_layout, {})
            lat, delivered, span = slide_phase(rooms, args.changes, turn=False)
            results.update(node_slide_p50_ms=pct(lat, 50), node_slide_p99_ms=pct(lat, 99),
                           node_deliveries_per_s=round(delivered / span, 1) if span else None)
            if results.get("slide_p99_ms") and results["node_slide_p99_ms"]:
                results["p99_ratio_python_over_node"] = round(results["slide_p99_ms"] / results["node_slide_p99_ms"], 2)
            for _, cs in rooms:
                for c in cs:
                    c.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rooms", type=int, default=10)
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2))
    parser.add_argument("--changes", type=int, default=20, help="slide changes per room")
    parser.add_argument("--rate", type=float, default=50, help="contributions per second")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--node", action="store_true", help="also run the Node socket.io reference")
    print(json.dumps(run(parser.parse_args()), indent=2))


if __name__ == "__main__":
    main()
