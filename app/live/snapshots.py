"""What a person gets on joining the room: the presenting schools' decks (cached a few seconds per
process), contributions and commitments as the room shows them, the snapshot (kept per room until
its next row event); joining and leaving. Long on purpose: the snapshot, the caches that serve it and
the joins that return it change together.

The snapshot carries the latest ``LIVE_SNAPSHOT_CONTRIBUTIONS`` contributions and a cursor
(``contributions_before``: the id below which older ones exist, or None); ``older_contributions``
gives them page by page. A flooded room's snapshot had grown to 2.1 MB, sent on every join and
resync (issue 16); now it is bounded whatever the room holds.
"""

from __future__ import annotations

import threading
import time
from functools import partial

from flask import current_app, has_request_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app import permissions, signals
from app.catalogue.models import School
from app.commitments.models import Commitment
from app.encounters import services as encounter_services
from app.encounters.deck import deck_slides
from app.encounters.models import Encounter, EncounterGroup, Presentation
from app.extensions import db
from app.live import events, jsontext
from app.live.models import CONTRIBUTION_KINDS, Contribution, LiveSession
from app.live.resources import clear_cache as clear_resources_cache
from app.live.resources import snapshot_resources
from app.live.review_rows import commitment_core, previous_rows
from app.live.room import (
    CONTRIBUTION_TEXT_MAX,
    HIDDEN_REASON_MAX,
    _bound,
    _changing,
    _copy,
    _member_school_id,
    _publish,
    _reading,
    _require,
    _room,
    _rows_version,
    _save,
    edit_minutes,
    get_live_session,
)
from app.problems.models import Problem, ProblemCategory
from app.transactions import on_commit, on_rollback
from app.utils import as_utc, utcnow
from app.validation import ValidationError, parse_id

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


def school_deck(
    encounter: Encounter,
    school: School,
    presentation: Presentation | None = _UNSET,
    *,
    problems: list[Problem] | None = None,
) -> dict:
    """What the school shows in its turn: generated slides, or its PDF (rendered page by page)
    (``problems``: the school's, read already with their categories)."""
    if presentation is _UNSET:
        presentation = encounter_services.get_presentation(encounter, school)
    if presentation is not None and presentation.kind == "pdf" and presentation.pdf_stored_name:
        pages = presentation.pdf_pages or 1
        first_problem = (presentation.problem_ids or [None])[0]
        # Each page's text, extracted at upload, for text-only mode (None: stored before extraction).
        texts = presentation.pdf_text if presentation.pdf_text is not None else [None] * pages
        return {
            "kind": "pdf",
            "pdf_url": _pdf_url(encounter, school),
            "count": pages,
            "slides": [
                {
                    "kind": "pdf",
                    "title": _("Página %(n)s", n=n),
                    "subtitle": None,
                    "bullets": [],
                    "problem_id": first_problem,
                    "text": texts[n - 1] if n - 1 < len(texts) else None,
                }
                for n in range(1, pages + 1)
            ],
        }
    if presentation is None:  # nothing prepared yet: a cover only (not stored)
        presentation = Presentation(
            school_id=school.id, encounter_id=encounter.id, problem_ids=[], kind="generada", is_ready=False
        )
        presentation.school, presentation.encounter = school, encounter
    slides = [
        {
            "kind": s.get("kind"),
            "title": s.get("title"),
            "subtitle": s.get("subtitle"),
            "bullets": list(s.get("bullets") or []),
            "problem_id": s.get("problem_id"),
        }
        for s in deck_slides(presentation, problems=problems)
    ]
    return {"kind": "generada", "pdf_url": None, "count": len(slides), "slides": slides}


def agenda_outline(group: EncounterGroup) -> list:
    """The agenda as contributions need it (``[activity, school_id]`` per item, in order; see
    writes.current_activity): from the group as realtime.access keeps it, agenda loaded (no
    statement; every process drops it when the agenda changes), else read."""
    return [[item.activity, item.school_id] for item in _reading(group, "agenda").agenda]


def contribution_dict(c: Contribution, *, author=None) -> dict:
    """A contribution as the room shows it (a hidden one without its text); ``author``: its author
    when the caller holds it (the person writing, as kept: not read again)."""
    author = author if author is not None else c.author
    return {
        "id": c.id,
        "client_id": c.client_id,
        "kind": c.kind,
        "kind_label": c.kind_label,
        "text": None if c.is_hidden else c.text,
        "is_hidden": bool(c.is_hidden),
        "hidden_reason": c.hidden_reason if c.is_hidden else None,
        "will_try": bool(c.will_try),
        "problem_id": c.problem_id,
        "activity": c.activity,
        "presenting_school_id": c.presenting_school_id,
        "author_id": c.author_id,
        "author_name": author.name if author else None,
        "author_school_id": c.author_school_id,
        "created_at": events.iso(as_utc(c.created_at)),
        "edited_at": events.iso(as_utc(c.edited_at)),
        "typed_at": events.iso(as_utc(c.typed_at)),
        "after_close": bool(c.after_close),
    }


def commitment_dict(c: Commitment) -> dict:
    """A commitment as the room shows it."""
    return {
        **commitment_core(c),
        "client_id": c.client_id,
        "school_cct": c.school.cct,
        "needs_external_advice": bool(c.needs_external_advice),
        "typed_at": events.iso(as_utc(c.typed_at)),
        "created_at": events.iso(as_utc(c.created_at)),
        "after_close": bool(c.after_close),
        "created_by_id": c.created_by_id,  # its author may edit it until the close
        "edited_at": events.iso(as_utc(c.edited_at)),
    }


#: The state's keys everyone sees (connection counts stay on the server), in a fixed order.
PUBLIC_KEYS = tuple(sorted({k for keys in events.STATE_EVENTS.values() for k in keys} | {"problem_id"}))


def public_state(state: dict) -> dict:
    """A copy of the part of the room's state everyone sees, made once per event (a JSON round
    trip: ~27 µs for a room of 20, ``copy.deepcopy`` per key ~35 µs; this runs on every event)."""
    return _copy({k: state.get(k) for k in PUBLIC_KEYS})


def room_contributions(group: EncounterGroup) -> list[Contribution]:
    """The group's contributions, oldest first."""
    return list(
        db.session.execute(
            db.select(Contribution).filter_by(group_id=group.id).order_by(Contribution.id)
        ).scalars()
    )


def contribution_page(
    group: EncounterGroup, before: int | None = None, size: int | None = None
) -> tuple[list[Contribution], int | None]:
    """Up to ``size`` (``LIVE_SNAPSHOT_CONTRIBUTIONS``) of the group's contributions older than id
    ``before`` (None: the latest), oldest first, and the cursor of the next older page (None when
    there is none)."""
    size = size or current_app.config["LIVE_SNAPSHOT_CONTRIBUTIONS"]
    query = db.select(Contribution).filter_by(group_id=group.id)
    if before is not None:
        query = query.where(Contribution.id < before)
    rows = list(db.session.execute(query.order_by(Contribution.id.desc()).limit(size + 1)).scalars())
    more = len(rows) > size
    rows = rows[:size][::-1]
    return rows, (rows[0].id if more and rows else None)


def older_contributions(group: EncounterGroup, before, *, actor) -> dict:
    """The page of contributions just older than id ``before`` (the client's cursor), for the
    "Ver aportaciones anteriores" button: ``{"contributions": [...], "before": cursor or None}``."""
    _require(permissions.can_join_room(actor, group))
    cursor = parse_id(before)
    if cursor is None:
        raise ValidationError({"before": _("Falta desde qué aportación buscar las anteriores.")})
    rows, older = contribution_page(group, cursor)
    return {"contributions": [contribution_dict(c) for c in rows], "before": older}


def room_commitments(group: EncounterGroup) -> list[Commitment]:
    """The commitments recorded for the group's schools in this encounter, oldest first."""
    return list(
        db.session.execute(
            db.select(Commitment)
            .filter_by(encounter_id=group.encounter_id, group_id=group.id)
            .order_by(Commitment.id)
        ).scalars()
    )


def clear_deck_cache() -> None:
    """Forget every deck, recommendation and snapshot kept (tests that reuse ids; an operator after a data fix)."""
    _DECKS.clear()
    _SNAPSHOTS.clear()
    _JOINED_ROWS.clear()
    _JOINING.clear()
    _RECORDING.clear()
    clear_resources_cache()


def forget_snapshots(group_ids=None) -> None:
    """Forget the kept snapshots of these rooms (None: of every room): their group changed
    (realtime.access hears of it)."""
    if group_ids is None:
        _SNAPSHOTS.clear()
    for group_id in group_ids or ():
        _SNAPSHOTS.pop(group_id, None)


#: The latest snapshot of each room, without its person's part: group id -> (key, made at, snapshot).
#: The key is the version of the room's last row event (contributions, commitments and the rows
#: later features publish, from app.live.state_store), the language and the encounter's status, so
#: a join storm (20 people in a room within seconds, or a whole process's clients reconnecting)
#: reads the rows once per change instead of once per person. What no room event announces (a
#: presentation, an edited problem title or agenda) shows in new snapshots within
#: ``SNAPSHOT_CACHE_SECONDS``. The state and the version are always the store's, read fresh. What is
#: kept shares the kept decks and is never changed; each reader gets a copy (``_for_reader``).
_SNAPSHOTS: dict[int, tuple[tuple, float, dict]] = {}
SNAPSHOT_CACHE_SECONDS = 3.0
_SNAPSHOTS_MAX = 5000


def _for_reader(
    made: dict, presented_problems: list[dict], group: EncounterGroup, actor, shared: bool = False
) -> dict:
    """The room's snapshot completed with its reader's part: ``me``, and the recommended practices
    of each presented problem that this reader may open (lecturas y recursos, app.live.resources)."""
    made["me"] = _me(actor, group)
    made["resources"] = snapshot_resources(presented_problems, actor=actor)
    if shared:  # ``shared``: encoded at once (the socket's acknowledgement) and never changed
        return made
    # the reader's own copy (one orjson round trip: ~56 µs for 16 KB, 5× cheaper than deepcopy):
    # what the room, its decks and its recommendations keep is never reached by a caller's change
    return jsontext.copy(made)


def _me(actor, group: EncounterGroup) -> dict:
    return {
        "user_id": actor.id,
        "name": actor.name,
        "school_id": getattr(actor, "school_id", None),
        "can_participate": permissions.can_participate(actor, group),
        "can_facilitate": permissions.can_facilitate(actor, group),
    }


def _school_problems(school: School, presentation: Presentation | None) -> list[Problem]:
    """The school's problems (a contribution may be about any problem of the group's schools),
    with their categories when its generated deck shows some of them."""
    stmt = db.select(Problem).where(Problem.school_id == school.id).order_by(Problem.id)
    if presentation is not None and presentation.kind != "pdf" and presentation.problem_ids:
        stmt = stmt.options(selectinload(Problem.categories).selectinload(ProblemCategory.category))
    return list(db.session.execute(stmt).scalars())


def _keep_loaded(session, rows: list) -> None:
    """Keep ``rows`` in ``session`` until it ends (its identity map holds them only while
    referenced), so that what reads them next in this event (the recommendations of the deck's
    problems, app.live.resources) finds them, with their categories, without a statement."""
    session.info.setdefault("live_loaded", []).extend(rows)


def _snapshot_deck(encounter: Encounter, school: School, presentation=_UNSET) -> tuple[dict, list[dict]]:
    """A school's deck and the problems its slides show (with the school's other problems), from
    ``_DECKS`` while fresh (shared: the kept snapshots hold them, and readers get copies);
    ``presentation``: the school's, read already (None: it has none)."""
    if presentation is _UNSET:
        presentation = encounter_services.get_presentation(encounter, school)
    key = (
        encounter.id,
        school.id,
        presentation.id if presentation else None,
        presentation.updated_at if presentation else None,
        str(get_locale()),
    )
    ttl = current_app.config["LIVE_DECK_CACHE_SECONDS"]
    now = time.monotonic()
    hit = _DECKS.get(key)
    if hit is None or now - hit[0] > ttl:
        rows = _school_problems(school, presentation)
        deck = school_deck(encounter, school, presentation, problems=rows)
        # a PDF's problem may be another school's: read what the school's own do not cover
        missing = {s["problem_id"] for s in deck["slides"] if s.get("problem_id")} - {p.id for p in rows}
        if missing:
            rows += db.session.execute(db.select(Problem).where(Problem.id.in_(missing))).scalars()
        _keep_loaded(db.session, rows)
        problems = [
            {"id": p.id, "title": p.title, "school_id": p.school_id} for p in sorted(rows, key=lambda p: p.id)
        ]
        if len(_DECKS) >= _DECKS_MAX:
            _DECKS.clear()
        hit = _DECKS[key] = (now, deck, problems)
    return hit[1], hit[2]


def _presentations(encounter: Encounter, schools: list[School]) -> dict[int, Presentation]:
    """The presentations of these schools for the encounter, by school id, in one statement."""
    return {
        p.school_id: p
        for p in db.session.execute(
            db.select(Presentation).where(
                Presentation.encounter_id == encounter.id,
                Presentation.school_id.in_([school.id for school in schools]),
            )
        ).scalars()
    }


def snapshot(
    group: EncounterGroup, *, actor, live: LiveSession | None = None, read=None, shared: bool = False
) -> dict:
    """Everything a client needs to draw the room, with its version (``me`` is the actor's part;
    ``live``: the session row already read in this transaction, to save reading it again; ``read``:
    the room and state just written by ``join``)."""
    _require(permissions.can_join_room(actor, group))
    if read is None:
        live = live if live is not None else get_live_session(group)
        read = _room(group, live)
    room, state = read
    # the rows version after the room's version (read above): a row stamped at or below that version
    # was committed before, so a snapshot kept under this key holds it
    rows_version = _rows_version(group.id)
    key = (rows_version, str(get_locale()), group.encounter.status, group.encounter.closed_at)
    now = time.monotonic()
    hit = _SNAPSHOTS.get(group.id)
    if (
        rows_version is not None
        and hit is not None
        and hit[0] == key
        and now - hit[1] <= SNAPSHOT_CACHE_SECONDS
    ):
        kept = dict(hit[2])  # its top level is set below; _for_reader copies the whole
        kept.update(version=room.version, server_time=events.iso(utcnow()), state=public_state(state))
        return _for_reader(kept, hit[3], group, actor, shared)
    group = _bound(group)  # to build: its agenda, facilitator and schools' records are read
    encounter = group.encounter
    schools, problems, presented = [], {}, []
    presentations = _presentations(encounter, [member.school for member in group.schools])
    for member in group.schools:
        school = member.school
        deck, deck_problems = _snapshot_deck(encounter, school, presentations.get(school.id))
        schools.append(
            {
                "id": school.id,
                "cct": school.cct,
                "name": school.name,
                "is_host": school.id == group.host_school_id,
                "deck": deck,
            }
        )
        problems.update((p["id"], p) for p in deck_problems)
        for slide in deck["slides"]:
            if slide.get("problem_id") is not None and slide["problem_id"] not in presented:
                presented.append(slide["problem_id"])
    page, older = contribution_page(group)
    extra = {}
    for _receiver, rows in signals.snapshot_rows_requested.send(group):
        extra.update(rows or {})
    made = {
        "version": room.version,
        "server_time": events.iso(utcnow()),
        "group": {
            "id": group.id,
            "position": group.position,
            "label": group.label,
            "facilitator": group.facilitator.name if group.facilitator else group.facilitator_name,
        },
        "encounter": {
            "id": encounter.id,
            "title": encounter.title,
            "status": encounter.status,
            "closed_at": events.iso(as_utc(encounter.closed_at)),
        },
        "schools": schools,
        "problems": sorted(problems.values(), key=lambda p: p["id"]),
        "agenda": [
            {
                "id": i.id,
                "position": i.position,
                "activity": i.activity,
                "title": i.title,
                "minutes": i.minutes,
                "school_id": i.school_id,
            }
            for i in group.agenda
        ],
        "kinds": {k: str(v) for k, v in CONTRIBUTION_KINDS.items()},
        "edit_minutes": edit_minutes(),
        "limits": {"text": CONTRIBUTION_TEXT_MAX, "reason": HIDDEN_REASON_MAX},
        "state": public_state(state),
        "contributions": [contribution_dict(c) for c in page],
        "contributions_before": older,
        "commitments": [commitment_dict(c) for c in room_commitments(group)],
        "agreements": [],  # the session's agreements (app.logbook.room, by snapshot_rows_requested)
        "previous_commitments": previous_rows(group),
    }
    made.update(extra)
    presented_problems = [problems[i] for i in presented if i in problems]
    if rows_version is not None:
        if len(_SNAPSHOTS) >= _SNAPSHOTS_MAX:
            _SNAPSHOTS.clear()
        _SNAPSHOTS[group.id] = (key, now, dict(made), presented_problems)
    return _for_reader(made, presented_problems, group, actor, shared)


def _record_attendance_from_room(group: EncounterGroup, school_id: int, actor) -> None:
    """The first presence of a school in a running session registers its attendance (sala)."""
    group = _bound(group)
    encounter_services.mark_present_from_room(group, db.session.get(School, school_id), actor=actor)


def _deck_outline(group: EncounterGroup, school_id: int) -> dict:
    """What the hot events need of a school's deck (its slide count and each slide's problem id),
    kept in the room's state as ``deck`` when the turn is given (or, for the agenda's first turn,
    at the first join), so a slide change reads nothing."""
    group = _bound(group)
    deck, _problems = _snapshot_deck(group.encounter, db.session.get(School, school_id))
    return {"school_id": school_id, "problems": [s.get("problem_id") for s in deck["slides"]]}


def _turn_deck(group: EncounterGroup, state: dict, *, fresh: bool = False) -> dict:
    """The presenting school's deck outline: the one kept in ``state``, or built (and kept) anew."""
    outline = state.get("deck")
    if fresh or not outline or outline.get("school_id") != state["turn_school_id"]:
        outline = state["deck"] = _deck_outline(group, state["turn_school_id"])
    return outline


#: What this process saw committed: rooms started (group id, encounter id) and schools present
#: (group id, encounter id, school id, with their attendance). A join of either writes nothing.
_JOINED_ROWS: set[tuple[int, ...]] = set()


#: The room whose row a join is starting now (its first join): a room's people arrive together at
#: the start, and the others wait for that join's commit instead of writing the row too. A school's
#: first presence writes only its attendance (one INSERT that leaves a recorded one as it is), and
#: waits for nobody; the row's copy of who is present follows from the store (state_store.Persister).
_JOINING: dict[int, threading.Event] = {}
JOIN_WAIT = 2.0  # seconds


#: Schools whose first presence a join of this process is recording now (not yet committed).
_RECORDING: set[tuple[int, int, int]] = set()


def _remember_joined(seen: tuple, done: threading.Event | None = None) -> None:
    if len(_JOINED_ROWS) > 100_000:
        _JOINED_ROWS.clear()
    _JOINED_ROWS.add(seen)
    _RECORDING.discard(seen)
    if done is not None:
        _joined_done(seen[0], done)


def _joined_done(group_id: int, done: threading.Event) -> None:
    if _JOINING.get(group_id) is done:
        del _JOINING[group_id]
    done.set()


def _wait_for_the_rooms_first_joins(seen: tuple) -> None:
    """Wait (at most ``JOIN_WAIT``) while another join starts the room, unless it is started."""
    deadline = time.monotonic() + JOIN_WAIT
    while seen not in _JOINED_ROWS and (writing := _JOINING.get(seen[0])) is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        writing.wait(left)


def _start_room(group: EncounterGroup, started: tuple) -> LiveSession:
    """The room's first join in this process: its row exists and is started (a join starts it)."""
    _JOINING[group.id] = done = threading.Event()
    on_rollback(partial(_joined_done, group.id, done))
    live = get_live_session(_bound(group), starting=True)
    if live.started_at is None:
        live.started_at = utcnow()
    on_commit(partial(_remember_joined, started, done))
    return live


def join(group: EncounterGroup, *, actor, shared: bool = False) -> dict:
    """A person opens the room: counts their connection, records presence (and the school's
    attendance from the room on its first presence), and returns the snapshot. Presence lives in
    the room's store (app.live.state_store); the row is read and written only on the room's first
    join, and a school's first presence writes its attendance."""
    _require(permissions.can_join_room(actor, group), _l("No puedes entrar a esta sala."))
    school_id = _member_school_id(actor, group)
    started = (group.id, group.encounter_id)
    live = None
    _wait_for_the_rooms_first_joins(started)
    present = (group.id, group.encounter_id, school_id)
    records = school_id is not None and present not in _JOINED_ROWS and present not in _RECORDING
    if records or started not in _JOINED_ROWS:
        group = _bound(group)  # once: the row, the attendance and the decks read it
    if started not in _JOINED_ROWS:
        live = _start_room(group, started)
    if records:
        # one join per school records it; the school's others arriving meanwhile go on
        _RECORDING.add(present)
        on_rollback(partial(_RECORDING.discard, present))
        _record_attendance_from_room(group, school_id, actor)
        on_commit(partial(_remember_joined, present))

    def change(room, state):
        connections = state["connections"]
        key = str(actor.id)
        connections[key] = connections.get(key, 0) + 1
        if state.get("turn_school_id") is not None:  # the agenda's first turn has no outline yet
            _turn_deck(group, state)
        changed, joined = False, None
        if not any(p["user_id"] == actor.id for p in state["online"]):
            joined = {"user_id": actor.id, "name": actor.name, "school_id": school_id}
            state["online"] = sorted(state["online"] + [joined], key=lambda p: p["user_id"])
            changed = True
        if school_id is not None and school_id not in state["present_school_ids"]:
            state["present_school_ids"] = sorted(state["present_school_ids"] + [school_id])
            changed = True
        if changed:
            _publish(room, group, state, "presence", presence={"joined": joined})
        else:
            _save(room, state)
        return room, state

    read = _changing(group, change, live=live)
    if db.session.dirty:
        db.session.flush()
    return snapshot(group, actor=actor, live=live, read=read, shared=shared)


def leave(group: EncounterGroup, *, actor_id: int) -> None:
    """A connection closes: the person leaves the list of who is online with their last one."""

    def change(room, state):
        key = str(actor_id)
        remaining = state["connections"].get(key, 0) - 1
        if remaining > 0:
            state["connections"][key] = remaining
            _save(room, state)
            return
        state["connections"].pop(key, None)
        state["online"] = [p for p in state["online"] if p["user_id"] != actor_id]
        _publish(room, group, state, "presence", presence={"left": actor_id})

    _changing(group, change)
