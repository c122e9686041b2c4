"""The good-practice cycle without breaks (issue 12): a practice published from a commitment has
categories; one adoption service writes the bitácora commitment; the adoption's outcome moves that
commitment and keeps the adaptation notes; recognition says who recognised it and the booklet
carries steps, materials, evidence thumbnails and outcomes."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from app.commitments.models import Commitment
from app.extensions import db
from app.goodpractices import pdf, services
from app.logbook import services as logbook
from app.practices import services as practices
from app.practices.models import PracticeResource
from app.validation import ValidationError
from tests import factories
from tests.app.goodpractices.world import add_commitment


def _publish(world, commitment=None, **data):
    practice = services.publish_commitment(
        commitment or world.commitment,
        {"outcome": "bueno", "visibility": "zona", **data},
        actor=world.people["director"],
    )
    db.session.commit()
    return practice


# --- 1. publishing from a commitment asks for categories ---------------------------------------


def test_a_commitment_without_problem_cannot_be_published_without_categories(world):
    """Before: published with no categories, so never recommended nor found by category."""
    commitment = add_commitment(world.school_a, problem=None, action="Rincón de lectura en el patio")
    with pytest.raises(ValidationError) as exc:
        _publish(world, commitment)
    assert "categoría" in exc.value.errors["categories"]
    factories.get_category("convivencia")
    practice = _publish(world, commitment, categories=["convivencia", "lectura-escritura"])
    assert sorted(c.code for c in practice.categories) == ["convivencia", "lectura-escritura"]
    assert "zzcatconvivencia" in practice.search_text.replace("-", "")


def test_categories_chosen_replace_the_problems_and_an_empty_choice_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _publish(world, categories=[])
    assert set(exc.value.errors) == {"categories"}
    with pytest.raises(ValidationError) as exc:
        _publish(world, categories=["no-existe"])
    assert "no-existe" in exc.value.errors["categories"]
    factories.get_category("convivencia")
    practice = _publish(world, categories=["convivencia"])
    assert [c.code for c in practice.categories] == ["convivencia"]


def test_published_practice_is_found_by_its_category(world):
    commitment = add_commitment(world.school_a, problem=None, action="Asambleas de aula semanales")
    factories.get_category("convivencia")
    practice = _publish(world, commitment, categories=["convivencia"])
    found, _total = practices.search_practices(world.people["director_same_zone"], category="convivencia")
    assert practice in found


# --- 2 and 3. one adoption service, and its outcome moves the commitment ---------------------------


def _adopt(world, practice, in_a_week, **data):
    adoption = services.adopt_with_commitment(
        practice,
        world.school_a2,
        {"responsible": "Mtro. Juan", "due_date": in_a_week, **data},
        actor=world.people["director_same_zone"],
    )
    db.session.commit()
    return adoption


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("en_proceso", "en_curso"),
        ("bueno", "cumplido"),
        ("regular", "cumplido"),
        ("sin_resultado", "no_cumplido"),
    ],
)
def test_outcome_moves_the_adoption_commitment_and_keeps_the_adaptation_notes(
    world, in_a_week, outcome, status
):
    """Before: the commitment stayed Pendiente and the notes of the adaptation were overwritten."""
    practice = _publish(world)
    adoption = _adopt(world, practice, in_a_week, notes="Lo haremos en 3° con cuentos cortos.")
    commitment = db.session.get(Commitment, adoption.commitment_id)
    assert commitment.status == "pendiente"
    services.record_adoption_outcome(
        adoption,
        {"outcome": outcome, "outcome_notes": "Subió la fluidez en 3°."},
        actor=world.people["director_same_zone"],
    )
    db.session.commit()
    assert adoption.notes == "Lo haremos en 3° con cuentos cortos."
    assert adoption.outcome_notes == "Subió la fluidez en 3°."
    assert commitment.status == status
    last = commitment.notes[-1]
    assert last.status_after == status and "Subió la fluidez en 3°." in last.body


def test_outcome_follows_a_later_change_of_mind(world, in_a_week):
    practice = _publish(world)
    adoption = _adopt(world, practice, in_a_week)
    actor = world.people["director_same_zone"]
    services.record_adoption_outcome(adoption, {"outcome": "sin_resultado"}, actor=actor)
    services.record_adoption_outcome(adoption, {"outcome": "bueno"}, actor=actor)
    commitment = db.session.get(Commitment, adoption.commitment_id)
    assert commitment.status == "cumplido"
    assert adoption.outcome_notes is None
    # the same outcome again writes no second note
    count = len(commitment.notes)
    services.record_adoption_outcome(adoption, {"outcome": "bueno"}, actor=actor)
    assert len(commitment.notes) == count


def test_outcome_notes_too_long_are_refused_in_spanish(world, in_a_week):
    practice = _publish(world)
    adoption = _adopt(world, practice, in_a_week)
    with pytest.raises(ValidationError) as exc:
        services.record_adoption_outcome(
            adoption,
            {"outcome": "bueno", "outcome_notes": "x" * 6000},
            actor=world.people["director_same_zone"],
        )
    assert "máximo" in exc.value.errors["outcome_notes"]


def test_adopting_a_second_time_is_refused_and_an_earlier_adoption_gets_its_commitment(world, in_a_week):
    practice = _publish(world)
    actor = world.people["director_same_zone"]
    practices.adopt_practice(practice, world.school_a2, {"outcome": "en_proceso"}, actor=actor)
    adoption = _adopt(world, practice, in_a_week)
    assert adoption.commitment_id is not None
    with pytest.raises(ValidationError):
        _adopt(world, practice, in_a_week)


def test_adoption_defaults_give_a_responsible_and_a_deadline(world):
    defaults = services.adoption_defaults(world.people["director_same_zone"])
    assert defaults["responsible"] == world.people["director_same_zone"].name
    assert date.fromisoformat(defaults["due_date"]) == logbook.local_today() + timedelta(days=30)


# --- 4. who recognised it, and a booklet that carries the practice ----------------------------------


def _booklet_text(world) -> str:
    items = services.zone_good_practices(world.zone_a, actor=world.people["supervisor"])
    data = pdf.booklet_pdf(world.zone_a, items, services.zone_outcome_totals(items))
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_recognition_records_role_and_person_and_the_booklet_says_so(world):
    """Before: the booklet said 'por el Consejo Técnico de Zona' when an advisor recognised it."""
    practice = _publish(world, steps="1. Elegir un cuento.\n2. Leer en voz alta 15 minutos.")
    asesor = world.people["asesor"]
    recognition = services.recognise_practice(
        practice, world.zone_a, {"rationale": "Se puede adoptar."}, actor=asesor
    )
    db.session.commit()
    assert recognition.recognised_by_id == asesor.id and recognition.recognised_as == "asesor"
    text = _booklet_text(world)
    assert "Consejo Técnico de Zona" not in text
    assert asesor.name in text and "Asesoría técnico pedagógica" in text
    assert "Elegir un cuento" in text


def test_booklet_carries_materials_outcomes_and_stored_thumbnails(world, in_a_week):
    practice = _publish(world)
    practice.resources.append(
        PracticeResource(description="Cuentos de la biblioteca de aula", criterion="materiales")
    )
    services.recognise_practice(
        practice, world.zone_a, {"rationale": "Funciona."}, actor=world.people["supervisor"]
    )
    adoption = _adopt(world, practice, in_a_week)
    services.record_adoption_outcome(
        adoption,
        {"outcome": "bueno", "outcome_notes": "Leen más en casa."},
        actor=world.people["director_same_zone"],
    )
    db.session.commit()
    text = _booklet_text(world)
    assert "Cuentos de la biblioteca de aula" in text
    assert "Supervisión de zona" in text and world.people["supervisor"].name in text
    assert "ESCUELA VECINA" in text and "Leen más en casa." in text
    items = services.zone_good_practices(world.zone_a, actor=world.people["supervisor"])

    def images() -> int:
        data = pdf.booklet_pdf(world.zone_a, items, services.zone_outcome_totals(items))
        reader = PdfReader(io.BytesIO(data))
        return sum(len(page.images) for page in reader.pages)

    assert images() == len(practice.evidence) == 1  # the stored thumbnail (made after the commit)
    for evidence in practice.evidence:
        services.thumbnail_path(evidence).unlink()
    assert images() == 0  # none stored: the booklet never decodes the original photo
