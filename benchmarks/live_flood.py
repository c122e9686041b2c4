"""Benchmark: an honest participant's acknowledgement latency while another participant floods the
live room (issue 16, finding 1), on the production stack, with the ratios within one run.

One gunicorn gevent worker (as in production, from the project folder so it reads
gunicorn.conf.py), PostgreSQL (``bench_flood``, recreated), the live limits in Redis
(``REDIS_URL``, a fresh key prefix per run). Two rooms: room 1 holds the flooder and honest
participant A, room 2 honest participant B (another room of the same process). A and B each add a
contribution every 0.2 s (5/s), and every acknowledgement's latency is recorded (emit → ack; the ack
is sent after the commit). Phases of ``--seconds`` each:

* ``quiet``: nobody floods (the baseline);
* ``flood1``: the flooder sends ``--rate`` (1,000) contribution events/s on one connection, each with
  a new client id (the attack of the issue: rows stored, the process's database pool drained); a
  connection the server closes is opened (and joined) again at once, as a script would;
* ``flood20``: the same person opens 20 connections (the cap admits ``LIVE_MAX_CONNECTIONS_PER_PERSON``,
  5 by default; the refused ones are counted) and sends the same 1,000 events/s across them.

Reported per phase: A's and B's ack p50/p99/max, their errors, the flooder's answers by kind (ok,
``demasiados_eventos``, other, none), contributions the flooder stored, server CPU; and the ratios
p50/p99 flood ÷ quiet. ``uptime`` load before and after. The contribution cap is turned off
(``LIVE_CONTRIBUTIONS_PER_PERSON=0``) so that the rate limits alone are measured; the honest
participants add 5/s, well under every limit.

Setup as for benchmarks/live_rooms.py (``pip install -e ".[deploy,bench]"``, PostgreSQL and Redis on
loopback). Runs::

    .venv/bin/python benchmarks/live_flood.py                     # ≈1 minute
    .venv/bin/python benchmarks/live_flood.py --seconds 5 --rate 500
    .venv/bin/python benchmarks/live_flood.py --code /path/to/older/checkout --bare-ids   # older code

``--code`` serves another checkout of the project (e.g. ``git worktree add ../before <commit>``)
with this run's database and clients, to measure the code before a change. JSON to stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from live_rooms import (  # noqa: E402  (after the path, like any benchmark script here)
    AioSocketIO,
    _start_gunicorn,
    build,
    cpu_seconds,
    loadavg,
    pct,
    reset_database,
    say,
    stop,
)

DEFAULT_DB = "postgresql://127.0.0.1:5432/bench_flood"


class _Ignore:
    def __call__(self, *args):
        pass


async def honest_writer(client, gid: int, tag: str, seconds: float, every: float = 0.2):
    """A contribution every ``every`` seconds; (latencies, errors)."""
    times, errors, tasks = [], [], []

    async def one(n):
        start = time.perf_counter()
        try:
            ack = await client.call(
                "contribution_add",
                {"group_id": gid, "client_id": f"{tag}-{n}", "kind": "propuesta", "text": f"Idea {n}"},
                timeout=30,
            )
        except Exception as exc:  # timeout or closed
            errors.append(type(exc).__name__)
            return
        if ack and ack.get("ok"):
            times.append(time.perf_counter() - start)
        else:
            errors.append((ack or {}).get("error", "sin_respuesta"))

    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < seconds:
        tasks.append(asyncio.create_task(one(n)))
        n += 1
        await asyncio.sleep(max(0.0, t0 + n * every - time.perf_counter()))
    await asyncio.gather(*tasks)
    return times, errors


async def flooder(clients, reconnect, gid: int, tag: str, rate: float, seconds: float) -> dict:
    """``rate`` contribution events per second, spread over ``clients``, without waiting; a
    connection the server closes is opened again at once (``reconnect``), as a script would."""
    answers = {"ok": 0, "demasiados_eventos": 0, "otro": 0, "sin_respuesta": 0}
    counts = {"reconnected": 0, "reconnect_refused": 0}
    tasks, slots = [], list(clients)
    moving: dict[int, asyncio.Task] = {}
    t0 = time.perf_counter()

    async def again(i):
        while time.perf_counter() - t0 < seconds:
            try:
                slots[i] = await reconnect()
                counts["reconnected"] += 1
                return
            except Exception:
                counts["reconnect_refused"] += 1
                await asyncio.sleep(0.1)

    async def one(i, n):
        client = slots[i]
        try:
            if client.closed.is_set():
                raise ConnectionError
            ack = await client.call(
                "contribution_add",
                {"group_id": gid, "client_id": f"{tag}-{n}", "kind": "pregunta", "text": f"spam {n}"},
                timeout=30,
            )
        except Exception:
            answers["sin_respuesta"] += 1
            if slots[i].closed.is_set() and (i not in moving or moving[i].done()):
                moving[i] = asyncio.create_task(again(i))
            return
        if ack and ack.get("ok"):
            answers["ok"] += 1
        elif ack and ack.get("error") == "demasiados_eventos":
            answers["demasiados_eventos"] += 1
        else:
            answers["otro"] += 1

    n = 0
    batch = max(1, int(rate / 100))  # send in batches every 10 ms
    while time.perf_counter() - t0 < seconds:
        for _ in range(batch):
            tasks.append(asyncio.create_task(one(n % len(slots), n)))
            n += 1
        await asyncio.sleep(max(0.0, t0 + n / rate - time.perf_counter()))
    await asyncio.gather(*tasks, *moving.values())
    answers["sent"] = n
    answers["sent_per_s"] = round(n / (time.perf_counter() - t0), 0)
    answers.update(counts)
    for client in slots:
        if client not in clients:
            clients.append(client)
    return answers


def figures(times, errors) -> dict:
    return {
        "acks": len(times),
        "p50_ms": pct(times, 50),
        "p99_ms": pct(times, 99),
        "max_ms": pct(times, 100),
        "errors": len(errors),
        "error_sample": sorted(set(map(str, errors)))[:3],
    }


def stored_by(app, author_id: int, prefix: str) -> int:
    from app.extensions import db
    from app.live.models import Contribution

    with app.app_context():
        db.session.remove()
        return db.session.execute(
            db.select(db.func.count())
            .select_from(Contribution)
            .where(Contribution.author_id == author_id, Contribution.client_id.like(f"{prefix}-%"))
        ).scalar_one()


async def run_phases(app, url, layout, cookies, args, pid) -> dict:
    import aiohttp

    (g1, users1), (g2, users2) = layout
    honest_a, flood_uid, honest_b = users1[1], users1[2], users2[1]
    out = {}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        ignore = _Ignore()

        async def joined(uid, gid):
            client = AioSocketIO(session, url, cookies[uid], ignore, decode=())
            await client.connect()
            try:
                ack = await client.call("join", {"group_id": gid}, timeout=60)
            except Exception:
                ack = None
            if not (ack and ack.get("ok")):
                await client.close()
                raise RuntimeError(f"join refused: {ack}")
            return client

        a, b = await joined(honest_a, g1), await joined(honest_b, g2)
        for phase in ("quiet", "flood1", "flood20"):
            # Buckets refill between phases; a person whose flooding connection was closed may not
            # connect for 10 s (realtime.ratelimit.REFUSAL_WINDOW): flood20 starts after that.
            await asyncio.sleep(11 if phase == "flood20" else 3)
            flood_clients, refused, reasons = [], 0, set()
            if phase != "quiet":
                for _ in range(1 if phase == "flood1" else 20):
                    try:
                        flood_clients.append(await joined(flood_uid, g1))
                    except (TimeoutError, ConnectionError, RuntimeError) as exc:
                        refused += 1
                        reasons.add(str(exc)[:120])
                await asyncio.sleep(1)
            say(
                f"  fase {phase}: {len(flood_clients)} conexiones del inundador ({refused} rechazadas: {reasons})"
            )
            cpu0, t0 = cpu_seconds(pid), time.perf_counter()
            jobs = [
                honest_writer(a, g1, f"a-{phase}", args.seconds),
                honest_writer(b, g2, f"b-{phase}", args.seconds),
            ]
            if flood_clients:
                jobs.append(
                    flooder(
                        flood_clients,
                        lambda: joined(flood_uid, g1),
                        g1,
                        f"f-{phase}",
                        args.rate,
                        args.seconds,
                    )
                )
            results = await asyncio.gather(*jobs)
            span = time.perf_counter() - t0
            entry = {
                "honest_same_room": figures(*results[0]),
                "honest_other_room": figures(*results[1]),
                "server_cpu_pct": round(100 * (cpu_seconds(pid) - cpu0) / span, 1),
            }
            if flood_clients:
                entry["flooder_connections"] = len(flood_clients)
                entry["flooder_connections_refused"] = refused
                entry["flooder_refusals"] = sorted(reasons)
                entry["flooder_answers"] = results[2]
                entry["flooder_rows_stored"] = stored_by(app, flood_uid, f"f-{phase}")
            out[phase] = entry
            say(
                f"  fase {phase}: A p50 {entry['honest_same_room']['p50_ms']} p99 "
                f"{entry['honest_same_room']['p99_ms']} ms; B p50 {entry['honest_other_room']['p50_ms']} "
                f"p99 {entry['honest_other_room']['p99_ms']} ms"
                + (f"; inundador {entry['flooder_answers']}" if flood_clients else "")
            )
            for client in flood_clients:
                await client.close()
        await a.close()
        await b.close()
    return out


def ratios(phases: dict) -> dict:
    out = {}
    for who in ("honest_same_room", "honest_other_room"):
        quiet = phases["quiet"][who]
        for phase in ("flood1", "flood20"):
            for q in ("p50_ms", "p99_ms"):
                base, value = quiet[q], phases[phase][who][q]
                if base and value:
                    out[f"{who}_{phase}_{q[:3]}_x"] = round(value / base, 2)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=1000, help="flood events per second")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--code", default=str(ROOT), help="the checkout whose code the server runs")
    parser.add_argument(
        "--bare-ids",
        action="store_true",
        help="session cookies with the bare user id (code from before per-account session tokens)",
    )
    args = parser.parse_args()

    reset_database(args.database_url)
    app, layout, cookies = build(args.database_url, 20, 2)
    if args.bare_ids:
        http = app.test_client()
        for uid in list(cookies):
            with http.session_transaction() as sess:
                sess.clear()
                sess["_user_id"] = str(uid)
                sess["_fresh"] = True
            cookies[uid] = f"session={http.get_cookie('session').value}"
    prefix = f"bench-flood-{uuid.uuid4().hex[:8]}"
    env = {
        "REDIS_URL": args.redis,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LIVE_CONTRIBUTIONS_PER_PERSON": "0",
    }
    logdir = Path(tempfile.mkdtemp(prefix="aee-flood-"))
    result = {"uptime_before": loadavg(), "cpus": os.cpu_count(), "code": args.code, "rate": args.rate}
    say("carga (uptime) antes:", result["uptime_before"])
    import live_rooms

    code = Path(args.code).resolve()
    live_rooms.ROOT = code  # gunicorn runs from that checkout (its gunicorn.conf.py and its app)
    proc, url = _start_gunicorn(args.database_url, None, logdir, "app:create_app()", env)
    try:
        result["phases"] = asyncio.run(run_phases(app, url, layout, cookies, args, proc.pid))
    finally:
        stop(proc)
        live_rooms.ROOT = ROOT
        import redis

        r = redis.Redis.from_url(args.redis)
        keys = list(r.scan_iter(f"{prefix}*"))
        if keys:
            r.delete(*keys)
    result["ratios_flood_over_quiet"] = ratios(result["phases"])
    result["uptime_after"] = loadavg()
    say("carga (uptime) después:", result["uptime_after"])
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
