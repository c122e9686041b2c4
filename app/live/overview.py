"""The encounter overview (panorama): every group's room at a glance, for whoever runs the encounter,
and the message the facilitation sends to all groups.

``overview`` is the snapshot of the page: per group, who is present and who dropped (per school), the
current activity and its timer, hands waiting, counts of contributions, commitments and agreements
(with the last id of each, so that a later row event is counted once) and whether it runs late.
``summary_update`` turns one room event into the compact update the overview receives (realtime
re-emits it to the encounter's Socket.IO room): it reads nothing from the database, so the room's hot
events cost no statement more. It carries the room's version: the page asks for the overview again
when it sees a gap.

Late rule (``LATE_REASONS``): a group runs late when the timer of its current activity has run out
(``tiempo``), or when, by the agenda's planned times (one activity after another from the encounter's
start time), that activity should already have ended (``agenda``). Only while the encounter is in
session and the group's room is not closed.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import permissions, signals
from app.commitments.models import Commitment
from app.encounters import services as encounter_services
from app.encounters.models import Encounter, EncounterGroup
from app.extensions import db
from app.live import events
from app.live.models import Contribution, LiveSession
from app.live.room import _locked, _room
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError, clean_text

ANNOUNCEMENT_MAX = 300

LATE_REASONS = {
    "tiempo": _l("se acabó el tiempo de la actividad"),
    "agenda": _l("la actividad ya debía haber terminado según el horario de la agenda"),
}

#: What each state event of the room changes in a group's summary (the rest of the state is not shown).
_STATE_FIELDS = {
    "presence": ("online", "present_school_ids"),
    "timer": ("agenda_index", "timer"),
    "turn": ("turn_school_id",),
    "slide": (),
    "hands": (),  # summarised as hands_waiting
    "closed": ("closed_at",),
    "reminder": (),
}


def can_watch(user, encounter: Encounter) -> bool:
    """Watch the overview and message all groups: whoever runs the encounter (its zones' supervisors,
    administrators) and its facilitators, as for starting the session (permissions.can_start_encounter)."""
    return permissions.can_start_encounter(user, encounter)


def _require_watcher(user, encounter: Encounter) -> None:
    if not can_watch(user, encounter):
        raise PermissionDenied(_("Solo quien coordina el encuentro ve el panorama de los grupos."))


def remaining_seconds(timer: dict, now: datetime) -> float:
    """Seconds left on a room's timer at ``now`` (negative once it ran out)."""
    remaining = float(timer.get("remaining") or 0)
    if timer.get("running") and timer.get("started_at"):
        remaining -= (now - datetime.fromisoformat(timer["started_at"])).total_seconds()
    return remaining


def late_reasons(timer: dict, planned_end: str | None, now: datetime) -> list[str]:
    """Why a group runs late at ``now`` (empty: on time), by the rule of this module's docstring."""
    reasons = []
    if remaining_seconds(timer, now) <= 0:
        reasons.append("tiempo")
    if planned_end is not None and datetime.fromisoformat(planned_end) < now:
        reasons.append("agenda")
    return reasons


def _initial_state(group: EncounterGroup) -> dict:
    """What an unopened room shows: the first activity, its full time, nobody present."""
    first = group.agenda[0] if group.agenda else None
    seconds = (first.minutes if first else 10) * 60
    return {
        "agenda_index": 0,
        "timer": {"running": False, "started_at": None, "remaining": seconds, "duration": seconds},
        "turn_school_id": first.school_id if first else None,
        "hands": [],
        "online": [],
        "present_school_ids": [],
        "closed_at": None,
    }


def _row_counts(encounter: Encounter) -> dict[int, dict[str, list[int]]]:
    """Per group and row type, ``[count, last id]``: contributions and commitments here, the other
    areas' rows (agreements) through ``overview_counts_requested``."""
    found: dict[int, dict[str, list[int]]] = {}
    for type_, model in (("contribution", Contribution), ("commitment", Commitment)):
        rows = db.session.execute(
            db.select(model.group_id, db.func.count(), db.func.max(model.id))
            .where(model.encounter_id == encounter.id, model.group_id.is_not(None))
            .group_by(model.group_id)
        ).all()
        for group_id, n, last in rows:
            found.setdefault(group_id, {})[type_] = [n, last or 0]
    for _receiver, answer in signals.overview_counts_requested.send(encounter):
        for group_id, per_type in (answer or {}).items():
            for type_, (n, last) in per_type.items():
                found.setdefault(group_id, {})[type_] = [n, last or 0]
    return found


def group_summary(
    group: EncounterGroup,
    state: dict,
    version: int,
    rows: dict[str, list[int]],
    *,
    now: datetime,
    in_session: bool,
) -> dict:
    """One group's card of the overview (``state``: its room's state; ``rows``: ``[count, last id]``
    per row type)."""
    agenda = [
        {"title": item.title, "minutes": item.minutes, "planned_end": events.iso(end)}
        for item, _start, end in encounter_services.agenda_with_times(group)
    ]
    index = state.get("agenda_index") or 0
    current = agenda[index] if 0 <= index < len(agenda) else None
    timer = state.get("timer") or {}
    online = [{"name": p.get("name"), "school_id": p.get("school_id")} for p in state.get("online") or []]
    present = list(state.get("present_school_ids") or [])
    reasons = []
    if in_session and not state.get("closed_at"):
        reasons = late_reasons(timer, current["planned_end"] if current else None, now)
    return {
        "id": group.id,
        "position": group.position,
        "label": group.label,
        "facilitator": group.facilitator.name if group.facilitator else group.facilitator_name,
        "version": version,
        "schools": [{"id": m.school.id, "cct": m.school.cct, "name": m.school.name} for m in group.schools],
        "presence": school_presence(group, online, present),
        "online": online,
        "present_school_ids": present,
        "agenda": agenda,
        "agenda_index": index,
        "timer": timer,
        "turn_school_id": state.get("turn_school_id"),
        "hands_waiting": len(state.get("hands") or []),
        "closed_at": state.get("closed_at"),
        "counts": {type_: n for type_, (n, _last) in rows.items()},
        "last_ids": {type_: last for type_, (_n, last) in rows.items()},
        "late": reasons,
    }


def school_presence(group: EncounterGroup, online: list[dict], present_school_ids: list[int]) -> list[dict]:
    """Each school of the group: ``presente`` (someone connected now), ``salio`` (was there, nobody
    connected now: it dropped) or ``sin_llegar``, with the names connected."""
    result = []
    for member in group.schools:
        people = [p["name"] for p in online if p.get("school_id") == member.school_id]
        if people:
            status = "presente"
        elif member.school_id in present_school_ids:
            status = "salio"
        else:
            status = "sin_llegar"
        result.append({"school_id": member.school_id, "status": status, "people": people})
    return result


def overview(encounter: Encounter, *, actor, now: datetime | None = None) -> dict:
    """The overview's snapshot: every group of the encounter, in order, with the server's time."""
    _require_watcher(actor, encounter)
    now = now or utcnow()
    groups = sorted(encounter.groups, key=lambda g: g.position)
    lives = {
        live.group_id: live
        for live in db.session.execute(
            db.select(LiveSession).where(LiveSession.group_id.in_([g.id for g in groups]))
        ).scalars()
    }
    counts = _row_counts(encounter)
    in_session = encounter.status == "en_curso"
    cards = []
    for group in groups:
        live = lives.get(group.id)
        state = _initial_state(group)
        version = 0
        if live is not None:  # the room's current state and version (app.live.state_store)
            room, current = _room(group, live)
            state.update({k: v for k, v in current.items() if k in state})
            version = room.version
        rows = {"contribution": [0, 0], "commitment": [0, 0], "agreement": [0, 0], **counts.get(group.id, {})}
        cards.append(group_summary(group, state, version, rows, now=now, in_session=in_session))
    sent = [
        live.state.get("announcement") for live in lives.values() if (live.state or {}).get("announcement")
    ]
    return {
        "announcement": max(sent, key=lambda a: a["server_time"]) if sent else None,
        "encounter": {
            "id": encounter.id,
            "title": encounter.title,
            "status": encounter.status,
            "closed_at": events.iso(as_utc(encounter.closed_at)),
        },
        "server_time": events.iso(now),
        "groups": cards,
    }


def summary_update(encounter_id: int, event: dict) -> dict | None:
    """The overview's update for one room event (None for an event without a room version).

    >>> u = summary_update(4, {"type": "hands", "version": 7, "group_id": 2, "server_time": "t",
    ...                        "hands": [{"user_id": 1}], "floor_user_id": None})
    >>> u["type"], u["group_id"], u["version"], u["changes"]
    ('overview_group', 2, 7, {'hands_waiting': 1})
    >>> summary_update(4, {"type": "contribution", "version": 8, "group_id": 2, "server_time": "t",
    ...                    "contribution": {"id": 31, "text": "no se reenvía"}})["changes"]
    {'row': {'type': 'contribution', 'id': 31}}
    """
    type_, version = event.get("type"), event.get("version")
    if not isinstance(version, int) or event.get("group_id") is None:
        return None
    changes: dict = {}
    if type_ in _STATE_FIELDS:
        for key in _STATE_FIELDS[type_]:
            changes[key] = event.get(key)
        if type_ == "presence":
            changes["online"] = [
                {"name": p.get("name"), "school_id": p.get("school_id")} for p in event.get("online") or []
            ]
        if type_ == "hands":
            changes["hands_waiting"] = len(event.get("hands") or [])
    elif isinstance(event.get(type_), dict) and "id" in event[type_]:
        # a row event (contribution, commitment, and any other row a room may publish): its id only
        changes["row"] = {"type": type_, "id": event[type_]["id"]}
    return {
        "type": "overview_group",
        "encounter_id": encounter_id,
        "group_id": event["group_id"],
        "version": version,
        "server_time": event.get("server_time"),
        "changes": changes,
    }


def announce(encounter: Encounter, text, *, actor) -> dict:
    """Send a short message to every group's room of the encounter (shown there as a banner); the
    event reaches the rooms after the commit, to whoever is connected then."""
    _require_watcher(actor, encounter)
    if encounter.status == "borrador":
        raise ValidationError({"text": _("El encuentro aún es un borrador: sus salas no están abiertas.")})
    if encounter.status == "concluido":
        raise ValidationError({"text": _("El encuentro ya concluyó: sus salas son de solo lectura.")})
    message = clean_text(text, "text", ANNOUNCEMENT_MAX, _("Escribe el mensaje para los grupos."))
    event = {
        "type": "announcement",
        "version": None,
        "encounter_id": encounter.id,
        "text": message,
        "author_name": actor.name,
        "server_time": events.iso(utcnow()),
    }
    kept = {key: event[key] for key in ("text", "author_name", "server_time")}
    groups = sorted(encounter.groups, key=lambda g: g.position)
    for group in groups:
        # kept in the room's state (not a change of the room: no version), for whoever opens or
        # reconnects to the room later (latest_announcement)
        live, state = _locked(group)
        state["announcement"] = kept
        live.state = state
        signals.room_event.send(group.id, event={**event, "group_id": group.id})
    db.session.flush()
    return {"announcement": event, "groups": len(groups)}


def latest_announcement(group: EncounterGroup, *, actor) -> dict | None:
    """The last message to all groups kept in the group's room (``text``, ``author_name``,
    ``server_time``), or None: the room shows it on opening and on reconnecting."""
    if not permissions.can_join_room(actor, group):
        raise PermissionDenied(_("No puedes entrar a esta sala."))
    live = db.session.execute(db.select(LiveSession).filter_by(group_id=group.id)).scalar_one_or_none()
    return (live.state or {}).get("announcement") if live is not None else None
