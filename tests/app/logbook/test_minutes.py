"""Closing an encounter: minutes with every section, in every participating school's logbook, once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.commitments import services as commitments
from app.encounters.closing import LATE_WRITE_DAYS, EncounterClosed, close_encounter, late_write
from app.encounters.models import Attendance
from app.extensions import db
from app.live.models import Contribution
from app.logbook import services
from app.logbook.minutes import content_hash
from app.logbook.models import LogbookEntry, Minutes
from app.utils import as_utc
from app.validation import PermissionDenied, ValidationError
from tests import factories
from tests.app.logbook.world import pdf_text


@pytest.fixture
def seeded(world, commitment_data):
    """What a session records: attendance, contributions (one hidden), agreements, commitments."""
    w = world
    w.problem = factories.create_problem(w.a, title="Comprensión lectora en tercer grado")
    db.session.add_all(
        [
            Attendance(encounter_id=w.encounter.id, school_id=w.a.id, status="presente", people=12),
            Attendance(encounter_id=w.encounter.id, school_id=w.b.id, status="ausente"),
            Contribution(
                encounter_id=w.encounter.id,
                group_id=w.g1.id,
                problem_id=w.problem.id,
                presenting_school_id=w.a.id,
                author_school_id=w.b.id,
                kind="propuesta",
                text="Círculos de lectura con padres de familia",
                will_try=True,
            ),
            Contribution(
                encounter_id=w.encounter.id,
                group_id=w.g1.id,
                problem_id=w.problem.id,
                author_school_id=w.b.id,
                kind="pregunta",
                text="¿Cuánto tiempo leen en casa?",
            ),
            Contribution(
                encounter_id=w.encounter.id,
                group_id=w.g1.id,
                problem_id=w.problem.id,
                kind="punto_relevante",
                text="Comentario fuera de lugar",
                is_hidden=True,
                hidden_reason="no respeta las normas",
            ),
            Contribution(
                encounter_id=w.encounter.id,
                group_id=w.g1.id,
                problem_id=None,
                kind="recurso",
                text="Biblioteca de aula itinerante",
            ),
        ]
    )
    db.session.commit()
    actor = w.supervisor
    services.record_agreement(
        w.encounter, w.g1, {"text": "Revisar avances en la próxima sesión de CTE"}, actor=actor
    )
    services.record_agreement(
        w.encounter,
        w.g1,
        {"kind": "asesoria", "text": "Estrategias de lectura para alumnos con rezago"},
        actor=actor,
    )
    services.record_agreement(
        w.encounter,
        w.g1,
        {"kind": "observacion", "text": "Lectura en voz alta en 2° de la escuela B"},
        actor=actor,
    )
    services.record_agreement(
        w.encounter, w.g1, {"text": "Solo para la escuela A", "school_id": w.a.id}, actor=actor
    )
    commitments.record_commitment(w.encounter, w.a, commitment_data(), actor=actor)
    commitments.record_commitment(
        w.encounter,
        w.a,
        commitment_data(
            action="Taller de comprensión lectora", needs_external_advice=True, problem_id=w.problem.id
        ),
        actor=actor,
    )
    commitments.record_commitment(w.encounter, w.b, commitment_data(action="Rincón de lectura"), actor=actor)
    db.session.commit()
    return w


def _entries(school, kind=None):
    query = db.select(LogbookEntry).filter_by(school_id=school.id)
    if kind:
        query = query.filter_by(kind=kind)
    return db.session.execute(query).scalars().all()


def test_close_generates_one_minutes_per_group_with_every_section(seeded):
    w = seeded
    close_encounter(w.encounter, actor=w.supervisor)
    minutes = services.encounter_minutes(w.encounter)
    db.session.commit()
    assert w.encounter.status == "concluido" and w.encounter.closed_at is not None
    assert [m.group_id for m in minutes] == [w.g1.id, w.g2.id]
    c = minutes[0].content
    assert c["attendance_summary"] == {"registered": 2, "present": 1, "people": 12}
    assert {a["cct"]: a["status"] for a in c["attendance"]} == {w.a.cct: "presente", w.b.cct: "ausente"}
    problem = next(p for p in c["problems"] if p["problem_id"] == w.problem.id)
    assert [i["text"] for i in problem["contributions"]] == [
        "Círculos de lectura con padres de familia",
        "¿Cuánto tiempo leen en casa?",
    ]
    assert problem["hidden_count"] == 1 and problem["contributions"][0]["will_try"] is True
    assert c["contributions_visible"] == 3 and c["contributions_hidden"] == 1
    assert "Comentario fuera de lugar" not in str(c)
    general = next(p for p in c["problems"] if p["problem_id"] is None)
    assert general["contributions"][0]["text"] == "Biblioteca de aula itinerante"
    assert [a["text"] for a in c["agreements"]] == [
        "Revisar avances en la próxima sesión de CTE",
        "Solo para la escuela A",
    ]
    by_school = {
        b["school"]["cct"]: [i["action"] for i in b["commitments"]] for b in c["commitments_by_school"]
    }
    assert by_school == {
        w.a.cct: ["Leer en voz alta 15 minutos diarios", "Taller de comprensión lectora"],
        w.b.cct: ["Rincón de lectura"],
    }
    assert sorted((n["source"], n["text"]) for n in c["external_advice"]) == [
        ("acuerdo", "Estrategias de lectura para alumnos con rezago"),
        ("compromiso", "Taller de comprensión lectora"),
    ]
    assert [o["text"] for o in c["to_observe"]] == ["Lectura en voz alta en 2° de la escuela B"]
    # The other group had nothing recorded: its minutes exist, with empty sections.
    other = minutes[1].content
    assert other["schools"] == [{"id": w.c.id, "cct": w.c.cct, "name": w.c.name}]
    assert other["commitments_total"] == 0 and other["agreements"] == []


def test_minutes_land_in_every_participating_schools_logbook(seeded):
    w = seeded
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()
    kinds = lambda s: sorted(e.kind for e in _entries(s))  # noqa: E731
    assert kinds(w.a) == ["acta", "acuerdo", "acuerdo", "acuerdo", "acuerdo", "compromiso", "compromiso"]
    assert kinds(w.b) == ["acta", "acuerdo", "acuerdo", "acuerdo", "compromiso"]
    assert kinds(w.c) == ["acta"]
    assert _entries(w.d) == []
    b_titles = " ".join(e.title for e in _entries(w.b))
    assert "Solo para la escuela A" not in b_titles
    acta = _entries(w.a, "acta")[0]
    assert acta.minutes.group_id == w.g1.id and acta.encounter_id == w.encounter.id
    assert "Asistencia: 1 de 2 escuelas." in acta.body


def test_closing_twice_duplicates_nothing(seeded):
    w = seeded
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()
    closed_at = w.encounter.closed_at
    counts = (db.session.query(Minutes).count(), db.session.query(LogbookEntry).count())
    close_encounter(w.encounter, actor=w.facilitator)
    db.session.commit()
    assert (db.session.query(Minutes).count(), db.session.query(LogbookEntry).count()) == counts
    assert counts == (2, 13)
    assert w.encounter.closed_at == closed_at


def test_a_commitment_typed_after_the_close_is_refused_and_the_acta_stays(seeded, commitment_data):
    w = seeded
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()
    minutes = db.session.execute(db.select(Minutes).filter_by(group_id=w.g1.id)).scalar_one()
    frozen = (minutes.content, minutes.generated_at, minutes.content_hash)
    with pytest.raises(EncounterClosed) as refused:
        commitments.record_commitment(
            w.encounter, w.b, commitment_data(action="Feria de lectura"), actor=w.director_b
        )
    assert "se concluyó" in refused.value.errors["_"] and refused.value.code == "cerrado"
    db.session.rollback()
    assert not any("Feria" in e.title for e in _entries(w.b, "compromiso"))
    close_encounter(w.encounter, actor=w.supervisor)  # closing again changes nothing
    db.session.commit()
    db.session.refresh(minutes)
    assert (minutes.content, minutes.generated_at, minutes.content_hash) == frozen
    assert minutes.content_hash == content_hash(minutes.content) and len(minutes.content_hash) == 64


def test_an_offline_commitment_typed_before_the_close_is_kept_as_annex(seeded, commitment_data):
    w = seeded
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()
    minutes = db.session.execute(db.select(Minutes).filter_by(group_id=w.g1.id)).scalar_one()
    frozen = (dict(minutes.content), minutes.content_hash)
    typed = as_utc(w.encounter.closed_at) - timedelta(minutes=3)
    late = commitments.record_commitment(
        w.encounter,
        w.b,
        commitment_data(action="Feria de lectura", typed_at=typed.isoformat()),
        actor=w.director_b,
    )
    db.session.commit()
    assert late.after_close and as_utc(late.typed_at) == typed
    db.session.refresh(minutes)
    assert (minutes.content, minutes.content_hash) == frozen
    assert minutes.content["commitments_total"] == 3
    annex = services.minutes_annexes(w.encounter)[w.g1.id]
    assert [(i["kind"], i["text"]) for i in annex] == [("compromiso", "Feria de lectura")]
    assert annex[0]["typed_at"] < annex[0]["received_at"]
    entry = next(e for e in _entries(w.b, "compromiso") if "Feria" in e.title)
    assert "Registrado después del cierre" in entry.body


def test_an_offline_write_arriving_too_late_is_refused(seeded, commitment_data):
    w = seeded
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()
    typed = as_utc(w.encounter.closed_at) - timedelta(minutes=3)
    later = as_utc(w.encounter.closed_at) + timedelta(days=LATE_WRITE_DAYS, minutes=1)
    assert late_write(w.encounter, typed.isoformat(), now=later - timedelta(minutes=2)) is True
    with pytest.raises(EncounterClosed) as refused:
        late_write(w.encounter, typed.isoformat(), now=later)
    assert "llegó más de 7 días después" in refused.value.errors["_"]
    for bad in (None, "", "ayer", (as_utc(w.encounter.closed_at) + timedelta(minutes=5)).isoformat()):
        with pytest.raises(EncounterClosed):
            late_write(w.encounter, bad)


def test_the_acta_page_and_pdf_show_the_hash_and_the_annex(client, login_as, seeded, commitment_data):
    w = seeded
    close_encounter(w.encounter, actor=w.supervisor)
    db.session.commit()
    typed = as_utc(w.encounter.closed_at) - timedelta(minutes=1)
    services.record_agreement(
        w.encounter,
        w.g1,
        {"text": "Acuerdo escrito sin conexión", "typed_at": typed.isoformat()},
        actor=w.supervisor,
    )
    db.session.commit()
    minutes = db.session.execute(db.select(Minutes).filter_by(group_id=w.g1.id)).scalar_one()
    login_as(w.supervisor)
    page = client.get(f"/encuentros/{w.encounter.id}/acta").get_data(as_text=True)
    assert minutes.content_hash in page
    assert "Anexo: registrado después del cierre" in page and "Acuerdo escrito sin conexión" in page
    assert "Actualizar el acta" not in page and 'id="close-encounter"' not in page
    text = pdf_text(client.get(f"/encuentros/{w.encounter.id}/acta.pdf").data)
    assert minutes.content_hash in text.replace("\n", "")
    words = " ".join(text.split())
    assert (
        "Anexo: registrado después del cierre • Acuerdo: Acuerdo escrito sin conexión · escrito el" in words
    )


def test_only_programmed_or_running_encounters_close(world):
    world.encounter.status = "borrador"
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        close_encounter(world.encounter, actor=world.supervisor)
    assert "programado o en curso" in exc.value.errors["status"]


def test_a_director_cannot_close(world):
    with pytest.raises(PermissionDenied):
        close_encounter(world.encounter, actor=world.director_a)
    assert world.encounter.status == "en_curso"


def test_close_route_redirects_to_the_minutes_page(client, login_as, seeded):
    login_as(seeded.facilitator)
    response = client.post(f"/encuentros/{seeded.encounter.id}/cerrar")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/encuentros/{seeded.encounter.id}/acta")
    page = client.get(f"/encuentros/{seeded.encounter.id}/acta")
    html = page.get_data(as_text=True)
    for text in (
        "Asistencia",
        "Aportaciones por problemática",
        "Compromisos por escuela",
        "Requiere asesoría externa",
        "Experiencia de aula a observar",
        "Círculos de lectura con padres de familia",
        "@media print",
    ):
        assert text in html
    assert "Comentario fuera de lugar" not in html


def test_minutes_page_before_closing_says_so(client, login_as, world):
    login_as(world.director_a)
    html = client.get(f"/encuentros/{world.encounter.id}/acta").get_data(as_text=True)
    assert "El acta se genera cuando se cierra el encuentro" in html
    assert "Cerrar encuentro" not in html


def test_minutes_pdf_has_the_accented_text(client, login_as, seeded):
    close_encounter(seeded.encounter, actor=seeded.supervisor)
    db.session.commit()
    login_as(seeded.director_a)
    response = client.get(f"/encuentros/{seeded.encounter.id}/acta.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Requiere asesoría externa" in text
    assert "Comprensión lectora en tercer grado" in text
    assert "Lectura en voz alta en 2° de la escuela B" in text
    assert "Comentario fuera de lugar" not in text


def test_minutes_pdf_survives_characters_outside_the_font(seeded, commitment_data):
    from app.logbook import pdf

    services.record_agreement(
        seeded.encounter, seeded.g1, {"text": "Ñandú “comillas” — ʉ 🚀"}, actor=seeded.supervisor
    )
    close_encounter(seeded.encounter, actor=seeded.supervisor)
    minutes = services.encounter_minutes(seeded.encounter)
    data = pdf.minutes_pdf(seeded.encounter, minutes)
    assert "Ñandú “comillas” — ʉ" in pdf_text(data)


def test_close_route_shows_the_error_for_a_draft(client, login_as, world):
    world.encounter.status = "borrador"
    db.session.commit()
    login_as(world.supervisor)
    response = client.post(f"/encuentros/{world.encounter.id}/cerrar", follow_redirects=True)
    assert "Solo se cierra un encuentro programado o en curso." in response.get_data(as_text=True)
    assert db.session.query(Minutes).count() == 0


def test_missing_encounter_is_404(client, login_as, world):
    login_as(world.admin)
    assert client.get("/encuentros/999999/acta").status_code == 404
    assert client.post("/encuentros/999999/cerrar").status_code == 404
    assert client.get("/encuentros/999999/acta.pdf").status_code == 404


def test_directors_do_not_see_the_minutes_of_a_draft(client, login_as, world):
    world.encounter.status = "borrador"
    db.session.commit()
    login_as(world.director_a)
    assert client.get(f"/encuentros/{world.encounter.id}/acta").status_code == 403
    login_as(world.supervisor)
    assert client.get(f"/encuentros/{world.encounter.id}/acta").status_code == 200


def test_attendance_recorded_by_the_scheduling_services_reaches_the_minutes(world):
    from app.encounters.services import record_attendance

    record_attendance(world.encounter, world.a, "presente", actor=world.supervisor, people=7)
    record_attendance(world.encounter, world.b, "justificada", actor=world.supervisor)
    close_encounter(world.encounter, actor=world.supervisor)
    minutes = services.encounter_minutes(world.encounter)
    rows = {a["cct"]: (a["status_label"], a["people"]) for a in minutes[0].content["attendance"]}
    assert rows == {world.a.cct: ("Presente", 7), world.b.cct: ("Falta justificada", None)}
