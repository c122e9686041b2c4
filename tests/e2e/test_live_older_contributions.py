"""A room with more contributions than its snapshot carries: the page shows the latest ones and
"Ver aportaciones anteriores" loads the older ones, page by page, until there are no more; the
button then disappears (issue 16: the snapshot no longer carries every contribution)."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.live.models import Contribution
from tests.e2e.browser import login, shot
from tests.factories import PASSWORD
from tests.realtime.world import build_room, restore_real_transport


def test_older_contributions_load_with_the_button(app, live_server, new_page):
    restore_real_transport()
    room = build_room(password=PASSWORD)
    size = app.config["LIVE_SNAPSHOT_CONTRIBUTIONS"]
    total = 2 * size + 7  # the snapshot's page, one more page, and a short last one
    db.session.execute(
        db.insert(Contribution),
        [
            {
                "client_id": f"old-{n}",
                "encounter_id": room.encounter.id,
                "group_id": room.group.id,
                "author_id": room.people["docente_b"].id,
                "kind": "pregunta",
                "text": f"Aportación número {n}",
                "is_hidden": False,
                "will_try": False,
            }
            for n in range(total)
        ],
    )
    db.session.commit()

    page = new_page()
    login(page, live_server, room.people["docente_a"].email, PASSWORD)
    page.goto(live_server + room.url)
    expect(page.locator("#connection")).to_have_text("Conectado")
    items = page.locator("#contributions li")
    expect(items).to_have_count(size)
    expect(page.locator("#contributions")).to_contain_text(f"Aportación número {total - 1}")
    expect(page.locator("#contributions")).not_to_contain_text("Aportación número 0")
    older = page.get_by_role("button", name="Ver aportaciones anteriores")
    expect(older).to_be_visible()

    older.click()
    expect(items).to_have_count(2 * size)
    expect(older).to_be_visible()
    older.click()
    expect(items).to_have_count(total)
    expect(older).to_be_hidden()
    # Newest first, down to the very first one.
    expect(items.first).to_contain_text(f"Aportación número {total - 1}")
    expect(items.last).to_contain_text("Aportación número 0")
    shot(page, "live-room-older-contributions")

    # A new contribution still arrives on top, with the older ones kept.
    page.get_by_label("¿Sobre qué problemática?").select_option(label="Comprensión lectora en 3°")  # issue 11
    page.get_by_label("Tu aportación").fill("Una más, después de cargar las anteriores.")
    page.get_by_role("button", name="Aportar").click()
    expect(items).to_have_count(total + 1)
    expect(items.first).to_contain_text("Una más")


def test_a_connection_over_the_persons_cap_is_refused_in_spanish(app, live_server, new_page, monkeypatch):
    """The same person in a second tab, with LIVE_MAX_CONNECTIONS_PER_PERSON at 1: the second tab
    says why it cannot connect (it used to open any number of connections)."""
    from realtime import ratelimit

    restore_real_transport()
    monkeypatch.setitem(app.config, "LIVE_MAX_CONNECTIONS_PER_PERSON", 1)
    monkeypatch.setitem(app.extensions, ratelimit.EXTENSION, ratelimit.LiveLimits(app.config))
    room = build_room(password=PASSWORD)
    first = new_page()
    login(first, live_server, room.people["docente_a"].email, PASSWORD)
    first.goto(live_server + room.url)
    expect(first.locator("#connection")).to_have_text("Conectado")
    second = first.context.new_page()  # same browser, same session cookie: another tab
    second.goto(live_server + room.url)
    expect(second.locator("#connection")).to_contain_text("Tienes demasiadas conexiones abiertas")
    shot(second, "live-room-too-many-connections")
    expect(first.locator("#connection")).to_have_text("Conectado")
