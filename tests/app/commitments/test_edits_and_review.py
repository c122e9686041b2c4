"""Issue 11: a commitment edited until its encounter closes, each edit kept (app.commitments.edits),
and the review of the previous commitments in the next encounter (app.commitments.review): which
are listed, the statuses and the note, stored once, into the history and the bitácora."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.commitments import edits, review, services
from app.commitments.limits import NOTE_MAX
from app.commitments.models import Commitment, CommitmentEdit, CommitmentNote
from app.commitments.status import follow_status
from app.encounters.closing import EncounterClosed, close_encounter
from app.extensions import db
from app.logbook.models import LogbookEntry
from app.validation import PermissionDenied, ValidationError
from tests import factories
from tests.app.logbook.world import create_encounter


@pytest.fixture
def commitment(world, commitment_data):
    c = services.record_commitment(world.encounter, world.a, commitment_data(), actor=world.director_a)
    db.session.commit()
    return c


def _fields(c, **changes):
    data = {
        "action": c.action,
        "classroom": c.classroom,
        "responsible": c.responsible,
        "due_date": c.due_date.isoformat(),
        "follow_up": c.follow_up,
        "problem_id": c.problem_id,
        "needs_external_advice": c.needs_external_advice,
    }
    data.update(changes)
    return data


# --- edits ---------------------------------------------------------------------------------------


def test_an_edit_keeps_each_changed_field_before_and_after(world, commitment, today):
    problem = factories.create_problem(world.a, title="Ausentismo en 5°")
    new_due = (today + timedelta(days=30)).isoformat()
    row, created = edits.edit_commitment(
        commitment,
        _fields(commitment, responsible="Mtro. Pablo Gil", due_date=new_due, problem_id=problem.id),
        actor=world.director_a,
        client_id="ed-1",
    )
    assert created and row.responsible == "Mtro. Pablo Gil" and row.problem_id == problem.id
    assert row.edited_at is not None
    [edit] = commitment.edits
    assert edit.changes == {
        "problem_id": [None, problem.id],
        "responsible": ["Mtra. Lucía Ramírez", "Mtro. Pablo Gil"],
        "due_date": [(today + timedelta(days=7)).isoformat(), new_due],
    }
    [entry] = edits.history(commitment)
    assert entry["who"] == "Directora Ana Núñez"
    assert [(c["label"], c["before"], c["after"]) for c in entry["changes"]] == [
        ("Problemática", "—", "Ausentismo en 5°"),
        ("Responsable", "Mtra. Lucía Ramírez", "Mtro. Pablo Gil"),
        (
            "Fecha límite",
            (today + timedelta(days=7)).strftime("%d/%m/%Y"),
            (today + timedelta(days=30)).strftime("%d/%m/%Y"),
        ),
    ]


def test_a_retry_or_an_edit_without_changes_stores_nothing_new(world, commitment):
    data = _fields(commitment, action="Leer 20 minutos diarios")
    assert edits.edit_commitment(commitment, data, actor=world.director_a, client_id="ed-2")[1] is True
    assert edits.edit_commitment(commitment, data, actor=world.director_a, client_id="ed-2")[1] is False
    assert edits.edit_commitment(commitment, data, actor=world.director_a, client_id="ed-3")[1] is False
    assert db.session.query(CommitmentEdit).count() == 1
    other = services.record_commitment(world.encounter, world.b, _fields(commitment), actor=world.director_b)
    with pytest.raises(ValidationError) as exc:  # one client id, another commitment
        edits.edit_commitment(other, _fields(other, action="x"), actor=world.director_b, client_id="ed-2")
    assert "client_id" in exc.value.errors


def test_only_its_author_and_the_facilitator_may_edit(world, commitment):
    for person in (world.docente_a, world.director_b, world.asesor):
        with pytest.raises(PermissionDenied):
            edits.edit_commitment(
                commitment, _fields(commitment, action="x"), actor=person, client_id=f"p-{person.id}"
            )
    assert edits.edit_commitment(
        commitment, _fields(commitment, action="Leer"), actor=world.facilitator, client_id="p-f"
    )[1]
    assert edits.can_edit_commitment(world.director_a, commitment)
    assert not edits.can_edit_commitment(world.docente_a, commitment)


def test_a_bad_edit_names_each_field_and_changes_nothing(world, commitment, today):
    other_school = factories.create_problem(world.b, title="Problema de B")
    with pytest.raises(ValidationError) as exc:
        edits.edit_commitment(
            commitment,
            _fields(
                commitment, action="", responsible="x" * 201, due_date="mañana", problem_id=other_school.id
            ),
            actor=world.director_a,
            client_id="bad-1",
        )
    assert set(exc.value.errors) == {"action", "responsible", "due_date", "problem_id"}
    assert exc.value.errors["due_date"] == "Escribe la fecha límite como AAAA-MM-DD."
    db.session.refresh(commitment)
    assert commitment.action == "Leer en voz alta 15 minutos diarios" and commitment.edits == []


def test_a_deadline_that_passed_may_stay_but_not_be_moved_into_the_past(world, commitment, today):
    commitment.due_date = today - timedelta(days=1)  # the session went on past midnight
    db.session.commit()
    same = _fields(commitment, action="Leer 20 minutos")
    assert edits.edit_commitment(commitment, same, actor=world.director_a, client_id="d-1")[1]
    with pytest.raises(ValidationError) as exc:
        moved = _fields(commitment, due_date=(today - timedelta(days=2)).isoformat())
        edits.edit_commitment(commitment, moved, actor=world.director_a, client_id="d-2")
    assert exc.value.errors["due_date"] == "La fecha límite no puede estar en el pasado."


def test_after_the_close_an_edit_is_refused_cerrado(world, commitment):
    close_encounter(world.encounter, actor=world.supervisor)
    db.session.commit()
    assert not edits.is_open_for_edits(commitment)
    with pytest.raises(EncounterClosed) as exc:
        edits.edit_commitment(
            commitment, _fields(commitment, action="x"), actor=world.director_a, client_id="c-1"
        )
    assert exc.value.code == "cerrado"


def test_the_commitment_page_shows_the_history(world, commitment, client):
    edits.edit_commitment(
        commitment, _fields(commitment, classroom="4° B"), actor=world.director_a, client_id="h-1"
    )
    db.session.commit()
    with client.session_transaction() as sess:
        factories.log_in(sess, world.director_a)
    page = client.get(f"/compromisos/{commitment.id}").get_data(as_text=True)
    assert "Historial de cambios" in page and "<del>4° A</del>" in page and "<ins>4° B</ins>" in page


# --- the review of the previous commitments ------------------------------------------------------


@pytest.fixture
def next_encounter(world):
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    return create_encounter(world.zone, [[world.a, world.b]], starts_at=later, title="Segundo encuentro")


def test_previous_commitments_are_the_open_ones_of_earlier_encounters(
    world, commitment, commitment_data, next_encounter
):
    done = services.record_commitment(
        world.encounter, world.b, commitment_data(action="Ya hecho"), actor=world.director_b
    )
    done.status = "cumplido"
    later = services.record_commitment(
        next_encounter, world.a, commitment_data(action="De hoy"), actor=world.director_a
    )
    db.session.commit()
    school_ids = [world.a.id, world.b.id]
    assert review.previous_commitments(next_encounter, school_ids) == [commitment]
    assert review.previous_commitments(world.encounter, school_ids) == []  # nothing earlier
    assert later not in review.previous_commitments(next_encounter, school_ids)
    assert review.previous_commitments(next_encounter, [world.c.id]) == []


def test_a_review_is_a_progress_note_stored_once_and_a_bitacora_entry(world, commitment, next_encounter):
    data = {"status": "cumplido", "note": "Se leyó cada día."}
    note, created = review.review_commitment(
        commitment, data, actor=world.docente_a, client_id="rv-1", encounter=next_encounter
    )
    assert created and commitment.status == "cumplido"
    assert (note.body, note.status_after, note.encounter_id) == (
        "Se leyó cada día.",
        "cumplido",
        next_encounter.id,
    )
    again, created = review.review_commitment(
        commitment, data, actor=world.docente_a, client_id="rv-1", encounter=next_encounter
    )
    assert again is note and created is False
    assert db.session.query(CommitmentNote).filter_by(client_id="rv-1").count() == 1
    [entry] = db.session.execute(db.select(LogbookEntry).filter_by(kind="seguimiento")).scalars().all()
    assert entry.school_id == world.a.id and entry.encounter_id == next_encounter.id
    assert entry.body.splitlines() == [
        "Estado: Cumplido",
        "Se leyó cada día.",
        "Revisado en el encuentro «Segundo encuentro».",
    ]
    # reviewed here: still listed though no longer open
    assert review.previous_commitments(next_encounter, [world.a.id]) == [commitment]


def test_a_review_without_a_note_says_where_it_was_reviewed(world, commitment, next_encounter):
    note, _created = review.review_commitment(
        commitment, {"status": "en_curso"}, actor=world.director_a, client_id="rv-2", encounter=next_encounter
    )
    assert note.body == "Revisado en el encuentro «Segundo encuentro»: En curso."
    # the same status again: only a note, when there is one
    assert review.review_commitment(
        commitment, {"status": "en_curso"}, actor=world.director_a, client_id="rv-3", encounter=next_encounter
    ) == (None, False)
    plain, created = review.review_commitment(
        commitment,
        {"status": "en_curso", "note": "Va a la mitad."},
        actor=world.director_a,
        client_id="rv-4",
        encounter=next_encounter,
    )
    assert created and plain.status_after is None and plain.body == "Va a la mitad."


def test_review_rules(world, commitment, next_encounter):
    with pytest.raises(ValidationError) as exc:
        review.review_commitment(
            commitment,
            {"status": "no_cumplido", "note": " "},
            actor=world.director_a,
            client_id="rr-1",
            encounter=next_encounter,
        )
    assert exc.value.errors == {"note": "Para «No cumplido» escribe qué pasó o qué faltó."}
    with pytest.raises(ValidationError) as exc:
        review.review_commitment(
            commitment,
            {"status": "reprogramado", "note": "x" * (NOTE_MAX + 1)},
            actor=world.director_a,
            client_id="rr-2",
            encounter=next_encounter,
        )
    assert set(exc.value.errors) == {"status", "note"}
    with pytest.raises(PermissionDenied):  # another school, without the room's permission
        review.review_commitment(
            commitment,
            {"status": "cumplido"},
            actor=world.director_b,
            client_id="rr-3",
            encounter=next_encounter,
        )
    assert commitment.status == "pendiente" and commitment.notes == []


def test_follow_status_takes_a_permission_checked_by_the_caller(world, commitment):
    with pytest.raises(PermissionDenied):
        follow_status(commitment, "en_curso", "x", actor=world.facilitator)
    note = follow_status(commitment, "en_curso", "Revisado", actor=world.facilitator, allowed=True)
    assert note is not None and db.session.get(Commitment, commitment.id).status == "en_curso"
