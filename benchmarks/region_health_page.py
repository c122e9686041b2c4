"""Benchmark of a region's network-health page (issue 14) with its database reads, end to end.

Run from the project root::

    .venv/bin/python benchmarks/region_health_page.py            # 7 runs after one warm-up
    .venv/bin/python benchmarks/region_health_page.py --quick    # 3 runs
    .venv/bin/python benchmarks/region_health_page.py --pg postgresql://127.0.0.1:5432/bench_region

PostgreSQL too when ``--pg URL`` or ``TEST_PG_URL`` is given (its schema is dropped and rebuilt: a
database of its own). SQLite always, in a temporary file.

The synthetic region is one sector of 50 zones of 20 schools (1,000 schools), built with the app's
models: three encounters per zone this term, concluded, in groups of four schools (EncounterGroup and
EncounterSchool rows); contributions in the rooms and commitments (half fulfilled); 200 practices and
300 adoptions across the region; community posts, a third of them replies to another school's post;
answered contact requests; mentoring pairs with two sessions each; advice requests. A neighbouring
sector of the same shape is in the same database, as the rest of the state would be: a read that does
not filter by the region's schools pays for it.

Measured for ``GET /regiones/<sector>/red`` and ``/red.csv`` through the Flask test client (an
administrator logged in): median and p90 of the runs, and the SQL statements per request (an
SQLAlchemy event listener). Next to them, in the same run: ``services.network_health`` called directly;
its reads alone (schools, ties, activity events, advice); the pure ``network.health`` computation on
what those reads return (as ``benchmarks/network_health.py`` times it); and the template's rendering
of the view. Target: the page under 500 ms. Writes ``docs/benchmarks_region_page.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTION = ROOT / "docs" / "benchmarks_region_page.md"
SECTOR, NEIGHBOUR = "22FSE0001Z", "22FSE0002Z"
ZONES, PER_ZONE = 50, 20
TARGET = 0.5  # seconds


# --- the synthetic region --------------------------------------------------------------------------


def _make_app(url: str):
    from app import create_app
    from config import TestConfig

    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        TESTING = False

    return create_app(BenchConfig)


def _fresh_schema(app) -> None:
    from sqlalchemy import text

    from app.extensions import db
    from app.practices.search import install_search

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
        with db.engine.begin() as conn:
            install_search(conn)


def build_sector(sector: str, number: int, today: date, rng: random.Random) -> dict:
    """One sector of ZONES zones of PER_ZONE schools and a term of activity; returns what was made."""
    from app.advice.models import AdviceRequest
    from app.auth.models import User
    from app.catalogue.models import School, Zone
    from app.commitments.models import Commitment
    from app.communities.models import Community, CommunityPost
    from app.contacts.models import ContactMessage, ContactRequest
    from app.encounters.models import Encounter, EncounterGroup, EncounterSchool
    from app.extensions import db
    from app.live.models import Contribution
    from app.mentoring.models import MentoringPair, MentoringRequest, MentoringSession, MentorOffer
    from app.practices.models import Adoption, Practice

    now = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)

    def back(days: int) -> datetime:  # a moment in the last `days` days
        return now - timedelta(days=rng.randrange(days), minutes=rng.randrange(600))

    s = db.session
    zones = [
        Zone(
            cct=f"22FIZ{number}{z:03d}S",
            number=number * 100 + z + 1,
            name=f"SUPERVISION DE ZONA {number * 100 + z + 1}",
            level="primaria",
            sector_cct=sector,
        )
        for z in range(ZONES)
    ]
    s.add_all(zones)
    s.flush()
    schools = [
        School(
            cct=f"22DP{number}{z:02d}{k:02d}K",
            name=f"ESCUELA PRIMARIA {number}-{z + 1}-{k + 1}",
            level="primaria",
            zone_id=zone.id,
            municipality="QUERÉTARO",
        )
        for z, zone in enumerate(zones)
        for k in range(PER_ZONE)
    ]
    s.add_all(schools)
    s.flush()
    ids = [school.id for school in schools]
    members = {zone.id: [sc.id for sc in schools if sc.zone_id == zone.id] for zone in zones}

    # Three concluded encounters per zone this term, in groups of four; contributions and commitments.
    encounters, groups, seats = [], [], []
    for zone in zones:
        for e in range(3):
            start = back(200)
            encounter = Encounter(
                title=f"Sesión {e + 1}",
                starts_at=start,
                ends_at=start + timedelta(hours=4),
                status="concluido",
            )
            encounter.zones = [zone]
            people = [school_id for school_id in members[zone.id] if rng.random() < 0.85]  # some stay away
            rng.shuffle(people)
            parts = [people[g : g + 4] for g in range(0, len(people), 4)]
            if len(parts) > 1 and len(parts[-1]) == 1:
                last = parts.pop()
                parts[-1] = parts[-1] + last
            encounters.append((encounter, parts))
    s.add_all([e for e, _g in encounters])
    s.flush()
    for encounter, parts in encounters:
        for position, part in enumerate(parts, 1):
            group = EncounterGroup(encounter_id=encounter.id, position=position, host_school_id=part[0])
            groups.append((encounter, group, part))
    s.add_all([g for _e, g, _p in groups])
    s.flush()
    rows = []
    for encounter, group, part in groups:
        for school_id in part:
            seats.append(EncounterSchool(encounter_id=encounter.id, group_id=group.id, school_id=school_id))
            rows.append(
                Commitment(
                    school_id=school_id,
                    encounter_id=encounter.id,
                    group_id=group.id,
                    action="Aplicar la estrategia de lectura en voz alta",
                    responsible="Dirección",
                    due_date=(encounter.starts_at + timedelta(days=30)).date(),
                    status="cumplido" if rng.random() < 0.5 else "pendiente",
                    school_year="2026-2027",
                    created_at=encounter.starts_at,
                    updated_at=encounter.starts_at + timedelta(days=rng.randrange(40)),
                )
            )
        for _c in range(8):
            rows.append(
                Contribution(
                    encounter_id=encounter.id,
                    group_id=group.id,
                    author_school_id=rng.choice(part),
                    kind=rng.choice(["punto_relevante", "pregunta", "propuesta", "recurso"]),
                    text="Nos funcionó leer diez minutos diarios en voz alta.",
                    created_at=encounter.starts_at + timedelta(minutes=rng.randrange(240)),
                )
            )
    s.add_all(seats + rows)

    # Practices and 300 adoptions across the region.
    practices = [
        Practice(
            school_id=rng.choice(ids),
            title=f"Práctica {number}-{p}",
            summary="Cada grupo arma un rincón con material para contar y medir.",
            level="primaria",
            visibility="estatal",
            search_text=f"practica {number} {p} rincon material contar medir",
            created_at=back(360),
        )
        for p in range(200)
    ]
    s.add_all(practices)
    s.flush()
    adoptions, adopted = [], set()
    while len(adoptions) < 300:
        practice, school_id = rng.choice(practices), rng.choice(ids)
        if school_id != practice.school_id and (practice.id, school_id) not in adopted:
            adopted.add((practice.id, school_id))
            adoptions.append(
                Adoption(practice_id=practice.id, school_id=school_id, outcome="bueno", created_at=back(330))
            )
    s.add_all(adoptions)

    # Users for the boards, contacts and mentoring (no real password: nobody logs in as them).
    users = [
        User(
            email=f"docente.{number}.{i}@escuelas.example.mx",
            name=f"Docente {number}-{i}",
            role="docente",
            school_id=ids[(i * 7) % len(ids)],
            password_hash="!",
        )
        for i in range(200)
    ]
    s.add_all(users)
    s.flush()

    # Community boards: 600 posts, 300 replies (most by another school).
    communities = [Community(name=f"Comunidad {number}-{c}", description="Leer mejor.") for c in range(10)]
    s.add_all(communities)
    s.flush()
    posts = [
        CommunityPost(
            community_id=rng.choice(communities).id,
            author_id=user.id,
            school_id=user.school_id,
            body="Así leemos en voz alta.",
            created_at=back(170),
        )
        for user in (rng.choice(users) for _p in range(600))
    ]
    s.add_all(posts)
    s.flush()
    replies = []
    for _r in range(300):
        parent, user = rng.choice(posts), rng.choice(users)
        replies.append(
            CommunityPost(
                community_id=parent.community_id,
                parent_id=parent.id,
                author_id=user.id,
                school_id=user.school_id,
                body="¿Cuánto tiempo al día?",
                created_at=parent.created_at + timedelta(days=rng.randrange(5)),
            )
        )
    s.add_all(replies)

    # Contact requests, two thirds answered by the other school.
    requests = []
    for _c in range(150):
        a, b = rng.sample(ids, 2)
        requests.append(
            ContactRequest(
                sender_school_id=a, recipient_school_id=b, status="respondida", created_at=back(160)
            )
        )
    s.add_all(requests)
    s.flush()
    s.add_all(
        ContactMessage(
            request_id=r.id,
            school_id=r.recipient_school_id,
            body="Claro, el jueves.",
            created_at=r.created_at,
        )
        for r in requests[:100]
    )

    # Mentoring: 60 active pairs (mentor and mentee of different schools), two sessions each.
    mentors, mentees = users[:60], users[60:120]
    offers = [MentorOffer(user_id=u.id, school_id=u.school_id, capacity=1) for u in mentors]
    asks = [MentoringRequest(requester_id=u.id, school_id=u.school_id, kind="docente_novel") for u in mentees]
    s.add_all(offers + asks)
    s.flush()
    pairs = []
    for offer, ask in zip(offers, asks, strict=True):
        accepted = back(120)
        pairs.append(
            MentoringPair(
                request_id=ask.id,
                offer_id=offer.id,
                status="activa",
                mentor_accepted_at=accepted,
                mentee_accepted_at=accepted,
            )
        )
    s.add_all(pairs)
    s.flush()
    s.add_all(
        MentoringSession(pair_id=pair.id, held_on=back(60).date(), done="Revisamos lecturas.")
        for pair in pairs
        for _k in range(2)
    )

    # Advice requests of the zones, half answered.
    s.add_all(
        AdviceRequest(
            encounter_id=encounter.id,
            zone_id=encounter.zones[0].id,
            topic="Lectura",
            text="Necesitamos apoyo.",
            status="atendida" if rng.random() < 0.5 else "recibida",
        )
        for encounter, _parts in encounters[::3]
    )
    s.commit()
    return {
        "schools": len(schools),
        "encounters": len(encounters),
        "groups": len(groups),
        "seats": len(seats),
        "contributions": 8 * len(groups),
        "commitments": len(seats),
        "adoptions": len(adoptions),
        "posts": len(posts) + len(replies),
        "contacts": 100,
        "pairs": len(pairs),
    }


def build(app, today: date) -> tuple[dict, int]:
    """Both sectors and an administrator; returns the region's counts and the administrator's id."""
    from app.auth.models import User
    from app.extensions import db

    rng = random.Random(14)
    with app.app_context():
        counts = build_sector(SECTOR, 1, today, rng)
        build_sector(NEIGHBOUR, 2, today, rng)
        admin = User(
            email="admin@escuelas.example.mx", name="Administración", role="admin", password_hash="!"
        )
        db.session.add(admin)
        db.session.commit()
        return counts, admin.id


# --- timing ------------------------------------------------------------------------------------------


class Statements:
    """Counts the SQL statements sent to the engine (an SQLAlchemy event listener)."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.n += 1


def timed(fn, runs: int, cpu: list[float] | None = None) -> list[float]:
    """One warm-up call, then ``runs`` timed calls (seconds of the clock; this process's CPU seconds
    appended to ``cpu`` if given)."""
    fn()
    times = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return times


def p90(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def measure(url: str, runs: int) -> dict:
    """Build the region in a fresh database at ``url`` and time the page and its parts."""
    from flask import render_template
    from flask_login import login_user

    from app.auth.models import User
    from app.extensions import db
    from app.networkhealth import services
    from network import health
    from tests.factories import log_in

    app = _make_app(url)
    _fresh_schema(app)
    today = date.today()
    start = time.perf_counter()
    counts, admin_id = build(app, today)
    build_seconds = time.perf_counter() - start
    with app.app_context():
        statements = Statements(db.engine)
        dialect = db.engine.dialect.name
        server = (
            db.session.execute(db.text("SHOW server_version")).scalar().split()[0]
            if dialect == "postgresql"
            else __import__("sqlite3").sqlite_version
        )
        admin = db.session.get(User, admin_id)
        db.session.remove()

    client = app.test_client()
    with client.session_transaction() as session:
        log_in(session, admin)
    result: dict = {"counts": counts, "build": build_seconds, "dialect": dialect, "server": server}

    for name, path in (("page", f"/regiones/{SECTOR}/red"), ("csv", f"/regiones/{SECTOR}/red.csv")):

        def get(path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        result[f"{name}_cpu"] = []
        result[name] = timed(get, runs, result[f"{name}_cpu"])
        before = statements.n
        body = get().get_data()
        result[f"{name}_sql"] = statements.n - before
        result[f"{name}_bytes"] = len(body)

    def service():
        with app.test_request_context():
            return services.network_health(services.region_zones(SECTOR), today=today)

    result["service_cpu"] = []
    result["service"] = timed(service, runs, result["service_cpu"])
    before = statements.n
    view = service()
    result["service_sql"] = statements.n - before

    # The reads alone, and the pure computation on what they return (the service's own steps).
    inputs = {}

    def reads():
        from sqlalchemy import select

        from app.catalogue.models import School

        with app.test_request_context():
            zones = services.region_zones(SECTOR)
            zone_ids = {z.id for z in zones}
            schools = list(db.session.scalars(select(School).where(School.zone_id.in_(zone_ids))))
            ids = {sc.id for sc in schools}
            region = services._schools_of(zone_ids)
            ties, spread = services._ties(ids, region)
            months = services._months(today)
            first = date(int(months[0][:4]), int(months[0][5:]), 1)
            events = services._events(region, first)
            services._advice(zone_ids)
            inputs.update(ids=ids, ties=ties, spread=spread, months=months, events=events)

    result["reads_cpu"] = []
    result["reads"] = timed(reads, runs, result["reads_cpu"])

    def compute():
        ids, ties = inputs["ids"], inputs["ties"]
        since = today - timedelta(days=services.ISOLATED_SINCE_DAYS)
        everyone = ids | {t.a for t in ties} | {t.b for t in ties}
        health.isolated(everyone, ties, since=since)
        health.bridges(everyone, ties, top=len(everyone))
        health.monthly_participation(inputs["events"], months=inputs["months"])
        health.cascades(inputs["spread"])
        health.ties_graph(everyone, [t for t in ties if t.on >= since])

    result["compute_cpu"] = []
    result["compute"] = timed(compute, runs, result["compute_cpu"])
    result["ties"] = len(inputs["ties"])
    result["events"] = len(inputs["events"])

    def render():
        with app.test_request_context(f"/regiones/{SECTOR}/red"):
            login_user(db.session.get(User, admin_id))
            view = services.network_health(services.region_zones(SECTOR), today=today)
            start = time.perf_counter()
            render_template("networkhealth/zone.html", zone=None, sector=SECTOR, view=view)
            return time.perf_counter() - start

    render()
    result["render"] = [render() for _ in range(runs)]
    result["view"] = {"ties": view.ties, "isolated": len(view.isolated), "zones": len(view.per_zone)}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return result


# --- report ------------------------------------------------------------------------------------------


def ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} ms"


def spread(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} / {p90(times) * 1000:.0f} ms"


#: What this benchmark measured before the fixes in app/networkhealth/services.py (its version of commit
#: 1a276f2), same region and machine, under a load of 10 on its 2 CPUs; kept as the baseline.
BEFORE = (
    "**Antes de las correcciones** (`app/networkhealth/services.py` de 1a276f2, misma región y máquina, carga "
    "media 9.8 a 10.5): la página 1429 / 1668 ms en SQLite y 1833 / 2421 ms en PostgreSQL (CPU del proceso "
    "594 y 676 ms); el CSV 1251 y 1767 ms; las lecturas 373 y 470 ms; el resto del servicio 247 y 313 ms; las "
    "mismas 18 sentencias por página. Las causas: cada lectura filtraba por la lista de las 1,000 escuelas (mil "
    "parámetros en cada una de una docena de sentencias: unos 100 ms sólo en armarlas), la de los encuentros "
    "leía todos los grupos de la base (también los del otro sector) y filtraba en Python, la actividad se leía "
    "completa aunque la página muestra seis meses, y por zona se recorrían todas las escuelas (`[s for s in "
    "schools if s.zone_id == zone.id]`, 50 × 1,000, dos veces), el grafo de vínculos recientes se armaba dos "
    "veces, y las ~150,000 listas y diccionarios de la intermediación estimada disparaban el recolector de basura "
    "cíclico, que recorría todo el montón del proceso (unos 130 ms de CPU). Ahora las lecturas filtran con una subconsulta de las escuelas de las zonas, los grupos por los que "
    "tienen una escuela de la región, la actividad desde el primer mes mostrado; las escuelas se agrupan por "
    "zona en una pasada, el grafo se arma una vez y el recolector se pausa durante la intermediación. Mismo resultado (comparado campo por campo en ambas "
    "bases). Lo que queda es sobre todo la intermediación estimada de `network.health.bridges` (150 fuentes: "
    "unos 250 ms de CPU, más de la mitad de la página); en esta máquina cargada el reloj mide además la espera por "
    "CPU."
)


def both(r: dict, key: str) -> str:
    return f"{ms(r[key])} ({ms(r[key + '_cpu'])})"


def rest(r: dict, cpu: str) -> float:
    m = statistics.median
    return max(0.0, m(r["service" + cpu]) - m(r["reads" + cpu]) - m(r["compute" + cpu]))


def report(results: list[dict], runs: int, load_before: tuple, load_after: tuple) -> str:
    from importlib.metadata import version

    import networkx as nx
    import sqlalchemy

    first = results[0]
    c = first["counts"]
    names = [
        f"SQLite {r['server']}" if r["dialect"] == "sqlite" else f"PostgreSQL {r['server']}" for r in results
    ]
    head = "| medida | " + " | ".join(names) + " |"
    rule = "|---|" + "---:|" * len(results)

    def row(label: str, cell) -> str:
        return f"| {label} | " + " | ".join(cell(r) for r in results) + " |"

    def verdict(r: dict, key: str) -> str:
        median = statistics.median(r[key])
        return f"**{spread(r[key])}** ({'cumple' if median < TARGET else 'NO cumple'})"

    lines = [
        "## Salud de la red: la página de una región (`benchmarks/region_health_page.py`)",
        "",
        f"Máquina: {os.cpu_count()} CPU, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"Flask {version('flask')}, SQLAlchemy {sqlalchemy.__version__}, NetworkX {nx.__version__}. "
        f"Carga media (1/5/15 min) al empezar {' / '.join(f'{x:.1f}' for x in load_before)} "
        f"y al terminar {' / '.join(f'{x:.1f}' for x in load_after)}.",
        "",
        f"Región sintética de un sector con {ZONES} zonas de {PER_ZONE} escuelas ({c['schools']:,} escuelas), hecha "
        f"con los modelos de la aplicación: {c['encounters']} encuentros concluidos este periodo ({c['groups']} "
        f"grupos de unas cuatro escuelas (cada escuela falta a uno de cada siete encuentros), {c['seats']:,} asistencias), {c['contributions']:,} aportaciones, "
        f"{c['commitments']:,} compromisos (la mitad cumplidos), {c['adoptions']} adopciones de 200 prácticas, "
        f"{c['posts']} publicaciones en comunidades (300 respuestas), {c['contacts']} contactos respondidos, "
        f"{c['pairs']} mentorías activas con dos sesiones; en la misma base, un sector vecino igual (el resto del "
        f"estado). Resultado: {first['ties']:,} vínculos leídos, {first['events']:,} eventos de actividad en seis "
        f"meses, {first['view']['ties']:,} vínculos en la red de 120 días, {first['view']['isolated']} escuelas "
        f"aisladas. Una administradora con sesión iniciada pide la página con el cliente de pruebas de Flask; "
        f"una corrida de calentamiento y luego mediana / p90 de {runs} corridas.",
        "",
        head,
        rule,
        row(f"`GET /regiones/<sector>/red` (meta < {TARGET * 1000:.0f} ms)", lambda r: verdict(r, "page")),
        row("`GET /regiones/<sector>/red.csv`", lambda r: verdict(r, "csv")),
        row(
            "tiempo de CPU de este proceso por página / por CSV (mediana)",
            lambda r: f"{ms(r['page_cpu'])} / {ms(r['csv_cpu'])}",
        ),
        row("sentencias SQL por página / por CSV", lambda r: f"{r['page_sql']} / {r['csv_sql']}"),
        row(
            "referencia: `services.network_health` directo (CPU)",
            lambda r: f"{spread(r['service'])} ({ms(r['service_cpu'])})",
        ),
        row("· sus lecturas: escuelas, vínculos, eventos, asesorías (CPU)", lambda r: both(r, "reads")),
        row("· el cálculo puro de `network.health` sobre lo leído (CPU)", lambda r: both(r, "compute")),
        row(
            "· el resto del servicio: por zona, dibujo, filas (CPU)",
            lambda r: f"{rest(r, '') * 1000:.0f} ms ({rest(r, '_cpu') * 1000:.0f} ms)",
        ),
        row("la plantilla (`render_template` de la vista)", lambda r: ms(r["render"])),
        row(
            "tamaño de la página / del CSV",
            lambda r: f"{r['page_bytes'] // 1024} / {r['csv_bytes'] // 1024} KiB",
        ),
        row("construir la región sintética (dos sectores)", lambda r: f"{r['build']:.1f} s"),
        "",
        BEFORE,
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs instead of 7")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument(
        "--pg", default=os.environ.get("TEST_PG_URL"), help="PostgreSQL URL (its schema is rebuilt)"
    )
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    load_before = os.getloadavg()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        urls = [f"sqlite:///{Path(tmp) / 'region.sqlite3'}"] + ([args.pg] if args.pg else [])
        for url in urls:
            print(f"== {url.split(':', 1)[0]}", file=sys.stderr)
            results.append(measure(url, runs))
    text = report(results, runs, load_before, os.getloadavg())
    SECTION.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
