"""CPU per live-room event, in-process: the server's work for one join, slide change and
contribution through the Flask-SocketIO test client, measured as process CPU time (not wall time),
so that it can be compared between two versions of the code on a machine shared with other work.

Builds the rooms with ``benchmarks/live_rooms.py``'s ``build`` (PostgreSQL, its own database,
recreated) and runs, in one room of ``--people``: every person joins (each a presence event to
the room), the facilitator gives the turn and changes slide ``--events`` times, and people add
``--events`` contributions. The rate limits are lifted for the run. Prints JSON: CPU ms per event
(median over blocks of 20, and the mean), statements per event.

    .venv/bin/python benchmarks/live_event_cpu.py --database-url postgresql://127.0.0.1:5432/bench_cpu
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
for key in ("LIVE_EVENTS", "LIVE_PERSON_EVENTS", "LIVE_ROOM_EVENTS"):  # read when config is imported
    os.environ[f"{key}_PER_SECOND"] = "1000000"
    os.environ[f"{key}_BURST"] = "1000000"
os.environ["LIVE_CONTRIBUTIONS_PER_PERSON"] = "0"

NS = "/sala"


def per_event(samples: list[float]) -> dict:
    blocks = [sum(samples[i : i + 20]) / len(samples[i : i + 20]) for i in range(0, len(samples), 20)]
    return {
        "median_ms": round(statistics.median(blocks) * 1000, 2),
        "mean_ms": round(sum(samples) / len(samples) * 1000, 2),
        "n": len(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgresql://127.0.0.1:5432/bench_cpu")
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args()

    from benchmarks.live_rooms import build, reset_database

    reset_database(args.database_url)
    app, layout, cookies = build(args.database_url, args.people, 1)
    from sqlalchemy import event

    from app.extensions import db, socketio

    gid, users = layout[0]
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))

    def client_for(user_id):
        http = app.test_client()
        name, value = cookies[user_id].split("=", 1)
        http.set_cookie(name, value)
        return socketio.test_client(app, namespace=NS, flask_test_client=http)

    def timed(client, name, data):
        statements.clear()
        start = time.process_time()
        ack = client.emit(name, data, namespace=NS, callback=True)
        spent = time.process_time() - start
        assert ack and ack.get("ok"), (name, ack)
        return spent, len(statements)

    clients = [client_for(u) for u in users]
    joins, join_statements = [], []
    for c in clients:
        spent, n = timed(c, "join", {"group_id": gid})
        joins.append(spent)
        join_statements.append(n)
    facilitator = clients[0]
    with app.app_context():
        from app.encounters.models import EncounterGroup

        school_id = db.session.get(EncounterGroup, gid).host_school_id
    timed(facilitator, "turn", {"group_id": gid, "school_id": school_id})
    slides, slide_statements = [], []
    for n in range(args.events):
        spent, count = timed(facilitator, "slide", {"group_id": gid, "slide": (n % 2) + 1})
        slides.append(spent)
        slide_statements.append(count)
    writes, write_statements = [], []
    for n in range(args.events):
        writer = clients[1 + n % (len(clients) - 1)]
        spent, count = timed(
            writer,
            "contribution_add",
            {"group_id": gid, "client_id": f"cpu-{n}", "kind": "pregunta", "text": f"¿Pregunta {n}?"},
        )
        writes.append(spent)
        write_statements.append(count)
        for c in clients:  # drop what the test clients received (it would pile up)
            c.get_received(NS)
    print(
        json.dumps(
            {
                "people_in_room": len(clients),
                "join": {**per_event(joins), "statements": statistics.median(join_statements)},
                "slide": {**per_event(slides), "statements": statistics.median(slide_statements)},
                "contribution": {**per_event(writes), "statements": statistics.median(write_statements)},
                "load": os.getloadavg(),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
