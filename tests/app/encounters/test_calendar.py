"""iCalendar files and the secret calendar feed."""

from __future__ import annotations

from icalendar import Calendar

from app.encounters import calendar
from app.encounters.models import CalendarFeed
from app.extensions import db
from app.utils import as_utc, hash_token
from tests.app.encounters.conftest import quick_user


def _events(data: bytes):
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_encounter_ics_parses_back(world, client, login_as):
    encounter = world.encounter(groups=[(0, 1), (2, 3)], schedule=True)
    login_as(world.supervisor)
    response = client.get(f"/encuentros/{encounter.id}/calendario.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = _events(response.data)
    assert len(events) == 2
    first = events[0]
    group = encounter.groups[0]
    assert str(first["uid"]) == f"encuentro-{encounter.id}-grupo-{group.id}@aprendizaje-entre-escuelas"
    start = first.decoded("dtstart")
    assert start.utcoffset().total_seconds() == 0 and start == as_utc(encounter.starts_at)
    assert first.decoded("dtend") == as_utc(encounter.ends_at)
    assert b"DTSTART:" in response.data and b"Z\r\n" in response.data  # UTC form
    location = str(first["location"])
    assert "ESCUELA A (22DPR0500A)" in location and "CALLE 1 NUM. 10" in location and "Aula 1" in location
    description = str(first["description"])
    assert "Reconozcamos la importancia" in description
    assert "Presentación: ESCUELA B" in description
    assert "Qué nos comprometemos a realizar" in description
    assert str(first["status"]) == "CONFIRMED"


def test_school_people_get_their_own_group(world, client, login_as):
    encounter = world.encounter(groups=[(0, 1), (2, 3)], schedule=True)
    login_as(quick_user("docente", school=world.schools[2]))
    events = _events(client.get(f"/encuentros/{encounter.id}/calendario.ics").data)
    assert len(events) == 1 and "ESCUELA C" in str(events[0]["location"])


def test_feed_page_shows_the_url_once_and_stores_only_the_hash(world, client, login_as):
    director = quick_user("director", school=world.schools[0])
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    world.encounter(groups=[(0, 2)], days=30, title="Todavía borrador")
    login_as(director)
    page = client.get("/calendario")
    assert page.status_code == 200 and "Aún no tienes" in page.get_data(as_text=True)
    created = client.post("/calendario", data={"action": "crear"})
    html = created.get_data(as_text=True)
    assert created.status_code == 200 and "no se volverá a mostrar" in html
    url = html.split('id="feed-url">')[1].split("<")[0]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = db.session.execute(db.select(CalendarFeed).filter_by(user_id=director.id)).scalar_one()
    assert feed.token_hash == hash_token(token) and token not in feed.token_hash
    assert token not in client.get("/calendario").get_data(as_text=True)

    client.get("/")  # the feed needs no session
    with client.session_transaction() as sess:
        sess.clear()
    response = client.get(f"/calendario/{token}.ics")
    assert response.status_code == 200
    summaries = [str(e["summary"]) for e in _events(response.data)]
    assert summaries == [encounter.title]  # drafts are not announced

    assert client.get("/calendario/not-the-token.ics").status_code == 404
    assert client.get(f"/calendario/{token[:-1]}.ics").status_code == 404


def test_regenerating_invalidates_the_old_url(world, client, login_as):
    director = quick_user("director", school=world.schools[0])
    old = calendar.create_feed(actor=director)
    db.session.commit()
    new = calendar.create_feed(actor=director)
    db.session.commit()
    assert old != new
    assert client.get(f"/calendario/{old}.ics").status_code == 404
    assert client.get(f"/calendario/{new}.ics").status_code == 200
    calendar.delete_feed(actor=director)
    db.session.commit()
    assert client.get(f"/calendario/{new}.ics").status_code == 404


def test_feed_of_inactive_person_is_gone(world, client):
    director = quick_user("director", school=world.schools[0])
    token = calendar.create_feed(actor=director)
    director.is_active = False
    db.session.commit()
    assert client.get(f"/calendario/{token}.ics").status_code == 404


def test_supervisor_feed_lists_zone_encounters(world):
    scheduled = world.encounter(groups=[(0, 1)], schedule=True)
    other_supervisor = quick_user("supervisor", zone=world.other_zone)
    assert calendar.feed_encounters(world.supervisor) == [scheduled]
    assert calendar.feed_encounters(other_supervisor) == []


def test_a_title_and_notes_with_line_breaks_stay_one_escaped_event(world, client, login_as):
    # Issue 16, finding 8: a title with a line break must neither fail nor start a new property.
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    encounter.title = "Encuentro de zona\r\nBEGIN:VEVENT\nSUMMARY:falso; con, comas"
    encounter.notes = "Traer\r\nEND:VCALENDAR\rlibreta"
    db.session.commit()
    login_as(world.supervisor)
    response = client.get(f"/encuentros/{encounter.id}/calendario.ics")
    assert response.status_code == 200
    lines = response.data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1 and lines.count(b"END:VCALENDAR") == 1
    assert not any(line.startswith((b"SUMMARY:falso", b"END:VCALENDAR\\")) for line in lines)
    (event,) = _events(response.data)
    assert "BEGIN:VEVENT" in str(event["summary"]) and "falso; con, comas" in str(event["summary"])
    assert "END:VCALENDAR" in str(event["description"])
    # Every physical line is at most 75 octets (RFC 5545 folding).
    assert all(len(line) <= 75 for line in lines)
