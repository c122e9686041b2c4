"""Scheduling: creating encounters and groups, the refusals, groupings, status changes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.encounters import services
from app.encounters.models import Encounter, EncounterSchool
from app.extensions import db
from app.groupings.models import Grouping, GroupingGroup, GroupingMember
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError
from tests import factories
from tests.app.encounters.conftest import future, quick_user


def _details(world, **kw):
    start = kw.pop("start", future())
    data = {
        "title": "Cuarta sesión ordinaria del CTE",
        "starts_at": start,
        "ends_at": start + timedelta(hours=4),
        "modality": "presencial",
        "zone_ids": [world.zone.id],
    }
    data.update(kw)
    return data


def test_create_encounter_is_a_draft(world):
    encounter = services.create_encounter(_details(world), actor=world.supervisor)
    db.session.commit()
    assert encounter.status == "borrador"
    assert [z.id for z in encounter.zones] == [world.zone.id]
    assert encounter.created_by_id == world.supervisor.id


def test_past_date_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.create_encounter(
            _details(world, start=utcnow() - timedelta(hours=1)), actor=world.supervisor
        )
    assert "ya pasó" in exc.value.errors["starts_at"]


def test_end_before_start_refused(world):
    start = future()
    with pytest.raises(ValidationError) as exc:
        services.create_encounter(
            _details(world, start=start, ends_at=start - timedelta(hours=1)), actor=world.supervisor
        )
    assert "posterior" in exc.value.errors["ends_at"]


def test_supervisor_of_other_zone_cannot_schedule(world):
    other = quick_user("supervisor", zone=world.other_zone)
    with pytest.raises(PermissionDenied):
        services.create_encounter(_details(world), actor=other)


def test_supervisor_may_add_zones_of_own_sector_only(world):
    sibling = factories.create_zone(cct="22FIZ0503A", number=503, sector_cct=world.zone.sector_cct)
    encounter = services.create_encounter(
        _details(world, zone_ids=[world.zone.id, sibling.id]), actor=world.supervisor
    )
    assert {z.id for z in encounter.zones} == {world.zone.id, sibling.id}
    with pytest.raises(ValidationError) as exc:
        services.create_encounter(
            _details(world, zone_ids=[world.zone.id, world.other_zone.id]), actor=world.supervisor
        )
    assert "sector" in exc.value.errors["zone_ids"]


def test_school_in_two_groups_refused(world):
    encounter = world.encounter(groups=[(0, 1)])
    with pytest.raises(ValidationError) as exc:
        services.add_group(
            encounter,
            {"school_ids": [world.schools[1].id, world.schools[2].id], "host_school_id": world.schools[2].id},
            actor=world.supervisor,
        )
    assert "ya está en el Grupo 1" in exc.value.errors["school_ids"]
    assert world.schools[1].cct in exc.value.errors["school_ids"]


def test_host_outside_group_refused(world):
    encounter = world.encounter(groups=[])
    with pytest.raises(ValidationError) as exc:
        services.add_group(
            encounter,
            {"school_ids": [world.schools[0].id, world.schools[1].id], "host_school_id": world.schools[2].id},
            actor=world.supervisor,
        )
    assert exc.value.errors == {"host_school_id": "La sede debe ser una de las escuelas del grupo."}


def test_school_outside_zones_refused(world):
    encounter = world.encounter(groups=[])
    with pytest.raises(ValidationError) as exc:
        services.add_group(
            encounter, {"school_ids": [world.schools[0].id, world.outside.id]}, actor=world.supervisor
        )
    assert "no pertenece a las zonas del encuentro" in exc.value.errors["school_ids"]
    assert world.outside.cct in exc.value.errors["school_ids"]


def test_school_in_overlapping_encounter_refused(world):
    first = world.encounter(groups=[(0, 1)], days=10, hours=4)
    start = as_utc(first.starts_at) + timedelta(hours=2)  # overlaps the last two hours
    second = services.create_encounter(_details(world, start=start), actor=world.supervisor)
    with pytest.raises(ValidationError) as exc:
        services.add_group(
            second,
            {"school_ids": [world.schools[1].id, world.schools[2].id], "host_school_id": world.schools[2].id},
            actor=world.supervisor,
        )
    message = exc.value.errors["school_ids"]
    assert world.schools[1].cct in message and "se cruza" in message


def test_back_to_back_encounters_do_not_overlap(world):
    first = world.encounter(groups=[(0, 1)], days=10, hours=4)
    second = services.create_encounter(_details(world, start=as_utc(first.ends_at)), actor=world.supervisor)
    group = services.add_group(
        second,
        {"school_ids": [world.schools[0].id, world.schools[1].id], "host_school_id": world.schools[0].id},
        actor=world.supervisor,
    )
    assert len(group.schools) == 2


def test_concluded_encounter_does_not_block(world):
    first = world.encounter(groups=[(0, 1)], days=10)
    first.status = "concluido"
    db.session.commit()
    second = services.create_encounter(_details(world, start=as_utc(first.starts_at)), actor=world.supervisor)
    group = services.add_group(
        second, {"school_ids": [world.schools[0].id, world.schools[1].id]}, actor=world.supervisor
    )
    assert group.id is not None


def test_moving_encounter_onto_another_refused(world):
    first = world.encounter(groups=[(0, 1)], days=10)
    second = world.encounter(groups=[(1, 2)], days=20)
    data = _details(world, start=as_utc(first.starts_at), title=second.title)
    with pytest.raises(ValidationError) as exc:
        services.update_encounter(second, data, actor=world.supervisor)
    assert "se cruza" in exc.value.errors["school_ids"]


def test_host_address_defaults_to_catalogue(world):
    encounter = world.encounter(groups=[(0, 1)])
    group = encounter.groups[0]
    assert group.host_school_id == world.schools[0].id
    assert group.address.startswith("CALLE 1 NUM. 10")
    assert "Aula 1" in services.host_location(group)


def _grouping(world, status="aceptada"):
    grouping = Grouping(zone_id=world.zone.id, status=status)
    for position, (members, host) in enumerate((((0, 1), 1), ((2, 3, 4), 3)), start=1):
        group = GroupingGroup(position=position, host_school_id=world.schools[host].id)
        group.members = [GroupingMember(school_id=world.schools[i].id) for i in members]
        grouping.groups.append(group)
    db.session.add(grouping)
    db.session.commit()
    return grouping


def test_create_from_accepted_grouping_copies_groups_and_hosts(world):
    grouping = _grouping(world)
    encounter = services.create_encounter(_details(world, grouping_id=grouping.id), actor=world.supervisor)
    db.session.commit()
    assert encounter.grouping_id == grouping.id
    assert [[m.school_id for m in g.schools] for g in encounter.groups] == [
        [world.schools[0].id, world.schools[1].id],
        [world.schools[2].id, world.schools[3].id, world.schools[4].id],
    ]
    assert [g.host_school_id for g in encounter.groups] == [world.schools[1].id, world.schools[3].id]
    assert all(g.agenda for g in encounter.groups)


def test_grouping_not_accepted_refused(world):
    grouping = _grouping(world, status="propuesta")
    with pytest.raises(ValidationError) as exc:
        services.create_encounter(_details(world, grouping_id=grouping.id), actor=world.supervisor)
    assert "aún es una propuesta" in exc.value.errors["grouping_id"]


def test_grouping_of_another_zone_refused(world):
    grouping = Grouping(zone_id=world.other_zone.id, status="aceptada")
    db.session.add(grouping)
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        services.create_encounter(_details(world, grouping_id=grouping.id), actor=world.supervisor)
    assert "otra zona" in exc.value.errors["grouping_id"]


def test_schedule_requires_two_schools_and_a_host(world):
    encounter = world.encounter(groups=[(0,)])
    with pytest.raises(ValidationError) as exc:
        services.schedule_encounter(encounter, actor=world.supervisor)
    assert "al menos dos escuelas" in exc.value.errors["_"]
    empty = world.encounter(groups=[], days=30)
    with pytest.raises(ValidationError):
        services.schedule_encounter(empty, actor=world.supervisor)
    no_host = world.encounter(groups=[(2, 3)], hosts=[None], days=40)
    with pytest.raises(ValidationError) as exc:
        services.schedule_encounter(no_host, actor=world.supervisor)
    assert "sede" in exc.value.errors["_"]


def test_online_encounter_needs_no_host(world):
    encounter = world.encounter(groups=[(0, 1)], hosts=[None], modality="en_linea")
    services.schedule_encounter(encounter, actor=world.supervisor)
    assert encounter.status == "programado"


def test_schedule_refuses_a_date_that_passed(world):
    encounter = world.encounter(groups=[(0, 1)])
    encounter.starts_at = utcnow() - timedelta(days=1)
    encounter.ends_at = utcnow() - timedelta(days=1) + timedelta(hours=4)
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        services.schedule_encounter(encounter, actor=world.supervisor)
    assert "ya pasó" in exc.value.errors["starts_at"]


def test_status_transitions(world):
    encounter = world.encounter(groups=[(0, 1)])
    with pytest.raises(ValidationError):
        services.start_encounter(encounter, actor=world.supervisor)
    services.schedule_encounter(encounter, actor=world.supervisor)
    with pytest.raises(ValidationError):
        services.schedule_encounter(encounter, actor=world.supervisor)
    services.start_encounter(encounter, actor=world.supervisor)
    assert encounter.status == "en_curso"
    with pytest.raises(ValidationError):
        services.update_encounter(encounter, _details(world), actor=world.supervisor)


def test_facilitator_may_start(world):
    director = quick_user("director", school=world.schools[0])
    encounter = world.encounter(groups=[(0, 1)])
    services.update_group(
        encounter.groups[0],
        {
            "school_ids": [world.schools[0].id, world.schools[1].id],
            "host_school_id": world.schools[0].id,
            "facilitator_id": director.id,
        },
        actor=world.supervisor,
    )
    services.schedule_encounter(encounter, actor=world.supervisor)
    services.start_encounter(encounter, actor=director)
    assert encounter.status == "en_curso"
    other = quick_user("director", school=world.schools[1])
    encounter.status = "programado"
    with pytest.raises(PermissionDenied):
        services.start_encounter(encounter, actor=other)


def test_facilitator_must_be_of_the_zone(world):
    encounter = world.encounter(groups=[(0, 1)])
    stranger = quick_user("director", school=world.outside)
    with pytest.raises(ValidationError) as exc:
        services.update_group(
            encounter.groups[0],
            {"school_ids": [world.schools[0].id, world.schools[1].id], "facilitator_id": stranger.id},
            actor=world.supervisor,
        )
    assert "facilitator_id" in exc.value.errors


def test_update_group_changes_schools(world):
    encounter = world.encounter(groups=[(0, 1)])
    group = encounter.groups[0]
    services.update_group(
        group,
        {"school_ids": [world.schools[1].id, world.schools[2].id], "host_school_id": world.schools[2].id},
        actor=world.supervisor,
    )
    db.session.commit()
    rows = (
        db.session.execute(db.select(EncounterSchool.school_id).filter_by(encounter_id=encounter.id))
        .scalars()
        .all()
    )
    assert sorted(rows) == sorted([world.schools[1].id, world.schools[2].id])
    turns = [i.school_id for i in group.agenda if i.school_id]
    assert turns == [world.schools[1].id, world.schools[2].id]


def test_delete_group_and_draft(world):
    encounter = world.encounter(groups=[(0, 1), (2, 3)])
    services.delete_group(encounter.groups[0], actor=world.supervisor)
    db.session.commit()
    assert [g.position for g in encounter.groups] == [1]
    encounter_id = encounter.id
    services.delete_encounter(encounter, actor=world.supervisor)
    db.session.commit()
    assert db.session.get(Encounter, encounter_id) is None


def test_scheduled_encounter_cannot_be_deleted(world):
    encounter = world.encounter(groups=[(0, 1)], schedule=True)
    with pytest.raises(ValidationError):
        services.delete_encounter(encounter, actor=world.supervisor)


def test_upcoming_and_visible_lists(world):
    director = quick_user("director", school=world.schools[0])
    outsider = quick_user("director", school=world.schools[4])
    draft = world.encounter(groups=[(0, 1)], days=5, title="Borrador")
    scheduled = world.encounter(groups=[(0, 2)], days=20, title="Programado", schedule=True)
    assert services.upcoming_encounters(director) == [scheduled]
    assert services.upcoming_encounters(world.supervisor) == [draft, scheduled]
    assert services.upcoming_encounters(outsider) == []
    admin = quick_user("admin")
    assert set(services.visible_encounters(admin)) == {draft, scheduled}
