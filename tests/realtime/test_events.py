"""realtime/events.py: builders refuse wrong payloads, shapes are checked, the reducer replaces."""

from __future__ import annotations

import pytest

from app.live import events


def test_builders_refuse_a_payload_that_is_not_the_shape():
    with pytest.raises(ValueError):
        events._event("slide", 1, 1, slide=2)  # problem_id missing


def test_state_event_copies_only_its_keys():
    state = {"slide": 3, "problem_id": 7, "hands": [1]}
    event = events.state_event("slide", 4, 9, state)
    events.check_shape(event)
    assert (event["slide"], event["problem_id"], event["version"], event["group_id"]) == (3, 7, 4, 9)
    assert "hands" not in event


def test_session_ended_has_no_version_but_a_shape():
    event = events.session_ended_event("cuenta_desactivada")
    events.check_shape(event)
    assert event["version"] is None


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "nada"},
        {"type": "slide", "version": "1", "group_id": 1, "server_time": "x", "slide": 1, "problem_id": None},
    ],
)
def test_check_shape_rejects(bad):
    with pytest.raises(ValueError):
        events.check_shape(bad)


def test_apply_event_ignores_old_versions_and_upserts_rows():
    snap = {
        "version": 2,
        "state": {"slide": 0, "problem_id": None},
        "contributions": [{"id": 1, "text": "a", "problem_id": 4, "activity": 2}],
        "commitments": [],
    }
    old = events.state_event("slide", 2, 1, {"slide": 5, "problem_id": None})
    assert events.apply_event(snap, old) is snap
    new = events.contribution_event(3, 1, {"id": 1, "text": "b", "problem_id": 5, "activity": 3})
    after = events.apply_event(snap, new)
    assert after["contributions"] == [{"id": 1, "text": "b", "problem_id": 5, "activity": 3}]
    assert after["version"] == 3
    assert snap["contributions"][0]["text"] == "a"  # the input is not changed


def test_a_contribution_event_names_its_problem_and_activity():
    """Every contribution event carries the row's problem_id and activity (None when there is none)."""
    with pytest.raises(ValueError):
        events.contribution_event(3, 1, {"id": 1, "text": "b"})
    event = events.contribution_event(3, 1, {"id": 1, "text": "b", "problem_id": None, "activity": 1})
    events.check_shape(event)
    bad = dict(event, contribution={"id": 1, "text": "b", "problem_id": 7})
    with pytest.raises(ValueError):
        events.check_shape(bad)
