import pytest

from app.groupings import services
from app.groupings.models import Grouping
from app.groupings.picture import network_picture
from app.groupings.progress import school_progress
from app.validation import PermissionDenied, ValidationError
from tests import factories


def _groups(grouping: Grouping) -> list[set[str]]:
    return sorted(({m.school.cct for m in g.members} for g in grouping.groups), key=sorted)


def test_network_records_are_plain_data(zone_with_problems):
    zone, schools, practice = zone_with_problems
    records = services.network_records(services.zone_schools(zone))
    assert len(records.schools) == 6
    assert {"id", "zone", "level", "lat", "lon"} <= set(records.schools[0])
    first = next(p for p in records.problems if p["school"] == schools[0].id)
    assert first["categories"] == {"amb-aprovechamiento": "alta", "pensamiento-matematico": "alta"}
    assert records.practices[0]["categories"] == ["pensamiento-matematico"]


def test_proposal_pairs_schools_that_share_problems(zone_with_problems):
    zone, schools, _ = zone_with_problems
    supervisor = factories.create_user("supervisor", zone=zone)
    grouping = services.propose_grouping(zone, {"min_size": 2, "max_size": 2}, actor=supervisor)
    assert _groups(grouping) == [
        {"22DPR0100A", "22DPR0101A"},
        {"22DPR0102A", "22DPR0103A"},
        {"22DPR0104A", "22DPR0105A"},
    ]
    assert grouping.objective == pytest.approx(6.0)
    math_group = next(g for g in grouping.groups if schools[0].id in {m.school_id for m in g.members})
    assert set(math_group.shared) == {"amb-aprovechamiento", "pensamiento-matematico"}
    # The practice of school 1 covers a need of school 0: it is a reason of the group.
    assert math_group.reasons["practices"] == [zone_with_problems[2].id]


def test_moving_a_school_rescores(zone_with_problems):
    zone, schools, _ = zone_with_problems
    supervisor = factories.create_user("supervisor", zone=zone)
    grouping = services.propose_grouping(zone, {"min_size": 2, "max_size": 3}, actor=supervisor)
    before = grouping.objective
    target = next(g for g in grouping.groups if schools[2].id in {m.school_id for m in g.members})
    services.move_school(grouping, schools[0].id, target.position, actor=supervisor)
    assert grouping.objective < before
    assert all(g.members for g in grouping.groups)
    moved_into = next(g for g in grouping.groups if schools[0].id in {m.school_id for m in g.members})
    assert schools[2].id in {m.school_id for m in moved_into.members}
    # Moving to a new group makes a singleton with score 0.
    services.move_school(grouping, schools[0].id, None, actor=supervisor)
    alone = next(g for g in grouping.groups if schools[0].id in {m.school_id for m in g.members})
    assert len(alone.members) == 1 and alone.score == 0


def test_options_are_validated(zone_with_problems):
    zone, _, _ = zone_with_problems
    supervisor = factories.create_user("supervisor", zone=zone)
    with pytest.raises(ValidationError) as exc:
        services.propose_grouping(zone, {"min_size": 4, "max_size": 2}, actor=supervisor)
    assert "max_size" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        services.propose_grouping(zone, {"max_distance_km": "-3"}, actor=supervisor)
    assert "max_distance_km" in exc.value.errors


def test_only_the_zone_council_proposes(zone_with_problems):
    zone, schools, _ = zone_with_problems
    director = factories.create_user("director", school=schools[0])
    other_supervisor = factories.create_user("supervisor")
    for actor in (director, other_supervisor):
        with pytest.raises(PermissionDenied):
            services.propose_grouping(zone, {}, actor=actor)


def test_accepted_grouping_is_frozen_and_avoids_past_partners(zone_with_problems):
    zone, schools, _ = zone_with_problems
    supervisor = factories.create_user("supervisor", zone=zone)
    first = services.propose_grouping(zone, {"min_size": 2, "max_size": 2}, actor=supervisor)
    services.accept_grouping(first, actor=supervisor)
    with pytest.raises(ValidationError):
        services.move_school(first, schools[0].id, None, actor=supervisor)
    second = services.propose_grouping(
        zone, {"min_size": 2, "max_size": 2, "avoid_last": 3}, actor=supervisor
    )
    old_pairs = {frozenset(g) for g in _groups(first)}
    assert not old_pairs & {frozenset(g) for g in _groups(second)}


def test_host_must_be_a_member(zone_with_problems):
    zone, schools, _ = zone_with_problems
    supervisor = factories.create_user("supervisor", zone=zone)
    grouping = services.propose_grouping(zone, {"max_size": 2}, actor=supervisor)
    group = grouping.groups[0]
    outsider = next(s for s in schools if s.id not in {m.school_id for m in group.members})
    with pytest.raises(ValidationError):
        services.set_host(grouping, group.position, outsider.id, actor=supervisor)
    member = group.members[-1].school_id
    services.set_host(grouping, group.position, member, actor=supervisor)
    assert group.host_school_id == member


def test_network_picture_draws_who_can_help_whom(zone_with_problems):
    zone, schools, _ = zone_with_problems
    supervisor = factories.create_user("supervisor", zone=zone)
    grouping = services.propose_grouping(zone, {"max_size": 2}, actor=supervisor)
    zone_schools = services.zone_schools(zone)
    records = services.network_records(zone_schools)
    # Nobody has solved anything yet: the schools, clustered by group, and no arrows (the old
    # picture drew a line for every pair over 0.2, here 7 lines).
    picture = network_picture(grouping, zone_schools, school_progress(zone_schools, records))
    assert len(picture["nodes"]) == 6 and picture["edges"] == []
    assert all(0 <= n["x"] <= picture["width"] and 0 <= n["y"] <= picture["height"] for n in picture["nodes"])
    assert {n["group"] for n in picture["nodes"]} == {1, 2, 3}
    # School 2 resolves a reading problem: arrows go from it to the schools working on reading.
    factories.create_problem(schools[4], categories={"lectura-escritura": "alta"}, status="resuelta")
    records = services.network_records(zone_schools)
    picture = network_picture(grouping, zone_schools, school_progress(zone_schools, records))
    assert [(e["helper"], e["learner"], e["categories"]) for e in picture["edges"]] == [
        (schools[4].id, schools[2].id, ["lectura-escritura"]),
        (schools[4].id, schools[3].id, ["lectura-escritura"]),
    ]
    assert not any(e["same_group"] for e in picture["edges"])


def test_picture_labels_are_short_names():
    from app.groupings.picture import short_name

    assert short_name("JUSTO SIERRA") == "JUSTO SIERRA"
    assert short_name("CENTENARIO DE LA CONSTITUCION DE 1917") == "CENTENARIO DE L…"
