"""Services of good practices: publishing, recognising, adopting with a commitment, relatos,
thumbnails, the zone's booklet."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from PIL import Image
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.goodpractices import pdf, services
from app.goodpractices.models import Recognition
from app.logbook import services as logbook
from app.logbook.models import LogbookEntry
from app.practices import services as practices
from app.validation import PermissionDenied, ValidationError
from tests import factories
from tests.app.goodpractices.world import add_commitment


def publish(world, **data):
    practice = services.publish_commitment(
        world.commitment, {"outcome": "bueno", **data}, actor=world.people["director"]
    )
    db.session.commit()
    return practice


# --- publishing a fulfilled commitment --------------------------------------------------------


def test_prefill_comes_from_commitment_and_problem(world):
    values = services.prefill_from_commitment(world.commitment)
    assert values["title"] == "Leer en voz alta 15 minutos diarios en 4° a 6°"
    assert values["summary"] == "Leer en voz alta 15 minutos diarios en 4° a 6°\ncon bitácora"
    assert "Responsable: Mtra. Lucía Ramírez" in values["steps"]
    assert "subió la fluidez" in values["results"]
    assert values["categories"] == ["lectura-escritura"]
    assert values["grades"] == ["4°", "5°"]
    assert values["problem_id"] == world.problem.id


def test_only_fulfilled_commitments_with_evidence_are_publishable(world):
    assert services.is_publishable(world.commitment)
    assert not services.is_publishable(add_commitment(world.school_a, status="en_curso"))
    assert not services.is_publishable(add_commitment(world.school_a, evidence=False))


def test_publish_creates_practice_with_copied_evidence(world):
    practice = publish(world, title="Lectura diaria en voz alta", visibility="todos")
    assert practice.school_id == world.school_a.id
    assert practice.source_commitment_id == world.commitment.id
    assert practice.outcome == "bueno"
    assert practice.visibility == "todos"
    assert [c.code for c in practice.categories] == ["lectura-escritura"]
    assert practice.problem_id == world.problem.id
    assert practice.grades == ["4°", "5°"]
    assert "lectura diaria" in practice.search_text
    [evidence] = practice.evidence
    assert evidence.mime_type == "image/png"
    note = world.commitment.notes[0]
    assert evidence.stored_name != note.evidence_stored_name
    assert practices.evidence_path(evidence).read_bytes() == logbook.note_evidence_path(note).read_bytes()
    assert services.practice_from_commitment(world.commitment) == practice


def test_publish_twice_is_refused(world):
    publish(world)
    with pytest.raises(ValidationError):
        services.publish_commitment(world.commitment, {"outcome": "bueno"}, actor=world.people["director"])


def test_publish_without_copying_evidence(world):
    assert publish(world, copy_evidence=False).evidence == []


def test_publish_refuses_unfulfilled_and_strangers(world):
    pending = add_commitment(world.school_a, status="en_curso")
    with pytest.raises(ValidationError):
        services.publish_commitment(pending, {"outcome": "bueno"}, actor=world.people["director"])
    with pytest.raises(PermissionDenied):
        services.publish_commitment(
            world.commitment, {"outcome": "bueno"}, actor=world.people["director_same_zone"]
        )
    with pytest.raises(PermissionDenied):
        services.publish_commitment(world.commitment, {"outcome": "bueno"}, actor=world.people["supervisor"])


def test_publish_validates_fields(world):
    with pytest.raises(ValidationError) as exc:
        services.publish_commitment(
            world.commitment, {"outcome": "excelente"}, actor=world.people["director"]
        )
    assert "outcome" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.publish_commitment(
            world.commitment, {"outcome": "bueno", "title": "  "}, actor=world.people["director"]
        )
    assert "title" in exc.value.errors


def test_publish_ignores_problem_of_another_school_but_keeps_its_categories(world):
    other_problem = factories.create_problem(world.school_a2, categories={"convivencia": "alta"})
    commitment = add_commitment(world.school_a, problem=other_problem)
    practice = services.publish_commitment(commitment, {"outcome": "regular"}, actor=world.people["docente"])
    assert practice.problem_id is None
    assert [c.code for c in practice.categories] == ["convivencia"]


# --- recognising ----------------------------------------------------------------------------------


def test_recognise_requires_evidence_results_and_rationale(world):
    bare = factories.create_practice(world.school_a, results="Mejoró la lectura.")
    with pytest.raises(ValidationError, match="evidencia"):
        services.recognise_practice(
            bare, world.zone_a, {"rationale": "Muy buena"}, actor=world.people["supervisor"]
        )
    practice = publish(world, results="")
    with pytest.raises(ValidationError, match="resultados"):
        services.recognise_practice(
            practice, world.zone_a, {"rationale": "Muy buena"}, actor=world.people["supervisor"]
        )
    practices.update_practice(
        practice, {"results": "Subió la fluidez lectora."}, actor=world.people["director"]
    )
    with pytest.raises(ValidationError) as exc:
        services.recognise_practice(
            practice, world.zone_a, {"rationale": ""}, actor=world.people["supervisor"]
        )
    assert exc.value.errors == {"rationale": "Escribe por qué es una buena práctica."}


def test_recognise_and_withdraw(world):
    practice = publish(world)
    assert practice.is_recognised is False
    services.recognise_practice(
        practice, world.zone_a, {"rationale": "Evidencia clara."}, actor=world.people["supervisor"]
    )
    services.recognise_practice(
        practice, world.zone_a, {"rationale": "Evidencia clara y adoptable."}, actor=world.people["asesor"]
    )
    db.session.commit()
    [recognition] = services.recognitions(practice)
    assert recognition.rationale == "Evidencia clara y adoptable."
    assert recognition.recognised_by_id == world.people["asesor"].id
    assert practice.is_recognised is True
    services.withdraw_recognition(practice, world.zone_a, actor=world.people["supervisor"])
    db.session.commit()
    assert practice.is_recognised is False
    assert db.session.query(Recognition).count() == 0
    with pytest.raises(ValidationError):
        services.withdraw_recognition(practice, world.zone_a, actor=world.people["supervisor"])


def test_another_zone_recognises_a_practice_shared_with_everyone(world):
    practice = publish(world, visibility="todos")
    other = world.people["supervisor_other"]
    with pytest.raises(PermissionDenied):
        services.recognise_practice(practice, world.zone_a, {"rationale": "x"}, actor=other)
    services.recognise_practice(practice, world.zone_b, {"rationale": "Nos sirvió."}, actor=other)
    services.recognise_practice(
        practice, world.zone_a, {"rationale": "De la zona."}, actor=world.people["supervisor"]
    )
    services.withdraw_recognition(practice, world.zone_a, actor=world.people["supervisor"])
    assert practice.is_recognised is True  # zone B still recognises it
    assert [r.zone_id for r in services.recognitions(practice)] == [world.zone_b.id]


def test_directors_cannot_recognise(world):
    practice = publish(world)
    for role in ("director", "director_same_zone", "docente", "asesor_other"):
        with pytest.raises(PermissionDenied):
            services.recognise_practice(practice, world.zone_a, {"rationale": "x"}, actor=world.people[role])


# --- search --------------------------------------------------------------------------------------


def test_search_filters_recognised_and_outcome(world):
    practice = publish(world)
    other = factories.create_practice(world.school_a, title="Lectura con títeres", outcome="regular")
    services.recognise_practice(
        practice, world.zone_a, {"rationale": "Sí."}, actor=world.people["supervisor"]
    )
    db.session.commit()
    admin = world.people["admin"]
    found, total = practices.search_practices(admin, recognised=True)
    assert (found, total) == ([practice], 1)
    assert practices.search_practices(admin, outcome="regular")[0] == [other]
    assert practices.search_practices(admin, outcome="bueno", q="lectura")[0] == [practice]


def test_search_ranks_recognised_and_evidence_higher(world):
    plain = factories.create_practice(
        world.school_a2, title="Lectura en voz alta", search_text="lectura en voz alta lectura"
    )
    practice = publish(world, title="Lectura en voz alta")
    admin = world.people["admin"]
    # Evidence weighs a close match up.
    assert [p.id for p in practices.search_practices(admin, q="lectura voz")[0]][0] == practice.id
    practice2 = factories.create_practice(
        world.school_a2,
        title="Lectura en voz alta",
        search_text="lectura en voz alta lectura",
        is_recognised=True,
    )
    ranked = [p.id for p in practices.search_practices(admin, q="lectura voz")[0]]
    assert ranked.index(practice2.id) < ranked.index(plain.id)


# --- adopting with a commitment ------------------------------------------------------------------


def test_adopt_writes_a_commitment_in_the_logbook(world, in_a_week):
    practice = publish(world)
    actor = world.people["director_same_zone"]
    adoption = services.adopt_with_commitment(
        practice,
        world.school_a2,
        {
            "responsible": "Mtro. Juan",
            "due_date": in_a_week,
            "classroom": "5° B",
            "notes": "En 5°.",
        },
        actor=actor,
    )
    db.session.commit()
    commitment = adoption.commitment_id and db.session.get(logbook.Commitment, adoption.commitment_id)
    assert commitment.school_id == world.school_a2.id
    assert commitment.encounter_id is None
    assert commitment.action.startswith(f"Aplicar la práctica «{practice.title}»")
    assert commitment.responsible == "Mtro. Juan"
    assert commitment.due_date.isoformat() == in_a_week
    assert adoption.outcome == "en_proceso" and adoption.notes == "En 5°."
    entry = db.session.query(LogbookEntry).filter_by(commitment_id=commitment.id).one()
    assert entry.school_id == world.school_a2.id and entry.kind == "compromiso"
    assert services.adoption_for_commitment(commitment) == adoption
    with pytest.raises(ValidationError):
        services.adopt_with_commitment(
            practice, world.school_a2, {"responsible": "x", "due_date": in_a_week}, actor=actor
        )


def test_adopt_keeps_an_earlier_adoption_and_its_outcome(world, in_a_week):
    practice = publish(world)
    actor = world.people["director_same_zone"]
    practices.adopt_practice(practice, world.school_a2, {"outcome": "bueno", "notes": "Antes"}, actor=actor)
    adoption = services.adopt_with_commitment(
        practice, world.school_a2, {"responsible": "Mtro. Juan", "due_date": in_a_week}, actor=actor
    )
    assert adoption.outcome == "bueno" and adoption.notes == "Antes"
    assert adoption.commitment_id is not None
    assert len(practice.adoptions) == 1


def test_adopt_validates_and_refuses(world, in_a_week):
    practice = publish(world)
    actor = world.people["director_same_zone"]
    past = (logbook.local_today() - timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as exc:
        services.adopt_with_commitment(
            practice, world.school_a2, {"responsible": "", "due_date": past}, actor=actor
        )
    assert set(exc.value.errors) == {"responsible", "due_date"}
    with pytest.raises(ValidationError) as exc:
        services.adopt_with_commitment(
            practice, world.school_a2, {"responsible": "A", "due_date": "mañana"}, actor=actor
        )
    assert "AAAA-MM-DD" in exc.value.errors["due_date"]
    with pytest.raises(PermissionDenied):  # its own school
        services.adopt_with_commitment(
            practice,
            world.school_a,
            {"responsible": "A", "due_date": in_a_week},
            actor=world.people["director"],
        )
    with pytest.raises(PermissionDenied):  # cannot see a zone practice of another zone
        services.adopt_with_commitment(
            practice,
            world.school_b,
            {"responsible": "A", "due_date": in_a_week},
            actor=world.people["director_other_zone"],
        )


def test_adoption_outcome_feeds_the_practice(world, in_a_week):
    practice = publish(world)
    adoption = services.adopt_with_commitment(
        practice,
        world.school_a2,
        {"responsible": "Mtro. Juan", "due_date": in_a_week},
        actor=world.people["director_same_zone"],
    )
    services.record_adoption_outcome(
        adoption, {"outcome": "bueno", "notes": "Funcionó en 5°."}, actor=world.people["director_same_zone"]
    )
    assert adoption.outcome == "bueno"
    counts = {o.code: o.count for o in services.outcome_counts(practice.adoptions)}
    assert counts == {"en_proceso": 0, "bueno": 1, "regular": 0, "sin_resultado": 0}
    with pytest.raises(ValidationError):
        services.record_adoption_outcome(
            adoption, {"outcome": "genial"}, actor=world.people["director_same_zone"]
        )
    with pytest.raises(PermissionDenied):
        services.record_adoption_outcome(adoption, {"outcome": "regular"}, actor=world.people["director"])


def test_record_school_commitment_needs_a_member(world, in_a_week):
    with pytest.raises(PermissionDenied):
        services.record_school_commitment(
            world.school_a,
            {"action": "x", "responsible": "y", "due_date": in_a_week},
            actor=world.people["supervisor"],
        )


# --- relatos --------------------------------------------------------------------------------------

NARRATIVE = {
    "title": "Cómo volvimos a leer",
    "faced": "Pocos leían.",
    "tried": "Lectura diaria.",
    "happened": "Subió la fluidez.",
    "learned": "La constancia importa.",
}


def test_create_and_update_narrative(world):
    practice = publish(world)
    narrative = services.create_narrative(
        world.school_a,
        {**NARRATIVE, "practice_id": str(practice.id), "problem_id": str(world.problem.id)},
        actor=world.people["docente"],
    )
    assert narrative.practice_id == practice.id and narrative.problem_id == world.problem.id
    assert narrative.author_id == world.people["docente"].id
    services.update_narrative(narrative, {"learned": "Leer juntos."}, actor=world.people["director"])
    assert narrative.learned == "Leer juntos." and narrative.title == NARRATIVE["title"]
    assert services.narratives_for_practice(practice, actor=world.people["director_same_zone"]) == [narrative]
    assert services.narratives_for_practice(practice, actor=world.people["director_other_zone"]) == []
    with pytest.raises(PermissionDenied):
        services.update_narrative(narrative, {"learned": "x"}, actor=world.people["director_same_zone"])


def test_narrative_validation(world):
    with pytest.raises(ValidationError) as exc:
        services.create_narrative(world.school_a, {"title": "T"}, actor=world.people["director"])
    assert set(exc.value.errors) == {"faced", "tried", "happened", "learned"}
    other_problem = factories.create_problem(world.school_b)
    hidden = factories.create_practice(world.school_b, visibility="escuela")
    with pytest.raises(ValidationError) as exc:
        services.create_narrative(
            world.school_a,
            {**NARRATIVE, "problem_id": other_problem.id, "practice_id": hidden.id, "encounter_id": 999},
            actor=world.people["director"],
        )
    assert set(exc.value.errors) == {"problem_id", "practice_id", "encounter_id"}
    with pytest.raises(PermissionDenied):
        services.create_narrative(world.school_a, NARRATIVE, actor=world.people["supervisor"])


# --- thumbnails -----------------------------------------------------------------------------------


def test_thumbnail_is_made_once_and_small(world):
    practice = publish(world)  # commits: without Redis the upload's job runs right after the commit
    evidence = practice.evidence[0]
    path = services.stored_thumbnail(evidence)
    assert path == practices.evidence_folder() / "thumbs" / f"{evidence.stored_name.rsplit('.', 1)[0]}.jpg"
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 480 and image.size == (480, 320)
    stamp = path.stat().st_mtime_ns
    assert services.make_thumbnail(evidence) == path and path.stat().st_mtime_ns == stamp


def test_thumbnail_waits_for_the_commit_and_a_pdf_gets_none(world):
    practice = factories.create_practice(world.school_a)
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 40), (255, 0, 0, 0)).save(buffer, "PNG")
    image = practices.add_evidence(
        practice, FileStorage(io.BytesIO(buffer.getvalue()), "t.png"), actor=world.people["director"]
    )
    assert services.stored_thumbnail(image) is None  # not before the upload is kept
    db.session.commit()
    with Image.open(services.stored_thumbnail(image)) as thumb:
        assert thumb.mode == "RGB" and thumb.size == (50, 40)
    document = practices.add_evidence(
        practice,
        FileStorage(io.BytesIO(pdf.narrative_pdf(_narrative(world))), "doc.pdf"),
        actor=world.people["director"],
    )
    db.session.commit()
    assert services.stored_thumbnail(document) is None and services.make_thumbnail(document) is None


def test_a_rolled_back_upload_gets_no_thumbnail_and_a_removed_one_loses_it(world):
    practice = factories.create_practice(world.school_a)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 112, 74)).save(buffer, "PNG")
    upload = FileStorage(io.BytesIO(buffer.getvalue()), "t.png")
    dropped = practices.add_evidence(practice, upload, actor=world.people["director"])
    thumb, original = services.thumbnail_path(dropped), practices.evidence_path(dropped)
    assert original.is_file()
    db.session.rollback()
    assert not thumb.exists() and not original.exists()
    practice = factories.create_practice(world.school_a)
    upload = FileStorage(io.BytesIO(buffer.getvalue()), "t.png")
    kept = practices.add_evidence(practice, upload, actor=world.people["director"])
    db.session.commit()
    thumb = services.stored_thumbnail(kept)
    assert thumb is not None
    practices.remove_evidence(kept, actor=world.people["director"])
    db.session.commit()
    assert not thumb.exists()


def _narrative(world):
    return services.create_narrative(world.school_a, NARRATIVE, actor=world.people["director"])


# --- the zone's booklet --------------------------------------------------------------------------


def _recognised(world, **data):
    practice = publish(world, **data)
    services.recognise_practice(
        practice, world.zone_a, {"rationale": '=HYPERLINK("x")'}, actor=world.people["supervisor"]
    )
    db.session.commit()
    return practice


def test_zone_good_practices_and_csv(world, in_a_week):
    practice = _recognised(world)
    services.adopt_with_commitment(
        practice,
        world.school_a2,
        {"responsible": "J", "due_date": in_a_week},
        actor=world.people["director_same_zone"],
    )
    db.session.commit()
    items = services.zone_good_practices(world.zone_a, actor=world.people["supervisor"])
    assert [i.practice for i in items] == [practice]
    assert items[0].adoption_count == 1
    assert {t.code: t.count for t in services.zone_outcome_totals(items)}["en_proceso"] == 1
    assert services.zone_good_practices(world.zone_a, actor=world.people["director_other_zone"]) == []
    data = services.zone_good_practices_csv(world.zone_a, items)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["zona", "practica", "escuela"]
    assert rows[1][1] == practice.title and rows[1][3] == world.school_a.cct
    assert rows[1][rows[0].index("justificacion")].startswith("'=")
    assert rows[1][rows[0].index("adopciones")] == "1"


def test_pdfs_contain_the_texts(world):
    narrative = _narrative(world)
    text = PdfReader(io.BytesIO(pdf.narrative_pdf(narrative))).pages[0].extract_text()
    assert "Cómo volvimos a leer" in text and "Qué aprendimos" in text and "La constancia importa." in text
    practice = _recognised(world)
    items = services.zone_good_practices(world.zone_a, actor=world.people["supervisor"])
    booklet = PdfReader(io.BytesIO(pdf.booklet_pdf(world.zone_a, items, services.zone_outcome_totals(items))))
    text = "".join(page.extract_text() for page in booklet.pages)
    assert practice.title in text and "Buenas prácticas de la zona escolar" in text
    empty = PdfReader(io.BytesIO(pdf.booklet_pdf(world.zone_b, [], [])))
    assert "aún no ha reconocido" in empty.pages[0].extract_text()


def test_first_line_of_empty_or_long_text():
    assert services.first_line("") == ""
    assert services.first_line("   \n  segunda") == "segunda"
    assert services.first_line("palabra " * 40, limit=20) == "palabra palabra…"
