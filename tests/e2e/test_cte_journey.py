"""A whole CTE encounter of three schools and their advisor, in the browser (issue 11): every product
of the session card made in the room and delivered to its reader.

The facilitator runs the room on a desktop, a teacher of school A follows on a 390x844 phone, the
director of school B and a teacher of school C on their own screens:

1. activity 0: the review of the commitments of the schools' previous encounter; A marks its own
   *en curso* with a note, the others see it live;
2. activity 1: a norm, pinned on the teacher's phone above every tab;
3. activity 3: C's teacher writes about B's problem (not the presented one); the facilitator marks it
   *la probaremos*; B's director turns it into a prefilled commitment in one tap and records it;
   the facilitator's «Volvamos a la problemática» reaches the phone;
4. activity 4: a need for outside advice with its topic, schools B and C and B's problem;
5. C's teacher loses the connection and types one more contribution; the supervisor concludes;
   the rooms turn read-only; the late contribution arrives, marked, in the acta's annex, whose
   frozen content and hash do not change; the schools' bitácoras show the session;
6. the zone's advisor finds the request in *Solicitudes de asesoría*, under its topic with both
   schools, and answers it;
7. the schools' next encounter: its room reviews B's new commitment and B marks it *cumplido*; the
   commitment's page shows it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.advice.models import AdviceRequest
from app.commitments.models import Commitment
from app.extensions import db
from app.live import services
from app.live.models import Contribution
from app.logbook.models import Agreement, Minutes
from tests.e2e.browser import DESKTOP, PHONE_390, check_page, login
from tests.e2e.cte_world import build_journey, next_encounter
from tests.e2e.test_live_room import open_room, show_tab
from tests.factories import PASSWORD
from tests.realtime.world import restore_real_transport

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


def _go_to_activity(journey, activity: int) -> None:
    """The facilitator's «Siguiente» until the agenda reaches ``activity`` (the buttons are tested
    elsewhere; here the journey is about what the session produces)."""
    facilitator = journey.people["facilitador"]
    for _ in range(len(journey.group.agenda)):
        index = services.snapshot(journey.group, actor=facilitator)["state"]["agenda_index"]
        if journey.group.agenda[index].activity == activity:
            break
        services.control_timer(journey.group, "next", actor=facilitator)
        db.session.commit()


def test_three_schools_and_their_advisor_through_a_whole_encounter(live_server, new_page):
    restore_real_transport()
    j = build_journey(PASSWORD)
    a, b, c = j.schools
    problem_a, problem_b, _problem_c = j.problems
    old_a, old_b = j.previous_commitments

    fac = open_room(new_page, live_server, j, "facilitador", viewport=DESKTOP)
    phone = open_room(new_page, live_server, j, "docente_a", viewport=PHONE_390)
    beto = open_room(new_page, live_server, j, "director_b", viewport=LAPTOP)
    carla = open_room(new_page, live_server, j, "docente_c", polling=True, viewport=LAPTOP)

    # 1. Activity 0: the review of the previous encounter's commitments.
    expect(fac.locator("#activity-title")).to_contain_text("Revisión de compromisos")
    review = phone.locator("#review-panel")
    expect(review).to_be_visible()
    mine = review.locator(f"li[data-id='{old_a.id}']")
    expect(mine).to_contain_text("Lectura en voz alta 20 minutos diarios")
    expect(review.locator(f"li[data-id='{old_b.id}']")).to_contain_text("Taller de fracciones")
    mine.get_by_label("Nota (obligatoria si no se cumplió)").fill("Ya leen 15 minutos; faltan los viernes.")
    mine.get_by_role("button", name="En curso").click()
    expect(mine.locator(".status-badge").first).to_have_text("En curso")
    seen = fac.locator(f"#review-panel li[data-id='{old_a.id}']")
    expect(seen.locator(".status-badge").first).to_have_text("En curso")  # live, on the other screen
    check_page(phone, "journey-room-review-phone")

    # 2. Activity 1: a norm, pinned on the phone above every tab.
    fac.locator("#timer-controls").get_by_role("button", name="Siguiente").click()
    expect(fac.locator("#activity-title")).to_contain_text("Reconozcamos")
    form = fac.locator("#agreement-form")
    expect(form.get_by_label("Tipo de acuerdo")).to_have_value("norma")
    form.get_by_label("Norma", exact=True).fill("Hablar de la problemática, no de las personas")
    form.get_by_role("button", name="Registrar acuerdo").click()
    pinned = phone.locator("#norms-pinned")
    expect(pinned).to_contain_text("Hablar de la problemática, no de las personas")
    for tab in ("Aportaciones", "Compromisos", "Presentación"):
        show_tab(phone, tab)
        expect(pinned).to_be_visible()

    # 3. Activity 3: a contribution about B's problem, which is not on screen.
    _go_to_activity(j, 3)
    expect(carla.locator("#activity-title")).to_contain_text(j.group.agenda[_index_of(j, 3)].title)
    cform = carla.locator("#contribution-form")
    cform.get_by_label("Tipo de aportación").select_option("propuesta")
    cform.get_by_label("¿Sobre qué problemática?").select_option(str(problem_b.id))
    cform.get_by_label("Tu aportación").fill("Tiras de papel para comparar fracciones equivalentes")
    cform.get_by_role("button", name="Aportar").click()
    proposal = fac.locator("#contributions li", has_text="Tiras de papel")
    expect(proposal).to_contain_text("Resolución de problemas con fracciones")
    expect(proposal).to_contain_text(b.name)
    proposal.get_by_role("button", name="La probaremos").click()
    expect(proposal).to_contain_text("la probaremos")

    # B's director turns it into B's commitment in one tap: school, problem and action come filled.
    tried = beto.locator("#will-try-list li", has_text="Tiras de papel")
    tried.get_by_role("button", name="Convertir en compromiso").click()
    commitment_form = beto.locator("#commitment-form")
    expect(commitment_form.get_by_label("Escuela", exact=True)).to_have_value(str(b.id))
    expect(commitment_form.get_by_label("Problemática", exact=True)).to_have_value(str(problem_b.id))
    expect(commitment_form.get_by_label("Acción")).to_have_value(
        "Tiras de papel para comparar fracciones equivalentes"
    )
    expect(commitment_form.get_by_label("Grupo o grado")).to_be_focused()
    commitment_form.get_by_label("Grupo o grado").fill("5.º B")
    commitment_form.get_by_label("Responsable").fill("Director Beto")
    commitment_form.get_by_label("Fecha límite").fill((date.today() + timedelta(days=30)).isoformat())
    commitment_form.get_by_label("Mecanismo de seguimiento").fill("Fotos de los cuadernos cada viernes")
    commitment_form.get_by_role("button", name="Registrar compromiso").click()
    show_tab(phone, "Compromisos")
    recorded = phone.locator("#commitments li[data-id]", has_text="Tiras de papel")
    expect(recorded).to_contain_text("5.º B")
    expect(recorded).to_contain_text("Resolución de problemas con fracciones")

    # Tabs with a count of what arrived unseen still read whole on the phone.
    expect(phone.locator("#room-tabs .tab-count:not([hidden])").first).to_be_visible()
    cut = phone.evaluate(
        "[...document.querySelectorAll('#room-tabs button')]"
        ".filter(b => b.scrollWidth > b.clientWidth).map(b => b.textContent)"
    )
    assert cut == []

    # The facilitator's reminder reaches the phone.
    fac.get_by_role("button", name="Volvamos a la problemática").click()
    expect(phone.locator("#reminder-banner")).to_contain_text("Volvamos a la problemática")
    check_page(phone, "journey-room-commitment-phone")

    # 4. Activity 4: a need for outside advice with its topic, schools and problem.
    _go_to_activity(j, 4)
    need = beto.locator("#agreement-form")
    expect(need.get_by_label("Tipo de acuerdo")).to_have_value("asesoria")
    need.get_by_label("Tema de la asesoría").fill("Enseñanza de fracciones")
    need.get_by_label(b.name).check()
    need.get_by_label(c.name).check()
    need.get_by_label("Problemática del acuerdo").select_option(str(problem_b.id))
    need.get_by_label("Qué se necesita").fill("Material y modelaje de clase con fracciones")
    need.get_by_role("button", name="Registrar acuerdo").click()
    listed = fac.locator('#agreements [data-kind="asesoria"] li[data-id]')
    expect(listed).to_contain_text("Enseñanza de fracciones")
    expect(listed).to_contain_text(c.name)
    check_page(fac, "journey-room-facilitator-desktop")

    # 5. C's teacher loses the connection and keeps writing; the supervisor concludes.
    carla.context.set_offline(True)
    carla.evaluate("window.liveRoom.socket.io.engine.close()")
    expect(carla.locator("#connection")).to_contain_text("Sin conexión")
    cform.get_by_label("Tipo de aportación").select_option("pregunta")
    cform.get_by_label("¿Sobre qué problemática?").select_option(str(problem_a.id))
    cform.get_by_label("Tu aportación").fill("¿Cómo registran el avance de la lectura en casa?")
    cform.get_by_role("button", name="Aportar").click()
    expect(carla.locator("#contributions li.pending")).to_contain_text("pendiente de enviar")

    supervisor = new_page(viewport=DESKTOP)
    login(supervisor, live_server, j.people["supervisor"].email, PASSWORD)
    supervisor.goto(f"{live_server}/encuentros/{j.encounter.id}/acta")
    supervisor.locator("#close-encounter").click()
    expect(supervisor.locator(".content-hash").first).to_be_visible()
    for page in (fac, phone, beto):
        expect(page.locator("#closed-banner")).to_be_visible(timeout=5000)
    expect(phone.locator("#commitment-form")).to_be_hidden()
    expect(fac.locator("#agreement-form")).to_be_hidden()

    carla.context.set_offline(False)
    expect(carla.locator("#connection")).to_have_text("Conectado", timeout=15000)
    late_row = fac.locator("#contributions li", has_text="avance de la lectura en casa")
    expect(late_row).to_contain_text("registrado después del cierre", timeout=5000)

    db.session.expire_all()
    minutes = db.session.execute(db.select(Minutes).filter_by(group_id=j.group.id)).scalar_one()
    frozen_hash = minutes.content_hash
    supervisor.reload()
    acta = supervisor.locator("main")
    expect(acta).to_contain_text("Hablar de la problemática, no de las personas")
    expect(acta).to_contain_text("Enseñanza de fracciones")
    expect(acta).to_contain_text("Tiras de papel para comparar fracciones equivalentes")
    annex = supervisor.locator(f"#anexo-{j.group.id}")
    expect(annex).to_contain_text("avance de la lectura en casa")
    expect(supervisor.locator(f".content-hash[data-group-id='{j.group.id}']")).to_have_text(frozen_hash)
    check_page(supervisor, "journey-acta-desktop")
    late = db.session.execute(
        db.select(Contribution).where(Contribution.text.like("¿Cómo registran%"))
    ).scalar_one()
    assert late.after_close and late.problem_id == problem_a.id

    # The bitácora of B holds the session: its commitment, the advice need, the contributions about
    # its problem, grouped under it.
    beto.goto(f"{live_server}/escuelas/{b.cct}/bitacora")
    logbook = beto.locator("main")
    expect(logbook).to_contain_text("Tiras de papel para comparar fracciones equivalentes")
    expect(logbook).to_contain_text("Resolución de problemas con fracciones")
    check_page(beto, "journey-bitacora-b")

    # 6. The advisor's inbox: one topic, both schools; the advisor answers.
    advisor = new_page(viewport=PHONE_390)
    login(advisor, live_server, j.people["asesor"].email, PASSWORD)
    advisor.goto(f"{live_server}/asesoria")
    topic = advisor.locator(".advice-topic", has_text="Enseñanza de fracciones")
    expect(topic.locator(".advice-request")).to_have_count(2)
    expect(topic).to_contain_text(b.name)
    expect(topic).to_contain_text(c.name)
    first = topic.locator(".advice-request").first
    first.get_by_label("Estado").select_option("en_atencion")
    first.get_by_label("Respuesta").fill("Visita con modelaje de clase el 14 de enero, para ambas escuelas.")
    first.get_by_role("button", name="Guardar").click()
    expect(advisor.get_by_text("Solicitud actualizada.")).to_be_visible()
    expect(advisor.locator(".advice-request[data-status='en_atencion']")).to_contain_text("modelaje de clase")
    check_page(advisor, "journey-advisor-inbox-phone")
    db.session.expire_all()
    requests = db.session.execute(
        db.select(AdviceRequest).where(AdviceRequest.encounter_id == j.encounter.id)
    ).scalars()
    assert sorted(r.school_id for r in requests) == sorted([b.id, c.id])

    # 7. The next encounter: its room reviews B's commitment; B marks it cumplido.
    db.session.expire_all()
    new_commitment = db.session.execute(
        db.select(Commitment).where(Commitment.action.like("Tiras de papel%"))
    ).scalar_one()
    assert new_commitment.classroom == "5.º B" and new_commitment.problem_id == problem_b.id
    nxt = next_encounter(j)
    beto = open_room(new_page, live_server, nxt, "director_b", viewport=PHONE_390)
    fac = open_room(new_page, live_server, nxt, "facilitador", viewport=DESKTOP)
    item = beto.locator(f"#review-panel li[data-id='{new_commitment.id}']")
    expect(item).to_contain_text("Tiras de papel para comparar fracciones equivalentes")
    expect(item).to_contain_text("5.º B")
    item.get_by_label("Nota (obligatoria si no se cumplió)").fill("Lo usan en 5.º A y 5.º B.")
    item.get_by_role("button", name="Cumplido", exact=True).click()
    expect(fac.locator(f"#review-panel li[data-id='{new_commitment.id}'] .status-badge").first).to_have_text(
        "Cumplido"
    )
    check_page(beto, "journey-next-room-review-phone")
    beto.goto(f"{live_server}/compromisos/{new_commitment.id}")
    expect(beto.locator("#commitment-status")).to_have_text("Cumplido")
    expect(beto.locator("#avances")).to_contain_text("Lo usan en 5.º A y 5.º B.")
    db.session.expire_all()
    assert db.session.get(Commitment, new_commitment.id).status == "cumplido"
    assert db.session.query(Agreement).filter_by(encounter_id=j.encounter.id, kind="norma").count() == 1


def _index_of(journey, activity: int) -> int:
    return next(i for i, item in enumerate(journey.group.agenda) if item.activity == activity)
