"""The zone dashboard: numbers from seeded rows, shown as HTML tables (the charts read them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from app.dashboard import services
from app.encounters.models import Attendance, Presentation
from app.logbook.models import Commitment
from app.logbook.services import local_today
from tests import factories
from tests.app.logbook.world import ROLE_USERS, ROLES, build_world, create_encounter


class _Tables(HTMLParser):
    """Rows of every table with an id: {id: [[cell text, ...], ...]} (tbody rows only)."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell, self._in_body = {}, None, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._table is not None and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def tables(html: str) -> dict:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
def zone_world(db):
    w = build_world()
    now = datetime.now(UTC).replace(microsecond=0)
    today = local_today()
    # A concluded encounter: A and B present, C absent.
    past = create_encounter(
        w.zone,
        [[w.a, w.b], [w.c]],
        status="concluido",
        title="Encuentro pasado",
        starts_at=now - timedelta(days=40),
    )
    db.session.add_all(
        [
            Attendance(encounter_id=past.id, school_id=w.a.id, status="presente"),
            Attendance(encounter_id=past.id, school_id=w.b.id, status="presente"),
            Attendance(encounter_id=past.id, school_id=w.c.id, status="ausente"),
        ]
    )
    # The next encounter: A ready, B not ready, C and D without a presentation.
    w.next = create_encounter(
        w.zone,
        [[w.a, w.b], [w.c, w.d]],
        status="programado",
        title="Próximo encuentro",
        starts_at=now + timedelta(days=10),
    )
    later = create_encounter(
        w.zone, [[w.a]], status="programado", title="Encuentro posterior", starts_at=now + timedelta(days=60)
    )
    db.session.add_all(
        [
            Presentation(encounter_id=w.next.id, school_id=w.a.id, is_ready=True),
            Presentation(encounter_id=w.next.id, school_id=w.b.id, is_ready=False),
            Presentation(encounter_id=later.id, school_id=w.a.id, is_ready=False),
        ]
    )
    create_encounter(w.zone, [[w.a]], status="borrador", title="Borrador", starts_at=now + timedelta(days=90))
    create_encounter(w.other_zone, [[w.e]], status="concluido", title="De otra zona")

    def commitment(school, action, days, status="pendiente"):
        db.session.add(
            Commitment(
                school_id=school.id,
                action=action,
                responsible="Dirección",
                due_date=today + timedelta(days=days),
                status=status,
                school_year="2025-2026",
            )
        )

    commitment(w.a, "Atrasado de A", -3)
    commitment(w.a, "Cumplido de A", -10, "cumplido")
    commitment(w.b, "En curso de B", 2, "en_curso")
    commitment(w.b, "Reprogramado vencido de B", -1, "reprogramado")
    commitment(w.e, "Atrasado de otra zona", -3)
    db.session.commit()
    factories.create_problem(w.a)  # amb-aprovechamiento + pensamiento-matematico
    factories.create_problem(w.b, categories={"pensamiento-matematico": "media", "lectura-escritura": "alta"})
    factories.create_problem(w.c, status="resuelta", categories={"convivencia": "alta"})
    factories.create_problem(w.e, categories={"convivencia": "alta"})
    return w


def test_zone_dashboard_numbers(zone_world):
    w = zone_world
    view = services.zone_dashboard(w.zone)
    assert view.encounters_by_status == {"borrador": 1, "programado": 2, "en_curso": 1, "concluido": 1}
    assert [e.title for e in view.upcoming] == [
        "Encuentro de zona",
        "Próximo encuentro",
        "Encuentro posterior",
    ]
    assert (view.attendance_present, view.attendance_registered) == (2, 3)
    assert view.attendance_rate == pytest.approx(2 / 3)
    assert view.commitments_by_status == {
        "pendiente": 1,
        "en_curso": 1,
        "cumplido": 1,
        "no_cumplido": 0,
        "reprogramado": 1,
    }
    assert [c.action for c in view.overdue] == ["Atrasado de A", "Reprogramado vencido de B"]
    by_school = {
        s.cct: (counts["pendiente"], counts["cumplido"], overdue)
        for s, counts, overdue in view.commitments_by_school
    }
    assert by_school == {w.a.cct: (1, 1, 1), w.b.cct: (0, 0, 1)}
    assert [(c.code, n) for c, n in view.problems_by_category] == [
        ("pensamiento-matematico", 2),
        ("amb-aprovechamiento", 1),
        ("lectura-escritura", 1),
    ]
    assert view.next_encounter.title == "Próximo encuentro"
    assert view.unprepared_schools == sorted([w.b, w.c, w.d], key=lambda s: s.name)


def test_empty_zone_has_no_rate_and_no_next_encounter(db):
    zone = factories.create_zone()
    view = services.zone_dashboard(zone)
    assert view.attendance_rate is None and view.next_encounter is None
    assert view.encounters_total == 0 and view.commitments_total == 0 and view.overdue == []


def test_dashboard_page_shows_the_numbers_as_tables(client, login_as, zone_world):
    w = zone_world
    login_as(w.supervisor)
    response = client.get(f"/zonas/{w.zone.cct}/tablero")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    t = tables(html)
    assert t["table-encounters"] == [
        ["Borrador", "1"],
        ["Programado", "2"],
        ["En curso", "1"],
        ["Concluido", "1"],
    ]
    assert t["table-commitments"] == [
        ["Pendiente", "1"],
        ["En curso", "1"],
        ["Cumplido", "1"],
        ["No cumplido", "0"],
        ["Reprogramado", "1"],
    ]
    assert [row[1] for row in t["table-overdue"]] == ["Atrasado de A", "Reprogramado vencido de B"]
    assert {row[0] for row in t["table-unprepared"]} == {w.b.name, w.c.name, w.d.name}
    assert t["table-problems"][0][1] == "2"
    school_rows = {row[0]: row[1:] for row in t["table-commitments-school"]}
    assert school_rows[w.a.name] == ["1", "0", "1", "0", "0", "1"]
    assert 'id="stat-attendance">67 %' in html
    assert "Atrasado de otra zona" not in html
    assert "js/dashboard.js" in html and "chart.umd" not in html  # SVG from the tables, no Chart.js


def test_chart_assets_are_served(client):
    own = client.get("/static/js/dashboard.js")
    assert own.status_code == 200 and b"data-chart" in own.data
    own.close()


def test_unknown_zone_is_404(client, login_as, db):
    login_as("admin")
    assert client.get("/zonas/22XXX9999Z/tablero").status_code == 404


DASHBOARD_VIEWERS = {"admin", "supervisor_of_zone", "asesor_assigned"}


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_permission_table(client, login_as, db, role):
    w = build_world()
    if role != "anonymous":
        login_as(getattr(w, ROLE_USERS[role]))
    response = client.get(f"/zonas/{w.zone.cct}/tablero")
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == (200 if role in DASHBOARD_VIEWERS else 403)
