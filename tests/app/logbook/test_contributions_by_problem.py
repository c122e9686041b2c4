"""Issue 11: the acta and each school's bitácora group the room's contributions by the problem they
name (a heading per problem with its school), not under whatever problem was last presented."""

from __future__ import annotations

import re

from app.encounters.closing import close_encounter
from app.extensions import db
from app.live import services as live
from app.logbook import services
from app.logbook.minutes import school_problem_contributions
from tests.realtime.world import room  # noqa: F401


def _contribute(world_room, who, client_id, text, **data):
    live.add_contribution(
        world_room.group,
        {"kind": "propuesta", "text": text, **data},
        actor=world_room.people[who],
        client_id=client_id,
    )
    db.session.commit()


def _session(world_room, create_problem):
    """A presents (two contributions on its problem by default); after the presentations, in
    activity 4 with B's turn still on, one contribution names A's problem and one B's."""
    problem_b = create_problem(world_room.school_b, title="Asistencia irregular en 5°")
    facilitator = world_room.people["facilitador"]
    live.control_timer(world_room.group, "next", actor=facilitator)  # A presents
    db.session.commit()
    _contribute(world_room, "docente_b", "g-1", "Lectura en voz alta diaria")
    _contribute(world_room, "director_b", "g-2", "Biblioteca de aula")
    live.control_timer(world_room.group, "next", actor=facilitator)  # B presents
    live.control_timer(world_room.group, "next", actor=facilitator)  # activity 4
    db.session.commit()
    _contribute(world_room, "docente_a", "g-3", "Llamar a las familias el mismo día", problem_id=problem_b.id)
    _contribute(
        world_room, "docente_b", "g-4", "Club de lectura de los viernes", problem_id=world_room.problem.id
    )
    return problem_b


def test_the_acta_files_each_contribution_under_its_problem(room, create_problem):  # noqa: F811
    problem_b = _session(room, create_problem)
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    content = next(
        m for m in services.encounter_minutes(room.encounter) if m.group_id == room.group.id
    ).content
    sections = {p["problem_id"]: p for p in content["problems"]}
    assert list(sections) == [room.problem.id, problem_b.id]  # by the group's schools, A then B
    assert [c["text"] for c in sections[room.problem.id]["contributions"]] == [
        "Lectura en voz alta diaria",
        "Biblioteca de aula",
        "Club de lectura de los viernes",
    ]
    assert sections[room.problem.id]["school"]["id"] == room.school_a.id
    assert [c["text"] for c in sections[problem_b.id]["contributions"]] == [
        "Llamar a las familias el mismo día"
    ]
    assert sections[problem_b.id]["school"]["id"] == room.school_b.id
    assert [c["activity"] for c in sections[problem_b.id]["contributions"]] == [4]


def test_the_acta_page_shows_a_heading_per_problem(client, login_as, room, create_problem):  # noqa: F811
    problem_b = _session(room, create_problem)
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    login_as(room.people["supervisor"])
    html = client.get(f"/encuentros/{room.encounter.id}/acta").get_data(as_text=True)
    block = re.search(rf'data-problem-id="{problem_b.id}".*?</article>', html, re.S).group(0)
    assert "Asistencia irregular en 5°" in block and room.school_b.name in block
    assert "Llamar a las familias el mismo día" in block and "Actividad 4" in block
    assert "Club de lectura" not in block


def test_a_schools_bitacora_lists_the_contributions_about_its_own_problems(
    client,
    login_as,
    room,  # noqa: F811
    create_problem,
):
    problem_b = _session(room, create_problem)  # before the close: the bitácora shows them already
    sections = school_problem_contributions(room.school_b)
    assert [(s["problem_id"], [c["text"] for c in s["contributions"]]) for s in sections] == [
        (problem_b.id, ["Llamar a las familias el mismo día"])
    ]
    login_as(room.people["director_b"])
    html = client.get(f"/escuelas/{room.school_b.cct}/bitacora").get_data(as_text=True)
    section = re.search(r'<section id="problem-contributions">.*?</section>', html, re.S).group(0)
    assert "Asistencia irregular en 5°" in section and "Llamar a las familias el mismo día" in section
    assert "Lectura en voz alta diaria" not in section  # about A's problem: A's bitácora
    login_as(room.people["director_sede"])
    html_a = client.get(f"/escuelas/{room.school_a.cct}/bitacora").get_data(as_text=True)
    section_a = re.search(r'<section id="problem-contributions">.*?</section>', html_a, re.S).group(0)
    for text in ("Lectura en voz alta diaria", "Biblioteca de aula", "Club de lectura de los viernes"):
        assert text in section_a
    assert "Llamar a las familias" not in section_a
    # a kind filter of the entries leaves this section out
    filtered = client.get(f"/escuelas/{room.school_a.cct}/bitacora?tipo=nota").get_data(as_text=True)
    assert 'id="problem-contributions"' not in filtered
