"""The facilitator's and presenter's controls: the agenda timer, presentation turns, slides and
the raised-hand queue. The hot events (slide change) read as little as they can: the presenting
school's deck outline is kept in the state when the turn is given.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import permissions
from app.encounters.models import EncounterGroup
from app.live import events
from app.live.room import (
    MAX_HANDS,
    TIMER_ACTIONS,
    _bound,
    _member_school_id,
    _publish,
    _require,
    _require_writable,
    _room,
)
from app.live.snapshots import _turn_deck, public_state
from app.utils import utcnow
from app.validation import ValidationError


def _remaining(timer: dict, now) -> float:
    if not timer.get("running") or not timer.get("started_at"):
        return float(timer.get("remaining") or 0)
    from datetime import datetime

    started = datetime.fromisoformat(timer["started_at"])
    return float(timer["remaining"]) - (now - started).total_seconds()


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
    _require(permissions.can_facilitate(actor, group), _l("Solo quien facilita controla el tiempo."))
    _require_writable(group)
    if action not in TIMER_ACTIONS:
        raise ValidationError({"action": _("Acción no válida.")})
    live, state = _room(group)
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
        agenda = _bound(group).agenda
        if not 0 <= index < max(len(agenda), 1):
            raise ValidationError({"action": _("No hay más actividades en esa dirección.")})
        item = agenda[index] if agenda else None
        seconds = (item.minutes if item else 10) * 60
        state["agenda_index"] = index
        # *Siguiente* starts the next activity's clock (the facilitator should not have to press
        # two buttons between activities); going back leaves it stopped, to be started on purpose.
        running = action == "next"
        timer = {
            "running": running,
            "started_at": events.iso(now) if running else None,
            "remaining": seconds,
            "duration": seconds,
        }
        if item is not None and item.school_id is not None and item.school_id != state["turn_school_id"]:
            _set_turn(group, state, item.school_id)
            types.append("turn")
    state["timer"] = timer
    _publish(live, group, state, *types)
    return public_state(state)


def give_turn(group: EncounterGroup, school_id: int | None, *, actor) -> dict:
    """The facilitator hands the presentation turn to one of the group's schools (None ends it)."""
    _require(permissions.can_facilitate(actor, group), _l("Solo quien facilita da los turnos."))
    _require_writable(group)
    if school_id is not None:
        try:
            school_id = int(school_id)
        except (TypeError, ValueError):
            school_id = -1
        if school_id not in {m.school_id for m in group.schools}:
            raise ValidationError({"school_id": _("La escuela no está en este grupo.")})
    live, state = _room(group)
    _set_turn(group, state, school_id)
    _publish(live, group, state, "turn")
    return public_state(state)


def can_present(actor, group: EncounterGroup, turn_school_id: int | None) -> bool:
    """Who moves the slides: the presenting school's people, and whoever facilitates."""
    return permissions.can_facilitate(actor, group) or (
        turn_school_id is not None
        and permissions.can_participate(actor, group)
        and getattr(actor, "school_id", None) == turn_school_id
    )


def change_slide(group: EncounterGroup, slide, *, actor) -> dict:
    """The presenter moves to another slide; everyone follows."""
    _require_writable(group)
    live, state = _room(group)
    _require(
        can_present(actor, group, state["turn_school_id"]), _l("Solo quien presenta cambia la diapositiva.")
    )
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
    return public_state(state)


def raise_hand(group: EncounterGroup, *, actor) -> dict:
    """Ask for the floor: join the end of the queue (once)."""
    _require(permissions.can_participate(actor, group), _l("Como observador no puedes pedir la palabra."))
    _require_writable(group)
    live, state = _room(group)
    if not any(h["user_id"] == actor.id for h in state["hands"]):
        if len(state["hands"]) >= MAX_HANDS:
            raise ValidationError({"_": _("La fila para hablar está llena.")})
        state["hands"] = state["hands"] + [
            {
                "user_id": actor.id,
                "name": actor.name,
                "school_id": _member_school_id(actor, group),
                "raised_at": events.iso(utcnow()),
            }
        ]
        _publish(live, group, state, "hands")
    return public_state(state)


def lower_hand(group: EncounterGroup, *, actor, user_id: int | None = None) -> dict:
    """Leave the queue (or, for whoever facilitates, take someone else out of it)."""
    target = actor.id if user_id is None else int(user_id)
    _require(permissions.can_participate(actor, group))
    _require(target == actor.id or permissions.can_facilitate(actor, group))
    live, state = _room(group)
    hands = [h for h in state["hands"] if h["user_id"] != target]
    if hands != state["hands"] or state["floor_user_id"] == target:
        state["hands"] = hands
        if state["floor_user_id"] == target:
            state["floor_user_id"], state["floor"] = None, None
        _publish(live, group, state, "hands")
    return public_state(state)


def _floor_clock(user_id: int | None) -> dict | None:
    """A turn to speak has its own time limit (``LIVE_FLOOR_SECONDS``), counted from when it is given."""
    if user_id is None:
        return None
    return {"started_at": events.iso(utcnow()), "seconds": int(current_app.config["LIVE_FLOOR_SECONDS"])}


def give_floor(group: EncounterGroup, user_id, *, actor) -> dict:
    """The facilitator gives the floor to someone (taking them out of the queue); None clears it."""
    _require(permissions.can_facilitate(actor, group), _l("Solo quien facilita da la palabra."))
    live, state = _room(group)
    if user_id is not None:
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            raise ValidationError({"user_id": _("Persona no válida.")}) from None
        if not any(p["user_id"] == user_id for p in state["online"] + state["hands"]):
            raise ValidationError({"user_id": _("Esa persona no está en la sala.")})
    state["floor_user_id"] = user_id
    state["floor"] = _floor_clock(user_id)
    state["hands"] = [h for h in state["hands"] if h["user_id"] != user_id]
    _publish(live, group, state, "hands")
    return public_state(state)


def clear_hands(group: EncounterGroup, *, actor) -> dict:
    """The facilitator empties the queue and takes the floor back."""
    _require(permissions.can_facilitate(actor, group), _l("Solo quien facilita vacía la fila."))
    live, state = _room(group)
    state["hands"], state["floor_user_id"], state["floor"] = [], None, None
    _publish(live, group, state, "hands")
    return public_state(state)


def send_reminder(group: EncounterGroup, *, actor) -> dict:
    """The facilitator's *volvamos a la problemática* (issue 11): every client shows it for a while
    from ``reminder.at`` (the server's clock)."""
    _require(
        permissions.can_facilitate(actor, group),
        _("Solo quien facilita puede pedir volver a la problemática."),
    )
    _require_writable(group)
    live, state = _room(group)
    state["reminder"] = {"at": events.iso(utcnow()), "by": actor.name}
    _publish(live, group, state, "reminder")
    return public_state(state)
