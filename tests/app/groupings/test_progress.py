"""Grouping by complementarity from the records, and the reasons in plain words."""

import re
from datetime import date

import pytest

from app.commitments.models import Commitment, CommitmentNote
from app.extensions import db
from app.groupings import services
from app.groupings.models import Grouping
from app.groupings.progress import school_progress
from app.groupings.reasons import in_sentence
from app.problems.models import Problem
from tests import factories

READING = {"lectura-escritura": "alta"}


@pytest.fixture
def reading_zone(db):
    """As in Zona 5: a school that solved reading shares attendance with one school, while two
    others work on reading. Pairs by similarity alone put the solver with the attendance school."""
    zone = factories.create_zone(cct="22FIZ0301A")
    names = ["JUSTO <b>SIERRA</b>", "FRANCISCO VILLA", "NARCISO MENDOZA", "CUAUHTÉMOC"]
    schools = [factories.create_school(zone, cct=f"22DPR03{k:02d}C", name=n) for k, n in enumerate(names)]
    solver, villa, narciso, cuauhtemoc = schools
    solved = factories.create_problem(solver, categories=READING, status="resuelta", title="Lectoescritura")
    factories.create_problem(solver, categories={"asistencia-permanencia": "baja"})
    factories.create_problem(villa, categories={"asistencia-permanencia": "alta", "convivencia": "alta"})
    factories.create_problem(narciso, categories={**READING, "convivencia": "alta"})
    factories.create_problem(cuauhtemoc, categories={**READING, "inclusion-diversidad": "alta"})
    practice = factories.create_practice(
        solver, categories=["lectura-escritura"], title="Tutoría entre pares", problem_id=solved.id
    )
    for k, status in enumerate(["cumplido", "cumplido", "cumplido", "pendiente"]):
        commitment = Commitment(
            school_id=solver.id,
            problem_id=solved.id,
            action=f"Acción {k}",
            responsible="Dirección",
            due_date=date(2026, 3, 1),
            school_year="2025-2026",
            status=status,
        )
        db.session.add(commitment)
        if k == 0:
            commitment.notes.append(
                CommitmentNote(
                    body="Registro de fluidez", status_after="cumplido", evidence_stored_name="f.jpg"
                )
            )
    db.session.commit()
    supervisor = factories.create_user("supervisor", zone=zone)
    return zone, schools, practice, supervisor


def _group_of(grouping: Grouping, school_id: int) -> set[int]:
    group = next(g for g in grouping.groups if school_id in {m.school_id for m in g.members})
    return {m.school_id for m in group.members}


def test_progress_is_read_from_problems_practices_and_commitments(reading_zone):
    zone, schools, practice, _ = reading_zone
    zone_schools = services.zone_schools(zone)
    progress = school_progress(zone_schools, services.network_records(zone_schools))
    entry = progress[schools[0].id]["lectura-escritura"]
    assert entry["state"] == "resuelto"
    kinds = {e["kind"]: e for e in entry["evidence"]}
    assert kinds["practice"]["practice"] == practice.id
    assert kinds["commitments"] == {"kind": "commitments", "problem": kinds["problem"]["problem"], "met": 3,
                                    "total": 4, "with_evidence": 1}  # fmt: skip
    assert progress[schools[2].id]["lectura-escritura"]["state"] == "en_proceso"


def test_the_option_places_the_solver_with_the_schools_working_on_it(reading_zone):
    zone, (solver, villa, narciso, cuauhtemoc), _, supervisor = reading_zone
    options = {"min_size": 2, "max_size": 3}
    pure = services.propose_grouping(zone, {**options, "by_progress": False}, actor=supervisor)
    assert not pure.by_progress
    assert _group_of(pure, solver.id) == {solver.id, villa.id}  # attendance: the complaint
    helped = services.propose_grouping(zone, options, actor=supervisor)  # on by default
    assert helped.by_progress
    assert _group_of(helped, solver.id) >= {solver.id, narciso.id} or _group_of(helped, solver.id) >= {
        solver.id,
        cuauhtemoc.id,
    }
    group = next(g for g in helped.groups if solver.id in {m.school_id for m in g.members})
    assert group.host_school_id == solver.id
    (item,) = [i for i in group.reasons["help"] if i["category"] == "lectura-escritura"]
    assert item["helper"] == solver.id and set(item["learners"]) <= {narciso.id, cuauhtemoc.id}
    assert group.reasons["help_score"] > 0


def test_the_card_says_who_solved_what_in_plain_words(client, login_as, reading_zone):
    zone, (solver, villa, narciso, cuauhtemoc), practice, supervisor = reading_zone
    login_as(supervisor)
    response = client.post(
        f"/zonas/{zone.cct}/agrupamientos", data={"min_size": 3, "max_size": 4, "by_progress": "y"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    reading = factories.get_category("lectura-escritura").name
    reading = reading[:1].lower() + reading[1:]
    expected = (
        f"JUSTO &lt;b&gt;SIERRA&lt;/b&gt; ya resolvió <em>{reading}</em> con "
        f'<a href="/practicas/{practice.id}"><em>Tutoría entre pares</em></a> '
        "(problemática resuelta; 3 de 4 compromisos cumplidos); "
        "NARCISO MENDOZA y CUAUHTÉMOC trabajan en ello."
    )
    assert expected in page
    assert "<b>SIERRA</b>" not in page  # a name is text, never markup
    # The picture in words, and the arrows of the picture.
    assert 'id="who-helps"' in page and 'class="help-arrow in-group"' in page
    # No bare decimals outside the explanation of the numbers; no "Semilla".
    visible = re.sub(r'<details id="how-computed">.*?</details>', "", page, flags=re.S)
    assert not re.search(r"\d\.\d\d", re.sub(r"<[^>]+>", " ", visible).replace("·", " "))
    assert "afinidad 0" not in page and "Semilla" not in page


def test_the_form_offers_the_option_on_by_default_and_keeps_it_off(client, login_as, reading_zone):
    zone, schools, _, supervisor = reading_zone
    login_as(supervisor)
    form = client.get(f"/zonas/{zone.cct}/agrupamientos").get_data(as_text=True)
    checkbox = re.search(r'<input[^>]*name="by_progress"[^>]*>', form).group(0)
    assert "checked" in checkbox
    assert "Juntar a las escuelas que ya resolvieron una problemática con las que trabajan en ella" in form
    response = client.post(f"/zonas/{zone.cct}/agrupamientos", data={"min_size": 2, "max_size": 2})
    grouping = db.session.get(Grouping, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert grouping.by_progress is False  # unticked box: similarity only
    listing = client.get(f"/zonas/{zone.cct}/agrupamientos").get_data(as_text=True)
    assert "Por problemáticas en común" in listing
    # A proposal with too large groups is refused in Spanish and keeps the box as it was sent.
    response = client.post(f"/zonas/{zone.cct}/agrupamientos", data={"min_size": 9, "max_size": 9})
    assert response.status_code == 422
    checkbox = re.search(r'<input[^>]*name="by_progress"[^>]*>', response.get_data(as_text=True)).group(0)
    assert "checked" not in checkbox


def test_moving_the_solver_away_drops_the_reason(reading_zone):
    zone, (solver, *_), _, supervisor = reading_zone
    grouping = services.propose_grouping(zone, {"min_size": 1, "max_size": 3}, actor=supervisor)
    assert any(g.reasons["help"] for g in grouping.groups)
    services.move_school(grouping, solver.id, None, actor=supervisor)
    assert not any(g.reasons["help"] for g in grouping.groups)


def test_a_recommended_practice_says_its_school_already_solved_the_problem(client, login_as, reading_zone):
    zone, (solver, villa, narciso, _), practice, _ = reading_zone
    director = login_as("director", school=narciso)
    problem = db.session.execute(db.select(Problem).filter_by(school_id=narciso.id)).scalar_one()
    page = client.get(f"/problematicas/{problem.id}").get_data(as_text=True)
    reading = in_sentence(factories.get_category("lectura-escritura").name)
    assert (
        f"JUSTO &lt;b&gt;SIERRA&lt;/b&gt; ya resolvió <em>{reading}</em> con esta práctica "
        "(problemática resuelta; 3 de 4 compromisos cumplidos)."
    ) in page
    # Partners on the school page: reasons in words, no "afinidad 0.xx".
    page = client.get(f"/escuelas/{narciso.cct}").get_data(as_text=True)
    section = page[page.index('id="escuelas-afines"') :]
    section = section[: section.index("</section>")]
    assert f"Ya resolvió <em>{reading}</em>, en lo que ustedes trabajan." in section
    assert "afinidad" not in section and not re.search(r"\d\.\d\d", section)
    recs = services.recommend_partners_for_school(villa, actor=director)
    words = [str(line) for p in recs["in_zone"] for line in p["reasons"]]
    assert any(w.startswith("Trabaja, como ustedes, en") for w in words)


def test_the_reasons_are_translated(client, login_as, reading_zone):
    zone, _, _, supervisor = reading_zone
    login_as(supervisor)
    client.post("/idioma/en", data={"next": "/"})
    response = client.post(
        f"/zonas/{zone.cct}/agrupamientos", data={"min_size": 3, "max_size": 4, "by_progress": "y"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "JUSTO &lt;b&gt;SIERRA&lt;/b&gt; has already solved <em>" in page
    assert (
        "(problem solved; 3 of 4 commitments fulfilled); NARCISO MENDOZA and CUAUHTÉMOC are working on it."
        in page
    )
    assert "Who can help whom in the zone" in page and "ya resolvió" not in page
