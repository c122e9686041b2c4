"""Recording agreements (validations in Spanish, idempotent by client_id) and the record page of
commitments and agreements (commitments' own rules: tests/app/commitments/test_record.py)."""

from __future__ import annotations

import pytest

from app.commitments.models import Commitment
from app.extensions import db
from app.logbook import services
from app.logbook.models import Agreement
from app.validation import ValidationError
from tests.app.logbook.world import create_encounter


def test_agreement_client_id_dedupe(world):
    a = services.record_agreement(
        world.encounter, world.g1, {"text": "Acuerdo uno"}, actor=world.facilitator, client_id="ag-1"
    )
    b = services.record_agreement(
        world.encounter, world.g1, {"text": "Acuerdo uno"}, actor=world.facilitator, client_id="ag-1"
    )
    db.session.commit()
    assert a.id == b.id and db.session.query(Agreement).count() == 1


@pytest.mark.parametrize(
    "data, field",
    [
        ({"text": ""}, "text"),
        ({"text": "ok", "kind": "otra"}, "kind"),
        ({"text": "ok", "school_id": "999999"}, "school_id"),
    ],
    ids=["empty", "kind", "school"],
)
def test_agreement_validations(world, data, field):
    with pytest.raises(ValidationError) as exc:
        services.record_agreement(world.encounter, world.g1, data, actor=world.supervisor)
    assert field in exc.value.errors


def test_agreement_school_must_be_of_the_group(world):
    with pytest.raises(ValidationError) as exc:
        services.record_agreement(
            world.encounter, world.g1, {"text": "ok", "school_id": world.c.id}, actor=world.supervisor
        )
    assert exc.value.errors["school_id"] == "La escuela no participa en este grupo."


def test_agreement_group_of_another_encounter_is_refused(world):
    other = create_encounter(world.zone, [[world.d]])
    with pytest.raises(ValidationError) as exc:
        services.record_agreement(world.encounter, other.groups[0], {"text": "ok"}, actor=world.admin)
    assert "group" in exc.value.errors


def test_record_page_adds_a_commitment(client, login_as, world, in_a_week):
    login_as(world.director_a)
    page = client.get(f"/encuentros/{world.encounter.id}/registro")
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and world.a.name in html
        and world.b.name not in html.split("Registrar un compromiso")[1]
    )
    response = client.post(
        f"/encuentros/{world.encounter.id}/compromisos",
        data={
            "school_id": str(world.a.id),
            "action": "Bitácora de lectura",
            "responsible": "Mtro. José",
            "due_date": in_a_week,
            "needs_external_advice": "y",
            "client_id": "form-1",
        },
    )
    assert response.status_code == 302
    c = db.session.execute(db.select(Commitment)).scalar_one()
    assert (c.action, c.client_id, c.needs_external_advice) == ("Bitácora de lectura", "form-1", True)


def test_record_page_keeps_what_was_typed_on_error(client, login_as, world):
    login_as(world.director_a)
    response = client.post(
        f"/encuentros/{world.encounter.id}/compromisos",
        data={
            "school_id": str(world.a.id),
            "action": "Bitácora de lectura",
            "responsible": "",
            "due_date": "2020-01-01",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Indica quién es responsable." in html and "La fecha límite no puede estar en el pasado." in html
    assert "Bitácora de lectura" in html
    assert db.session.query(Commitment).count() == 0


def test_record_page_adds_an_agreement(client, login_as, world):
    login_as(world.facilitator)
    response = client.post(
        f"/encuentros/{world.encounter.id}/acuerdos",
        data={"group_id": str(world.g1.id), "kind": "observacion", "text": "Observar la clase de 5° B"},
    )
    assert response.status_code == 302
    a = db.session.execute(db.select(Agreement)).scalar_one()
    assert (a.kind, a.group_id) == ("observacion", world.g1.id)


def test_agreement_without_text_is_422(client, login_as, world):
    login_as(world.supervisor)
    response = client.post(
        f"/encuentros/{world.encounter.id}/acuerdos",
        data={"group_id": str(world.g1.id), "kind": "acuerdo", "text": ""},
    )
    assert response.status_code == 422 and "Escribe el acuerdo." in response.get_data(as_text=True)


def test_agreement_with_unknown_group_is_422(client, login_as, world):
    login_as(world.supervisor)
    response = client.post(
        f"/encuentros/{world.encounter.id}/acuerdos",
        data={"group_id": "999999", "kind": "acuerdo", "text": "x"},
    )
    assert response.status_code == 422 and "Elige el grupo." in response.get_data(as_text=True)
