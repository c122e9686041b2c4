"""The session's agreements, recorded in the room as they are made (issue 11), by the card's activity:
the norms of activity 1 (pinned at the top of the room), what the group will try and the classroom
experience to observe next time (activity 3), the needs for outside advice (activity 4: topic,
school(s), problem). Each is stored once by its client id through the logbook
(``record_agreement``: its permission, the close and the logbook entries of a late write) and
published as the ``agreement`` row event. It lives in the logbook (whose rows these are) and uses the room's helpers (the logbook
depends on app.live, never the other way): the room's snapshot asks for the agreements with the
``snapshot_rows_requested`` signal. The facilitator's *volvamos a la problemática* reminder is
app.live.controls.send_reminder.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import permissions, signals
from app.encounters.models import EncounterGroup
from app.extensions import db
from app.live import events
from app.live.models import Contribution
from app.live.room import _group_problem_ids, _publish_row, _require, _require_open, state_then_lock
from app.live.writes import current_activity
from app.logbook.models import AGREEMENT_KIND_LABELS, Agreement
from app.logbook.services import by_client_id, record_agreement
from app.problems.models import Problem
from app.utils import as_utc
from app.validation import ValidationError, check_client_id

AGREEMENT_TEXT_MAX = 2000
TOPIC_MAX = 200
CLASSROOM_MAX = 120
#: The card's activity of each kind of agreement (an *acuerdo* takes the activity the room is on).
KIND_ACTIVITY = {"norma": 1, "probaremos": 3, "observacion": 3, "asesoria": 4}
#: Kinds that must name a school (an outside-advice need: one or more).
NEEDS_SCHOOL = ("asesoria", "observacion")


def agreement_dict(a: Agreement) -> dict:
    """An agreement as the room shows it."""
    return {
        "id": a.id,
        "client_id": a.client_id,
        "kind": a.kind,
        "kind_label": str(AGREEMENT_KIND_LABELS.get(a.kind, a.kind)),
        "text": a.text,
        "activity": a.activity,
        "problem_id": a.problem_id,
        "topic": a.topic,
        "classroom": a.classroom,
        "contribution_id": a.contribution_id,
        "school_ids": a.named_school_ids,
        "created_by_id": a.created_by_id,
        "created_at": events.iso(as_utc(a.created_at)),
        "typed_at": events.iso(as_utc(a.typed_at)),
        "after_close": bool(a.after_close),
    }


def room_agreements(group: EncounterGroup) -> list[Agreement]:
    """The group's agreements (and the encounter's, with no group), oldest first."""
    return list(
        db.session.execute(
            db.select(Agreement)
            .where(
                Agreement.encounter_id == group.encounter_id,
                (Agreement.group_id == group.id) | (Agreement.group_id.is_(None)),
            )
            .order_by(Agreement.id)
        ).scalars()
    )


def _text(data: dict, key: str, limit: int, errors: dict, empty: str | None = None) -> str:
    value = data.get(key)
    text = str(value).strip() if value is not None and not isinstance(value, (dict, list)) else ""
    if not text and empty is not None:
        errors[key] = empty
    elif len(text) > limit:
        errors[key] = _("Admite máximo %(limit)s caracteres.", limit=limit)
    return text


def _int_or_bad(value) -> int | None:
    """An id as an int; -1 when it is not one (refused by the membership check)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return -1
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _school_ids(data: dict, group: EncounterGroup, errors: dict) -> list[int]:
    """The schools named (``school_ids``, a list, or one ``school_id``), each of the group, once."""
    raw = data.get("school_ids")
    if raw is None or raw == "":
        raw = [data.get("school_id")] if data.get("school_id") not in (None, "") else []
    if not isinstance(raw, list) or len(raw) > 50:
        errors["school_ids"] = _("Elige escuelas del grupo.")
        return []
    members = {m.school_id for m in group.schools}
    ids = []
    for value in raw:
        school_id = _int_or_bad(value)
        if school_id not in members:
            errors["school_ids"] = _("La escuela no participa en este grupo.")
            return []
        if school_id not in ids:
            ids.append(school_id)
    return ids


def _contribution(group: EncounterGroup, raw, errors: dict) -> Contribution | None:
    contribution_id = _int_or_bad(raw)
    if contribution_id is None:
        return None
    contribution = db.session.get(Contribution, contribution_id) if contribution_id > 0 else None
    if contribution is None or contribution.group_id != group.id or contribution.is_hidden:
        errors["contribution_id"] = _("La aportación no existe en esta sala.")
        return None
    if not contribution.will_try:
        errors["contribution_id"] = _("Esa aportación no está marcada como «la probaremos».")
        return None
    return contribution


def agreement_fields(group: EncounterGroup, data: dict, activity: int | None) -> dict:
    """The checked fields of an agreement typed in the room, or ``ValidationError`` with a Spanish
    message per field (nothing is stored)."""
    errors: dict[str, str] = {}
    kind = str(data.get("kind") or "")
    if kind not in AGREEMENT_KIND_LABELS:
        errors["kind"] = _("Elige qué tipo de acuerdo es.")
    contribution = _contribution(group, data.get("contribution_id"), errors) if kind == "probaremos" else None
    text = _text(data, "text", AGREEMENT_TEXT_MAX, errors)
    if not text and contribution is not None:
        text = contribution.text or ""
    if not text and "text" not in errors:
        errors["text"] = _("Escribe el acuerdo.")
    topic = _text(
        data, "topic", TOPIC_MAX, errors, _("Escribe el tema de la asesoría.") if kind == "asesoria" else None
    )
    classroom = _text(data, "classroom", CLASSROOM_MAX, errors)
    school_ids = _school_ids(data, group, errors)
    problem_id = _int_or_bad(data.get("problem_id"))
    if contribution is not None and problem_id is None:
        problem_id = contribution.problem_id
    problem = None
    if problem_id is not None:
        if problem_id not in _group_problem_ids(group):
            errors["problem_id"] = _("La problemática no es de una escuela del grupo.")
        else:
            problem = db.session.get(Problem, problem_id)
    if problem is not None and not school_ids and kind in NEEDS_SCHOOL + ("probaremos",):
        school_ids = [problem.school_id]  # the school whose problem it is
    if kind in NEEDS_SCHOOL and not school_ids and "school_ids" not in errors:
        errors["school_ids"] = _("Elige la escuela.")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "text": text,
        "topic": topic if kind == "asesoria" else None,
        "classroom": (classroom or None) if kind in ("observacion", "probaremos") else None,
        "problem_id": problem.id if problem is not None else None,
        "contribution_id": contribution.id if contribution is not None else None,
        "school_ids": school_ids,
        "activity": KIND_ACTIVITY.get(kind, activity),
    }


def add_agreement(group: EncounterGroup, data: dict, *, actor, client_id) -> tuple[Agreement, bool]:
    """Record an agreement from the room (idempotent on client_id: a retry returns the stored row
    and ``False``); observers cannot; after the close only an offline write typed before it is kept
    (``after_close``)."""
    _require(permissions.can_participate(actor, group), _l("Como observador no puedes registrar acuerdos."))
    _require_open(group)
    client_id = check_client_id(client_id, required=True)
    state = state_then_lock(group)
    existing = by_client_id(Agreement, client_id)
    if existing is not None:
        if existing.group_id != group.id or existing.created_by_id != actor.id:
            raise ValidationError({"client_id": _("Ese identificador ya se usó para otro acuerdo.")})
        return existing, False
    fields = agreement_fields(group, data, current_activity(group, state))
    school_ids = fields.pop("school_ids")
    stored = record_agreement(
        group.encounter,
        group,
        {"kind": fields["kind"], "text": fields["text"], "typed_at": data.get("typed_at")},
        actor=actor,
        client_id=client_id,
        extra={
            **fields,
            "school_ids": school_ids or None,
            "school_id": school_ids[0] if school_ids else None,
        },
    )
    # the room's row is locked above: no other process stores this client id meanwhile
    _publish_row(group, "agreement", agreement_dict(stored))
    return stored, True


@signals.snapshot_rows_requested.connect
def _agreements_in_snapshot(group: EncounterGroup) -> dict:
    """The room's snapshot (app.live) carries the group's agreements."""
    return {"agreements": [agreement_dict(a) for a in room_agreements(group)]}
