"""Preparation: choosing problems, the generated deck, the school's own PDF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.encounters import services
from app.encounters.deck import deck_slides
from app.encounters.models import Presentation
from app.extensions import db
from app.problems.models import Problem
from app.validation import PermissionDenied, ValidationError
from tests import factories
from tests.app.encounters.conftest import pdf_bytes, quick_user


@pytest.fixture
def prepared(world):
    school = world.schools[0]
    director = quick_user("director", school=school)
    math = factories.create_problem(
        school,
        title="Bajo logro en resolución de problemas",
        causes="- Poco uso de material concreto\n- Grupos multigrado numerosos",
        actions_tried="1. Rincón de matemáticas\n2. Tutoría entre pares",
        results="Mejoró la participación en 4°",
        grades=["4°", "5°"],
    )
    reading = factories.create_problem(
        school,
        title="Comprensión lectora",
        categories={"amb-aprovechamiento": "media", "lectura-escritura": "alta"},
    )
    factories.create_problem(school, title="Problemática ya resuelta", status="resuelta")
    factories.create_problem(world.schools[1], title="Problemática de otra escuela")
    linked = factories.create_practice(
        school, title="Tianguis matemático", problem_id=math.id, categories=["convivencia"]
    )
    related = factories.create_practice(
        school, title="Material concreto en cada aula", categories=["pensamiento-matematico"]
    )
    factories.create_practice(school, title="Círculos de lectura", categories=["lectura-escritura"])
    factories.create_practice(
        world.schools[1], title="Práctica de otra escuela", categories=["pensamiento-matematico"]
    )
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    return encounter, school, director, math, reading, linked, related


def test_selectable_problems_are_the_open_ones_of_the_school(prepared):
    encounter, school, director, math, reading, *_ = prepared
    titles = {p.title for p in services.selectable_problems(school)}
    assert titles == {math.title, reading.title}


def test_deck_is_built_from_the_chosen_problems(prepared):
    encounter, school, director, math, reading, linked, related = prepared
    presentation = services.save_presentation(
        encounter,
        school,
        {
            "problem_ids": [str(math.id)],
            "ask": "Ideas para trabajar fracciones\nMateriales para multigrado",
            "kind": "generada",
            "is_ready": True,
        },
        actor=director,
    )
    db.session.commit()
    slides = deck_slides(presentation)
    kinds = [s["kind"] for s in slides]
    assert kinds == ["portada", "problematica", "causas", "acciones", "resultados", "practicas", "peticion"]
    assert slides[0]["title"] == school.name and encounter.title == slides[0]["subtitle"]
    assert slides[1]["title"] == math.title and slides[1]["problem_id"] == math.id
    assert "Grados: 4°, 5°" in slides[1]["bullets"]
    assert slides[2]["bullets"] == ["Poco uso de material concreto", "Grupos multigrado numerosos"]
    assert slides[3]["bullets"] == ["Rincón de matemáticas", "Tutoría entre pares"]
    assert slides[4]["bullets"] == ["Mejoró la participación en 4°"]
    practices = slides[5]["bullets"]
    assert practices[0].startswith("Tianguis matemático")  # linked to the problem, first
    assert practices[1].startswith("Material concreto en cada aula")  # shares a category
    assert not any("Círculos" in p or "otra escuela" in p for p in practices)
    assert slides[-1]["bullets"] == ["Ideas para trabajar fracciones", "Materiales para multigrado"]
    assert all(reading.title not in str(s) for s in slides)


def test_a_deck_reads_its_schools_practices_once_for_all_its_problems(prepared):
    """Each problem's slide of practices is chosen among the school's practices, read once for
    the deck (a statement per problem before: three for the same rows in a three-problem deck);
    given the school's problems, read already with their categories, it reads nothing more."""
    from sqlalchemy import event
    from sqlalchemy.orm import selectinload

    from app.encounters.deck import chosen_problems
    from app.problems.models import ProblemCategory

    encounter, school, director, math, reading, linked, related = prepared
    presentation = services.save_presentation(
        encounter,
        school,
        {"problem_ids": [str(math.id), str(reading.id)], "kind": "generada"},
        actor=director,
    )
    db.session.commit()
    expected = deck_slides(presentation)
    among = list(
        db.session.execute(
            db.select(Problem)
            .where(Problem.school_id == school.id)
            .options(selectinload(Problem.categories).selectinload(ProblemCategory.category))
        ).scalars()
    )
    assert [p.id for p in chosen_problems(presentation, among=among)] == [math.id, reading.id]
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        slides = deck_slides(presentation, problems=among)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert slides == expected
    # the school's practices, once (and their categories with them)
    assert len([q for q in statements if q.lstrip().startswith("SELECT practices.")]) == 1
    assert not [q for q in statements if "FROM problems" in q]


def test_empty_sections_are_left_out(prepared):
    encounter, school, director, math, reading, *_ = prepared
    presentation = services.save_presentation(
        encounter, school, {"problem_ids": [reading.id], "kind": "generada"}, actor=director
    )
    kinds = [s["kind"] for s in deck_slides(presentation)]
    assert kinds == ["portada", "problematica", "practicas"]


def test_resolved_or_foreign_problems_refused(prepared, world):
    encounter, school, director, *_ = prepared
    foreign = factories.create_problem(world.schools[1], title="Ajena")
    resolved = db.session.execute(db.select(Problem).filter_by(title="Problemática ya resuelta")).scalar_one()
    for problem in (foreign, resolved):
        with pytest.raises(ValidationError) as exc:
            services.save_presentation(encounter, school, {"problem_ids": [problem.id]}, actor=director)
        assert "problemáticas abiertas de tu escuela" in exc.value.errors["problem_ids"]


def test_ready_needs_a_problem(prepared):
    encounter, school, director, *_ = prepared
    with pytest.raises(ValidationError) as exc:
        services.save_presentation(encounter, school, {"problem_ids": [], "is_ready": True}, actor=director)
    assert "al menos una problemática" in exc.value.errors["problem_ids"]


def test_only_the_school_prepares_it(prepared, world):
    encounter, school, *_ = prepared
    for user in (
        quick_user("director", school=world.schools[1]),
        world.supervisor,
        quick_user("director", school=world.schools[4]),
    ):
        with pytest.raises(PermissionDenied):
            services.save_presentation(encounter, school, {"problem_ids": []}, actor=user)


def test_readiness_table(prepared, world, client, login_as):
    encounter, school, director, math, *_ = prepared
    services.save_presentation(
        encounter, school, {"problem_ids": [math.id], "is_ready": True}, actor=director
    )
    db.session.commit()
    rows = services.readiness(encounter)
    assert [(r["school"].cct, r["problems"], r["is_ready"]) for r in rows] == [
        (school.cct, 1, True),
        (world.schools[1].cct, 0, False),
    ]
    login_as(world.supervisor)
    html = client.get(f"/encuentros/{encounter.id}").get_data(as_text=True)
    assert 'id="readiness"' in html and f'id="readiness-{school.cct}"' in html
    login_as(director)
    assert 'id="readiness"' not in client.get(f"/encuentros/{encounter.id}").get_data(as_text=True)


def test_presentation_page_and_slides(prepared, client, login_as):
    encounter, school, director, math, reading, *_ = prepared
    login_as(director)
    url = f"/encuentros/{encounter.id}/escuelas/{school.cct}/presentacion"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'id="problem-{math.id}"' in html and "Problemática ya resuelta" not in html
    response = client.post(
        url,
        data={
            "problem_ids": [str(math.id)],
            "ask": "Ayuda con <b>fracciones</b>",
            "kind": "generada",
            "is_ready": "y",
        },
    )
    assert response.status_code == 302
    stored = services.get_presentation(encounter, school)
    assert stored.problem_ids == [math.id] and stored.is_ready
    deck = client.get(f"/encuentros/{encounter.id}/escuelas/{school.cct}/diapositivas")
    html = deck.get_data(as_text=True)
    assert deck.status_code == 200
    assert math.title in html and "Poco uso de material concreto" in html
    assert "&lt;b&gt;fracciones&lt;/b&gt;" in html  # escaped
    assert "page-break-after" in html and "@page" in html
    assert 'src="/static/js/encounters.js?v=' in html
    printable = client.get(f"/encuentros/{encounter.id}/escuelas/{school.cct}/diapositivas?print=1")
    assert 'id="print-deck">' in printable.get_data(as_text=True) and "js/page.js" in printable.get_data(
        as_text=True
    )
    assert "encounters.js" not in printable.get_data(as_text=True)


def test_presentation_page_errors_keep_what_was_typed(prepared, client, login_as):
    encounter, school, director, *_ = prepared
    login_as(director)
    response = client.post(
        f"/encuentros/{encounter.id}/escuelas/{school.cct}/presentacion",
        data={"ask": "Nuestra petición escrita", "is_ready": "y"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Elige al menos una problemática" in html and "Nuestra petición escrita" in html


def _upload(client, encounter, school, data: bytes, name="presentacion.pdf"):
    return client.post(
        f"/encuentros/{encounter.id}/escuelas/{school.cct}/presentacion/pdf",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_valid_pdf_is_stored_and_served_with_permission(app, prepared, world, client, login_as):
    encounter, school, director, *_ = prepared
    login_as(director)
    response = _upload(client, encounter, school, pdf_bytes(3), name="../../nuestra presentación.pdf")
    assert response.status_code == 302
    stored = services.get_presentation(encounter, school)
    assert stored.kind == "pdf" and stored.pdf_pages == 3
    assert stored.pdf_stored_name.endswith(".pdf") and "nuestra" not in stored.pdf_stored_name
    assert "/" not in stored.pdf_original_name
    path = Path(app.config["UPLOAD_FOLDER"]) / "presentations" / stored.pdf_stored_name
    assert path.read_bytes()[:5] == b"%PDF-"
    served = client.get(f"/encuentros/{encounter.id}/escuelas/{school.cct}/presentacion.pdf")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.data == path.read_bytes()
    served.close()
    old_path = path
    _upload(client, encounter, school, pdf_bytes(1))
    assert not old_path.exists()  # the replaced file is removed

    login_as(quick_user("director", school=world.schools[4]))
    assert client.get(f"/encuentros/{encounter.id}/escuelas/{school.cct}/presentacion.pdf").status_code == 403
    assert _upload(client, encounter, school, pdf_bytes(1)).status_code == 403


def test_a_schools_pdf_is_a_sandboxed_download_and_the_deck_draws_it_with_pdfjs(prepared, client, login_as):
    """Before: served inline (and embedded with <object>), so a PDF's JavaScript and forms ran in the
    browser's PDF viewer on this site."""
    encounter, school, director, *_ = prepared
    login_as(director)
    assert _upload(client, encounter, school, pdf_bytes(2)).status_code == 302
    base = f"/encuentros/{encounter.id}/escuelas/{school.cct}"
    for query in ("", "?descargar=1"):
        served = client.get(f"{base}/presentacion.pdf{query}")
        served.close()
        assert served.status_code == 200 and served.mimetype == "application/pdf"
        assert served.headers["Content-Disposition"].startswith("attachment")
        policy = served.headers["Content-Security-Policy"]
        assert policy.split(";")[0] == "sandbox" and "default-src 'none'" in policy
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    deck = client.get(f"{base}/diapositivas").get_data(as_text=True)
    assert "<object" not in deck and 'id="pdf-deck"' in deck and 'data-pages="2"' in deck
    assert "js/live/pdfview.js?v=" in deck and "js/deck.js?v=" in deck
    assert f'href="{base}/presentacion.pdf" id="pdf-download" download' in deck


@pytest.mark.parametrize("case", ["text_renamed", "broken", "too_many_pages", "too_large", "empty"])
def test_invalid_pdf_refused_in_spanish(app, prepared, client, login_as, monkeypatch, case):
    encounter, school, director, *_ = prepared
    login_as(director)
    data, message = {
        "text_renamed": (b"Esto es texto plano, no un PDF.\n" * 20, "no es un PDF"),
        "broken": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>\ngarbage" * 3, "dañado"),
        "too_many_pages": (pdf_bytes(4), "tiene 4 páginas; el límite es de 3"),
        "too_large": (pdf_bytes(2), "pasa del límite"),
        "empty": (b"", "vacío"),
    }[case]
    monkeypatch.setitem(app.config, "MAX_PRESENTATION_PAGES", 3)
    if case == "too_large":
        monkeypatch.setitem(app.config, "MAX_PRESENTATION_BYTES", 200)
    folder = Path(app.config["UPLOAD_FOLDER"]) / "presentations"
    before = set(folder.iterdir()) if folder.exists() else set()
    response = _upload(client, encounter, school, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert services.get_presentation(encounter, school) is None
    assert (set(folder.iterdir()) if folder.exists() else set()) == before


def test_default_limits_are_configured(app):
    assert app.config["MAX_PRESENTATION_BYTES"] == 20 * 1024 * 1024
    assert app.config["MAX_PRESENTATION_PAGES"] == 40


def test_check_presentation_pdf_counts_pages():
    assert services.check_presentation_pdf(pdf_bytes(5), max_pages=40) == 5
    with pytest.raises(ValidationError):
        services.check_presentation_pdf(pdf_bytes(41), max_pages=40)


def test_kind_pdf_needs_a_file(prepared):
    encounter, school, director, *_ = prepared
    with pytest.raises(ValidationError) as exc:
        services.save_presentation(encounter, school, {"kind": "pdf"}, actor=director)
    assert "sube el PDF" in exc.value.errors["kind"]


def test_slides_of_a_school_without_presentation(prepared, world, client, login_as):
    encounter, *_ = prepared
    login_as(world.supervisor)
    response = client.get(f"/encuentros/{encounter.id}/escuelas/{world.schools[1].cct}/diapositivas")
    assert response.status_code == 200
    assert 'id="deck-empty"' in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(Presentation.id))).scalar_one() == 0


def _text_pdf(pages: list[str | None]) -> bytes:
    """A PDF whose pages carry these texts (None: a page with only a drawing)."""
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.set_font("helvetica", size=14)
    document.set_auto_page_break(False)  # a long text stays on its page (overflowing it)
    for text in pages:
        document.add_page()
        if text is None:
            document.set_fill_color(0, 112, 74)
            document.rect(20, 20, 170, 120, style="F")
        else:
            document.multi_cell(0, 8, text)
    return bytes(document.output())


def test_the_text_of_each_page_is_extracted_once_at_upload(app, prepared, client, login_as):
    """Issue 13: text-only mode shows an uploaded PDF's page text instead of nothing."""
    encounter, school, director, *_ = prepared
    login_as(director)
    data = _text_pdf(["Problematica: lectura en 2o\nMeta:   80% lee   con fluidez", None, "x" * 3000])
    assert _upload(client, encounter, school, data).status_code == 302
    stored = services.get_presentation(encounter, school)
    assert stored.pdf_pages == 3 and len(stored.pdf_text) == 3
    first, picture, long = stored.pdf_text
    assert first == "Problematica: lectura en 2o\nMeta: 80% lee con fluidez"  # blank runs folded
    assert picture == ""  # only a drawing: no text, said so in the room
    assert 0 < len(long) <= services.PAGE_TEXT_LIMIT


def test_text_extraction_never_raises():
    assert services.extract_pdf_text(b"") == [] and services.extract_pdf_text(b"%PDF-1.4 broken") == []
    assert services.extract_pdf_text(pdf_bytes(2)) == ["", ""]
