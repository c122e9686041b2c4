"""Issue 11 on /sala: a room commitment edited until the close (``commitment_edit``) and the review
of the previous commitments (``commitment_review``): who may, the acknowledgements, a retry stored
once, the closed room, and a snapshot plus the events that followed equal to the next snapshot."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.commitments.models import Commitment, CommitmentEdit, CommitmentNote
from app.dates import local_today
from app.encounters.closing import close_encounter
from app.encounters.models import AgendaItem, Encounter, EncounterGroup, EncounterSchool
from app.extensions import db
from app.live import events
from app.logbook.models import LogbookEntry
from app.utils import utcnow
from tests.realtime.test_namespace import emit, joined, received

pytestmark = pytest.mark.usefixtures("db")

DUE = (date.today() + timedelta(days=21)).isoformat()


def _add(client, room, client_id, **extra):
    data = {
        "group_id": room.group.id,
        "client_id": client_id,
        "action": "Lectura en voz alta diaria",
        "responsible": "Director Beto",
        "due_date": DUE,
        "classroom": "3.º B",
        **extra,
    }
    ack = emit(client, "commitment_add", data)
    assert ack["ok"], ack
    return ack["commitment"]


def _edit(client, room, commitment, client_id, **changes):
    fields = {k: commitment[k] for k in ("action", "responsible", "due_date", "classroom", "follow_up")}
    fields.update(
        problem_id=commitment["problem_id"], needs_external_advice=commitment["needs_external_advice"]
    )
    return emit(
        client,
        "commitment_edit",
        {
            "group_id": room.group.id,
            "client_id": client_id,
            "commitment_id": commitment["id"],
            **fields,
            **changes,
        },
    )


def _previous(room, *, status="pendiente", review=True):
    """An earlier, concluded encounter of schools A and B with one commitment of each (and the
    room's agenda opened with their review, as app.encounters.agendas builds it)."""
    if review:
        db.session.add(
            AgendaItem(group_id=room.group.id, position=-1, activity=0, title="Revisión", minutes=10)
        )
    start = utcnow() - timedelta(days=40)
    earlier = Encounter(
        title="Sesión anterior",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        status="concluido",
        closed_at=start + timedelta(hours=4),
        zones=list(room.encounter.zones),
    )
    db.session.add(earlier)
    db.session.flush()
    group = EncounterGroup(encounter_id=earlier.id, position=1, host_school_id=room.school_a.id)
    db.session.add(group)
    db.session.flush()
    for school in (room.school_a, room.school_b):
        db.session.add(EncounterSchool(encounter_id=earlier.id, group_id=group.id, school_id=school.id))
    rows = {}
    for key, school, action in (
        ("a", room.school_a, "Círculos de lectura los viernes"),
        ("b", room.school_b, "Bitácora de asistencia por grupo"),
    ):
        rows[key] = Commitment(
            school_id=school.id,
            encounter_id=earlier.id,
            group_id=group.id,
            problem_id=room.problem.id if key == "a" else None,
            action=action,
            classroom="2.º A",
            responsible="Directora",
            due_date=date.today() + timedelta(days=3),
            status=status,
            school_year="2026-2027",
        )
        db.session.add(rows[key])
    rows["a"].notes.append(
        CommitmentNote(
            body="Fotos del primer círculo",
            evidence_stored_name="evidencia-prueba.png",
            evidence_original_name="circulo.png",
            evidence_mime_type="image/png",
        )
    )
    db.session.commit()
    return rows


def _review(client, room, commitment_id, client_id, status, note=""):
    return emit(
        client,
        "commitment_review",
        {
            "group_id": room.group.id,
            "client_id": client_id,
            "commitment_id": commitment_id,
            "status": status,
            "note": note,
        },
    )


# --- editing a commitment until the close ------------------------------------------------------


def test_the_author_edits_once_and_everyone_sees_the_new_row(room, sio_for):
    b, _ = joined(sio_for, room, "director_b")
    a, _ = joined(sio_for, room, "docente_a")
    row = _add(b, room, "c-1")
    received(a)
    first = _edit(b, room, row, "e-1", action="Lectura en voz alta 20 minutos", classroom="3.º C")
    assert first["ok"] and first["duplicate"] is False, first
    assert first["commitment"]["action"] == "Lectura en voz alta 20 minutos"
    assert first["commitment"]["edited_at"] is not None
    again = _edit(b, room, row, "e-1", action="Lectura en voz alta 20 minutos", classroom="3.º C")
    assert again["ok"] and again["duplicate"] is True
    assert again["commitment"] == first["commitment"]
    seen = [e for e in received(a) if e["type"] == "commitment"]
    assert [e["commitment"] for e in seen] == [first["commitment"]]
    edit = db.session.execute(db.select(CommitmentEdit).filter_by(client_id="e-1")).scalar_one()
    assert edit.changes == {
        "classroom": ["3.º B", "3.º C"],
        "action": ["Lectura en voz alta diaria", "Lectura en voz alta 20 minutos"],
    }
    assert edit.edited_by_id == room.people["director_b"].id
    assert db.session.query(CommitmentEdit).count() == 1


def test_who_may_edit(room, sio_for):
    b, _ = joined(sio_for, room, "director_b")
    row = _add(b, room, "c-2")
    other_b, _ = joined(sio_for, room, "docente_b")  # same school, not the author
    refused = _edit(other_b, room, row, "e-2", action="Otra acción")
    assert refused["ok"] is False and refused["error"] == "prohibido"
    assert "quien lo registró o quien facilita" in refused["errors"]["_"]
    a, _ = joined(sio_for, room, "docente_a")
    assert _edit(a, room, row, "e-3", action="Otra acción")["error"] == "prohibido"
    observer, _ = joined(sio_for, room, "asesor_asignado")
    assert _edit(observer, room, row, "e-4", action="Otra acción")["error"] == "prohibido"
    f, _ = joined(sio_for, room, "facilitador")
    by_facilitator = _edit(f, room, row, "e-5", responsible="Maestro Bruno")
    assert by_facilitator["ok"]
    host, _ = joined(sio_for, room, "director_sede")  # the host school's director runs the room
    assert _edit(host, room, by_facilitator["commitment"], "e-6", follow_up="Revisión en el CTE")["ok"]
    stored = db.session.get(Commitment, row["id"])
    db.session.refresh(stored)
    assert (stored.action, stored.responsible, stored.follow_up) == (
        "Lectura en voz alta diaria",
        "Maestro Bruno",
        "Revisión en el CTE",
    )
    assert db.session.query(CommitmentEdit).count() == 2


def test_a_bad_edit_is_refused_field_by_field_and_changes_nothing(room, sio_for):
    b, _ = joined(sio_for, room, "director_b")
    row = _add(b, room, "c-3")
    # the schools' yesterday (the deadline is checked in their time zone: between 00:00 and 06:00
    # UTC, the server's yesterday is still their today)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    bad = _edit(b, room, row, "e-7", action="  ", due_date=yesterday, problem_id=room.problem.id)
    assert bad["ok"] is False and bad["error"] == "invalido"
    assert bad["errors"]["action"] == "Escribe la acción a la que se compromete la escuela."
    assert bad["errors"]["due_date"] == "La fecha límite no puede estar en el pasado."
    assert bad["errors"]["problem_id"] == "Elige una problemática de la escuela del compromiso."  # A's
    unknown = emit(
        b, "commitment_edit", {"group_id": room.group.id, "client_id": "e-8", "commitment_id": 999999}
    )
    assert unknown["error"] == "invalido" and "commitment_id" in unknown["errors"]
    stored = db.session.get(Commitment, row["id"])
    db.session.refresh(stored)
    assert stored.action == "Lectura en voz alta diaria" and stored.edited_at is None
    assert db.session.query(CommitmentEdit).count() == 0


def test_after_the_close_an_edit_is_refused_but_a_retry_is_answered(room, sio_for):
    b, _ = joined(sio_for, room, "director_b")
    row = _add(b, room, "c-4")
    assert _edit(b, room, row, "e-9", action="Antes del cierre")["ok"]
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    refused = _edit(b, room, row, "e-10", action="Después del cierre")
    assert refused["ok"] is False and refused["error"] == "cerrado"
    assert "se concluyó" in refused["errors"]["_"]
    again = _edit(b, room, row, "e-9", action="Antes del cierre")
    assert again["ok"] and again["duplicate"] is True and again["commitment"]["action"] == "Antes del cierre"


# --- the review of the previous commitments ------------------------------------------------------


def test_the_snapshot_lists_each_schools_open_previous_commitments(room, sio_for):
    rows = _previous(room)
    done = Commitment(
        **{c.name: getattr(rows["a"], c.name) for c in Commitment.__table__.columns if c.name != "id"}
    )
    done.status, done.action = "cumplido", "Ya cumplido antes"
    db.session.add(done)
    db.session.commit()
    _b, snap = joined(sio_for, room, "docente_b")
    listed = snap["previous_commitments"]
    assert [r["id"] for r in listed] == [rows["a"].id, rows["b"].id]
    first = listed[0]
    assert (
        first["school_name"] == room.school_a.name and first["problem_title"] == "Comprensión lectora en 3°"
    )
    assert (first["status"], first["classroom"], first["encounter_title"]) == (
        "pendiente",
        "2.º A",
        "Sesión anterior",
    )
    assert first["url"] == f"/compromisos/{rows['a'].id}"
    [note] = first["notes"]
    assert note["body"] == "Fotos del primer círculo" and note["evidence_name"] == "circulo.png"
    assert note["evidence_url"] == f"/compromisos/avances/{rows['a'].notes[0].id}/evidencia"


def test_the_responsible_school_sets_a_status_once_and_the_room_sees_it(room, sio_for):
    rows = _previous(room)
    b, _ = joined(sio_for, room, "docente_b")
    a, _ = joined(sio_for, room, "docente_a")
    received(a)
    ack = _review(b, room, rows["b"].id, "r-1", "cumplido", "Se registró la asistencia cada semana.")
    assert ack["ok"] and ack["duplicate"] is False, ack
    assert ack["review"]["status"] == "cumplido"
    assert ack["review"]["notes"][-1]["body"] == "Se registró la asistencia cada semana."
    again = _review(b, room, rows["b"].id, "r-1", "cumplido", "Se registró la asistencia cada semana.")
    assert again["ok"] and again["duplicate"] is True and again["review"] == ack["review"]
    seen = [e for e in received(a) if e["type"] == "review"]
    assert [e["review"] for e in seen] == [ack["review"]]
    notes = db.session.execute(db.select(CommitmentNote).filter_by(client_id="r-1")).scalars().all()
    assert (
        len(notes) == 1 and notes[0].status_after == "cumplido" and notes[0].encounter_id == room.encounter.id
    )
    entry = db.session.execute(db.select(LogbookEntry).filter_by(kind="seguimiento")).scalar_one()
    assert entry.school_id == room.school_b.id and entry.commitment_id == rows["b"].id
    assert "Estado: Cumplido" in entry.body and "Se registró la asistencia" in entry.body
    # still listed with its new status (reviewed here), though no longer open
    snap = emit(a, "snapshot", {"group_id": room.group.id})["snapshot"]
    assert next(r for r in snap["previous_commitments"] if r["id"] == rows["b"].id)["status"] == "cumplido"


def test_without_a_review_in_the_agenda_nothing_is_listed_or_reviewed(room, sio_for):
    rows = _previous(room, review=False)
    b, snap = joined(sio_for, room, "director_b")
    assert snap["previous_commitments"] == []
    refused = _review(b, room, rows["b"].id, "r-0", "cumplido")
    assert refused["error"] == "invalido"
    assert refused["errors"]["commitment_id"] == "La agenda de esta sala no tiene revisión de compromisos."


def test_who_may_review(room, sio_for):
    rows = _previous(room)
    a, _ = joined(sio_for, room, "docente_a")
    refused = _review(a, room, rows["b"].id, "r-2", "en_curso")  # B's commitment
    assert refused["ok"] is False and refused["error"] == "prohibido"
    assert "escuela responsable" in refused["errors"]["_"]
    observer, _ = joined(sio_for, room, "asesor_asignado")
    assert _review(observer, room, rows["b"].id, "r-3", "en_curso")["error"] == "prohibido"
    f, _ = joined(sio_for, room, "facilitador")  # an advisor facilitating: not of the school
    assert _review(f, room, rows["b"].id, "r-4", "en_curso")["ok"]
    assert _review(a, room, rows["a"].id, "r-5", "en_curso")["ok"]
    assert db.session.get(Commitment, rows["b"].id).status == "en_curso"
    assert db.session.query(CommitmentNote).filter(CommitmentNote.client_id.like("r-%")).count() == 2


def test_a_bad_review_is_refused_in_spanish(room, sio_for):
    rows = _previous(room)
    b, _ = joined(sio_for, room, "director_b")
    no_note = _review(b, room, rows["b"].id, "r-6", "no_cumplido", "  ")
    assert no_note["error"] == "invalido"
    assert no_note["errors"]["note"] == "Para «No cumplido» escribe qué pasó o qué faltó."
    assert _review(b, room, rows["b"].id, "r-7", "reprogramado")["errors"]["status"] == (
        "Elige: cumplido, en curso o no cumplido."
    )
    this_room = _add(b, room, "c-5")  # a commitment of this encounter is not a previous one
    assert "commitment_id" in _review(b, room, this_room["id"], "r-8", "cumplido")["errors"]
    assert db.session.get(Commitment, rows["b"].id).status == "pendiente"
    ok = _review(b, room, rows["b"].id, "r-9", "no_cumplido", "Faltó tiempo en el bimestre.")
    assert ok["ok"] and ok["review"]["status"] == "no_cumplido"


def test_after_the_close_a_review_is_refused_but_a_retry_is_answered(room, sio_for):
    rows = _previous(room)
    b, _ = joined(sio_for, room, "director_b")
    assert _review(b, room, rows["b"].id, "r-10", "en_curso")["ok"]
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    refused = _review(b, room, rows["b"].id, "r-11", "cumplido")
    assert refused["ok"] is False and refused["error"] == "cerrado"
    again = _review(b, room, rows["b"].id, "r-10", "en_curso")
    assert again["ok"] and again["duplicate"] is True and again["review"]["status"] == "en_curso"


def test_a_snapshot_plus_the_events_is_the_next_snapshot(room, sio_for):
    """Resync: what a client rebuilds from the events equals the snapshot it would fetch."""
    rows = _previous(room)
    observer, before = joined(sio_for, room, "asesor_asignado")
    b, _ = joined(sio_for, room, "director_b")
    a, _ = joined(sio_for, room, "docente_a")
    row = _add(b, room, "c-6")
    assert _edit(b, room, row, "e-11", action="Lectura compartida con familias")["ok"]
    assert _review(b, room, rows["b"].id, "r-12", "no_cumplido", "No hubo tiempo.")["ok"]
    assert _review(a, room, rows["a"].id, "r-13", "cumplido")["ok"]
    got = [e for e in received(observer) if e["version"] > before["version"]]
    rebuilt = before
    for event in got:
        rebuilt = events.apply_event(rebuilt, event)
    after = emit(observer, "snapshot", {"group_id": room.group.id})["snapshot"]
    for key in ("version", "commitments", "previous_commitments"):
        assert rebuilt[key] == after[key], key
    assert [r["status"] for r in after["previous_commitments"]] == ["cumplido", "no_cumplido"]
