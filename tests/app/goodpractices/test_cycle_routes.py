"""Pages and the API of the good-practice cycle (issue 12): categories when publishing from a
commitment, one adopt action (page and API, both with the bitácora commitment), the outcome moving
that commitment with its notes kept apart. Errors in Spanish, input kept."""

from __future__ import annotations

import re

from app.commitments.models import Commitment
from app.extensions import db
from app.goodpractices import services
from app.logbook.models import LogbookEntry
from app.practices.models import Adoption, Practice
from tests import factories
from tests.app.goodpractices.helpers import published
from tests.app.goodpractices.world import add_commitment


def _checked(html: str, code: str) -> bool:
    tag = re.search(rf'<input[^>]*value="{re.escape(code)}"[^>]*>', html)
    return tag is not None and "checked" in tag.group(0)


def test_publish_form_asks_for_categories_prefilled_from_the_problem(client, login_as, world):
    factories.get_category("convivencia")
    db.session.commit()
    login_as(world.people["director"])
    html = client.get(f"/compromisos/{world.commitment.id}/publicar-practica").get_data(as_text=True)
    assert "Categorías que atiende" in html
    assert _checked(html, "lectura-escritura") and not _checked(html, "convivencia")


def test_publish_without_categories_is_refused_in_spanish_keeping_the_input(client, login_as, world):
    """Before: the form had no categories and the practice was published with none."""
    commitment = add_commitment(world.school_a, problem=None, action="Rincón de lectura en el patio")
    login_as(world.people["director"])
    url = f"/compromisos/{commitment.id}/publicar-practica"
    html = client.get(url).get_data(as_text=True)
    assert 'name="categories"' in html and not _checked(html, "lectura-escritura")
    data = {
        "title": "Rincón de lectura",
        "summary": "Leemos en el patio.",
        "outcome": "bueno",
        "visibility": "zona",
    }
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Elige al menos una categoría" in html and 'value="Rincón de lectura"' in html
    assert db.session.query(Practice).count() == 0
    response = client.post(url, data={**data, "categories": ["lectura-escritura"]})
    practice = db.session.query(Practice).one()
    assert response.status_code == 302 and [c.code for c in practice.categories] == ["lectura-escritura"]


def test_the_practice_page_has_one_adopt_action(client, login_as, world):
    """Before: a second form at the bottom adopted without the commitment in the bitácora."""
    practice = published(world)
    login_as(world.people["director_same_zone"])
    html = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert html.count(f"/practicas/{practice.id}/la-adoptamos") == 1
    assert f"/practicas/{practice.id}/adoptar" not in html and "Adoptamos esta práctica" not in html
    assert client.post(f"/practicas/{practice.id}/adoptar", data={"outcome": "bueno"}).status_code == 404
    assert db.session.query(Adoption).count() == 0
    form = client.get(f"/practicas/{practice.id}/la-adoptamos").get_data(as_text=True)
    assert f'value="{world.people["director_same_zone"].name}"' in form
    assert services.adoption_defaults(world.people["director_same_zone"])["due_date"] in form


def test_api_adoption_writes_the_commitment_in_the_bitacora(client, login_as, world, in_a_week):
    """Before: POST /api/v1/practices/{id}/adoptions recorded the adoption and no commitment."""
    practice = published(world, visibility="todos")
    login_as(world.people["director_same_zone"])
    response = client.post(
        f"/api/v1/practices/{practice.id}/adoptions", json={"notes": "En 3°", "due_date": in_a_week}
    )
    assert response.status_code == 201, response.get_json()
    adoption = db.session.query(Adoption).one()
    commitment = db.session.get(Commitment, adoption.commitment_id)
    assert commitment.school_id == world.school_a2.id and commitment.status == "pendiente"
    assert commitment.responsible == world.people["director_same_zone"].name
    assert commitment.due_date.isoformat() == in_a_week
    entry = db.session.query(LogbookEntry).filter_by(commitment_id=commitment.id).one()
    assert entry.school_id == world.school_a2.id and "Aplicar la práctica «" in entry.title
    assert client.post(f"/api/v1/practices/{practice.id}/adoptions", json={}).status_code == 409
    # the API's errors stay JSON and name the field
    login_as(world.people["director_other_zone"])
    bad = client.post(f"/api/v1/practices/{practice.id}/adoptions", json={"due_date": "2001-01-01"})
    assert bad.status_code == 422 and "due_date" in bad.get_json()["error"]["fields"]


def _adopted(world, in_a_week) -> Adoption:
    practice = published(world)
    adoption = services.adopt_with_commitment(
        practice,
        world.school_a2,
        {"responsible": "Mtro. Juan", "due_date": in_a_week, "notes": "En 3° con cuentos cortos."},
        actor=world.people["director_same_zone"],
    )
    db.session.commit()
    return adoption


def test_outcome_from_the_commitment_page_moves_its_status(client, login_as, world, in_a_week):
    adoption = _adopted(world, in_a_week)
    login_as(world.people["director_same_zone"])
    html = client.get(f"/compromisos/{adoption.commitment_id}").get_data(as_text=True)
    assert "En 3° con cuentos cortos." in html and 'name="outcome_notes"' in html
    response = client.post(
        f"/adopciones/{adoption.id}/resultado",
        data={"outcome": "regular", "outcome_notes": "Mejoró la mitad del grupo.", "back": "compromiso"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/compromisos/{adoption.commitment_id}"
    )
    db.session.expire_all()
    adoption = db.session.get(Adoption, adoption.id)
    assert (
        adoption.notes == "En 3° con cuentos cortos."
        and adoption.outcome_notes == "Mejoró la mitad del grupo."
    )
    html = client.get(f"/compromisos/{adoption.commitment_id}").get_data(as_text=True)
    assert re.search(r'id="commitment-status">Cumplido<', html)
    practice_page = client.get(f"/practicas/{adoption.practice_id}").get_data(as_text=True)
    assert "En 3° con cuentos cortos." in practice_page and "Mejoró la mitad del grupo." in practice_page


def test_outcome_errors_are_spanish_and_keep_the_input(client, login_as, world, in_a_week):
    adoption = _adopted(world, in_a_week)
    login_as(world.people["director_same_zone"])
    response = client.post(
        f"/adopciones/{adoption.id}/resultado",
        data={"outcome": "genial", "outcome_notes": "Lo que vimos", "back": "compromiso"},
    )
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 422 and "Elige un resultado de la lista." in html and "Lo que vimos" in html
    )
    long = client.post(
        f"/adopciones/{adoption.id}/resultado", data={"outcome": "bueno", "outcome_notes": "x" * 6000}
    )
    assert long.status_code == 422 and "máximo" in long.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Commitment, adoption.commitment_id).status == "pendiente"
    assert client.get(f"/adopciones/{adoption.id}/resultado").status_code == 200
    login_as(world.people["director"])
    assert client.get(f"/adopciones/{adoption.id}/resultado").status_code == 403
    assert client.get("/adopciones/99999999999/resultado").status_code == 404
