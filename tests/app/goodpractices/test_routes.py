"""Pages of good practices: publish, recognise, library filters, adopt, outcomes, relatos,
thumbnails, the zone's booklet."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from app.extensions import db
from app.goodpractices import services
from app.goodpractices.models import Narrative, Recognition
from app.logbook import services as logbook
from app.logbook.models import Commitment
from app.practices.models import Adoption, Practice
from tests import factories
from tests.app.goodpractices.helpers import published, recognised
from tests.app.goodpractices.world import add_commitment


def test_commitment_page_offers_publishing(client, login_as, world):
    login_as(world.people["director"])
    html = client.get(f"/compromisos/{world.commitment.id}").get_data(as_text=True)
    assert 'id="publish-practice"' in html
    login_as(world.people["supervisor"])  # follows it up, but does not publish the school's practices
    assert 'id="publish-practice"' not in client.get(f"/compromisos/{world.commitment.id}").get_data(
        as_text=True
    )


def test_commitment_page_without_evidence_explains(client, login_as, world):
    commitment = add_commitment(world.school_a, evidence=False)
    login_as(world.people["director"])
    html = client.get(f"/compromisos/{commitment.id}").get_data(as_text=True)
    assert 'id="publish-practice"' not in html and "Agreguen una evidencia" in html
    response = client.get(f"/compromisos/{commitment.id}/publicar-practica")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/compromisos/{commitment.id}"
    )


def test_publish_form_is_prefilled_and_publishes(client, login_as, world):
    login_as(world.people["director"])
    html = client.get(f"/compromisos/{world.commitment.id}/publicar-practica").get_data(as_text=True)
    assert "Leer en voz alta 15 minutos diarios en 4° a 6°" in html and "lectura.png" in html
    response = client.post(
        f"/compromisos/{world.commitment.id}/publicar-practica",
        data={
            "title": "Lectura diaria",
            "summary": "Leemos cada día.",
            "steps": "1. Leer",
            "results": "Mejoró.",
            "categories": "lectura-escritura",
            "outcome": "bueno",
            "visibility": "todos",
            "copy_evidence": "y",
        },
    )
    practice = db.session.query(Practice).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/practicas/{practice.id}")
    assert (practice.title, practice.visibility, practice.outcome) == ("Lectura diaria", "todos", "bueno")
    assert len(practice.evidence) == 1
    # Published: the commitment page links to it, and the form sends there.
    html = client.get(f"/compromisos/{world.commitment.id}").get_data(as_text=True)
    assert "Publicado como práctica" in html and f"/practicas/{practice.id}" in html
    again = client.get(f"/compromisos/{world.commitment.id}/publicar-practica")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/practicas/{practice.id}")


def test_publish_errors_keep_what_was_typed(client, login_as, world):
    login_as(world.people["director"])
    response = client.post(
        f"/compromisos/{world.commitment.id}/publicar-practica",
        data={"title": "", "summary": "Mi resumen escrito", "outcome": "bueno", "visibility": "zona"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Escribe el título." in html and "Mi resumen escrito" in html
    assert db.session.query(Practice).count() == 0


def test_recognise_from_the_practice_page(client, login_as, world):
    practice = published(world)
    login_as(world.people["supervisor"])
    html = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert "Reconocer como buena práctica" in html
    response = client.post(
        f"/practicas/{practice.id}/reconocer",
        data={"zone_id": world.zone_a.id, "rationale": "Evidencia clara."},
    )
    assert response.status_code == 302
    html = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert "badge-buena" in html and "Evidencia clara." in html and "Retirar reconocimiento" in html
    client.post(f"/practicas/{practice.id}/reconocimiento/{world.zone_a.id}/retirar")
    assert db.session.query(Recognition).count() == 0
    assert db.session.get(Practice, practice.id).is_recognised is False


def test_recognise_refusals_are_flashed_or_forbidden(client, login_as, world):
    practice = factories.create_practice(world.school_a)  # no evidence
    login_as(world.people["supervisor"])
    response = client.post(
        f"/practicas/{practice.id}/reconocer",
        data={"zone_id": world.zone_a.id, "rationale": "x"},
        follow_redirects=True,
    )
    assert "al menos una evidencia" in response.get_data(as_text=True)
    assert db.session.query(Recognition).count() == 0
    # A zone not one's own: refused.
    assert (
        client.post(
            f"/practicas/{practice.id}/reconocer", data={"zone_id": world.zone_b.id, "rationale": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(f"/practicas/{practice.id}/reconocimiento/{world.zone_b.id}/retirar").status_code == 403
    )


def test_library_badge_and_filters(client, login_as, world):
    practice = recognised(world)
    factories.create_practice(world.school_a2, title="Huerto escolar", outcome="regular")
    login_as(world.people["director_same_zone"])
    html = client.get("/practicas").get_data(as_text=True)
    assert "Solo buenas prácticas" in html and "badge-buena" in html
    only = client.get("/practicas?buenas=1").get_data(as_text=True)
    assert practice.title in only and "Huerto escolar" not in only
    regular = client.get("/practicas?resultado=regular").get_data(as_text=True)
    assert "Huerto escolar" in regular and practice.title not in regular
    assert client.get("/practicas?resultado=<script>").status_code == 200


def test_adopt_with_commitment_and_follow_up(client, login_as, world):
    practice = published(world)
    login_as(world.people["director_same_zone"])
    html = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert 'id="adopt-with-commitment"' in html
    due = (logbook.local_today() + timedelta(days=20)).isoformat()
    response = client.post(
        f"/practicas/{practice.id}/la-adoptamos",
        data={"responsible": "Mtro. Juan", "due_date": due, "classroom": "5° B"},
    )
    commitment = db.session.query(Commitment).filter_by(school_id=world.school_a2.id).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/compromisos/{commitment.id}")
    html = client.get(f"/compromisos/{commitment.id}").get_data(as_text=True)
    assert "Aplicar la práctica «" in html and 'id="resultado-adopcion"' in html
    adoption_id = services.adoption_for_commitment(commitment).id
    client.post(
        f"/adopciones/{adoption_id}/resultado",
        data={"outcome": "bueno", "outcome_notes": "Funcionó.", "back": "compromiso"},
    )
    adoption = db.session.query(Adoption).one()
    assert (adoption.outcome, adoption.outcome_notes) == ("bueno", "Funcionó.")
    assert db.session.get(Commitment, commitment.id).status == "cumplido"
    # The practice's page now shows the outcome in the table the chart is drawn from.
    login_as(world.people["director"])
    html = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert 'id="table-adoption-outcomes"' in html and "js/dashboard.js" in html
    assert '<th scope="row">Buenos resultados</th><td>1</td>' in html


def test_adopt_form_errors_are_422(client, login_as, world):
    practice = published(world)
    login_as(world.people["director_same_zone"])
    response = client.post(
        f"/practicas/{practice.id}/la-adoptamos", data={"responsible": "Mtro. Juan", "due_date": "2001-01-01"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "no puede estar en el pasado" in html and "Mtro. Juan" in html
    assert db.session.query(Adoption).count() == 0


def test_adoption_outcome_refused_to_other_schools(client, login_as, world, in_a_week):
    practice = published(world)
    adoption = services.adopt_with_commitment(
        practice,
        world.school_a2,
        {"responsible": "J", "due_date": in_a_week},
        actor=world.people["director_same_zone"],
    )
    db.session.commit()
    login_as(world.people["director"])
    assert client.post(f"/adopciones/{adoption.id}/resultado", data={"outcome": "bueno"}).status_code == 403
    assert client.post("/adopciones/9999/resultado", data={"outcome": "bueno"}).status_code == 404


def test_thumbnail_route(client, login_as, world):
    practice = published(world)
    login_as(world.people["director_same_zone"])
    response = client.get(f"/evidencias/{practice.evidence[0].id}/miniatura")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(response.data)) as image:
        assert max(image.size) <= 480
    html = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert f"/evidencias/{practice.evidence[0].id}/miniatura" in html
    assert client.get("/evidencias/9999/miniatura").status_code == 404


def test_narrative_pages(client, login_as, world):
    practice = published(world)
    login_as(world.people["docente"])
    form = client.get(f"/escuelas/{world.school_a.cct}/relatos/nuevo?practice_id={practice.id}")
    assert form.status_code == 200 and f'<option selected value="{practice.id}">' in form.get_data(
        as_text=True
    )
    bad = client.post(f"/escuelas/{world.school_a.cct}/relatos/nuevo", data={"title": "Mi relato"})
    assert bad.status_code == 422 and "Mi relato" in bad.get_data(as_text=True)
    response = client.post(
        f"/escuelas/{world.school_a.cct}/relatos/nuevo",
        data={
            "title": "Cómo volvimos a leer",
            "faced": "<b>Pocos</b> leían.",
            "tried": "Lectura diaria.",
            "happened": "Subió la fluidez.",
            "learned": "Constancia.",
            "practice_id": str(practice.id),
            "problem_id": str(world.problem.id),
            "encounter_id": "",
        },
    )
    narrative = db.session.query(Narrative).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/relatos/{narrative.id}")
    html = client.get(f"/relatos/{narrative.id}").get_data(as_text=True)
    assert "Qué enfrentamos" in html and "&lt;b&gt;Pocos&lt;/b&gt;" in html and "<b>Pocos" not in html
    pdf = client.get(f"/relatos/{narrative.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    client.post(
        f"/relatos/{narrative.id}/editar",
        data={
            "title": "Nuevo título",
            "faced": "a",
            "tried": "b",
            "happened": "c",
            "learned": "d",
            "practice_id": str(practice.id),
            "problem_id": "",
            "encounter_id": "",
        },
    )
    assert db.session.get(Narrative, narrative.id).title == "Nuevo título"
    # Listed on the practice's page.
    assert "Nuevo título" in client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert client.get("/relatos/9999").status_code == 404


def test_zone_page_pdf_and_csv(client, login_as, world):
    practice = recognised(world)
    login_as(world.people["supervisor"])
    html = client.get(f"/zonas/{world.zone_a.cct}/buenas-practicas").get_data(as_text=True)
    assert practice.title in html and 'id="table-zone-outcomes"' in html
    pdf = client.get(f"/zonas/{world.zone_a.cct}/buenas-practicas.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    csv_response = client.get(f"/zonas/{world.zone_a.cct}/buenas-practicas.csv")
    assert csv_response.status_code == 200 and "attachment" in csv_response.headers["Content-Disposition"]
    assert practice.title in csv_response.data.decode("utf-8-sig")
    assert client.get("/zonas/22XXX0000Z/buenas-practicas").status_code == 404
    empty = client.get(f"/zonas/{world.zone_b.cct}/buenas-practicas")
    assert empty.status_code == 403  # not this supervisor's zone


def test_unknown_ids_are_404(client, login_as, world):
    login_as(world.people["admin"])
    for url in (
        "/compromisos/9999/publicar-practica",
        "/practicas/9999/la-adoptamos",
        "/escuelas/22XXX0000Z/relatos/nuevo",
        "/relatos/9999/editar",
        "/relatos/9999.pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/practicas/9999/reconocer", data={"zone_id": 1, "rationale": "x"}).status_code == 404


def test_a_published_practice_is_suggested_for_a_similar_problem(client, login_as, world):
    practice = recognised(world)
    problem = factories.create_problem(
        world.school_a2, title="No leen en casa", categories={"lectura-escritura": "alta"}
    )
    login_as(world.people["director_same_zone"])
    html = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    assert f"/practicas/{practice.id}" in html and "Por qué" in html


def test_library_links_to_the_zone_booklet(client, login_as, world):
    login_as(world.people["director_same_zone"])
    html = client.get("/practicas").get_data(as_text=True)
    assert f"/zonas/{world.zone_a.cct}/buenas-practicas" in html
    login_as(world.people["asesor"])  # no zone of their own: no link, and no error
    assert client.get("/practicas").status_code == 200
