"""The session's agreements recorded in the room (issue 11, app.logbook.room): by the card's activity,
with their problem, topic, classroom and schools; into each named school's logbook; in the acta
(page and PDF) by activity, the norms first, the outside-advice needs with topic, schools and
problem; bad fields refused field by field with nothing stored; observers refused."""

from __future__ import annotations

import pytest

from app.encounters.closing import close_encounter
from app.extensions import db
from app.live.models import Contribution
from app.logbook import room
from app.logbook.models import Agreement, LogbookEntry, Minutes
from app.validation import PermissionDenied, ValidationError
from tests import factories
from tests.app.logbook.world import pdf_text


def _add(w, client_id, actor=None, **data):
    row, created = room.add_agreement(w.g1, data, actor=actor or w.director_a, client_id=client_id)
    db.session.commit()
    return row, created


@pytest.fixture
def agreed(world):
    """Group 1 (schools A and B) records one agreement of each kind in the room."""
    w = world
    w.problem = factories.create_problem(w.a, title="Comprensión lectora en tercer grado")
    w.proposal = Contribution(
        encounter_id=w.encounter.id,
        group_id=w.g1.id,
        problem_id=w.problem.id,
        presenting_school_id=w.a.id,
        author_school_id=w.b.id,
        kind="propuesta",
        text="Círculos de lectura con familias",
        will_try=True,
    )
    db.session.add(w.proposal)
    db.session.commit()
    w.norm, _ = _add(w, "n-1", kind="norma", text="Escuchar sin interrumpir")
    w.to_try, _ = _add(w, "t-1", kind="probaremos", text="", contribution_id=w.proposal.id, classroom="3.º A")
    w.observe, _ = _add(
        w, "o-1", kind="observacion", text="Lectura guiada", school_ids=[w.b.id], classroom="2.º B"
    )
    w.need, _ = _add(
        w,
        "a-1",
        kind="asesoria",
        text="Estrategias de inferencia",
        topic="Comprensión lectora",
        school_ids=[w.a.id, w.b.id],
        problem_id=w.problem.id,
    )
    w.other, _ = _add(w, "g-1", kind="acuerdo", text="Compartir materiales por correo")
    return w


def test_each_kind_keeps_its_activity_and_fields(agreed):
    w = agreed
    assert (w.norm.activity, w.to_try.activity, w.observe.activity, w.need.activity) == (1, 3, 3, 4)
    assert w.to_try.text == "Círculos de lectura con familias" and w.to_try.problem_id == w.problem.id
    assert w.to_try.named_school_ids == [w.a.id] and w.to_try.classroom == "3.º A"
    assert (w.observe.school_id, w.observe.classroom) == (w.b.id, "2.º B")
    assert (w.need.topic, w.need.named_school_ids, w.need.problem_id) == (
        "Comprensión lectora",
        [w.a.id, w.b.id],
        w.problem.id,
    )
    assert w.norm.named_school_ids == [] and w.norm.group_id == w.g1.id


def test_a_retry_is_stored_once(agreed):
    w = agreed
    again, created = _add(w, "n-1", kind="norma", text="Otro texto")
    assert not created and again.id == w.norm.id and again.text == "Escuchar sin interrumpir"
    assert db.session.query(Agreement).filter_by(client_id="n-1").count() == 1


def test_bad_fields_are_refused_together_and_nothing_is_stored(world):
    w = world
    with pytest.raises(ValidationError) as refused:
        room.add_agreement(
            w.g1,
            {"kind": "asesoria", "text": "", "topic": "", "school_ids": [w.c.id], "problem_id": "x"},
            actor=w.director_a,
            client_id="bad-1",
        )
    assert {"text", "topic", "school_ids", "problem_id"} <= set(refused.value.errors)
    assert all(isinstance(m, str) and m for m in refused.value.errors.values())
    db.session.rollback()
    assert db.session.query(Agreement).count() == 0


def test_observers_cannot_record(world):
    w = world
    with pytest.raises(PermissionDenied):
        room.add_agreement(w.g1, {"kind": "norma", "text": "x"}, actor=w.asesor, client_id="obs-1")
    with pytest.raises(PermissionDenied):  # a director of a school of another group
        room.add_agreement(w.g1, {"kind": "norma", "text": "x"}, actor=w.director_d, client_id="obs-2")


def test_the_acta_lists_them_by_activity_with_the_norms_first(agreed, client, login_as):
    w = agreed
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()
    content = db.session.execute(db.select(Minutes).filter_by(group_id=w.g1.id)).scalar_one().content
    assert [a["text"] for a in content["norms"]] == ["Escuchar sin interrumpir"]
    assert [(a["text"], a["classroom"], a["problem"]) for a in content["to_try"]] == [
        ("Círculos de lectura con familias", "3.º A", "Comprensión lectora en tercer grado")
    ]
    assert [(o["text"], [s["id"] for s in o["schools"]], o["classroom"]) for o in content["to_observe"]] == [
        ("Lectura guiada", [w.b.id], "2.º B")
    ]
    [need] = [n for n in content["external_advice"] if n["source"] == "acuerdo"]
    assert need["topic"] == "Comprensión lectora" and need["problem"] == "Comprensión lectora en tercer grado"
    assert [s["name"] for s in need["schools"]] == [w.a.name, w.b.name]
    assert [a["text"] for a in content["agreements"]] == ["Compartir materiales por correo"]

    login_as(w.director_a)
    page = client.get(f"/encuentros/{w.encounter.id}/acta").get_data(as_text=True)
    group = page[page.index(f'id="grupo-{w.g1.id}"') :]
    assert group.index("Escuchar sin interrumpir") < group.index("Aportaciones por problemática")
    assert "Lo que probaremos" in group and "3.º A" in group
    advice = group[group.index("Requiere asesoría externa") :]
    assert "Comprensión lectora" in advice and w.b.name in advice and "Estrategias de inferencia" in advice
    pdf = client.get(f"/encuentros/{w.encounter.id}/acta.pdf")
    text = pdf_text(pdf.data)
    assert "Normas de convivencia" in text and "Escuchar sin interrumpir" in text
    assert "Tema: Comprensión lectora" in text and "Grupo o grado: 2.º B" in text
    assert text.index("Escuchar sin interrumpir") < text.index("Aportaciones por problemática")


def test_each_named_school_gets_the_agreement_in_its_logbook(agreed):
    w = agreed
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()

    def schools_of(agreement):
        return sorted(
            db.session.execute(
                db.select(LogbookEntry.school_id).filter_by(kind="acuerdo", agreement_id=agreement.id)
            ).scalars()
        )

    assert schools_of(w.need) == sorted([w.a.id, w.b.id])
    assert schools_of(w.observe) == [w.b.id]
    assert schools_of(w.norm) == sorted([w.a.id, w.b.id])  # names no school: the whole group
    entry = db.session.execute(db.select(LogbookEntry).filter_by(agreement_id=w.norm.id)).scalars().first()
    assert entry.title == "Norma de convivencia: Escuchar sin interrumpir"


def test_a_contribution_marked_la_probaremos_is_what_the_group_will_try_in_the_acta(world):
    """Marking a proposal *la probaremos* is the group's decision (activity 3): the acta lists it
    under "Lo que probaremos" with its problem and school, even when nobody also recorded it as an
    agreement; one recorded from it is listed once."""
    w = world
    problem = factories.create_problem(w.b, title="Fracciones en quinto")
    tried, recorded, not_tried = (
        Contribution(
            encounter_id=w.encounter.id,
            group_id=w.g1.id,
            problem_id=problem.id,
            author_school_id=w.a.id,
            kind="propuesta",
            text=text,
            will_try=will_try,
            activity=3,
        )
        for text, will_try in (
            ("Tiras de papel para fracciones", True),
            ("Recetas de cocina con fracciones", True),
            ("Un examen semanal", False),
        )
    )
    db.session.add_all([tried, recorded, not_tried])
    db.session.commit()
    _add(w, "t-rec", kind="probaremos", text="", contribution_id=recorded.id)
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()
    minutes = db.session.execute(db.select(Minutes).filter_by(group_id=w.g1.id)).scalar_one()
    to_try = minutes.content["to_try"]
    texts = [item["text"] for item in to_try]
    assert sorted(texts) == ["Recetas de cocina con fracciones", "Tiras de papel para fracciones"]
    from_mark = next(item for item in to_try if item["text"].startswith("Tiras"))
    assert from_mark["problem"] == "Fracciones en quinto"
    assert [s["name"] for s in from_mark["schools"]] == [w.b.name]
