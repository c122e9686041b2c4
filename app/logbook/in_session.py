"""The bitácora as it happens (issue 11): while an encounter runs, a school's bitácora shows the
session's agreements (of its group or the whole encounter, or naming the school) and the school's
commitments as they are recorded, marked *en sesión*. At the close they become the acta's entries
(app.logbook.services.write_minutes) and stop being listed here, so each item is shown once, before
and after: an item is *en sesión* only while its encounter is not concluded and the school's
logbook has no entry for it yet.

The items read like entries (kind, title, body, time, school year) so that the page, the CSV and
the PDF draw both alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from app.catalogue.models import School
from app.commitments.models import Commitment
from app.commitments.services import encounter_school_year
from app.encounters.models import Encounter, EncounterSchool
from app.extensions import db
from app.logbook.models import ENTRY_KINDS, Agreement, LogbookEntry
from app.logbook.services import agreement_entry_text, commitment_entry_text
from app.utils import as_utc

#: Encounters whose agreements and commitments are still being recorded.
RUNNING_STATUSES = ("programado", "en_curso")


@dataclass
class SessionItem:
    """An agreement or commitment of a session still running, shown like a logbook entry."""

    key: str  # "acuerdo-12", "compromiso-7": the item's anchor on the page
    kind: str
    title: str
    body: str | None
    created_at: datetime
    school_year: str
    encounter_id: int
    encounter_title: str
    commitment: Commitment | None = None
    is_in_session = True

    @property
    def kind_label(self) -> str:
        return str(ENTRY_KINDS.get(self.kind, self.kind))

    @property
    def display_title(self) -> str:
        return self.title


def _running_memberships(school: School) -> list[tuple[Encounter, int | None]]:
    """The running encounters the school takes part in, with its group."""
    return list(
        db.session.execute(
            select(Encounter, EncounterSchool.group_id)
            .join(EncounterSchool, EncounterSchool.encounter_id == Encounter.id)
            .where(EncounterSchool.school_id == school.id, Encounter.status.in_(RUNNING_STATUSES))
            .order_by(Encounter.starts_at, Encounter.id)
        ).all()
    )


def _written(school: School, column, ids: list[int]) -> set[int]:
    """Which of these agreements or commitments already have an entry in the school's logbook."""
    if not ids:
        return set()
    return set(
        db.session.execute(
            select(column).where(LogbookEntry.school_id == school.id, column.in_(ids))
        ).scalars()
    )


def _unwritten(school: School, model, encounter: Encounter, condition, entry_column) -> list:
    """The encounter's agreements or commitments (``model``) meeting ``condition``, recorded in the
    session (not after its close), that the school's logbook does not hold yet, oldest first."""
    rows = list(
        db.session.execute(
            select(model)
            .where(model.encounter_id == encounter.id, model.after_close.is_(False), condition)
            .order_by(model.created_at, model.id)
        ).scalars()
    )
    written = _written(school, entry_column, [r.id for r in rows])
    return [r for r in rows if r.id not in written]


def session_items(
    school: School, *, school_year: str | None = None, kind: str | None = None
) -> list[SessionItem]:
    """The agreements and commitments of the school's running sessions that its logbook does not
    hold yet, oldest first; ``school_year`` and ``kind`` filter as they filter the entries."""
    if kind not in (None, "acuerdo", "compromiso"):
        return []
    items: list[SessionItem] = []
    for encounter, group_id in _running_memberships(school):
        year = encounter_school_year(encounter)
        if school_year and year != school_year:
            continue
        common = {"school_year": year, "encounter_id": encounter.id, "encounter_title": encounter.title}
        if kind in (None, "acuerdo"):
            in_group = Agreement.group_id.is_(None) | (Agreement.group_id == group_id)
            mine = or_(Agreement.school_id == school.id, Agreement.school_id.is_(None) & in_group)
            for a in _unwritten(school, Agreement, encounter, mine, LogbookEntry.agreement_id):
                title, body = agreement_entry_text(a)
                items.append(
                    SessionItem(f"acuerdo-{a.id}", "acuerdo", title, body, as_utc(a.created_at), **common)
                )
        if kind in (None, "compromiso"):
            mine = Commitment.school_id == school.id
            for c in _unwritten(school, Commitment, encounter, mine, LogbookEntry.commitment_id):
                title, body = commitment_entry_text(c)
                items.append(
                    SessionItem(
                        f"compromiso-{c.id}",
                        "compromiso",
                        title,
                        body,
                        as_utc(c.created_at),
                        commitment=c,
                        **common,
                    )
                )
    return sorted(items, key=lambda i: i.created_at)


def logbook_timeline(
    school: School, *, school_year: str | None = None, kind: str | None = None
) -> list[LogbookEntry | SessionItem]:
    """The school's logbook entries and its running sessions' items, in time order (what the page,
    the CSV and the PDF show)."""
    from app.logbook.services import logbook_entries

    entries = logbook_entries(school, school_year=school_year, kind=kind)
    items = session_items(school, school_year=school_year, kind=kind)
    if not items:
        return entries
    return sorted([*entries, *items], key=lambda e: as_utc(e.created_at))
