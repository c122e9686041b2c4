"""Recording commitments (app.commitments): validations in Spanish, and idempotent writes by client_id."""

from __future__ import annotations

import pytest

from app.commitments import services
from app.commitments.models import Commitment
from app.extensions import db
from app.validation import PermissionDenied, ValidationError
from tests import factories
from tests.app.logbook.world import create_encounter


def test_record_commitment_stores_every_field(world, commitment_data, in_a_week):
    problem = factories.create_problem(world.a)
    c = services.record_commitment(
        world.encounter,
        world.a,
        commitment_data(needs_external_advice="on", problem_id=str(problem.id)),
        actor=world.director_a,
    )
    db.session.commit()
    assert (c.school_id, c.encounter_id, c.group_id, c.status) == (
        world.a.id,
        world.encounter.id,
        world.g1.id,
        "pendiente",
    )
    assert c.due_date.isoformat() == in_a_week and c.classroom == "4° A"
    assert c.needs_external_advice is True and c.problem_id == problem.id
    assert c.created_by_id == world.director_a.id and len(c.school_year) == 9


def test_same_client_id_returns_the_first_row_and_stores_nothing_twice(world, commitment_data):
    first = services.record_commitment(
        world.encounter, world.a, commitment_data(), actor=world.supervisor, client_id="live-7f3a"
    )
    db.session.commit()
    again = services.record_commitment(
        world.encounter,
        world.a,
        commitment_data(action="Otra cosa"),
        actor=world.supervisor,
        client_id="live-7f3a",
    )
    db.session.commit()
    assert again.id == first.id and again.action == "Leer en voz alta 15 minutos diarios"
    assert db.session.query(Commitment).count() == 1


def test_client_id_of_another_school_is_refused(world, commitment_data):
    services.record_commitment(
        world.encounter, world.a, commitment_data(), actor=world.supervisor, client_id="x1"
    )
    with pytest.raises(ValidationError) as exc:
        services.record_commitment(
            world.encounter, world.b, commitment_data(), actor=world.supervisor, client_id="x1"
        )
    assert "client_id" in exc.value.errors


def test_a_concurrent_duplicate_is_caught_by_the_unique_key(world, commitment_data):
    """If another request stored the same client_id between the check and the insert, the
    savepoint rolls back only the duplicate and the stored row comes back."""
    stored = services.record_commitment(
        world.encounter, world.a, commitment_data(), actor=world.supervisor, client_id="race-1"
    )
    db.session.commit()
    duplicate = Commitment(
        client_id="race-1",
        school_id=world.a.id,
        encounter_id=world.encounter.id,
        action="dup",
        responsible="x",
        due_date=stored.due_date,
        school_year="2025-2026",
    )
    result = services.insert_once(duplicate, Commitment, "race-1")
    assert result.id == stored.id
    db.session.commit()  # the outer transaction is still usable
    assert db.session.query(Commitment).count() == 1


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"action": "  "}, "action", "Escribe la acción"),
        ({"responsible": ""}, "responsible", "Indica quién es responsable"),
        ({"due_date": ""}, "due_date", "Indica la fecha límite"),
        ({"due_date": "31/12/2030"}, "due_date", "AAAA-MM-DD"),
        ({"due_date": "2020-01-01"}, "due_date", "no puede estar en el pasado"),
        ({"classroom": "x" * 121}, "classroom", "máximo 120"),
        ({"action": "x" * 2001}, "action", "máximo 2000"),
        ({"problem_id": "abc"}, "problem_id", "no es de una escuela de este encuentro"),
    ],
    ids=["action", "responsible", "no-date", "bad-date", "past-date", "classroom", "long-action", "problem"],
)
def test_commitment_validations(world, commitment_data, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        services.record_commitment(
            world.encounter, world.a, commitment_data(**changes), actor=world.supervisor
        )
    assert message in exc.value.errors[field]
    assert db.session.query(Commitment).count() == 0


def test_today_is_a_valid_due_date(world, commitment_data, today):
    c = services.record_commitment(
        world.encounter, world.a, commitment_data(due_date=today.isoformat()), actor=world.supervisor
    )
    assert c.due_date == today


def test_problem_of_a_school_outside_the_encounter_is_refused(world, commitment_data):
    problem = factories.create_problem(world.e)
    with pytest.raises(ValidationError) as exc:
        services.record_commitment(
            world.encounter, world.a, commitment_data(problem_id=problem.id), actor=world.supervisor
        )
    assert "problem_id" in exc.value.errors


def test_school_not_in_the_encounter_is_refused(world, commitment_data):
    with pytest.raises(ValidationError) as exc:
        services.record_commitment(world.encounter, world.d, commitment_data(), actor=world.admin)
    assert exc.value.errors["school"] == "La escuela no participa en este encuentro."


def test_director_records_only_for_own_school(world, commitment_data):
    with pytest.raises(PermissionDenied):
        services.record_commitment(world.encounter, world.b, commitment_data(), actor=world.director_a)


def test_draft_encounter_takes_no_commitments(world, commitment_data):
    draft = create_encounter(world.zone, [[world.a]], status="borrador")
    with pytest.raises(ValidationError):
        services.record_commitment(draft, world.a, commitment_data(), actor=world.supervisor)
