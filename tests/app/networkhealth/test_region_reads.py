"""The network-health reads filter in the database (benchmarks/region_health_page.py): only the groups
with a school of the zones, only the activity of the months shown. What they read must not change: a
group shared with a school of another sector is still a tie, an old encounter's attendance is not
counted in the months shown, and another sector's activity never is."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from app.encounters.models import Encounter, EncounterGroup, EncounterSchool
from app.live.models import Contribution
from app.utils import utcnow
from tests import factories
from tests.realtime.world import build_room


def _met(db, schools, *, days_ago: int) -> Encounter:
    start = utcnow() - timedelta(days=days_ago)
    encounter = Encounter(
        title="Sesión", starts_at=start, ends_at=start + timedelta(hours=4), status="concluido"
    )
    db.session.add(encounter)
    db.session.flush()
    group = EncounterGroup(encounter_id=encounter.id, position=1, host_school_id=schools[0].id)
    db.session.add(group)
    db.session.flush()
    db.session.add_all(
        EncounterSchool(encounter_id=encounter.id, group_id=group.id, school_id=s.id) for s in schools
    )
    db.session.commit()
    return encounter


def _rows(client, url: str) -> dict[str, list[str]]:
    text = client.get(url).get_data(as_text=True).lstrip("\ufeff")
    return {row[1]: row for row in csv.reader(io.StringIO(text))}


def test_a_tie_across_sectors_counts_old_and_foreign_activity_does_not(client, login_as, db):
    room = build_room(status="concluido")
    zone = room.school_a.zone
    zone.sector_cct = "22FSE0007Z"
    far = factories.create_school(factories.create_zone(sector_cct="22FSE0008Z"), name="ESCUELA LEJANA")
    stranger = factories.create_school(factories.create_zone(sector_cct="22FSE0008Z"), name="OTRA")
    db.session.commit()
    login_as(room.people["admin"])
    before = _rows(client, f"/zonas/{zone.cct}/red.csv")
    months_before = client.get(f"/zonas/{zone.cct}/red").get_data(as_text=True).split('id="table-months"')[1]

    # C met a school of another sector (this week), and long ago (300 days) met B.
    _met(db, [room.school_c, far], days_ago=3)
    old = _met(db, [room.school_c, room.school_b], days_ago=300)
    # Activity of another sector's schools, among themselves: never this zone's.
    other = _met(db, [far, stranger], days_ago=2)
    db.session.add(
        Contribution(
            encounter_id=other.id,
            group_id=other.groups[0].id,
            author_school_id=far.id,
            kind="pregunta",
            text="¿Cómo?",
        )
    )
    db.session.add(
        Contribution(
            encounter_id=old.id,
            group_id=old.groups[0].id,
            author_school_id=room.school_c.id,
            kind="pregunta",
            text="Hace mucho.",
            created_at=utcnow() - timedelta(days=300),
        )
    )
    db.session.commit()

    after = _rows(client, f"/zonas/{zone.cct}/red.csv")
    c = room.school_c.cct
    assert int(after[c][2]) == int(before[c][2]) + 1  # the far school; B only long ago (not in 120 days)
    assert far.cct not in after and stranger.cct not in after
    assert after[c][4] == str(int(before[c][4]) + 1)  # one attendance this week; the old one is not shown
    months = client.get(f"/zonas/{zone.cct}/red").get_data(as_text=True).split('id="table-months"')[1]
    this_month = months.split("</table>")[0].split("<tr data-month=")[-1]
    assert '<td data-label="Aportaciones">0</td>' in this_month  # the other sector's contribution
    assert months_before != months  # C's attendance this week is counted
