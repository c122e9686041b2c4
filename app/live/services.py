"""The live room of an encounter group: presence, agenda and countdown, presentation turns and
slides, the raised-hand queue, contributions and commitments.

Every service takes the actor explicitly, checks it with app/permissions.py, flushes (the socket
event or HTTP route commits once) and hands the room's events (built by app.live.events) to the
``app.signals.room_event`` signal; realtime/ connects to it and emits them only after the commit.
This area never imports realtime/: the transport depends on the room, not the other way round. A change of the room bumps ``LiveSession.version`` once per
event; the row is locked and read first in one statement (an UPDATE of itself … RETURNING), so two
processes never hand out one version twice. The hot events (slide change, contribution) read as
little as they can: the presenting school's deck outline is kept in the state when the turn is given.
"""
from __future__ import annotations

from flask_babel import get_locale, gettext as _
import copy
import time
from datetime import timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import bindparam, text, update
from sqlalchemy.exc import IntegrityError

from app import permissions, signals
from app.encounters import services as encounter_services
from app.encounters.deck import deck_slides
from app.encounters.models import Attendance, Encounter, EncounterGroup, Presentation
from app.extensions import db
from app.live.models import CONTRIBUTION_KINDS, Contribution, LiveSession
from app.commitments import services as commitment_services
from app.commitments.models import Commitment
from app.problems.models import Problem
from app.catalogue.models import School
from app.utils import as_utc, utcnow
from app.validation import PermissionDenied, ValidationError
from app.live import events

CONTRIBUTION_TEXT_MAX = 2000
HIDDEN_REASON_MAX = 300
CLIENT_ID_MAX = 64
MAX_HANDS = 200
TIMER_ACTIONS = ("start", "pause", "extend", "next", "previous")
WILL_TRY_KINDS = ("propuesta", "recurso")


# --- loading -----------------------------------------------------------------------------------

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
        "online": [],
        "present_school_ids": [],
        "connections": {},
    }


STATE_KEYS = frozenset({"agenda_index", "timer", "turn_school_id", "slide", "problem_id", "hands",
                        "floor_user_id", "online", "present_school_ids", "connections"})


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
        return db.session.execute(stmt.returning(LiveSession), execution_options={
            **options, "populate_existing": True}).scalar_one_or_none()
    db.session.execute(stmt, execution_options=options)
    return db.session.execute(
        db.select(LiveSession).filter_by(group_id=group_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()


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
    builder = events.contribution_event if type_ == "contribution" else events.commitment_event
    signals.room_event.send(group.id, event=builder(live.version, group.id, row))
    db.session.flush()


def _require(condition: bool, message: str | None = None) -> None:
    if not condition:
        raise PermissionDenied(message or _("No tienes permiso para hacer esto en la sala."))


def _require_open(group: EncounterGroup) -> None:
    if group.encounter.status == "borrador":
        raise ValidationError({"_": _("El encuentro aún es un borrador.")})


# --- serialising -------------------------------------------------------------------------------

_UNSET = object()
#: Decks built for snapshots: (encounter, school, presentation id and update time, language) ->
#: (built at, deck, its problems). A room's joins (20 people within seconds, or a whole process's
#: clients reconnecting elsewhere) then build each school's deck once, not once per person: the deck
#: was half of a join's CPU. A changed presentation is a new key at once; an edited problem title or
#: practice shows in later snapshots within ``LIVE_DECK_CACHE_SECONDS``.
_DECKS: dict[tuple, tuple[float, dict, list[dict]]] = {}
_DECKS_MAX = 2000


def _pdf_url(encounter: Encounter, school: School) -> str:
    if has_request_context():
        return url_for("encounters.presentation_pdf", encounter_id=encounter.id, cct=school.cct)
    return f"/encuentros/{encounter.id}/escuelas/{school.cct}/presentacion.pdf"


def school_deck(encounter: Encounter, school: School, presentation: Presentation | None = _UNSET) -> dict:
    """What the school shows in its turn: generated slides, or its PDF (rendered page by page)."""
    if presentation is _UNSET:
        presentation = encounter_services.get_presentation(encounter, school)
    if presentation is not None and presentation.kind == "pdf" and presentation.pdf_stored_name:
        pages = presentation.pdf_pages or 1
        first_problem = (presentation.problem_ids or [None])[0]
        return {"kind": "pdf", "pdf_url": _pdf_url(encounter, school), "count": pages,
                "slides": [{"kind": "pdf", "title": _('Página %(n)s', n=n), "subtitle": None, "bullets": [],
                            "problem_id": first_problem} for n in range(1, pages + 1)]}
    if presentation is None:  # nothing prepared yet: a cover only (not stored)
        presentation = Presentation(school_id=school.id, encounter_id=encounter.id, problem_ids=[],
                                    kind="generada", is_ready=False)
        presentation.school, presentation.encounter = school, encounter
    slides = [{"kind": s.get("kind"), "title": s.get("title"), "subtitle": s.get("subtitle"),
               "bullets": list(s.get("bullets") or []), "problem_id": s.get("problem_id")}
              for s in deck_slides(presentation)]
    return {"kind": "generada", "pdf_url": None, "count": len(slides), "slides": slides}


def contribution_dict(c: Contribution) -> dict:
    """A contribution as the room shows it (a hidden one without its text)."""
    return {
        "id": c.id, "client_id": c.client_id, "kind": c.kind, "kind_label": c.kind_label,
        "text": None if c.is_hidden else c.text, "is_hidden": bool(c.is_hidden),
        "hidden_reason": c.hidden_reason if c.is_hidden else None, "will_try": bool(c.will_try),
        "problem_id": c.problem_id, "presenting_school_id": c.presenting_school_id,
        "author_id": c.author_id, "author_name": c.author.name if c.author else None,
        "author_school_id": c.author_school_id,
        "created_at": events.iso(as_utc(c.created_at)), "edited_at": events.iso(as_utc(c.edited_at)),
    }


def commitment_dict(c: Commitment) -> dict:
    """A commitment as the room shows it."""
    return {
        "id": c.id, "client_id": c.client_id, "school_id": c.school_id,
        "school_cct": c.school.cct, "school_name": c.school.name, "action": c.action,
        "classroom": c.classroom, "responsible": c.responsible,
        "due_date": c.due_date.isoformat() if c.due_date else None, "follow_up": c.follow_up,
        "needs_external_advice": bool(c.needs_external_advice), "problem_id": c.problem_id,
    }


def public_state(state: dict) -> dict:
    """The part of the room's state everyone sees (connection counts stay on the server)."""
    keys = {k for keys in events.STATE_EVENTS.values() for k in keys} | {"problem_id"}
    return {k: copy.deepcopy(state.get(k)) for k in sorted(keys)}


def room_contributions(group: EncounterGroup) -> list[Contribution]:
    """The group's contributions, oldest first."""
    return list(db.session.execute(
        db.select(Contribution).filter_by(group_id=group.id).order_by(Contribution.id)).scalars())


def room_commitments(group: EncounterGroup) -> list[Commitment]:
    """The commitments recorded for the group's schools in this encounter, oldest first."""
    return list(db.session.execute(
        db.select(Commitment).filter_by(encounter_id=group.encounter_id, group_id=group.id)
        .order_by(Commitment.id)).scalars())


def clear_deck_cache() -> None:
    """Forget every deck kept for snapshots (tests that reuse ids; an operator after a data fix)."""
    _DECKS.clear()


def _snapshot_deck(encounter: Encounter, school: School) -> tuple[dict, list[dict]]:
    """A school's deck and the problems its slides show, from ``_DECKS`` while fresh (copies: the
    caller may change them)."""
    presentation = encounter_services.get_presentation(encounter, school)
    key = (encounter.id, school.id, presentation.id if presentation else None,
           presentation.updated_at if presentation else None, str(get_locale()))
    ttl = current_app.config["LIVE_DECK_CACHE_SECONDS"]
    now = time.monotonic()
    hit = _DECKS.get(key)
    if hit is None or now - hit[0] > ttl:
        deck = school_deck(encounter, school, presentation)
        ids = {s["problem_id"] for s in deck["slides"] if s.get("problem_id")}
        problems = [{"id": p.id, "title": p.title, "school_id": p.school_id} for p in db.session.execute(
            db.select(Problem).where(Problem.id.in_(ids)).order_by(Problem.id)).scalars()]
        if len(_DECKS) >= _DECKS_MAX:
            _DECKS.clear()
        hit = _DECKS[key] = (now, deck, problems)
    return copy.deepcopy(hit[1]), copy.deepcopy(hit[2])


def snapshot(group: EncounterGroup, *, actor, live: LiveSession | None = None) -> dict:
    """Everything a client needs to draw the room, with its version (``me`` is the actor's part;
    ``live``: the session row already read in this transaction, to save reading it again)."""
    _require(permissions.can_join_room(actor, group))
    live = live if live is not None else get_live_session(group)
    state = _full_state(live, group)
    encounter = group.encounter
    schools, problems = [], {}
    for member in group.schools:
        school = member.school
        deck, deck_problems = _snapshot_deck(encounter, school)
        schools.append({"id": school.id, "cct": school.cct, "name": school.name,
                        "is_host": school.id == group.host_school_id, "deck": deck})
        problems.update((p["id"], p) for p in deck_problems)
    return {
        "version": live.version,
        "server_time": events.iso(utcnow()),
        "group": {"id": group.id, "position": group.position, "label": group.label,
                  "facilitator": group.facilitator.name if group.facilitator else group.facilitator_name},
        "encounter": {"id": encounter.id, "title": encounter.title, "status": encounter.status},
        "schools": schools,
        "problems": sorted(problems.values(), key=lambda p: p["id"]),
        "agenda": [{"id": i.id, "position": i.position, "activity": i.activity, "title": i.title,
                    "minutes": i.minutes, "school_id": i.school_id} for i in group.agenda],
        "kinds": {k: str(v) for k, v in CONTRIBUTION_KINDS.items()},
        "edit_minutes": edit_minutes(),
        "limits": {"text": CONTRIBUTION_TEXT_MAX, "reason": HIDDEN_REASON_MAX},
        "state": public_state(state),
        "contributions": [contribution_dict(c) for c in room_contributions(group)],
        "commitments": [commitment_dict(c) for c in room_commitments(group)],
        "me": {"user_id": actor.id, "name": actor.name, "school_id": getattr(actor, "school_id", None),
               "can_participate": permissions.can_participate(actor, group),
               "can_facilitate": permissions.can_facilitate(actor, group)},
    }


# --- presence ----------------------------------------------------------------------------------

def _member_school_id(actor, group: EncounterGroup) -> int | None:
    school_id = getattr(actor, "school_id", None)
    return school_id if school_id in {m.school_id for m in group.schools} else None


def _record_attendance_from_room(group: EncounterGroup, school_id: int, actor) -> None:
    """The first presence of a school in a running session registers its attendance (sala)."""
    encounter = group.encounter
    if encounter.status != "en_curso":
        return
    exists = db.session.execute(
        db.select(Attendance.id).filter_by(encounter_id=encounter.id, school_id=school_id)
    ).first()
    if exists is not None:
        return
    school = db.session.get(School, school_id)
    try:
        with db.session.begin_nested():
            encounter_services.record_attendance(encounter, school, "presente", actor=actor, source="sala")
    except (PermissionDenied, ValidationError, IntegrityError):
        pass  # attendance is the host's to record then; presence is still shown


def join(group: EncounterGroup, *, actor) -> dict:
    """A person opens the room: counts their connection, records presence (and the school's
    attendance from the room on its first presence), and returns the snapshot."""
    _require(permissions.can_join_room(actor, group), _("No puedes entrar a esta sala."))
    live, state = _locked(group)
    connections = state["connections"]
    key = str(actor.id)
    connections[key] = connections.get(key, 0) + 1
    school_id = _member_school_id(actor, group)
    changed = False
    if not any(p["user_id"] == actor.id for p in state["online"]):
        state["online"] = sorted(
            state["online"] + [{"user_id": actor.id, "name": actor.name, "school_id": school_id}],
            key=lambda p: p["user_id"])
        changed = True
    if school_id is not None:
        _record_attendance_from_room(group, school_id, actor)  # before changing ``live``: one UPDATE
        if school_id not in state["present_school_ids"]:
            state["present_school_ids"] = sorted(state["present_school_ids"] + [school_id])
            live.present_school_ids = list(state["present_school_ids"])
            changed = True
    if live.started_at is None:
        live.started_at = utcnow()
    if changed:
        _publish(live, group, state, "presence")
    else:
        live.state = state
        db.session.flush()
    return snapshot(group, actor=actor, live=live)


def leave(group: EncounterGroup, *, actor_id: int) -> None:
    """A connection closes: the person leaves the list of who is online with their last one."""
    live, state = _locked(group)
    key = str(actor_id)
    remaining = state["connections"].get(key, 0) - 1
    if remaining > 0:
        state["connections"][key] = remaining
        live.state = state
        db.session.flush()
        return
    state["connections"].pop(key, None)
    state["online"] = [p for p in state["online"] if p["user_id"] != actor_id]
    _publish(live, group, state, "presence")


# --- agenda, countdown, turns, slides ----------------------------------------------------------

def _remaining(timer: dict, now) -> float:
    if not timer.get("running") or not timer.get("started_at"):
        return float(timer.get("remaining") or 0)
    from datetime import datetime

    started = datetime.fromisoformat(timer["started_at"])
    return float(timer["remaining"]) - (now - started).total_seconds()


def _deck_outline(group: EncounterGroup, school_id: int) -> dict:
    """What the hot events need of a school's deck (its slide count and each slide's problem id),
    kept in the room's state as ``deck`` when the turn is given, so a slide change reads nothing."""
    deck = school_deck(group.encounter, db.session.get(School, school_id))
    return {"school_id": school_id, "problems": [s.get("problem_id") for s in deck["slides"]]}


def _turn_deck(group: EncounterGroup, state: dict, *, fresh: bool = False) -> dict:
    """The presenting school's deck outline: the one kept in ``state``, or built (and kept) anew."""
    outline = state.get("deck")
    if fresh or not outline or outline.get("school_id") != state["turn_school_id"]:
        outline = state["deck"] = _deck_outline(group, state["turn_school_id"])
    return outline


def _set_turn(group: EncounterGroup, state: dict, school_id: int | None) -> None:
    state["turn_school_id"] = school_id
    state["slide"] = 0
    state["problem_id"] = None
    state.pop("deck", None)
    if school_id is not None:
        # the first slide's problem, or else the deck's first one
        state["problem_id"] = next((p for p in _turn_deck(group, state)["problems"] if p), None)


def control_timer(group: EncounterGroup, action: str, *, actor, minutes: int | None = None) -> dict:
    """The facilitator runs the agenda: start, pause, extend (by ``minutes``), next, previous."""
    _require(permissions.can_facilitate(actor, group), _("Solo quien facilita controla el tiempo."))
    _require_open(group)
    if action not in TIMER_ACTIONS:
        raise ValidationError({"action": _("Acción no válida.")})
    live, state = _locked(group)
    timer = dict(state["timer"])
    now = utcnow()
    types = ["timer"]
    if action == "start":
        if not timer["running"]:
            timer.update(running=True, started_at=events.iso(now))
    elif action == "pause":
        if timer["running"]:
            timer.update(running=False, started_at=None, remaining=round(_remaining(timer, now), 3))
    elif action == "extend":
        try:
            extra = int(minutes if minutes is not None else 5)
        except (TypeError, ValueError):
            raise ValidationError({"minutes": _("Escribe los minutos como número.")}) from None
        if not 1 <= extra <= 60:
            raise ValidationError({"minutes": _("Entre 1 y 60 minutos.")})
        timer["remaining"] = round(float(timer["remaining"]) + extra * 60, 3)
        timer["duration"] = int(timer["duration"]) + extra * 60
    else:
        step = 1 if action == "next" else -1
        index = state["agenda_index"] + step
        if not 0 <= index < max(len(group.agenda), 1):
            raise ValidationError({"action": _("No hay más actividades en esa dirección.")})
        item = group.agenda[index] if group.agenda else None
        seconds = (item.minutes if item else 10) * 60
        state["agenda_index"] = index
        timer = {"running": False, "started_at": None, "remaining": seconds, "duration": seconds}
        if item is not None and item.school_id is not None and item.school_id != state["turn_school_id"]:
            _set_turn(group, state, item.school_id)
            types.append("turn")
    state["timer"] = timer
    _publish(live, group, state, *types)
    return public_state(state)


def give_turn(group: EncounterGroup, school_id: int | None, *, actor) -> dict:
    """The facilitator hands the presentation turn to one of the group's schools (None ends it)."""
    _require(permissions.can_facilitate(actor, group), _("Solo quien facilita da los turnos."))
    _require_open(group)
    if school_id is not None:
        try:
            school_id = int(school_id)
        except (TypeError, ValueError):
            school_id = -1
        if school_id not in {m.school_id for m in group.schools}:
            raise ValidationError({"school_id": _("La escuela no está en este grupo.")})
    live, state = _locked(group)
    _set_turn(group, state, school_id)
    _publish(live, group, state, "turn")
    return public_state(state)


def can_present(actor, group: EncounterGroup, turn_school_id: int | None) -> bool:
    """Who moves the slides: the presenting school's people, and whoever facilitates."""
    return permissions.can_facilitate(actor, group) or (
        turn_school_id is not None and permissions.can_participate(actor, group)
        and getattr(actor, "school_id", None) == turn_school_id)


def change_slide(group: EncounterGroup, slide, *, actor) -> dict:
    """The presenter moves to another slide; everyone follows."""
    _require_open(group)
    live, state = _locked(group)
    _require(can_present(actor, group, state["turn_school_id"]), _("Solo quien presenta cambia la diapositiva."))
    if state["turn_school_id"] is None:
        raise ValidationError({"slide": _("Nadie tiene el turno.")})
    try:
        slide = int(slide)
    except (TypeError, ValueError):
        raise ValidationError({"slide": _("Diapositiva no válida.")}) from None
    problems = _turn_deck(group, state)["problems"]
    if not 0 <= slide < len(problems):  # the deck may have grown since the turn was given
        problems = _turn_deck(group, state, fresh=True)["problems"]
    if not 0 <= slide < len(problems):
        raise ValidationError({"slide": _("Esa diapositiva no existe.")})
    if slide != state["slide"]:
        state["slide"] = slide
        found = problems[slide]
        if found:
            state["problem_id"] = found
        _publish(live, group, state, "slide")
    else:
        live.state = state
    return public_state(state)


# --- the raised-hand queue ---------------------------------------------------------------------

def raise_hand(group: EncounterGroup, *, actor) -> dict:
    """Ask for the floor: join the end of the queue (once)."""
    _require(permissions.can_participate(actor, group), _("Como observador no puedes pedir la palabra."))
    _require_open(group)
    live, state = _locked(group)
    if not any(h["user_id"] == actor.id for h in state["hands"]):
        if len(state["hands"]) >= MAX_HANDS:
            raise ValidationError({"_": _("La fila para hablar está llena.")})
        state["hands"] = state["hands"] + [{"user_id": actor.id, "name": actor.name,
                                            "school_id": _member_school_id(actor, group),
                                            "raised_at": events.iso(utcnow())}]
        _publish(live, group, state, "hands")
    return public_state(state)


def lower_hand(group: EncounterGroup, *, actor, user_id: int | None = None) -> dict:
    """Leave the queue (or, for whoever facilitates, take someone else out of it)."""
    target = actor.id if user_id is None else int(user_id)
    _require(permissions.can_participate(actor, group))
    _require(target == actor.id or permissions.can_facilitate(actor, group))
    live, state = _locked(group)
    hands = [h for h in state["hands"] if h["user_id"] != target]
    if hands != state["hands"] or state["floor_user_id"] == target:
        state["hands"] = hands
        if state["floor_user_id"] == target:
            state["floor_user_id"] = None
        _publish(live, group, state, "hands")
    return public_state(state)


def give_floor(group: EncounterGroup, user_id, *, actor) -> dict:
    """The facilitator gives the floor to someone (taking them out of the queue); None clears it."""
    _require(permissions.can_facilitate(actor, group), _("Solo quien facilita da la palabra."))
    live, state = _locked(group)
    if user_id is not None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            raise ValidationError({"user_id": _("Persona no válida.")}) from None
        if not any(p["user_id"] == user_id for p in state["online"] + state["hands"]):
            raise ValidationError({"user_id": _("Esa persona no está en la sala.")})
    state["floor_user_id"] = user_id
    state["hands"] = [h for h in state["hands"] if h["user_id"] != user_id]
    _publish(live, group, state, "hands")
    return public_state(state)


def clear_hands(group: EncounterGroup, *, actor) -> dict:
    """The facilitator empties the queue and takes the floor back."""
    _require(permissions.can_facilitate(actor, group), _("Solo quien facilita vacía la fila."))
    live, state = _locked(group)
    state["hands"], state["floor_user_id"] = [], None
    _publish(live, group, state, "hands")
    return public_state(state)


# --- contributions -----------------------------------------------------------------------------

def edit_minutes() -> int:
    """How long an author may edit a contribution (CONTRIBUTION_EDIT_MINUTES, default 5)."""
    return current_app.config["CONTRIBUTION_EDIT_MINUTES"]


def check_client_id(client_id) -> str:
    """A client-made id (crypto.randomUUID): required for live writes, at most 64 characters."""
    client_id = str(client_id or "").strip()
    if not client_id:
        raise ValidationError({"client_id": _("Falta el identificador del envío.")})
    if len(client_id) > CLIENT_ID_MAX:
        raise ValidationError({"client_id": _('El identificador admite máximo %(CLIENT_ID_MAX)s caracteres.', CLIENT_ID_MAX=CLIENT_ID_MAX)})
    return client_id


def _clean_text(value, field: str, limit: int, empty: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: empty})
    if len(text) > limit:
        raise ValidationError({field: _('Admite máximo %(limit)s caracteres.', limit=limit)})
    return text


def _group_problem_ids(group: EncounterGroup) -> set[int]:
    school_ids = [m.school_id for m in group.schools]
    return set(db.session.execute(db.select(Problem.id).where(Problem.school_id.in_(school_ids))).scalars())


_NO_UPSERT = object()
_UPSERTS: dict[str, object] = {}


def _upsert_statement(model):
    """``INSERT … ON CONFLICT (client_id) DO NOTHING RETURNING *`` for ``model``, as ORM-mapped text.

    Written as text once per table, because the dialects' ``insert().on_conflict_do_nothing()``
    is not cacheable in SQLAlchemy 2.0 (``inherit_cache = False``) and was compiled again on every
    contribution (a fifth of the event's CPU under load); a text statement is compiled once.
    PostgreSQL and SQLite (3.35+) both accept this form.
    """
    table = model.__table__
    if table.name not in _UPSERTS:
        columns = [c for c in table.columns if c.name != "id"]
        sql = (f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
               f"VALUES ({', '.join(':' + c.name for c in columns)}) "
               f"ON CONFLICT (client_id) DO NOTHING RETURNING {', '.join(c.name for c in table.columns)}")
        typed = text(sql).bindparams(*(bindparam(c.name, type_=c.type) for c in columns))
        _UPSERTS[table.name] = db.select(model).from_statement(typed.columns(*table.columns))
    return _UPSERTS[table.name]


def _column_defaults(model, values: dict) -> dict:
    """``values`` plus each missing column's Python-side default (None when it has none)."""
    full = dict(values)
    for column in model.__table__.columns:
        if column.name == "id" or column.name in full:
            continue
        default = column.default
        if default is None:
            full[column.name] = None
        else:
            full[column.name] = default.arg(None) if default.is_callable else default.arg
    return full


def _insert_unless_taken(model, values: dict):
    """Insert unless the client_id is already stored, in one statement and no savepoint: the new
    row, or None when it was taken; ``_NO_UPSERT`` on databases without ``ON CONFLICT``."""
    if db.session.get_bind().dialect.name not in ("postgresql", "sqlite"):  # pragma: no cover
        return _NO_UPSERT
    return db.session.execute(_upsert_statement(model), _column_defaults(model, values)).scalar_one_or_none()


def add_contribution(group: EncounterGroup, data: dict, *, actor, client_id) -> tuple[Contribution, bool]:
    """Add a typed contribution about the problem being presented; a retry with the same client_id
    returns the stored row (and ``False``: nothing new to publish)."""
    _require(permissions.can_participate(actor, group), _("Como observador no puedes aportar."))
    _require_open(group)
    client_id = check_client_id(client_id)
    kind = str(data.get("kind") or "")
    errors = {}
    if kind not in CONTRIBUTION_KINDS:
        errors["kind"] = _("Elige el tipo de aportación.")
    try:
        text = _clean_text(data.get("text"), "text", CONTRIBUTION_TEXT_MAX, _("Escribe tu aportación."))
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    live, state = _locked(group)
    # The problem on screen (set by the server from the presenting school's deck) needs no check;
    # another one the client names must be a problem of a school of the group.
    problem_id = data.get("problem_id")
    bad_problem = False
    if problem_id is None:
        problem_id = state.get("problem_id")
    else:
        try:
            problem_id = int(problem_id)
        except (TypeError, ValueError):
            problem_id = -1
        bad_problem = problem_id != state.get("problem_id") and problem_id not in _group_problem_ids(group)
    values = dict(
        client_id=client_id, encounter_id=group.encounter_id, group_id=group.id, problem_id=problem_id,
        presenting_school_id=state.get("turn_school_id"), author_id=actor.id,
        author_school_id=_member_school_id(actor, group), kind=kind, text=text,
    )
    inserted = _NO_UPSERT if bad_problem else _insert_unless_taken(Contribution, values)
    if inserted is not None and inserted is not _NO_UPSERT:
        _publish_row(live, group, "contribution", contribution_dict(inserted))
        return inserted, True
    existing = db.session.execute(db.select(Contribution).filter_by(client_id=client_id)).scalar_one_or_none()
    if existing is not None:  # a retry: the stored row, nothing new to publish
        if existing.group_id != group.id or existing.author_id != actor.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otra aportación.")})
        return existing, False
    if bad_problem:
        raise ValidationError({"problem_id": _("La problemática no es de una escuela del grupo.")})
    contribution = Contribution(**values)
    try:
        with db.session.begin_nested():
            db.session.add(contribution)
    except IntegrityError:  # a retry on another process stored it first
        existing = db.session.execute(db.select(Contribution).filter_by(client_id=client_id)).scalar_one()
        return existing, False
    _publish_row(live, group, "contribution", contribution_dict(contribution))
    return contribution, True


def _contribution_in(group: EncounterGroup, contribution_id) -> Contribution:
    try:
        contribution = db.session.get(Contribution, int(contribution_id))
    except (TypeError, ValueError):
        contribution = None
    if contribution is None or contribution.group_id != group.id:
        raise ValidationError({"contribution_id": _("La aportación no existe en esta sala.")})
    return contribution


def can_edit_contribution(actor, contribution: Contribution, now=None) -> bool:
    """Its author, for CONTRIBUTION_EDIT_MINUTES after writing it, while it is not hidden."""
    now = now or utcnow()
    return (getattr(actor, "id", None) == contribution.author_id and not contribution.is_hidden
            and as_utc(contribution.created_at) + timedelta(minutes=edit_minutes()) >= now)


def edit_contribution(group: EncounterGroup, contribution_id, data: dict, *, actor) -> Contribution:
    """The author corrects a contribution within the edit window."""
    _require(permissions.can_participate(actor, group))
    contribution = _contribution_in(group, contribution_id)
    _require(can_edit_contribution(actor, contribution),
             _("Solo su autor puede editarla, durante %(minutes)s minutos.", minutes=edit_minutes()))
    text = _clean_text(data.get("text"), "text", CONTRIBUTION_TEXT_MAX, _("Escribe tu aportación."))
    kind = str(data.get("kind") or contribution.kind)
    if kind not in CONTRIBUTION_KINDS:
        raise ValidationError({"kind": _("Elige el tipo de aportación.")})
    live, _unused = _locked(group)
    contribution.text, contribution.kind, contribution.edited_at = text, kind, utcnow()
    db.session.flush()
    _publish_row(live, group, "contribution", contribution_dict(contribution))
    return contribution


def hide_contribution(group: EncounterGroup, contribution_id, reason, *, actor) -> Contribution:
    """Whoever facilitates hides a contribution, with a reason everyone sees."""
    _require(permissions.can_facilitate(actor, group), _("Solo quien facilita puede ocultar aportaciones."))
    contribution = _contribution_in(group, contribution_id)
    reason = _clean_text(reason, "reason", HIDDEN_REASON_MAX, _("Escribe el motivo."))
    live, _unused = _locked(group)
    contribution.is_hidden, contribution.hidden_reason = True, reason
    db.session.flush()
    _publish_row(live, group, "contribution", contribution_dict(contribution))
    return contribution


def can_mark_will_try(actor, group: EncounterGroup, contribution: Contribution) -> bool:
    """The group decides what to try: whoever facilitates, or the presenting school's people."""
    return permissions.can_facilitate(actor, group) or (
        permissions.can_participate(actor, group) and contribution.presenting_school_id is not None
        and getattr(actor, "school_id", None) == contribution.presenting_school_id)


def set_will_try(group: EncounterGroup, contribution_id, value: bool, *, actor) -> Contribution:
    """Mark (or unmark) a proposal or a recommended practice as *la probaremos*."""
    contribution = _contribution_in(group, contribution_id)
    _require(can_mark_will_try(actor, group, contribution), _("No puedes decidir qué se probará."))
    if contribution.kind not in WILL_TRY_KINDS:
        raise ValidationError({"kind": _("Solo las propuestas y las prácticas recomendadas se prueban.")})
    live, _unused = _locked(group)
    contribution.will_try = bool(value)
    db.session.flush()
    _publish_row(live, group, "contribution", contribution_dict(contribution))
    return contribution


# --- commitments -------------------------------------------------------------------------------

def add_commitment(group: EncounterGroup, data: dict, *, actor, client_id) -> tuple[Commitment, bool]:
    """Record a school's commitment from the room through the logbook (idempotent on client_id);
    ``True`` when it is new and was published."""
    _require(permissions.can_participate(actor, group), _("Como observador no puedes registrar compromisos."))
    client_id = check_client_id(client_id)
    raw_school = data.get("school_id") or _member_school_id(actor, group)
    try:
        school_id = int(raw_school)
    except (TypeError, ValueError):
        school_id = -1
    if school_id not in {m.school_id for m in group.schools}:
        raise ValidationError({"school_id": _("Elige una escuela del grupo.")})
    school = db.session.get(School, school_id)
    live, _unused = _locked(group)
    existing = db.session.execute(db.select(Commitment).filter_by(client_id=client_id)).scalar_one_or_none()
    if existing is not None:
        if existing.group_id != group.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otro compromiso.")})
        return existing, False
    try:
        commitment = commitment_services.record_commitment(group.encounter, school, data, actor=actor,
                                                        client_id=client_id)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc) or _("No puedes registrar compromisos de esa escuela.")) from None
    _publish_row(live, group, "commitment", commitment_dict(commitment))
    return commitment, True
