"""The zone's network-health page (issue 14): ties from encounters and adoptions, isolated schools,
bridges, participation per month, the CSV, and who may see it."""

from __future__ import annotations

import csv
import io

import pytest

from app.encounters.models import EncounterSchool
from app.practices.models import Adoption
from tests import factories
from tests.realtime.world import build_room


@pytest.fixture
def zone_world(db):
    room = build_room(status="concluido")  # schools A and B met in one group; C is in another group
    zone = room.school_a.zone
    lonely = factories.create_school(zone, cct="22DPR0999Z", name="ESCUELA SIN VÍNCULOS")
    practice = factories.create_practice(room.school_a, title="Lectura en voz alta")
    db.session.add(Adoption(practice_id=practice.id, school_id=room.school_c.id, outcome="bueno"))
    db.session.commit()
    return room, zone, lonely, practice


def test_the_page_shows_isolated_schools_bridges_and_spread(client, login_as, zone_world):
    room, zone, lonely, practice = zone_world
    login_as(room.people["supervisor"])
    response = client.get(f"/zonas/{zone.cct}/red")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # C adopted A's practice, A met B: A joins them (a bridge); the new school has no tie at all.
    assert f'data-cct="{lonely.cct}" class="isolated"' in html
    assert f'data-cct="{room.school_a.cct}" class="isolated"' not in html
    assert "ESCUELA SIN VÍNCULOS" in html.split('id="acciones"')[1].split("</section>")[0]
    assert room.school_a.name in html.split('id="puentes"')[1].split("</section>")[0]
    assert "Lectura en voz alta" in html and "llegó a 1 escuela" in html
    assert '<svg viewBox="0 0 600 600" role="img"' in html and html.count("<circle") == 4
    assert "<script" not in html.split('id="red"')[1].split("</section>")[0]


def test_the_csv_lists_every_school_with_its_ties(client, login_as, zone_world):
    room, zone, lonely, _practice = zone_world
    login_as(room.people["supervisor"])
    response = client.get(f"/zonas/{zone.cct}/red.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_cct = {row[1]: row for row in rows[1:]}
    assert set(by_cct) == {s.cct for s in (room.school_a, room.school_b, room.school_c, lonely)}
    assert by_cct[lonely.cct][2] == "0" and by_cct[lonely.cct][5] == "sí"
    assert int(by_cct[room.school_a.cct][2]) == 2  # met B, adopted from by C


@pytest.mark.parametrize(
    "who, status",
    [
        ("supervisor", 200),
        ("admin", 200),
        ("supervisor_otra_zona", 403),
        ("director_sede", 403),
        ("docente_a", 403),
    ],
)
def test_who_may_see_it(client, login_as, zone_world, who, status):
    room, zone, _lonely, _practice = zone_world
    login_as(room.people[who])
    assert client.get(f"/zonas/{zone.cct}/red").status_code == status
    assert client.get(f"/zonas/{zone.cct}/red.csv").status_code == status


def test_only_encounters_that_took_place_make_ties(client, login_as, db):
    room = build_room(status="programado")
    login_as(room.people["supervisor"])
    html = client.get(f"/zonas/{room.school_a.zone.cct}/red").get_data(as_text=True)
    assert f'data-cct="{room.school_a.cct}" class="isolated"' in html
    assert db.session.query(EncounterSchool).count() >= 2


def test_a_community_reply_and_an_answered_contact_are_new_ties(client, login_as, zone_world, db):
    """Issue 14: the school that was isolated is no longer, once it talks with others outside an
    encounter: a reply on a community's board, a contact request it answered."""
    from app.communities import services as communities
    from app.contacts import services as contacts

    room, zone, lonely, _practice = zone_world
    other_zone_school = factories.create_school(name="JUSTO SIERRA")
    factories.get_category("lectura-escritura")
    teacher = factories.create_user("docente", school=lonely)
    outsider = factories.create_user("docente", school=other_zone_school)
    community = communities.propose_community(
        {"name": "Lectura", "description": "Leer mejor.", "categories": ["lectura-escritura"]}, actor=outsider
    )
    communities.join(community, actor=teacher)
    post = communities.add_post(community, {"body": "Así leemos en voz alta."}, actor=outsider)
    communities.add_post(community, {"body": "¿Cuánto tiempo al día?"}, actor=teacher, parent=post)
    db.session.commit()
    login_as(room.people["supervisor"])
    html = client.get(f"/zonas/{zone.cct}/red").get_data(as_text=True)
    assert f'data-cct="{lonely.cct}" class="isolated"' not in html
    this_month = html.split('id="table-months"')[1].split("</table>")[0].split("<tr data-month=")[-1]
    assert '<td data-label="Publicaciones en comunidades">1</td></tr>' in this_month  # our school's reply

    # A contact request answered by the other school is a tie too (school C with the outsider's school).
    director_c = factories.create_user("director", school=room.school_c)
    director_out = factories.create_user("director", school=other_zone_school)
    request = contacts.send_contact_request(
        other_zone_school, {"message": "¿Podemos platicar?"}, actor=director_c
    )
    rows = lambda: {  # noqa: E731
        row[1]: row
        for row in csv.reader(
            io.StringIO(client.get(f"/zonas/{zone.cct}/red.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
    }
    db.session.commit()
    before = int(rows()[room.school_c.cct][2])
    contacts.reply(request, {"message": "Claro, el jueves."}, actor=director_out)
    db.session.commit()
    assert int(rows()[room.school_c.cct][2]) == before + 1


def test_a_region_joins_the_zones_of_a_sector(client, login_as, zone_world, db):
    """Issue 14: the health of a region (the zones of a sector): ties across zones, by zone."""
    room, zone, lonely, _practice = zone_world
    zone.sector_cct = "22FSE0001Z"
    other = factories.create_zone(sector_cct="22FSE0001Z")
    far = factories.create_school(other, name="ESCUELA DE LA OTRA ZONA")
    practice = factories.create_practice(room.school_b, title="Cálculo mental")
    db.session.add(Adoption(practice_id=practice.id, school_id=far.id, outcome="bueno"))
    stranger_zone = factories.create_zone()
    db.session.commit()

    login_as(room.people["supervisor"])
    html = client.get(f"/zonas/{zone.cct}/red").get_data(as_text=True)
    assert "/regiones/22FSE0001Z/red" in html
    page = client.get("/regiones/22fse0001z/red")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = html.split('id="table-zones"')[1].split("</table>")[0]
    assert zone.cct in rows and other.cct in rows
    assert "Red de la región: 2 zonas, 5 escuelas" in html
    assert html.count('class="net-label"') == 2  # one node per zone, not per school
    assert (
        html.split('id="red"')[1].count("<line") == 1
    )  # zone to zone: B's practice adopted in the other zone
    csv_rows = list(
        csv.reader(
            io.StringIO(client.get("/regiones/22FSE0001Z/red.csv").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    assert {row[1] for row in csv_rows[1:]} >= {far.cct, lonely.cct} and csv_rows[0][-1] == "Zona"

    assert client.get("/regiones/NOEXISTE/red").status_code == 404
    login_as(factories.create_user("supervisor", zone=stranger_zone))
    assert client.get("/regiones/22FSE0001Z/red").status_code == 403
    assert client.get("/regiones/22FSE0001Z/red.csv").status_code == 403


def test_a_mentoring_pair_ties_the_two_schools(client, login_as, zone_world, db):
    """Issue 14: a mentor of another zone and a mentee of this one are tied once both accept, and
    again on each session they log; the mentee's school is no longer isolated."""
    from datetime import date

    from app.mentoring import services as mentoring
    from app.mentoring.pairs import answer_pair, confirm_pair, log_session

    room, zone, lonely, _practice = zone_world
    reading = factories.get_category("lectura-escritura")
    mentor_school = factories.create_school(name="JUSTO SIERRA")
    mentor = factories.create_user("docente", school=mentor_school)
    mentee = factories.create_user("docente", school=lonely)
    offer = mentoring.save_offer({"categories": [str(reading.id)], "capacity": "1"}, actor=mentor)
    request = mentoring.create_request(
        {"kind": "docente_novel", "about": f"categoria-{reading.id}", "note": "Soy nueva."}, actor=mentee
    )
    pair = confirm_pair(request, offer, actor=room.people["supervisor"])
    db.session.commit()
    login_as(room.people["supervisor"])
    html = client.get(f"/zonas/{zone.cct}/red").get_data(as_text=True)
    assert f'data-cct="{lonely.cct}" class="isolated"' in html  # proposed only: no tie yet
    answer_pair(pair, True, actor=mentor)
    answer_pair(pair, True, actor=mentee)
    log_session(
        pair, {"held_on": date.today().isoformat(), "done": "Revisamos lecturas en voz alta."}, actor=mentee
    )
    db.session.commit()
    html = client.get(f"/zonas/{zone.cct}/red").get_data(as_text=True)
    assert f'data-cct="{lonely.cct}" class="isolated"' not in html
    row = html.split(f'data-cct="{lonely.cct}"')[1].split("</tr>")[0]
    assert '<td data-label="Vínculos">1</td>' in row  # one school tied (twice: accepted, a session)
