"""The agenda: the template of the session card, the review of previous commitments, editing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.encounters import agenda, services
from app.encounters.models import Encounter, EncounterGroup, EncounterSchool
from app.extensions import db
from app.logbook.models import Commitment
from app.utils import utcnow
from app.validation import PermissionDenied, ValidationError
from tests.app.encounters.conftest import quick_user


def test_template_has_four_activities_and_one_turn_per_school(world):
    encounter = world.encounter(groups=[(0, 1, 2)])
    items = encounter.groups[0].agenda
    assert {i.activity for i in items} == {1, 2, 3, 4}
    assert [i.activity for i in items] == sorted(i.activity for i in items)
    turns = [i for i in items if i.school_id is not None]
    assert [t.school_id for t in turns] == [s.id for s in world.schools[:3]]
    assert all(t.activity == 2 for t in turns)
    assert turns[0].title == f"Presentación: {world.schools[0].name}"
    assert items[0].title.startswith("Reconozcamos la importancia")
    assert any(i.title == "Comuniquemos las problemáticas que tenemos en común" for i in items)
    assert items[-1].title == "Qué nos comprometemos a realizar"
    assert [i.position for i in items] == list(range(1, len(items) + 1))
    assert all(i.minutes > 0 for i in items)


def _met_before(world, members, *, days_ago=30, status="concluido"):
    """A past encounter where these schools met in one group."""
    start = utcnow() - timedelta(days=days_ago)
    past = Encounter(
        title="Tercera sesión ordinaria",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        status=status,
        created_by_id=world.supervisor.id,
    )
    past.zones = [world.zone]
    group = EncounterGroup(position=1)
    past.groups.append(group)
    db.session.add(past)
    db.session.flush()
    for i in members:
        group.schools.append(EncounterSchool(encounter_id=past.id, school_id=world.schools[i].id))
    db.session.commit()
    return past


def _commitment(world, past, i, action):
    row = Commitment(
        school_id=world.schools[i].id,
        encounter_id=past.id,
        action=action,
        responsible="Mtra. López",
        due_date=date(2031, 3, 1),
        school_year="2030-2031",
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_review_of_previous_commitments_opens_the_agenda(world):
    past = _met_before(world, (0, 1, 4))
    _commitment(world, past, 0, "Leer 20 minutos diarios en voz alta")
    _commitment(world, past, 1, "Tianguis de matemáticas cada viernes")
    _commitment(world, past, 4, "Compromiso de una escuela que no está en el grupo")
    older = _met_before(world, (0, 1), days_ago=90)
    _commitment(world, older, 0, "Compromiso de un encuentro más antiguo")

    encounter = world.encounter(groups=[(0, 1, 2)])
    first = encounter.groups[0].agenda[0]
    assert first.activity == 0
    assert first.title == "Revisión de compromisos anteriores"
    assert "Leer 20 minutos diarios en voz alta" in first.description
    assert "Tianguis de matemáticas cada viernes" in first.description
    assert "Mtra. López" in first.description and "01/03/2031" in first.description
    assert "no está en el grupo" not in first.description
    assert "más antiguo" not in first.description


def test_no_review_when_only_one_school_met_before(world):
    _met_before(world, (0, 3))
    encounter = world.encounter(groups=[(0, 1)])
    assert encounter.groups[0].agenda[0].activity == 1


def test_no_review_when_previous_encounter_not_concluded(world):
    _met_before(world, (0, 1), status="en_curso")
    encounter = world.encounter(groups=[(0, 1)])
    assert encounter.groups[0].agenda[0].activity == 1


def test_review_without_commitments_says_so(world):
    _met_before(world, (0, 1))
    encounter = world.encounter(groups=[(0, 1)])
    first = encounter.groups[0].agenda[0]
    assert first.activity == 0 and "no se registraron compromisos" in first.description


def test_edit_titles_minutes_order_and_remove(world):
    encounter = world.encounter(groups=[(0, 1)])
    group = encounter.groups[0]
    items = list(group.agenda)
    rows = [{"id": i.id, "title": i.title, "minutes": i.minutes, "position": i.position} for i in items]
    rows[0]["title"] = "Bienvenida y normas"
    rows[0]["minutes"] = 25
    rows[-1]["position"] = 0  # commitments first
    rows[1]["remove"] = True
    services.update_agenda(group, rows, actor=world.supervisor)
    db.session.commit()
    db.session.expire_all()
    titles = [i.title for i in group.agenda]
    assert titles[0] == "Qué nos comprometemos a realizar"
    assert titles[1] == "Bienvenida y normas"
    assert len(titles) == len(items) - 1
    assert group.agenda[1].minutes == 25
    assert [i.position for i in group.agenda] == list(range(1, len(items)))


@pytest.mark.parametrize("minutes, message", [(0, "Entre 1 y"), ("mucho", "número"), (999, "Entre 1 y")])
def test_bad_minutes_refused(world, minutes, message):
    encounter = world.encounter(groups=[(0, 1)])
    item = encounter.groups[0].agenda[0]
    with pytest.raises(ValidationError) as exc:
        services.update_agenda(
            encounter.groups[0], [{"id": item.id, "title": "x", "minutes": minutes}], actor=world.supervisor
        )
    assert message in exc.value.errors[f"item-{item.id}-minutes"]


def test_add_item_goes_after_its_activity_and_reset(world):
    encounter = world.encounter(groups=[(0, 1)])
    group = encounter.groups[0]
    count = len(group.agenda)
    item = services.add_agenda_item(
        group, {"title": "Receso", "minutes": 15, "activity": 2}, actor=world.supervisor
    )
    activities = [i.activity for i in group.agenda]
    assert activities == sorted(activities)
    index = list(group.agenda).index(item)
    assert group.agenda[index + 1].activity == 3
    services.reset_agenda(group, actor=world.supervisor)
    db.session.commit()
    assert len(group.agenda) == count
    assert all(i.title != "Receso" for i in group.agenda)


def test_turns_follow_the_group_schools_keeping_edits(world):
    encounter = world.encounter(groups=[(0, 1)])
    group = encounter.groups[0]
    first = group.agenda[0]
    services.update_agenda(
        group,
        [{"id": first.id, "title": "Normas de la sesión", "minutes": 10, "position": 1}],
        actor=world.supervisor,
    )
    services.update_group(
        group,
        {"school_ids": [world.schools[0].id, world.schools[2].id], "host_school_id": world.schools[0].id},
        actor=world.supervisor,
    )
    db.session.commit()
    assert group.agenda[0].title == "Normas de la sesión"
    turns = [i for i in group.agenda if i.school_id]
    assert [t.school_id for t in turns] == [world.schools[0].id, world.schools[2].id]
    k = list(group.agenda).index(turns[-1])
    assert group.agenda[k + 1].title == "Aportaciones a las problemáticas presentadas"


def test_only_schedulers_edit_the_agenda(world):
    encounter = world.encounter(groups=[(0, 1)])
    director = quick_user("director", school=world.schools[0])
    with pytest.raises(PermissionDenied):
        services.add_agenda_item(
            encounter.groups[0], {"title": "x", "minutes": 5, "activity": 1}, actor=director
        )


def test_agenda_times_follow_each_other(world):
    encounter = world.encounter(groups=[(0, 1)])
    rows = services.agenda_with_times(encounter.groups[0])
    for (_, _, end), (_, start, _) in zip(rows, rows[1:], strict=False):
        assert end == start
    assert rows[0][1] == encounter.starts_at.replace(tzinfo=rows[0][1].tzinfo)
    assert sum(item.minutes for item, _, _ in rows) == sum(
        i["minutes"] for i in agenda.template_items([(1, "A"), (2, "B")])
    )


@pytest.mark.parametrize(
    "status, reason", [("en_curso", "está en curso"), ("concluido", "concluyó"), ("programado", None)]
)
def test_the_agenda_page_says_why_its_buttons_are_disabled(world, client, login_as, status, reason):
    # Issue 13: during the session the buttons were greyed out with no word of why.
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    encounter.status = status
    db.session.commit()
    login_as(world.supervisor)
    group = encounter.groups[0]
    html = client.get(f"/encuentros/{encounter.id}/grupos/{group.id}/agenda").get_data(as_text=True)
    if reason is None:
        assert 'id="agenda-locked"' not in html and "disabled" not in html.split('id="save-agenda"')[1][:40]
    else:
        assert 'id="agenda-locked"' in html and reason in html
        for button in ("save-agenda", "add-item", "reset-agenda"):
            assert f'id="{button}" disabled aria-describedby="agenda-locked"' in html
