"""Commitments in the room after they are written (issue 11), at 390x844 and 1366x900, axe-core clean:
the author edits one (the room says *editado*, its page keeps the history); a refused edit keeps
what was typed, the error under its field; and in the next encounter's room the responsible school
marks a previous commitment no cumplido (with its note) and cumplido, another participant sees it
live, and the commitment's page and the school's bitácora show it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.commitments.models import Commitment, CommitmentEdit
from app.extensions import db
from app.live import services
from tests.e2e.browser import DESKTOP, PHONE_390, check_page
from tests.e2e.test_live_room import open_room, show_tab
from tests.factories import PASSWORD
from tests.realtime.test_commitment_followup import _previous
from tests.realtime.world import build_room, restore_real_transport

pytestmark = pytest.mark.browser

VIEWPORTS = [pytest.param(PHONE_390, id="390"), pytest.param(DESKTOP, id="1366")]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_edit_a_commitment_and_a_refused_edit_keeps_what_was_typed(live_server, new_page, viewport):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    due = (date.today() + timedelta(days=20)).isoformat()
    row, _created = services.add_commitment(
        room.group,
        {
            "action": "Lectura diaria en voz alta",
            "responsible": "Director Beto",
            "due_date": due,
            "classroom": "3.º B",
        },
        actor=room.people["director_b"],
        client_id="e2e-c1",
    )
    db.session.commit()
    page = open_room(new_page, live_server, room, "director_b", viewport=viewport)
    show_tab(page, "Compromisos")
    item = page.locator(f"#commitments li[data-id='{row.id}']")
    item.get_by_role("button", name="Editar").click()
    form = page.locator("#commitment-form")
    expect(form.get_by_role("button", name="Guardar cambios")).to_be_visible()
    assert page.get_by_label("Acción").input_value() == "Lectura diaria en voz alta"
    assert page.get_by_label("Grupo o grado").input_value() == "3.º B"
    page.get_by_label("Acción").fill("Lectura diaria en voz alta, 20 minutos")
    page.get_by_label("Grupo o grado").fill("3.º C")
    form.get_by_role("button", name="Guardar cambios").click()
    expect(item).to_contain_text("Lectura diaria en voz alta, 20 minutos")
    expect(item).to_contain_text("editado")
    expect(form.get_by_role("button", name="Registrar compromiso")).to_be_visible()

    # A refused edit (a deadline in the past): 'Corregir' puts it back, the error under the field.
    item.get_by_role("button", name="Editar").click()
    page.get_by_label("Responsable").fill("Mtra. Rosa Díaz")
    page.get_by_label("Fecha límite").fill((date.today() - timedelta(days=2)).isoformat())
    form.get_by_role("button", name="Guardar cambios").click()
    pending = page.locator("#commitments li.pending")
    expect(pending).to_contain_text("No se envió")
    pending.get_by_role("button", name="Corregir").click()
    assert page.get_by_label("Responsable").input_value() == "Mtra. Rosa Díaz"
    assert page.get_by_label("Acción").input_value() == "Lectura diaria en voz alta, 20 minutos"
    expect(page.locator("[data-error-for='due_date']")).to_have_text(
        "La fecha límite no puede estar en el pasado."
    )
    expect(form.get_by_role("button", name="Guardar cambios")).to_be_visible()
    check_page(page, f"live-commitment-edit-refused-{viewport['width']}")
    form.get_by_role("button", name="Cancelar").click()
    expect(form.get_by_role("button", name="Registrar compromiso")).to_be_visible()

    db.session.expire_all()
    assert db.session.query(CommitmentEdit).count() == 1
    assert db.session.get(Commitment, row.id).responsible == "Director Beto"
    page.goto(f"{live_server}/compromisos/{row.id}")
    history = page.locator("#historial")
    expect(history).to_contain_text("Grupo o grado")
    expect(history).to_contain_text("3.º B")
    expect(history).to_contain_text("3.º C")
    expect(history).to_contain_text("Director Beto")
    check_page(page, f"commitment-history-{viewport['width']}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_next_room_reviews_the_previous_commitments_live(live_server, new_page, viewport):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    rows = _previous(room)
    other = DESKTOP if viewport is PHONE_390 else PHONE_390
    b = open_room(new_page, live_server, room, "docente_b", viewport=viewport)
    a = open_room(new_page, live_server, room, "docente_a", viewport=other)
    # Activity 0 is on: the review is in the main column (the first tab on a phone).
    panel_b, panel_a = b.locator("#review-panel"), a.locator("#review-panel")
    expect(panel_b).to_be_visible()
    expect(panel_b).to_contain_text("Bitácora de asistencia por grupo")
    expect(panel_b).to_contain_text(room.school_a.name)
    mine = panel_b.locator(f"li[data-id='{rows['b'].id}']")
    theirs = panel_b.locator(f"li[data-id='{rows['a'].id}']")
    expect(theirs).to_contain_text("Comprensión lectora en 3°")
    expect(theirs.get_by_role("button", name="Cumplido", exact=True)).to_have_count(0)  # another school's
    # another school's evidence: its name, the file only for its own people (and the facilitator)
    theirs.get_by_text("Avances (1)").click()
    expect(theirs).to_contain_text("Evidencia: circulo.png")
    expect(theirs.get_by_role("link", name="Evidencia: circulo.png")).to_have_count(0)
    own = panel_a.locator(f"li[data-id='{rows['a'].id}']")
    own.get_by_text("Avances (1)").click()
    expect(own.get_by_role("link", name="Evidencia: circulo.png")).to_have_attribute(
        "href", f"/compromisos/avances/{rows['a'].notes[0].id}/evidencia"
    )

    mine.get_by_role("button", name="No cumplido").click()  # the note is required
    expect(mine.locator(".error")).to_have_text("Para «No cumplido» escribe qué pasó o qué faltó.")
    mine.get_by_label("Nota (obligatoria si no se cumplió)").fill("Faltó tiempo: se retoma en enero.")
    mine.get_by_role("button", name="No cumplido").click()
    expect(mine.locator(".status-badge").first).to_have_text("No cumplido")
    seen = panel_a.locator(f"li[data-id='{rows['b'].id}']")
    expect(seen.locator(".status-badge").first).to_have_text("No cumplido")  # live, on the other page
    expect(seen).to_contain_text("Avances (1)")
    check_page(b, f"live-review-{viewport['width']}")

    a_mine = panel_a.locator(f"li[data-id='{rows['a'].id}']")
    a_mine.get_by_role("button", name="Cumplido", exact=True).click()
    expect(theirs.locator(".status-badge").first).to_have_text("Cumplido")
    expect(theirs).to_contain_text("Avances (2)")
    check_page(a, f"live-review-other-{other['width']}")

    # After activity 0 the review stays reachable, above the room's commitments (a phone's Compromisos tab).
    services.control_timer(room.group, "next", actor=room.people["facilitador"])
    db.session.commit()
    expect(b.locator("#activity-title")).not_to_have_text("Revisión")
    show_tab(b, "Compromisos")
    expect(panel_b).to_be_visible()
    assert b.evaluate("document.getElementById('review-panel').nextElementSibling.id") == "commitments-panel"

    b.goto(f"{live_server}/compromisos/{rows['b'].id}")
    expect(b.locator("#commitment-status")).to_have_text("No cumplido")
    expect(b.locator("#avances")).to_contain_text("Faltó tiempo: se retoma en enero.")
    expect(b.locator("#avances")).to_contain_text(room.encounter.title)
    b.goto(f"{live_server}/escuelas/{room.school_b.cct}/bitacora")
    entry = b.locator("ol.entries li", has_text="Seguimiento del compromiso")
    expect(entry).to_contain_text("Estado: No cumplido")
    expect(entry).to_contain_text("Faltó tiempo: se retoma en enero.")
    check_page(b, f"logbook-review-{viewport['width']}")


def test_an_edit_and_a_review_made_offline_are_sent_on_reconnect(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    rows = _previous(room)
    due = (date.today() + timedelta(days=20)).isoformat()
    row, _created = services.add_commitment(
        room.group,
        {"action": "Lectura diaria en voz alta", "responsible": "Director Beto", "due_date": due},
        actor=room.people["director_b"],
        client_id="e2e-c2",
    )
    db.session.commit()
    flaky = open_room(new_page, live_server, room, "director_b", polling=True, viewport=DESKTOP)
    other = open_room(new_page, live_server, room, "docente_a", viewport=PHONE_390)
    flaky.context.set_offline(True)
    flaky.evaluate("window.liveRoom.socket.io.engine.close()")
    expect(flaky.locator("#connection")).to_contain_text("Sin conexión")
    flaky.locator(f"#commitments li[data-id='{row.id}']").get_by_role("button", name="Editar").click()
    flaky.get_by_label("Acción").fill("Lectura diaria en voz alta con las familias")
    flaky.get_by_role("button", name="Guardar cambios").click()
    expect(flaky.locator("#commitments li.pending")).to_contain_text("cambios pendientes de enviar")
    mine = flaky.locator(f"#review-panel li[data-id='{rows['b'].id}']")
    mine.get_by_role("button", name="En curso").click()
    expect(mine.locator(".pending")).to_contain_text("pendiente de enviar")
    db.session.expire_all()
    assert db.session.query(CommitmentEdit).count() == 0

    flaky.context.set_offline(False)
    expect(flaky.locator("#connection")).to_have_text("Conectado", timeout=15000)
    show_tab(other, "Compromisos")
    expect(other.locator(f"#commitments li[data-id='{row.id}']")).to_contain_text("con las familias")
    show_tab(other, "Presentación")
    seen = other.locator(f"#review-panel li[data-id='{rows['b'].id}']")
    expect(seen.locator(".status-badge").first).to_have_text("En curso")
    expect(flaky.locator("#commitments li.pending")).to_have_count(0)
    db.session.expire_all()
    assert db.session.query(CommitmentEdit).count() == 1
    assert db.session.get(Commitment, rows["b"].id).status == "en_curso"
