"""Issue 11, "lecturas y recursos organizados por problemática": for each presented problem the room
(snapshot ``resources``) and the acta list the practices the platform recommends for it (recognised
good practices first, only those the reader may open) and those the group proposed."""

from __future__ import annotations

from app.encounters.closing import close_encounter
from app.extensions import db
from app.live import services as live
from app.logbook import services as logbook
from app.logbook.minutes import content_hash
from app.practices.models import PracticeLink, PracticeResource
from tests import factories
from tests.app.logbook.world import pdf_text
from tests.realtime.world import room  # noqa: F401


def _practices(room):  # noqa: F811
    """A practice of school C (same zone), a recognised one shared with everyone from another zone,
    one of another zone kept to that zone, and one about something else."""
    far_zone = factories.create_zone(cct="22FIZ9999X", number=9999)
    far = factories.create_school(far_zone, cct="22DPR999XX", name="ESCUELA LEJANA")
    rincon = factories.create_practice(room.school_c, title="Rincón de matemáticas", visibility="zona")
    rincon.resources.append(PracticeResource(description="Fichas de conteo", criterion="materiales"))
    rincon.links.append(PracticeLink(url="https://example.org/fichas", label="Fichas en línea"))
    rincon.links.append(PracticeLink(url="javascript:alert(1)", label="malo"))
    tiendita = factories.create_practice(
        far, title="Tiendita escolar", visibility="todos", is_recognised=True, outcome="bueno"
    )
    private = factories.create_practice(far, title="Solo para la zona lejana", visibility="zona")
    other = factories.create_practice(room.school_c, title="Recreo seguro", categories=["convivencia"])
    db.session.commit()
    return rincon, tiendita, private, other


def test_the_room_lists_recommended_practices_recognised_first_and_only_what_the_reader_may_see(
    room,  # noqa: F811
):
    rincon, tiendita, private, _other = _practices(room)
    snap = live.snapshot(room.group, actor=room.people["docente_b"])
    [section] = snap["resources"]
    assert section["problem_id"] == room.problem.id and section["title"] == room.problem.title
    titles = [p["title"] for p in section["recommended"]]
    assert titles == ["Tiendita escolar", "Rincón de matemáticas"]
    first, second = section["recommended"]
    assert first["is_recognised"] and not second["is_recognised"]
    assert second["url"] == f"/practicas/{rincon.id}"
    assert second["materials"] == [
        {"description": "Fichas de conteo", "criterion": "Elaboración de materiales didácticos"}
    ]
    assert second["links"] == [{"url": "https://example.org/fichas", "label": "Fichas en línea"}]
    # the admin may open the far zone's own practice: same ranking, one more item
    admin_titles = [
        p["title"]
        for p in live.snapshot(room.group, actor=room.people["admin"])["resources"][0]["recommended"]
    ]
    assert "Solo para la zona lejana" in admin_titles and "Recreo seguro" not in admin_titles
    assert admin_titles[0] == "Tiendita escolar"


def test_a_join_through_the_socket_shows_each_reader_what_they_may_open(room, sio_for):  # noqa: F811
    """The socket's join gets its person as the process keeps them, unbound (realtime.access): the
    kept copy holds what the visibility check reads (a teacher's school and its zone, a supervisor's
    zone), so each reader sees what the service shows them."""
    from realtime.rooms import LIVE_NAMESPACE

    _practices(room)
    for who in ("docente_b", "supervisor"):
        expected = live.snapshot(room.group, actor=room.people[who])["resources"]
        client = sio_for(room.people[who])
        ack = client.emit("join", {"group_id": room.group.id}, namespace=LIVE_NAMESPACE, callback=True)
        assert ack["ok"], ack
        assert ack["snapshot"]["resources"] == expected
        assert [p["title"] for p in expected[0]["recommended"]][:2] == [
            "Tiendita escolar",
            "Rincón de matemáticas",
        ]


def test_what_a_reader_may_open_is_checked_once_per_kind_of_reader(room):  # noqa: F811
    """A room's people are a few schools': the practices each may open are checked once per kind
    of reader (a join storm ran one or two statements per person), and each still sees their own."""
    from sqlalchemy import event

    _practices(room)
    live.snapshot(room.group, actor=room.people["docente_b"])  # ranked and checked for B's people
    checks = []

    def count(conn, cursor, statement, *args):
        if "practices" in statement:
            checks.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        same_school = live.snapshot(room.group, actor=room.people["director_b"])
        assert checks == []  # B's director reads as B's teacher did
        supervisor = live.snapshot(room.group, actor=room.people["supervisor"])
        assert len(checks) >= 1  # another kind of reader: checked for them
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    titles = [p["title"] for p in same_school["resources"][0]["recommended"]]
    assert titles == ["Tiendita escolar", "Rincón de matemáticas"]
    assert [p["title"] for p in supervisor["resources"][0]["recommended"]] == titles


def test_recommendations_are_ranked_once_per_process_like_decks(app, room):  # noqa: F811
    factories.create_practice(room.school_c, title="Rincón de matemáticas", visibility="zona")
    first = live.snapshot(room.group, actor=room.people["docente_a"])["resources"][0]["recommended"]
    factories.create_practice(room.school_c, title="Tangram en 3°", visibility="zona")
    again = live.snapshot(room.group, actor=room.people["docente_a"])["resources"][0]["recommended"]
    assert [p["title"] for p in again] == [p["title"] for p in first] == ["Rincón de matemáticas"]
    live.clear_deck_cache()
    fresh = live.snapshot(room.group, actor=room.people["docente_a"])["resources"][0]["recommended"]
    assert sorted(p["title"] for p in fresh) == ["Rincón de matemáticas", "Tangram en 3°"]


def _propose(room, who, client_id, text, kind="recurso", **data):  # noqa: F811
    row, _new = live.add_contribution(
        room.group, {"kind": kind, "text": text, **data}, actor=room.people[who], client_id=client_id
    )
    db.session.commit()
    return row


def _session_with_proposals(room):  # noqa: F811
    live.control_timer(room.group, "next", actor=room.people["facilitador"])  # A presents its problem
    db.session.commit()
    _propose(room, "docente_b", "r-1", "Libro «Matemáticas para jugar»")
    tried = _propose(room, "director_b", "r-2", "Dominó de fracciones", kind="propuesta")
    _propose(room, "docente_b", "r-3", "¿Cuánto tiempo le dedican?", kind="pregunta")
    hidden = _propose(room, "docente_b", "r-4", "Un enlace de publicidad")
    live.set_will_try(room.group, tried.id, True, actor=room.people["facilitador"])
    live.hide_contribution(room.group, hidden.id, "No es un recurso", actor=room.people["facilitador"])
    db.session.commit()


def test_the_acta_freezes_the_resources_of_each_presented_problem(room):  # noqa: F811
    _rincon, tiendita, private, _other = _practices(room)
    _session_with_proposals(room)
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    minutes = next(m for m in logbook.encounter_minutes(room.encounter) if m.group_id == room.group.id)
    [section] = minutes.content["resources"]
    assert section["problem_id"] == room.problem.id and section["school"]["id"] == room.school_a.id
    assert section["recommended"][0]["id"] == tiendita.id
    assert private.id in [p["id"] for p in section["recommended"]]  # kept; each reader sees theirs
    assert [(p["text"], p["will_try"]) for p in section["proposed"]] == [
        ("Dominó de fracciones", True),
        ("Libro «Matemáticas para jugar»", False),
    ]
    assert minutes.content_hash == content_hash(minutes.content)  # the hash covers the section
    # a practice shared after the close does not change the acta
    factories.create_practice(room.school_c, title="Tangram en 3°", visibility="zona")
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    db.session.refresh(minutes)
    assert "Tangram en 3°" not in str(minutes.content) and minutes.content_hash == content_hash(
        minutes.content
    )


def test_the_acta_page_and_pdf_show_the_resources_the_reader_may_open(client, login_as, room):  # noqa: F811
    rincon, tiendita, private, _other = _practices(room)
    _session_with_proposals(room)
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    login_as(room.people["docente_b"])
    html = client.get(f"/encuentros/{room.encounter.id}/acta").get_data(as_text=True)
    section = html[html.index("Lecturas y recursos por problemática") :]
    assert f'href="/practicas/{tiendita.id}"' in section and f'href="/practicas/{rincon.id}"' in section
    assert section.index("Tiendita escolar") < section.index("Rincón de matemáticas")
    assert "buena práctica reconocida" in section and "Fichas en línea" in section
    assert "Solo para la zona lejana" not in html and "javascript:" not in html
    assert section.index("Dominó de fracciones") < section.index("Libro «Matemáticas para jugar»")
    assert "¿Cuánto tiempo le dedican?" not in section and "Un enlace de publicidad" not in section
    text = pdf_text(client.get(f"/encuentros/{room.encounter.id}/acta.pdf").data)
    assert "Lecturas y recursos por problemática" in text and "Tiendita escolar" in text
    assert "Solo para la zona lejana" not in text and "Dominó de fracciones" in text
    login_as(room.people["admin"])
    assert "Solo para la zona lejana" in client.get(f"/encuentros/{room.encounter.id}/acta").get_data(
        as_text=True
    )
