"""A school's logbook: time order, filters, notes by the director, CSV and PDF exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from app.commitments import services as commitments
from app.encounters.closing import close_encounter
from app.extensions import db
from app.logbook import services
from app.logbook.models import LogbookEntry
from app.validation import ValidationError
from tests.app.logbook.world import pdf_text


@pytest.fixture
def logbook(world, commitment_data):
    """School A's logbook: an old note of last year, then an encounter's minutes and entries."""
    old = LogbookEntry(
        school_id=world.a.id,
        kind="nota",
        title="Nota del ciclo pasado",
        body="Se revisó el PEMC.",
        school_year="2000-2001",
        created_at=datetime(2001, 3, 1, tzinfo=UTC),
    )
    db.session.add(old)
    services.record_agreement(
        world.encounter, world.g1, {"text": "Compartir evidencias de lectura"}, actor=world.supervisor
    )
    commitments.record_commitment(
        world.encounter,
        world.a,
        commitment_data(action='=HYPERLINK("http://x") Círculos de lectura'),
        actor=world.supervisor,
    )
    close_encounter(world.encounter, actor=world.supervisor)
    db.session.commit()
    return world


def test_entries_come_in_time_order_with_filters(logbook):
    w = logbook
    entries = services.logbook_entries(w.a)
    assert entries[0].title == "Nota del ciclo pasado"
    assert [e.kind for e in entries[1:]] == ["acta", "acuerdo", "compromiso"]
    assert [e.title for e in services.logbook_entries(w.a, school_year="2000-2001")] == [
        "Nota del ciclo pasado"
    ]
    assert [e.kind for e in services.logbook_entries(w.a, kind="compromiso")] == ["compromiso"]
    assert "2000-2001" in services.logbook_school_years(w.a)


def test_logbook_page_lists_and_filters(client, login_as, logbook):
    login_as(logbook.docente_a)
    html = client.get(f"/escuelas/{logbook.a.cct}/bitacora").get_data(as_text=True)
    assert "Nota del ciclo pasado" in html and "Compartir evidencias de lectura" in html
    assert html.index("Nota del ciclo pasado") < html.index("Compartir evidencias de lectura")
    assert "Agregar una nota" not in html  # teachers read; the director writes
    filtered = client.get(f"/escuelas/{logbook.a.cct}/bitacora?tipo=acuerdo").get_data(as_text=True)
    assert "Compartir evidencias de lectura" in filtered and "Nota del ciclo pasado" not in filtered
    by_year = client.get(f"/escuelas/{logbook.a.cct}/bitacora?ciclo=2000-2001").get_data(as_text=True)
    assert "Nota del ciclo pasado" in by_year and "Compartir evidencias" not in by_year


def test_csv_export_has_bom_header_and_rows(client, login_as, logbook):
    login_as(logbook.director_a)
    response = client.get(f"/escuelas/{logbook.a.cct}/bitacora?formato=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == services.LOGBOOK_CSV_HEADER
    assert [r[1] for r in rows[1:]] == ["Nota", "Acta", "Acuerdo", "Compromiso"]
    commitment = rows[4]
    # the title is the action (the kind is its own column), a formula neutralised
    assert commitment[2] == '\'=HYPERLINK("http://x") Círculos de lectura'
    assert "Círculos de lectura" in commitment[2] and commitment[4] == "Pendiente"
    assert "Responsable: Mtra. Lucía Ramírez" in commitment[3]


def test_csv_cells_that_look_like_formulas_are_neutralised():
    assert services._csv_cell("=1+1") == "'=1+1"
    assert services._csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert services._csv_cell("Círculos") == "Círculos"


def test_csv_respects_the_filters(client, login_as, logbook):
    login_as(logbook.supervisor)
    response = client.get(f"/escuelas/{logbook.a.cct}/bitacora?formato=csv&tipo=nota")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][2] == "Nota del ciclo pasado"


def test_pdf_export_has_the_accented_text(client, login_as, logbook):
    login_as(logbook.asesor)
    response = client.get(f"/escuelas/{logbook.a.cct}/bitacora.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Cuaderno de Bitácora del CTE" in text
    assert "Escuela Primaria Benito Juárez" in text
    assert "Círculos de lectura" in text and "Responsable: Mtra. Lucía Ramírez" in text
    redirect = client.get(f"/escuelas/{logbook.a.cct}/bitacora?formato=pdf&tipo=nota")
    assert redirect.status_code == 302 and "/bitacora.pdf?tipo=nota" in redirect.headers["Location"]


def test_director_adds_a_note(client, login_as, world):
    login_as(world.director_a)
    response = client.post(
        f"/escuelas/{world.a.cct}/bitacora/notas",
        data={"title": "Visita de la supervisión", "body": "Revisamos el avance."},
    )
    assert response.status_code == 302
    entry = db.session.execute(db.select(LogbookEntry)).scalar_one()
    assert (entry.kind, entry.school_id, entry.created_by_id) == ("nota", world.a.id, world.director_a.id)


def test_note_without_title_is_422_and_keeps_the_text(client, login_as, world):
    login_as(world.director_a)
    response = client.post(
        f"/escuelas/{world.a.cct}/bitacora/notas", data={"title": "", "body": "Texto que no se pierde"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Escribe un título para la nota." in html
    assert "Texto que no se pierde" in html
    assert db.session.query(LogbookEntry).count() == 0


def test_note_title_length(world):
    with pytest.raises(ValidationError) as exc:
        services.add_logbook_note(world.a, {"title": "x" * 301}, actor=world.director_a)
    assert "máximo 300" in exc.value.errors["title"]


def test_unknown_school_is_404(client, login_as, world):
    login_as(world.admin)
    assert client.get("/escuelas/22XXX0000Z/bitacora").status_code == 404
    assert client.get("/escuelas/22XXX0000Z/compromisos").status_code == 404
    assert client.get("/escuelas/22XXX0000Z/bitacora.pdf").status_code == 404


def test_logbook_page_shows_commitment_alert_badges(client, login_as, world, today):
    from app.logbook.models import Commitment

    for days in (-1, -2, 3):
        db.session.add(
            Commitment(
                school_id=world.a.id,
                action=f"C{days}",
                responsible="R",
                due_date=today + timedelta(days=days),
                school_year="2025-2026",
            )
        )
    db.session.add(
        Commitment(
            school_id=world.a.id,
            action="Cumplido",
            responsible="R",
            status="cumplido",
            due_date=today - timedelta(days=9),
            school_year="2025-2026",
        )
    )
    db.session.commit()
    assert commitments.commitment_alerts(world.a, today) == {"overdue": 2, "due_soon": 1}
    login_as(world.director_a)
    html = client.get(f"/escuelas/{world.a.cct}/bitacora").get_data(as_text=True)
    assert 'id="alert-overdue">2 vencido(s)' in html and 'id="alert-due-soon">1 por vencer' in html
