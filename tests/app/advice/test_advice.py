"""Outside advice reaches the advisor (issue 11): requests opened at the close from commitments
ticked *requiere asesoría externa* and agreements of kind *asesoria*, the notices, the inbox grouped
by topic across schools, the answer, the zone dashboard's counts and the next agenda's reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.advice import services
from app.advice.models import AdviceRequest
from app.commitments import services as commitments
from app.encounters.agendas import build_agenda
from app.encounters.closing import close_encounter
from app.encounters.models import Notification
from app.extensions import db
from app.logbook import services as logbook
from app.utils import as_utc, utcnow
from tests import factories
from tests.app.logbook.world import create_encounter

MATH = {"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}


@pytest.fixture
def asked(world, commitment_data):
    """In group 1, school A asks for advice on its math problem (a commitment), B on the same topic
    (an agreement about its own math problem is not linked to a problem: no topic), and A commits to
    something that needs none."""
    w = world
    w.math_a = factories.create_problem(w.a, title="Resolución de problemas en 4°", categories=MATH)
    w.math_b = factories.create_problem(w.b, title="Cálculo mental en 5°", categories=MATH)
    commitments.record_commitment(
        w.encounter,
        w.a,
        commitment_data(
            action="Taller de resolución de problemas", needs_external_advice=True, problem_id=w.math_a.id
        ),
        actor=w.supervisor,
    )
    commitments.record_commitment(
        w.encounter,
        w.b,
        commitment_data(
            action="Estrategias de cálculo mental", needs_external_advice=True, problem_id=w.math_b.id
        ),
        actor=w.supervisor,
    )
    commitments.record_commitment(
        w.encounter, w.a, commitment_data(action="Rincón de lectura"), actor=w.supervisor
    )
    logbook.record_agreement(
        w.encounter,
        w.g1,
        {"kind": "asesoria", "text": "Evaluación formativa en multigrado"},
        actor=w.supervisor,
    )
    db.session.commit()
    return w


def _close(w):
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()


def _requests():
    return db.session.execute(db.select(AdviceRequest).order_by(AdviceRequest.id)).scalars().all()


def test_nothing_reaches_anyone_before_the_close(asked):
    assert _requests() == []


def test_the_close_opens_one_request_per_ask_once(asked):
    w = asked
    _close(w)
    rows = _requests()
    assert [(r.text, r.school_id, r.status) for r in rows] == [
        ("Taller de resolución de problemas", w.a.id, "recibida"),
        ("Estrategias de cálculo mental", w.b.id, "recibida"),
        ("Evaluación formativa en multigrado", None, "recibida"),
    ]
    assert {r.zone_id for r in rows} == {w.zone.id}
    assert rows[0].topic == rows[1].topic != services.NO_TOPIC and rows[2].topic == services.NO_TOPIC
    assert rows[0].problem_id == w.math_a.id and rows[0].group_id == w.g1.id
    _close(w)  # closing again opens nothing new
    assert len(_requests()) == 3


def test_the_advisor_and_the_supervisor_are_notified_at_the_close(asked):
    w = asked
    _close(w)
    notices = (
        db.session.execute(db.select(Notification).filter_by(kind="asesoria_solicitada")).scalars().all()
    )
    assert sorted(n.user_id for n in notices) == sorted([w.asesor.id, w.supervisor.id])
    assert all("3 solicitud(es) de asesoría externa" in n.message and n.url == "/asesoria" for n in notices)
    _close(w)
    assert db.session.query(Notification).filter_by(kind="asesoria_solicitada").count() == 2


def test_a_late_commitment_asking_for_advice_opens_its_request(asked, commitment_data):
    w = asked
    _close(w)
    typed = (as_utc(w.encounter.closed_at) - timedelta(minutes=2)).isoformat()
    commitments.record_commitment(
        w.encounter,
        w.b,
        commitment_data(action="Visita de asesoría a 5°", needs_external_advice=True, typed_at=typed),
        actor=w.director_b,
    )
    db.session.commit()
    assert _requests()[-1].text == "Visita de asesoría a 5°"


def test_the_inbox_groups_by_topic_across_schools(client, login_as, asked):
    w = asked
    _close(w)
    login_as(w.asesor)
    response = client.get("/asesoria")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Solicitudes de asesoría" in page
    groups = services.by_topic(services.requests_for(w.asesor))
    topic, rows, schools = groups[0]
    assert [r.text for r in rows] == ["Taller de resolución de problemas", "Estrategias de cálculo mental"]
    assert schools == 2 and groups[-1][0] == services.NO_TOPIC
    assert "2 solicitud(es) de 2 escuela(s)" in page
    for r in rows:
        assert f"/escuelas/{r.school.cct}" in page and f"/problematicas/{r.problem_id}" in page
    assert f"/encuentros/{w.encounter.id}/acta#grupo-{w.g1.id}" in page
    assert f"Todo el grupo <small>({w.a.name}, {w.b.name})</small>" in page  # the agreement names no school


@pytest.mark.parametrize(
    ("who", "status"),
    [("asesor_other", 200), ("supervisor_other", 200), ("director_a", 403), ("docente_a", 403)],
)
def test_who_sees_the_inbox(client, login_as, asked, who, status):
    _close(asked)
    login_as(getattr(asked, who))
    response = client.get("/asesoria")
    assert response.status_code == status
    if status == 200:  # another zone's advisor or supervisor: none of these requests
        assert "Taller de resolución" not in response.get_data(as_text=True)


def test_anonymous_is_sent_to_log_in(client, asked):
    assert client.get("/asesoria").status_code in (302, 401)


def test_the_advisor_answers(client, login_as, asked):
    w = asked
    _close(w)
    request = _requests()[0]
    login_as(w.asesor)
    prefix = f"r{request.id}-"
    response = client.post(
        f"/asesoria/{request.id}",
        data={prefix + "status": "en_atencion", prefix + "reply": "Visita el 12 de enero a A y B juntas."},
    )
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.status == "en_atencion" and request.reply.startswith("Visita el 12")
    assert request.replied_by_id == w.asesor.id and request.replied_at is not None
    page = client.get("/asesoria").get_data(as_text=True)
    assert "Visita el 12 de enero" in page and "En atención" in page


def test_a_refused_answer_keeps_what_was_typed(client, login_as, asked):
    w = asked
    _close(w)
    request = _requests()[1]
    login_as(w.asesor)
    prefix = f"r{request.id}-"
    response = client.post(
        f"/asesoria/{request.id}", data={prefix + "status": "atendida", prefix + "reply": ""}
    )
    assert response.status_code == 422
    assert "Escribe qué se hizo" in response.get_data(as_text=True)
    response = client.post(
        f"/asesoria/{request.id}",
        data={prefix + "status": "cerrada", prefix + "reply": "Texto que se conserva"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Elige recibida, en atención o atendida." in page
    assert "Texto que se conserva" in page
    long = client.post(
        f"/asesoria/{request.id}", data={prefix + "status": "en_atencion", prefix + "reply": "x" * 2001}
    )
    assert long.status_code == 422 and "máximo 2000" in long.get_data(as_text=True)
    db.session.refresh(request)
    assert request.status == "recibida" and request.reply is None


@pytest.mark.parametrize("who", ["asesor_other", "supervisor_other", "director_a", "facilitator"])
def test_only_the_zones_advisor_supervisor_or_admin_answer(client, login_as, asked, who):
    _close(asked)
    request = _requests()[0]
    login_as(getattr(asked, who))
    prefix = f"r{request.id}-"
    response = client.post(
        f"/asesoria/{request.id}", data={prefix + "status": "atendida", prefix + "reply": "x"}
    )
    assert response.status_code == 403
    db.session.refresh(request)
    assert request.status == "recibida"


def test_an_unknown_request_is_404(client, login_as, asked):
    login_as(asked.asesor)
    assert client.post("/asesoria/999999", data={}).status_code == 404


def test_the_zone_dashboard_counts_open_requests_by_topic_and_age(client, login_as, asked):
    w = asked
    _close(w)
    rows = _requests()
    rows[0].created_at = utcnow() - timedelta(days=40)
    rows[2].status = "atendida"
    rows[2].reply = "Listo"
    db.session.commit()
    counts = dict(services.open_by_topic_and_age(w.zone.id))
    assert counts[rows[0].topic] == {"total": 2, "menos_7": 1, "de_7_a_30": 0, "mas_30": 1}
    assert services.NO_TOPIC not in counts
    assert services.open_by_topic_and_age(w.other_zone.id) == []
    login_as(w.supervisor)
    page = client.get(f"/zonas/{w.zone.cct}/tablero").get_data(as_text=True)
    assert 'id="table-advice"' in page and rows[0].topic in page


def test_an_open_request_is_carried_into_the_next_agenda(asked):
    w = asked
    _close(w)
    _requests()[1].status = "atendida"
    db.session.commit()
    later = create_encounter(
        w.zone,
        [[w.a, w.b]],
        status="programado",
        title="Segundo encuentro",
        starts_at=utcnow() + timedelta(days=30),
    )
    review = build_agenda(later.groups[0])[0]
    advice = [line for line in review.description.splitlines() if "Asesoría externa pendiente" in line]
    assert len(advice) == 1  # the answered one is not carried
    assert (
        w.a.name in advice[0]
        and "Taller de resolución de problemas" in advice[0]
        and "estado: Recibida" in advice[0]
    )


def _room_need(w, client_id, *, topic, school_ids, problem=None, text="Acompañamiento en el aula"):
    """An outside-advice need recorded in the room (app.logbook.room), by a director of the group."""
    from app.logbook import room

    row, created = room.add_agreement(
        w.g1,
        {
            "kind": "asesoria",
            "text": text,
            "topic": topic,
            "school_ids": school_ids,
            "problem_id": problem.id if problem else None,
        },
        actor=w.director_a,
        client_id=client_id,
    )
    assert created
    db.session.commit()
    return row


def test_a_room_need_opens_a_request_per_named_school_with_the_typed_topic(world):
    w = world
    math_a = factories.create_problem(w.a, title="Resolución de problemas en 4°", categories=MATH)
    need = _room_need(
        w, "need-1", topic="Aprendizaje basado en problemas", school_ids=[w.a.id, w.b.id], problem=math_a
    )
    _close(w)
    rows = [r for r in _requests() if r.agreement_id == need.id]
    assert sorted(r.school_id for r in rows) == sorted([w.a.id, w.b.id])
    # the typed topic wins over the problem's category, for every school: the inbox groups them
    assert {r.topic for r in rows} == {"Aprendizaje basado en problemas"}
    by_school = {r.school_id: r for r in rows}
    assert by_school[w.a.id].problem_id == math_a.id  # the problem is school A's
    assert by_school[w.b.id].problem_id is None
    assert all(r.text == "Acompañamiento en el aula" and r.group_id == w.g1.id for r in rows)
    [(topic, grouped, schools)] = [
        t for t in services.by_topic(rows) if t[0] == "Aprendizaje basado en problemas"
    ]
    assert len(grouped) == 2 and schools == 2
    _close(w)  # closing again opens nothing new
    assert len([r for r in _requests() if r.agreement_id == need.id]) == 2


def test_a_need_without_a_typed_topic_takes_its_problems_category(world):
    w = world
    math_b = factories.create_problem(w.b, title="Cálculo mental en 5°", categories=MATH)
    logbook.record_agreement(
        w.encounter,
        w.g1,
        {"kind": "asesoria", "text": "Cálculo mental", "school_id": w.b.id},
        actor=w.supervisor,
        extra={"problem_id": math_b.id, "school_ids": [w.b.id]},
    )
    db.session.commit()
    _close(w)
    [row] = _requests()
    assert row.topic == services.topic_of(math_b) != services.NO_TOPIC
    assert row.problem_id == math_b.id and row.school_id == w.b.id


def test_a_late_room_need_typed_before_the_close_opens_its_requests(world):
    from app.logbook import room

    w = world
    _close(w)
    typed = (as_utc(w.encounter.closed_at) - timedelta(minutes=3)).isoformat()
    row, created = room.add_agreement(
        w.g1,
        {
            "kind": "asesoria",
            "text": "Lectura",
            "topic": "Lectura",
            "school_ids": [w.b.id],
            "typed_at": typed,
        },
        actor=w.director_a,
        client_id="need-late",
    )
    db.session.commit()
    assert created and row.after_close
    assert [(r.school_id, r.topic) for r in _requests()] == [(w.b.id, "Lectura")]
