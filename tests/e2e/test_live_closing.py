"""*Concluir* in the browser (issue 11): the supervisor concludes from the acta page; the teacher's
room turns read-only at once (a banner, no forms); a contribution typed offline before the close is
sent when the connection returns, marked *registrado después del cierre*, and shows in the acta's
annex, whose frozen part keeps its SHA-256."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.extensions import db
from app.live.models import Contribution
from app.logbook.models import Minutes
from tests.e2e.browser import DESKTOP, PHONE_390, axe_violations, login, shot
from tests.e2e.test_live_room import open_room, show_tab
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport


def test_conclude_turns_the_room_read_only_and_a_late_offline_write_lands_in_the_annex(live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    teacher = open_room(new_page, live_server, room, "docente_a", viewport=PHONE_390)
    offline = open_room(new_page, live_server, room, "director_b", polling=True, viewport=DESKTOP)
    show_tab(teacher, "Aportaciones")
    expect(teacher.locator("#contribution-form")).to_be_visible()

    # The director's connection drops; they keep typing a contribution (it waits in the outbox).
    offline.context.set_offline(True)
    offline.evaluate("window.liveRoom.socket.io.engine.close()")
    expect(offline.locator("#connection")).to_contain_text("Sin conexión")
    offline.get_by_label("Tipo de aportación").select_option("propuesta")
    # issue 11: no school presents, so the contribution names its problem
    offline.get_by_label("¿Sobre qué problemática?").select_option(label="Comprensión lectora en 3°")
    offline.get_by_label("Tu aportación").fill("Préstamo de libros a domicilio cada viernes")
    offline.get_by_role("button", name="Aportar").click()
    expect(offline.locator("#contributions li.pending")).to_contain_text("pendiente de enviar")

    # The supervisor concludes the encounter from the acta page.
    supervisor = new_page(viewport=DESKTOP)
    login(supervisor, live_server, room.people["supervisor"].email, PASSWORD)
    supervisor.goto(f"{live_server}/encuentros/{room.encounter.id}/acta")
    supervisor.locator("#close-encounter").click()
    expect(supervisor.locator(".content-hash").first).to_be_visible()

    # The teacher's page turns read-only at once.
    banner = teacher.locator("#closed-banner")
    expect(banner).to_be_visible(timeout=3000)
    expect(banner).to_contain_text("La sesión se concluyó el")
    # 26/02/2027 10:42, in the schools' time zone (issue 13), whatever the browser's own settings.
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", banner.inner_text()), banner.inner_text()
    expect(banner).to_contain_text("solo lectura")
    expect(teacher.locator("#contribution-form")).to_be_hidden()
    expect(teacher.locator("#commitment-form")).to_be_hidden()
    expect(teacher.locator("#hand-raise")).to_be_hidden()
    shot(teacher, "live-closed-phone")
    assert axe_violations(teacher) == []

    # The director's connection returns: the contribution typed before the close is kept, marked.
    offline.context.set_offline(False)
    expect(offline.locator("#connection")).to_have_text("Conectado", timeout=15000)
    expect(offline.locator("#closed-banner")).to_be_visible()
    for page in (teacher, offline):
        expect(page.locator("#contributions")).to_contain_text("Préstamo de libros", timeout=5000)
        expect(page.locator("#contributions")).to_contain_text("registrado después del cierre")
    expect(offline.locator("#contributions li.pending")).to_have_count(0)
    shot(offline, "live-closed-late-write-desktop")
    db.session.expire_all()
    late = db.session.query(Contribution).filter(Contribution.text.like("Préstamo de libros%")).one()
    assert late.after_close and late.typed_at is not None

    # The acta shows it as an annex; its frozen content and hash did not change.
    minutes = db.session.query(Minutes).filter_by(group_id=room.group.id).one()
    supervisor.reload()
    annex = supervisor.locator(f"#anexo-{room.group.id}")
    expect(annex).to_contain_text("Préstamo de libros a domicilio cada viernes")
    expect(annex).to_contain_text("registrado después del cierre")
    expect(supervisor.locator(f".content-hash[data-group-id='{room.group.id}']")).to_have_text(
        minutes.content_hash
    )
    assert "Préstamo" not in str(minutes.content)
    shot(supervisor, "acta-annex-desktop")
