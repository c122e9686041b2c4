"""The whole cycle of an encounter in a real browser, through the pages a supervisor and a director use.

The supervisor accepts a grouping and schedules the encounter from it; a director prepares the school's
deck and opens the slides; the supervisor starts the session, records attendance and a commitment, and
closes it; the minutes reach every participating school's logbook; the director reports progress on the
commitment; the zone's dashboard counts it. Then every page of the journey is checked at phone size.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.logbook.services import local_today
from tests import factories
from tests.e2e.browser import PHONE, login, shot

pytestmark = pytest.mark.browser
PASSWORD = factories.PASSWORD
DESKTOP = {"width": 1280, "height": 900}
TITLE = "Cuarta sesión ordinaria del CTE: aprendizaje entre escuelas"
ASK = "Ideas para enseñar el reparto con material concreto\nEjemplos de problemas de 4° a 6°"
ACTION = "Usar material concreto en las clases de reparto de 3° y 4° durante un mes"


@pytest.fixture
def zone_of_four(db):
    """A zone with four schools (two by mathematics, two by reading), their directors, a supervisor."""
    zone = factories.create_zone(cct="22FIZ0301A", name="SUPERVISION DE ZONA DE EDUCACION PRIMARIA NUM. 301")
    math = {"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}
    reading = {"amb-aprovechamiento": "media", "lectura-escritura": "alta"}
    schools, directors = [], []
    for k, cats in enumerate([math, math, reading, reading]):
        school = factories.create_school(zone, cct=f"22DPR03{k:02d}C", name=f"ESCUELA PRIMARIA JUÁREZ {k}")
        title = (
            "Alumnos de 3° que no resuelven problemas de reparto"
            if cats is math
            else "Comprensión lectora baja en 2° y 3°"
        )
        factories.create_problem(school, categories=cats, title=title)
        schools.append(school)
        directors.append(
            factories.create_user(
                "director", school=school, name=f"Directora {k}", email=f"dir0{k}@escuelas.example.mx"
            )
        )
    supervisor = factories.create_user(
        "supervisor", zone=zone, name="Supervisora Zona 301", email="sup301@escuelas.example.mx"
    )
    return zone, schools, directors, supervisor


def _cell(page, table_id: str, key: str) -> int:
    """The count in the row ``data-key=key`` of a dashboard table."""
    return int(page.locator(f"#{table_id} tr[data-key='{key}'] td").first.inner_text().strip())


def _fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_encounter_from_grouping_to_dashboard(live_server, new_page, zone_of_four):
    zone, schools, directors, supervisor = zone_of_four
    today = local_today()

    # 1. The supervisor accepts a grouping of two schools per group.
    sup = new_page(viewport=DESKTOP)
    login(sup, live_server, supervisor.email, PASSWORD)
    sup.goto(f"{live_server}/zonas/{zone.cct}/agrupamientos")
    sup.get_by_label("Escuelas por grupo: máximo").fill("2")
    sup.get_by_role("button", name="Calcular propuesta").click()
    sup.wait_for_url("**/agrupamientos/*")
    sup.get_by_role("button", name="Aceptar este agrupamiento").click()
    sup.wait_for_load_state("domcontentloaded")
    assert "Agrupamiento aceptado" in sup.locator("h1").inner_text()
    shot(sup, "journey-01-grouping-accepted")

    # The dashboard before the encounter: nothing yet.
    sup.goto(f"{live_server}/zonas/{zone.cct}/tablero")
    assert sup.locator("#stat-encounters").inner_text() == "0"
    assert sup.locator("#stat-commitments").inner_text() == "0"

    # 2. The supervisor schedules the encounter from the accepted grouping, two weeks from today.
    sup.locator("#nav-encounters").first.click()
    sup.locator("#new-encounter").click()
    sup.get_by_label("Título").fill(TITLE)
    sup.get_by_label("Fecha").fill((today + timedelta(days=14)).isoformat())
    accepted = sup.locator("#grouping_id option", has_text="agrupamiento aceptado").first.get_attribute(
        "value"
    )
    sup.locator("#grouping_id").select_option(accepted)
    shot(sup, "journey-02-encounter-form")
    sup.locator("#save-encounter").click()
    sup.wait_for_load_state("domcontentloaded")
    assert sup.locator("#encounter-status").inner_text() == "Borrador"
    assert sup.locator("#group-1").is_visible() and sup.locator("#group-2").is_visible()
    sup.locator("#schedule-encounter").click()
    sup.wait_for_load_state("domcontentloaded")
    assert sup.locator("#encounter-status").inner_text() == "Programado"
    encounter_url = sup.url.split("#")[0]
    encounter_id = int(encounter_url.rstrip("/").rsplit("/", 1)[1])
    assert "No" in sup.locator(f"#readiness-{schools[0].cct}").inner_text()
    shot(sup, "journey-03-encounter-scheduled")
    sup.goto(f"{live_server}/zonas/{zone.cct}/tablero")
    assert _cell(sup, "table-encounters", "programado") == 1
    assert sup.locator("#table-unprepared tbody tr").count() == 4

    # 3. The director of school 0 prepares the generated deck and opens the slides.
    school, director = schools[0], directors[0]
    dirp = new_page(viewport=DESKTOP)
    login(dirp, live_server, director.email, PASSWORD)
    dirp.locator("#nav-encounters").first.click()
    dirp.get_by_role("link", name=TITLE).click()
    dirp.locator("#prepare-presentation").click()
    dirp.get_by_label("Alumnos de 3° que no resuelven problemas de reparto").check()
    dirp.get_by_label("Lo que pedimos a nuestros colegas").fill(ASK)
    dirp.get_by_label("Diapositivas generadas").check()
    dirp.get_by_label("Nuestra presentación está lista").check()
    shot(dirp, "journey-04-presentation-form")
    dirp.locator("#save-presentation").click()
    dirp.wait_for_load_state("domcontentloaded")
    assert dirp.get_by_text("Presentación guardada.").is_visible()
    assert dirp.get_by_label("Nuestra presentación está lista").is_checked()
    dirp.locator("#view-slides").click()
    dirp.wait_for_selector("#slide-1")
    total = dirp.locator(".slide").count()
    assert total >= 3  # cover, the problem, the ask
    assert dirp.locator("#slide-1").is_visible() and not dirp.locator("#slide-2").is_visible()
    assert dirp.locator("#deck-counter").inner_text() == f"1 / {total}"
    shot(dirp, "journey-05-slide-cover")
    dirp.keyboard.press("ArrowRight")
    assert dirp.locator("#slide-2").is_visible()
    assert "reparto" in dirp.locator("#slide-2").inner_text()
    shot(dirp, "journey-06-slide-problem")
    dirp.keyboard.press("End")
    assert "Ideas para enseñar el reparto" in dirp.locator(f"#slide-{total}").inner_text()
    shot(dirp, "journey-07-slide-ask")

    # Another director prepares from a phone (checked at the end, with the other pages).
    dir_phone = new_page(viewport=PHONE)
    login(dir_phone, live_server, directors[1].email, PASSWORD)
    dir_phone.goto(f"{live_server}/encuentros/{encounter_id}/escuelas/{schools[1].cct}/presentacion")
    shot(dir_phone, "journey-phone-presentation")
    presentation_fits_phone = _fits_phone(dir_phone)

    # The supervisor sees the school ready, on the dashboard and on the encounter (linked from it).
    sup.reload()
    assert sup.locator("#table-unprepared tbody tr").count() == 3
    assert school.name not in sup.locator("#table-unprepared").inner_text()
    sup.locator("#preparacion").get_by_role("link", name=TITLE).click()
    sup.wait_for_url(encounter_url)
    assert "Sí" in sup.locator(f"#readiness-{school.cct}").inner_text()

    # 4. The session: the supervisor starts it, records attendance and a commitment, and closes it.
    sup.locator("#start-encounter").click()
    sup.wait_for_load_state("domcontentloaded")
    assert sup.locator("#encounter-status").inner_text() == "En curso"
    sup.locator("#attendance-link").click()
    for k, s in enumerate(schools):
        fieldset = sup.locator(f"#attendance-{s.cct}")
        fieldset.locator("input[value=presente]" if k < 3 else "input[value=ausente]").check()
    sup.locator("#save-attendance").click()
    sup.wait_for_load_state("domcontentloaded")
    assert sup.get_by_text("Asistencia registrada.").is_visible()
    shot(sup, "journey-08-attendance")

    sup.goto(encounter_url)
    sup.locator("#record-link").click()
    sup.wait_for_url("**/registro")
    sup.get_by_text("Registrar un compromiso").click()
    sup.get_by_label("Escuela", exact=True).select_option(label=f"{school.name} ({school.cct})")
    sup.get_by_label("Acción").fill(ACTION)
    sup.get_by_label("Aula o grado").fill("3° y 4°")
    sup.get_by_label("Responsable").fill("Docentes de 3° y 4°")
    sup.get_by_label("Fecha límite").fill((today + timedelta(days=30)).isoformat())
    sup.get_by_label("Mecanismo de seguimiento").fill("Revisión en el próximo CTE con muestras de trabajo")
    shot(sup, "journey-09-commitment-form")
    sup.get_by_role("button", name="Guardar compromiso").click()
    sup.wait_for_load_state("domcontentloaded")
    assert sup.get_by_text("Compromiso registrado.").is_visible()
    assert sup.locator("#compromisos table").get_by_text(ACTION).is_visible()
    shot(sup, "journey-10-commitment-recorded")

    sup.locator("#back-to-encounter").click()
    sup.wait_for_url(encounter_url)
    sup.locator("#close-encounter").click()
    sup.wait_for_url("**/acta")
    assert "Concluido" in sup.locator("hgroup").inner_text()
    assert sup.locator(".minutes-group").count() == 2
    assert sup.get_by_text(ACTION).first.is_visible()
    shot(sup, "journey-11-minutes")

    # 5. The minutes are in every participating school's logbook.
    for s in schools:
        sup.goto(f"{live_server}/escuelas/{s.cct}/bitacora")
        acta = sup.locator(".entries li", has=sup.locator(".badge-acta"))
        assert acta.count() == 1, s.cct
        assert TITLE in acta.first.inner_text()
    sup.goto(f"{live_server}/escuelas/{school.cct}/bitacora")
    assert sup.locator(".entries li", has=sup.locator(".badge-compromiso")).count() == 1
    shot(sup, "journey-12-logbook")

    # The dashboard after closing: one concluded encounter, 75 % attendance, one pending commitment.
    sup.goto(f"{live_server}/zonas/{zone.cct}/tablero")
    assert sup.locator("#stat-encounters").inner_text() == "1"
    assert _cell(sup, "table-encounters", "concluido") == 1
    assert sup.locator("#stat-attendance").inner_text().startswith("75")
    assert sup.locator("#stat-commitments").inner_text() == "1"
    assert _cell(sup, "table-commitments", "pendiente") == 1
    assert _cell(sup, "table-commitments", "en_curso") == 0
    shot(sup, "journey-13-dashboard-before")

    # 6. The director reads the logbook, opens the commitment and reports progress: en curso.
    dirp.goto(f"{live_server}/escuelas/{school.cct}/bitacora")
    assert dirp.locator(".entries li", has=dirp.locator(".badge-acta")).count() == 1
    dirp.get_by_role("link", name="Compromisos de la escuela").click()
    dirp.get_by_role("link", name=ACTION).click()
    offered = dirp.locator("select#status option").evaluate_all("els => els.map(e => e.value)")
    assert offered == ["", "en_curso", "cumplido", "no_cumplido", "reprogramado"]  # not "pendiente" again
    dirp.get_by_label("Avance").fill("Ya armamos el material en 3° A y 3° B; falta 4°.")
    dirp.get_by_label("Nuevo estado").select_option("en_curso")
    dirp.get_by_role("button", name="Guardar avance").click()
    dirp.wait_for_load_state("domcontentloaded")
    assert dirp.get_by_text("Avance registrado.").is_visible()
    assert dirp.locator("#commitment-status").inner_text() == "En curso"
    assert dirp.locator("#avances .entries li").count() == 1
    shot(dirp, "journey-14-commitment-progress")
    commitment_url = dirp.url.split("#")[0]

    # 7. The dashboard shows it.
    sup.reload()
    assert _cell(sup, "table-commitments", "pendiente") == 0
    assert _cell(sup, "table-commitments", "en_curso") == 1
    row = sup.locator(f"#table-commitments-school tr[data-cct='{school.cct}']")
    assert "1" in row.inner_text()
    shot(sup, "journey-15-dashboard-after")

    # 8. Every page of the journey fits a phone (no sideways scrolling).
    phone = new_page(viewport=PHONE)
    login(phone, live_server, supervisor.email, PASSWORD)
    pages = {
        "encounter": encounter_url,
        "record": f"{live_server}/encuentros/{encounter_id}/registro",
        "minutes": f"{live_server}/encuentros/{encounter_id}/acta",
        "logbook": f"{live_server}/escuelas/{school.cct}/bitacora",
        "commitments": f"{live_server}/escuelas/{school.cct}/compromisos",
        "commitment": commitment_url,
        "dashboard": f"{live_server}/zonas/{zone.cct}/tablero",
        "index": f"{live_server}/encuentros",
        "slides": f"{live_server}/encuentros/{encounter_id}/escuelas/{school.cct}/diapositivas",
    }
    too_wide = []
    for name, url in pages.items():
        phone.goto(url)
        phone.wait_for_load_state("load")
        shot(phone, f"journey-phone-{name}")
        if not _fits_phone(phone):
            too_wide.append(name)
    # On the phone a slide shows all its text (nothing cut off by the 16:9 box).
    phone.goto(pages["slides"])
    for n in (1, 2):
        phone.goto(pages["slides"].split("#")[0] + f"#{n}")
        phone.reload()
        assert phone.locator(f"#slide-{n}").evaluate("s => s.scrollHeight <= s.clientHeight + 1"), n
    shot(phone, "journey-phone-slide-2")
    assert too_wide == [] and presentation_fits_phone
