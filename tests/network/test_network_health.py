"""network.health on graphs whose answer is known."""

from __future__ import annotations

from datetime import date

from network.health import ADOPTED, MET, Tie, bridges, cascades, isolated, meeting_ties, monthly_participation

D = date(2026, 10, 1)


def test_the_school_between_two_clusters_is_the_bridge():
    # Two triangles joined only through school 4: every path between them crosses it.
    left = meeting_ties([([1, 2, 3], D)])
    right = meeting_ties([([5, 6, 7], D)])
    joins = [Tie(3, 4, MET, D), Tie(4, 5, ADOPTED, D, practice_id=9)]
    ranked = bridges(range(1, 8), left + right + joins)
    assert ranked[0][0] == 4
    assert {school for school, _value in ranked[:3]} == {3, 4, 5}


def test_old_ties_do_not_keep_a_school_out_of_the_isolated_list():
    ties = [Tie(1, 2, MET, date(2025, 1, 10)), Tie(2, 3, MET, date(2026, 11, 2))]
    assert isolated([1, 2, 3, 4], ties, since=date(2026, 8, 1)) == [1, 4]
    assert isolated([1, 2, 3, 4], ties, since=date(2024, 8, 1)) == [4]


def test_a_practice_that_kept_spreading_has_several_waves():
    spread = cascades(
        [
            (1, 10, 11, date(2026, 2, 3)),
            (1, 10, 12, date(2026, 2, 20)),
            (1, 10, 13, date(2026, 5, 1)),
            (1, 10, 10, date(2026, 5, 2)),  # the origin itself is not "reached"
            (2, 20, 21, date(2026, 3, 1)),
        ]
    )
    assert spread[1] == {"origin": 10, "reached": [11, 12, 13], "waves": 2}
    assert spread[2] == {"origin": 20, "reached": [21], "waves": 1}


def test_participation_counts_distinct_schools_and_events_per_month():
    events = [
        (1, date(2026, 9, 1), "encuentro"),
        (1, date(2026, 9, 1), "aportacion"),
        (2, date(2026, 10, 5), "adopcion"),
    ]
    rows = monthly_participation(events + [(3, date(2025, 1, 1), "encuentro")], months=["2026-09", "2026-10"])
    assert rows == [
        {"month": "2026-09", "schools": 1, "encuentro": 1, "aportacion": 1},
        {"month": "2026-10", "schools": 1, "adopcion": 1},
    ]
