"""Agreements in the room on /sala (issue 11): ``agreement_add`` stored once by client id (a retry
answers the stored row with ``duplicate``), the ``agreement`` row event and the snapshot; observers
and other groups cannot write; bad fields are refused in Spanish, field by field, with nothing
stored; after *Concluir* ``cerrado``, except an offline write typed before it (after_close); the
facilitator's ``reminder`` reaches everyone and nobody else may send it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.encounters.closing import close_encounter
from app.extensions import db
from app.logbook.models import Agreement
from app.utils import as_utc
from tests.realtime.test_namespace import emit, joined, received

pytestmark = pytest.mark.usefixtures("db")


def _data(room, client_id, **extra):
    return {
        "group_id": room.group.id,
        "client_id": client_id,
        "kind": "norma",
        "text": "Respetar turnos",
        **extra,
    }


def _count(**filters) -> int:
    return db.session.query(Agreement).filter_by(**filters).count()


def test_a_norm_is_stored_once_and_reaches_everyone(room, sio_for):
    f, _ = joined(sio_for, room, "facilitador")
    a, _ = joined(sio_for, room, "docente_a")
    received(f), received(a)
    first = emit(a, "agreement_add", _data(room, "ag-1"))
    assert first["ok"] and first["duplicate"] is False, first
    row = first["agreement"]
    assert (row["kind"], row["text"], row["activity"], row["kind_label"]) == (
        "norma",
        "Respetar turnos",
        1,
        "Norma de convivencia",
    )
    again = emit(a, "agreement_add", _data(room, "ag-1", text="otro texto"))
    assert again["ok"] and again["duplicate"] is True and again["agreement"]["id"] == row["id"]
    assert _count(client_id="ag-1") == 1
    seen = [e for e in received(f) if e["type"] == "agreement"]
    assert len(seen) == 1 and seen[0]["agreement"]["id"] == row["id"]
    snap = emit(f, "snapshot", {"group_id": room.group.id})["snapshot"]
    assert [x["client_id"] for x in snap["agreements"]] == ["ag-1"]


def test_an_advice_need_names_topic_schools_and_problem(room, sio_for):
    b, _ = joined(sio_for, room, "director_b")
    ack = emit(
        b,
        "agreement_add",
        _data(
            room,
            "ag-2",
            kind="asesoria",
            text="Cómo trabajar la inferencia",
            topic="Comprensión lectora",
            school_ids=[room.school_a.id, room.school_b.id, room.school_a.id],
            problem_id=room.problem.id,
        ),
    )
    assert ack["ok"], ack
    row = ack["agreement"]
    assert row["topic"] == "Comprensión lectora" and row["activity"] == 4
    assert row["school_ids"] == [room.school_a.id, room.school_b.id]
    assert row["problem_id"] == room.problem.id
    stored = db.session.execute(db.select(Agreement).filter_by(client_id="ag-2")).scalar_one()
    assert stored.school_id == room.school_a.id and stored.created_by_id == room.people["director_b"].id


def test_a_need_with_a_problem_and_no_school_names_the_problems_school(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    ack = emit(
        a,
        "agreement_add",
        _data(room, "ag-3", kind="asesoria", text="Taller", topic="Lectura", problem_id=room.problem.id),
    )
    assert ack["ok"], ack
    assert ack["agreement"]["school_ids"] == [room.school_a.id]


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"kind": "cualquiera"}, "kind"),
        ({"kind": "asesoria", "topic": "", "school_ids": []}, "topic"),
        ({"kind": "asesoria", "topic": "t" * 201, "school_ids": []}, "topic"),
        ({"kind": "asesoria", "topic": "Lectura"}, "school_ids"),
        ({"kind": "observacion", "school_ids": ["no-es-id"]}, "school_ids"),
        ({"kind": "observacion", "classroom": "c" * 121}, "classroom"),
        ({"kind": "asesoria", "topic": "Lectura", "problem_id": 999999}, "problem_id"),
        ({"kind": "probaremos", "contribution_id": 999999}, "contribution_id"),
    ],
)
def test_bad_fields_are_refused_in_spanish_and_nothing_is_stored(room, sio_for, extra, field):
    a, _ = joined(sio_for, room, "docente_a")
    received(a)
    ack = emit(a, "agreement_add", _data(room, "ag-bad", **extra))
    assert ack["ok"] is False and ack["error"] == "invalido", ack
    assert field in ack["errors"] and ack["errors"][field]
    assert _count() == 0
    assert not [e for e in received(a) if e["type"] == "agreement"]


def test_a_school_outside_the_group_and_its_problem_are_refused(room, sio_for, create_problem):
    elsewhere = create_problem(room.school_c, title="Problema de otro grupo")
    a, _ = joined(sio_for, room, "docente_a")
    outside = emit(
        a,
        "agreement_add",
        _data(room, "ag-4", kind="observacion", text="Lectura en 2.º", school_ids=[room.school_c.id]),
    )
    assert outside["error"] == "invalido" and "no participa" in outside["errors"]["school_ids"]
    problem = emit(
        a,
        "agreement_add",
        _data(room, "ag-5", kind="asesoria", text="x", topic="t", problem_id=elsewhere.id),
    )
    assert problem["error"] == "invalido" and "problemática" in problem["errors"]["problem_id"]
    assert _count() == 0


def test_observers_and_missing_client_ids_cannot_write(room, sio_for):
    observer, _ = joined(sio_for, room, "asesor_asignado")
    refused = emit(observer, "agreement_add", _data(room, "ag-6"))
    assert refused["ok"] is False and refused["error"] == "prohibido"
    outsider = sio_for(room.people["director_otro_grupo"])
    assert emit(outsider, "agreement_add", _data(room, "ag-7"))["error"] == "prohibido"
    a, _ = joined(sio_for, room, "docente_a")
    missing = emit(a, "agreement_add", _data(room, ""))
    assert missing["error"] == "invalido" and "client_id" in missing["errors"]
    assert _count() == 0


def test_a_client_id_of_another_person_is_not_answered_with_their_row(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    b, _ = joined(sio_for, room, "docente_b")
    assert emit(a, "agreement_add", _data(room, "ag-8"))["ok"]
    taken = emit(b, "agreement_add", _data(room, "ag-8"))
    assert taken["ok"] is False and "client_id" in taken["errors"]


def test_a_will_try_contribution_becomes_the_groups_decision(room, sio_for):
    f, _ = joined(sio_for, room, "facilitador")
    b, _ = joined(sio_for, room, "docente_b")
    proposal = emit(
        b,
        "contribution_add",
        {
            "group_id": room.group.id,
            "client_id": "c-1",
            "kind": "propuesta",
            "text": "Lectura en parejas",
            "problem_id": room.problem.id,
        },
    )["contribution"]
    not_yet = emit(
        f, "agreement_add", _data(room, "ag-9", kind="probaremos", text="", contribution_id=proposal["id"])
    )
    assert not_yet["error"] == "invalido" and "la probaremos" in not_yet["errors"]["contribution_id"]
    assert emit(
        f,
        "contribution_will_try",
        {"group_id": room.group.id, "contribution_id": proposal["id"], "value": True},
    )["ok"]
    ack = emit(
        f, "agreement_add", _data(room, "ag-9", kind="probaremos", text="", contribution_id=proposal["id"])
    )
    assert ack["ok"], ack
    row = ack["agreement"]
    assert (row["contribution_id"], row["problem_id"], row["text"], row["activity"]) == (
        proposal["id"],
        room.problem.id,
        "Lectura en parejas",
        3,
    )
    assert row["school_ids"] == [room.school_a.id]  # the school whose problem it is about


def test_after_the_close_cerrado_but_an_offline_write_typed_before_is_kept(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    before = emit(a, "agreement_add", _data(room, "ag-10"))
    assert before["ok"]
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    closed_at = as_utc(room.encounter.closed_at)
    typed_before = (closed_at - timedelta(minutes=5)).isoformat()
    refused = emit(a, "agreement_add", _data(room, "ag-11"))
    assert (
        refused["ok"] is False and refused["error"] == "cerrado" and "se concluyó" in refused["errors"]["_"]
    )
    later = (closed_at + timedelta(minutes=10)).isoformat()
    assert emit(a, "agreement_add", _data(room, "ag-12", typed_at=later))["error"] == "cerrado"
    assert _count(client_id="ag-11") == 0 and _count(client_id="ag-12") == 0
    kept = emit(a, "agreement_add", _data(room, "ag-13", typed_at=typed_before, text="Llegar puntuales"))
    assert kept["ok"], kept
    assert kept["agreement"]["after_close"] is True
    again = emit(a, "agreement_add", _data(room, "ag-10"))  # the lost ack of a write before the close
    assert again["ok"] and again["duplicate"] and again["agreement"]["id"] == before["agreement"]["id"]


def test_the_reminder_reaches_everyone_and_only_the_facilitator_sends_it(room, sio_for):
    f, _ = joined(sio_for, room, "facilitador")
    a, _ = joined(sio_for, room, "docente_a")
    observer, _ = joined(sio_for, room, "asesor_asignado")
    received(a), received(observer)
    refused = emit(a, "reminder", {"group_id": room.group.id})
    assert refused["ok"] is False and refused["error"] == "prohibido" and refused["errors"]["_"]
    assert emit(observer, "reminder", {"group_id": room.group.id})["error"] == "prohibido"
    ack = emit(f, "reminder", {"group_id": room.group.id})
    assert ack["ok"] and ack["state"]["reminder"]["by"] == "Facilitadora Fer"
    for client in (a, observer):
        seen = [e for e in received(client) if e["type"] == "reminder"]
        assert len(seen) == 1 and seen[0]["reminder"]["at"] == ack["state"]["reminder"]["at"]
    snap = emit(a, "snapshot", {"group_id": room.group.id})["snapshot"]
    assert snap["state"]["reminder"] == ack["state"]["reminder"]
    close_encounter(room.encounter, actor=room.people["supervisor"])
    db.session.commit()
    assert emit(f, "reminder", {"group_id": room.group.id})["error"] == "cerrado"


def test_agreements_resync_after_a_reconnection(room, sio_for):
    a, _ = joined(sio_for, room, "docente_a")
    b, first = joined(sio_for, room, "docente_b")
    assert first["agreements"] == []
    b.disconnect(namespace="/sala")
    assert emit(a, "agreement_add", _data(room, "ag-14"))["ok"]  # sent while b was away
    _b2, again = joined(sio_for, room, "docente_b")
    assert [x["client_id"] for x in again["agreements"]] == ["ag-14"]
