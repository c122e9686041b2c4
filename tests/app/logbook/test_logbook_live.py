"""Issue 11, the bitácora as it happens: while the session runs, a school's bitácora shows the
session's agreements (of its group, or naming it) and its commitments, marked *en sesión*; after
*Concluir* they are the acta's entries, each once; no entry says its kind twice (page, CSV, PDF)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from app.commitments.services import local_today
from app.encounters.closing import close_encounter
from app.extensions import db
from app.live import services as live
from app.logbook import services
from app.logbook.in_session import logbook_timeline, session_items
from app.logbook.models import LogbookEntry
from app.utils import current_school_year
from tests.app.logbook.world import pdf_text
from tests.realtime.world import room  # noqa: F401


def _session(room):  # noqa: F811
    """In room group 1 (A and B): an agreement of the group, one naming B, one of group 2; a
    commitment of A and one of B; and a contribution about A's problem."""
    facilitator = room.people["facilitador"]
    group2 = next(g for g in room.encounter.groups if g.id != room.group.id)
    services.record_agreement(
        room.encounter, room.group, {"text": "Leer 20 minutos al iniciar el día"}, actor=facilitator
    )
    services.record_agreement(
        room.encounter,
        room.group,
        {"text": "Observar la clase de fracciones", "kind": "observacion", "school_id": room.school_b.id},
        actor=facilitator,
    )
    services.record_agreement(
        room.encounter, group2, {"text": "Acuerdo del otro grupo"}, actor=room.people["supervisor"]
    )
    due = (local_today() + timedelta(days=10)).isoformat()
    for who, school, action, cid in (
        ("docente_a", room.school_a, "Círculos de lectura en 3° A", "c-a"),
        ("docente_b", room.school_b, "Tutoría entre pares en 5°", "c-b"),
    ):
        live.add_commitment(
            room.group,
            {"school_id": school.id, "action": action, "responsible": "Mtra. Ruiz", "due_date": due},
            actor=room.people[who],
            client_id=cid,
        )
    live.control_timer(room.group, "next", actor=facilitator)  # A presents
    live.add_contribution(
        room.group,
        {"kind": "propuesta", "text": "Biblioteca de aula rotativa"},
        actor=room.people["docente_b"],
        client_id="k-1",
    )
    db.session.commit()


def test_a_running_sessions_items_are_in_the_bitacora_marked_en_sesion(room):  # noqa: F811
    _session(room)
    a_items = session_items(room.school_a)
    assert [(i.kind, i.title) for i in a_items] == [
        ("acuerdo", "Leer 20 minutos al iniciar el día"),
        ("compromiso", "Círculos de lectura en 3° A"),
    ]
    assert all(i.is_in_session and i.encounter_id == room.encounter.id for i in a_items)
    b_items = session_items(room.school_b)
    assert [i.title for i in b_items] == [
        "Leer 20 minutos al iniciar el día",
        "Experiencia de aula a observar: Observar la clase de fracciones",
        "Tutoría entre pares en 5°",
    ]
    assert [i.title for i in session_items(room.school_c)] == ["Acuerdo del otro grupo"]
    # the page's filters: kind and school year
    assert [i.kind for i in session_items(room.school_a, kind="compromiso")] == ["compromiso"]
    assert session_items(room.school_a, kind="nota") == []
    assert session_items(room.school_a, school_year="2000-2001") == []
    assert len(session_items(room.school_a, school_year=current_school_year())) == 2


def test_after_the_close_each_item_is_the_actas_entry_once(room):  # noqa: F811
    _session(room)
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    assert session_items(room.school_a) == []
    timeline = logbook_timeline(room.school_a)
    assert [(e.kind, e.display_title) for e in timeline if e.kind != "acta"] == [
        ("acuerdo", "Leer 20 minutos al iniciar el día"),
        ("compromiso", "Círculos de lectura en 3° A"),
    ]
    assert not any(e.is_in_session for e in timeline)
    [acta] = [e for e in timeline if e.kind == "acta"]
    assert acta.title == f"{room.encounter.title} · {room.group.label}"
    # closing again writes nothing twice
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    assert len(logbook_timeline(room.school_a)) == len(timeline)


def test_the_page_shows_en_sesion_then_the_acta_and_never_twice(client, login_as, room):  # noqa: F811
    _session(room)
    login_as(room.people["director_sede"])
    url = f"/escuelas/{room.school_a.cct}/bitacora"
    html = client.get(url).get_data(as_text=True)
    items = re.findall(r'<li id="en-sesion-[^"]+" class="in-session".*?</li>', html, re.S)
    assert len(items) == 2 and all("en sesión" in i for i in items)
    assert html.count("Leer 20 minutos al iniciar el día") == 1
    assert "Acuerdo del otro grupo" not in html and "Tutoría entre pares" not in html
    assert "Observar la clase de fracciones" not in html  # an agreement naming B
    assert "Biblioteca de aula rotativa" in html  # the contributions about A's problems, as before
    only = client.get(url + "?tipo=compromiso").get_data(as_text=True)
    assert "Círculos de lectura en 3° A" in only and "Leer 20 minutos" not in only
    assert "Leer 20 minutos" not in client.get(url + "?ciclo=2000-2001").get_data(as_text=True)

    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "en sesión" not in html and 'class="in-session"' not in html
    assert html.count("Leer 20 minutos al iniciar el día") == 1
    assert html.count("Círculos de lectura en 3° A") == 1
    for label in ("Acta", "Acuerdo", "Compromiso"):
        assert f"{label}: " not in html
        assert not re.search(rf">{label}</span>\s*(<a [^>]*>)?\s*{label}\b", html)


def test_csv_and_pdf_mark_en_sesion_and_say_each_kind_once(client, login_as, room):  # noqa: F811
    _session(room)
    login_as(room.people["director_sede"])
    url = f"/escuelas/{room.school_a.cct}/bitacora"
    rows = list(csv.reader(io.StringIO(client.get(url + "?formato=csv").data.decode("utf-8-sig"))))
    assert rows[0][-1] == "En sesión"
    assert [(r[1], r[2], r[-1]) for r in rows[1:]] == [
        ("Acuerdo", "Leer 20 minutos al iniciar el día", "en sesión"),
        ("Compromiso", "Círculos de lectura en 3° A", "en sesión"),
    ]
    text = " ".join(pdf_text(client.get(url + ".pdf").data).split())
    assert "en sesión" in text and "Leer 20 minutos al iniciar el día" in text
    assert "Aportaciones sobre nuestras problemáticas" in text and "Biblioteca de aula rotativa" in text
    assert room.problem.title in text

    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    rows = list(csv.reader(io.StringIO(client.get(url + "?formato=csv").data.decode("utf-8-sig"))))
    assert sorted(r[1] for r in rows[1:]) == ["Acta", "Acuerdo", "Compromiso"]
    assert all(r[-1] == "" for r in rows[1:])
    assert not any(r[2].startswith(("Acta:", "Acuerdo:", "Compromiso:")) for r in rows[1:])
    raw = pdf_text(client.get(url + ".pdf").data)
    text = " ".join(raw.split())
    assert "en sesión" not in text and text.count("Leer 20 minutos al iniciar el día") == 1
    assert not re.search(r"(Acta|Acuerdo|Compromiso) · ciclo [^\n]*\n\1:", raw)
    # a kind filter leaves the contributions out, as the page does
    assert "Aportaciones sobre nuestras" not in pdf_text(client.get(url + ".pdf?tipo=acta").data)


def test_older_entries_titled_with_their_kind_read_once(client, login_as, room):  # noqa: F811
    db.session.add(
        LogbookEntry(
            school_id=room.school_a.id,
            kind="acta",
            title="Acta: Encuentro de otoño · Grupo 1",
            school_year=current_school_year(),
        )
    )
    db.session.commit()
    login_as(room.people["director_sede"])
    html = client.get(f"/escuelas/{room.school_a.cct}/bitacora").get_data(as_text=True)
    assert "Encuentro de otoño · Grupo 1" in html and "Acta: Encuentro" not in html


def test_who_may_read_a_bitacora_during_the_session(client, login_as, room):  # noqa: F811
    _session(room)
    url = f"/escuelas/{room.school_a.cct}/bitacora"
    for who in ("director_otra_zona", "director_b"):
        login_as(room.people[who])
        assert client.get(url).status_code == 403
        assert client.get(url + ".pdf").status_code == 403
        assert client.get(url + "?formato=csv").status_code == 403
    login_as(room.people["supervisor"])
    assert "Círculos de lectura en 3° A" in client.get(url).get_data(as_text=True)
