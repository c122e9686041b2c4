"""The live room's row and its rules: the state, the lock and version of each change, the events
handed to ``app.signals.room_event`` and the checks every service of the room shares.

Every service takes the actor explicitly, checks it with app/permissions.py, flushes (the socket
event or HTTP route commits once) and hands its events (built by app.live.events) to the
``room_event`` signal; realtime/ connects to it and emits them only after the commit. This area
never imports realtime/. A change of the room bumps ``LiveSession.version`` once per event; the row
is locked and read first in one statement (an UPDATE of itself ... RETURNING), so two processes never
hand out one version twice.
"""

from __future__ import annotations

import copy

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app import signals
from app.encounters.closing import late_write
from app.encounters.models import EncounterGroup
from app.extensions import db
from app.live import events
from app.live.models import LiveSession
from app.problems.models import Problem
from app.validation import PermissionDenied, ValidationError

CONTRIBUTION_TEXT_MAX = 2000


HIDDEN_REASON_MAX = 300


MAX_HANDS = 200


TIMER_ACTIONS = ("start", "pause", "extend", "next", "previous")


WILL_TRY_KINDS = ("propuesta", "recurso")


def get_group(encounter_id: int, position: int) -> EncounterGroup | None:
    """The group at ``position`` of the encounter, or None."""
    return db.session.execute(
        db.select(EncounterGroup).filter_by(encounter_id=encounter_id, position=position)
    ).scalar_one_or_none()


def _initial_state(group: EncounterGroup) -> dict:
    first = group.agenda[0] if group.agenda else None
    seconds = (first.minutes if first else 10) * 60
    return {
        "agenda_index": 0,
        "timer": {"running": False, "started_at": None, "remaining": seconds, "duration": seconds},
        "turn_school_id": first.school_id if first else None,
        "slide": 0,
        "problem_id": None,
        "hands": [],
        "floor_user_id": None,
        "floor": None,  # the turn to speak's clock: {"started_at", "seconds"} while someone has it
        "online": [],
        "present_school_ids": [],
        "connections": {},
        "closed_at": None,
        "reminder": None,  # the facilitator's last "volvamos a la problemática": {"at", "by"}
    }


STATE_KEYS = frozenset(
    {
        "agenda_index",
        "timer",
        "turn_school_id",
        "slide",
        "problem_id",
        "hands",
        "floor_user_id",
        "floor",
        "online",
        "present_school_ids",
        "connections",
        "closed_at",
        "reminder",
    }
)


def get_live_session(group: EncounterGroup) -> LiveSession:
    """The group's live session, created on first use (a concurrent creator's row wins)."""
    live = db.session.execute(db.select(LiveSession).filter_by(group_id=group.id)).scalar_one_or_none()
    if live is not None:
        return live
    live = LiveSession(group_id=group.id, version=0, state=_initial_state(group), present_school_ids=[])
    try:
        with db.session.begin_nested():
            db.session.add(live)
    except IntegrityError:
        live = db.session.execute(db.select(LiveSession).filter_by(group_id=group.id)).scalar_one()
    return live


def _lock_row(group_id: int) -> LiveSession | None:
    """Lock the group's live session for this transaction and read it, in one statement.

    ``UPDATE … SET version = version … RETURNING`` takes the row lock on PostgreSQL and the write
    lock on SQLite (where ``SELECT … FOR UPDATE`` locks nothing) and returns the fresh row; without
    UPDATE … RETURNING (old SQLite), an UPDATE and a locked SELECT.
    """
    stmt = update(LiveSession).where(LiveSession.group_id == group_id).values(version=LiveSession.version)
    options = {"synchronize_session": False}
    if db.session.get_bind().dialect.update_returning:
        return db.session.execute(
            stmt.returning(LiveSession), execution_options={**options, "populate_existing": True}
        ).scalar_one_or_none()
    db.session.execute(stmt, execution_options=options)
    return db.session.execute(
        db.select(LiveSession)
        .filter_by(group_id=group_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _full_state(live: LiveSession, group: EncounterGroup) -> dict:
    """A copy of the stored state, with any key an older row lacks (the agenda is read only then)."""
    state = copy.deepcopy(live.state or {})
    if not STATE_KEYS <= state.keys():
        for key, value in _initial_state(group).items():
            state.setdefault(key, value)
    return state


def _locked(group: EncounterGroup) -> tuple[LiveSession, dict]:
    """The live session, locked for this transaction, and a copy of its state to change."""
    live = _lock_row(group.id)
    if live is None:  # first use: create it (a concurrent creator's row wins), then lock it
        get_live_session(group)
        live = _lock_row(group.id)
    return live, _full_state(live, group)


def _publish(live: LiveSession, group: EncounterGroup, state: dict, *types: str) -> None:
    """Store the new state and queue one versioned event per type (emitted after commit)."""
    live.state = state
    for type_ in types:
        live.version += 1
        signals.room_event.send(group.id, event=events.state_event(type_, live.version, group.id, state))
    db.session.flush()


def _publish_row(live: LiveSession, group: EncounterGroup, type_: str, row: dict) -> None:
    live.version += 1
    signals.room_event.send(group.id, event=events.row_event(type_, live.version, group.id, row))
    db.session.flush()


def _require(condition: bool, message: str | None = None) -> None:
    if not condition:
        raise PermissionDenied(message or _("No tienes permiso para hacer esto en la sala."))


def _require_open(group: EncounterGroup) -> None:
    if group.encounter.status == "borrador":
        raise ValidationError({"_": _("El encuentro aún es un borrador.")})


def _require_writable(group: EncounterGroup) -> None:
    """Open, and not concluded: after the close only offline writes typed before it are kept
    (``late_write``, in add_contribution and add_commitment); nothing else changes the room."""
    _require_open(group)
    late_write(group.encounter, None)


def _member_school_id(actor, group: EncounterGroup) -> int | None:
    school_id = getattr(actor, "school_id", None)
    return school_id if school_id in {m.school_id for m in group.schools} else None


def edit_minutes() -> int:
    """How long an author may edit a contribution (CONTRIBUTION_EDIT_MINUTES, default 5)."""
    return current_app.config["CONTRIBUTION_EDIT_MINUTES"]


def _group_problem_ids(group: EncounterGroup) -> set[int]:
    school_ids = [m.school_id for m in group.schools]
    return set(db.session.execute(db.select(Problem.id).where(Problem.school_id.in_(school_ids))).scalars())
