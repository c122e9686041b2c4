"""The minutes (acta) of an encounter group, built from what was recorded, as a plain JSON dict.

The dict is stored in ``Minutes.content`` and is the only thing the printable page and the PDF
read, so the minutes stay as they were generated even if a school is renamed later.
Sections: attendance, contributions per problem (visible ones; hidden ones only counted), the
session's norms, agreements and what the group will try, commitments per school, needs for outside
advice (topic, schools, problem), the classroom experience to observe (school, classroom), readings
and resources per problem (``resources``: app.live.resources).

The content is written once, at the close, and frozen: ``content_hash`` (SHA-256 of its canonical
JSON) is stored with it and printed on the page and the PDF. What arrives after the close (offline
writes typed before it) is the annex (``group_annex``), read from the rows and never folded in.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from app.encounters.models import (
    ATTENDANCE_STATUSES,
    MODALITIES,
    Attendance,
    Encounter,
    EncounterGroup,
)
from app.extensions import db
from app.live.models import CONTRIBUTION_KINDS, Contribution
from app.live.resources import group_resources
from app.logbook.models import (  # noqa: F401  (AGREEMENT_KIND_LABELS: its public name here too)
    AGREEMENT_KIND_LABELS,
    COMMITMENT_STATUSES,
    Agreement,
    Commitment,
)
from app.problems.models import Problem
from app.utils import as_utc, utcnow


def _iso(value) -> str | None:
    value = as_utc(value) if hasattr(value, "tzinfo") else value
    return value.isoformat() if value is not None else None


def _school(school) -> dict | None:
    if school is None:
        return None
    return {"id": school.id, "cct": school.cct, "name": school.name}


def group_agreements(encounter: Encounter, group: EncounterGroup) -> list[Agreement]:
    """The group's agreements, and those of the whole encounter (no group), oldest first."""
    return list(
        db.session.execute(
            db.select(Agreement)
            .where(
                Agreement.encounter_id == encounter.id,
                (Agreement.group_id == group.id) | (Agreement.group_id.is_(None)),
            )
            .order_by(Agreement.created_at, Agreement.id)
        ).scalars()
    )


def _named_schools(agreements: list[Agreement]) -> list:
    """Every school the agreements name, read in one statement."""
    from app.catalogue.models import School

    ids = {i for a in agreements for i in a.named_school_ids}
    if not ids:
        return []
    return list(db.session.execute(db.select(School).where(School.id.in_(ids))).scalars())


def group_commitments(encounter: Encounter, group: EncounterGroup) -> list[Commitment]:
    """The commitments of the group's schools in this encounter, by school then oldest first."""
    school_ids = [m.school_id for m in group.schools]
    if not school_ids:
        return []
    return list(
        db.session.execute(
            db.select(Commitment)
            .where(Commitment.encounter_id == encounter.id, Commitment.school_id.in_(school_ids))
            .order_by(Commitment.school_id, Commitment.created_at, Commitment.id)
        ).scalars()
    )


def _attendance(encounter: Encounter, group: EncounterGroup) -> tuple[list[dict], dict]:
    rows = {
        a.school_id: a
        for a in db.session.execute(
            db.select(Attendance).where(Attendance.encounter_id == encounter.id)
        ).scalars()
    }
    items = []
    for member in group.schools:
        record = rows.get(member.school_id)
        status = record.status if record else None
        items.append(
            {
                **_school(member.school),
                "status": status,
                "status_label": str(ATTENDANCE_STATUSES.get(status, status)) if status else "Sin registro",
                "people": record.people if record else None,
            }
        )
    summary = {
        "registered": len(items),
        "present": sum(1 for i in items if i["status"] == "presente"),
        "people": sum(i["people"] or 0 for i in items if i["status"] == "presente"),
    }
    return items, summary


def _contributions(encounter: Encounter, group: EncounterGroup) -> tuple[list[dict], int, int]:
    rows = list(
        db.session.execute(
            db.select(Contribution)
            .where(
                Contribution.encounter_id == encounter.id,
                Contribution.group_id == group.id,
                Contribution.after_close.is_(False),
            )
            .order_by(Contribution.created_at, Contribution.id)
        ).scalars()
    )
    by_problem: dict[int | None, list[Contribution]] = defaultdict(list)
    for row in rows:
        by_problem[row.problem_id].append(row)
    problems = (
        {
            p.id: p
            for p in db.session.execute(
                db.select(Problem).where(Problem.id.in_([k for k in by_problem if k is not None]))
            ).scalars()
        }
        if any(k is not None for k in by_problem)
        else {}
    )
    sections = []
    # A heading per problem, by the group's schools in order, each school's problems in the order
    # they were first talked about; contributions about no problem last.
    school_order = {m.school_id: n for n, m in enumerate(group.schools)}

    def order(problem_id):
        problem = problems.get(problem_id)
        school_rank = school_order.get(problem.school_id, len(school_order)) if problem else len(school_order)
        return (problem_id is None, school_rank, by_problem[problem_id][0].id)

    for problem_id in sorted(by_problem, key=order):
        items = by_problem[problem_id]
        problem = problems.get(problem_id)
        visible = [c for c in items if not c.is_hidden]
        sections.append(
            {
                "problem_id": problem_id,
                "title": problem.title if problem else "Aportaciones generales",
                "school": _school(problem.school) if problem else None,
                "contributions": [
                    {
                        "id": c.id,
                        "kind": c.kind,
                        "kind_label": str(CONTRIBUTION_KINDS.get(c.kind, c.kind)),
                        "text": c.text,
                        "author_school": _school(c.author_school),
                        "will_try": bool(c.will_try),
                        "activity": c.activity,
                    }
                    for c in visible
                ],
                "hidden_count": len(items) - len(visible),
            }
        )
    hidden = sum(s["hidden_count"] for s in sections)
    return sections, len(rows) - hidden, hidden


def school_problem_contributions(school, *, school_year: str | None = None) -> list[dict]:
    """For a school's bitácora: the visible contributions colleagues made about the school's own
    problems, in every encounter and as they happen (not only after the close), grouped by problem
    (oldest problem first; in each, oldest contribution first). ``school_year`` keeps the problems
    of that school year."""
    query = (
        db.select(Contribution, Problem)
        .join(Problem, Contribution.problem_id == Problem.id)
        .where(Problem.school_id == school.id, Contribution.is_hidden.is_(False))
        .order_by(Problem.id, Contribution.created_at, Contribution.id)
    )
    if school_year:
        query = query.where(Problem.school_year == school_year)
    sections: dict[int, dict] = {}
    for c, problem in db.session.execute(query).all():
        section = sections.setdefault(
            problem.id, {"problem_id": problem.id, "title": problem.title, "contributions": []}
        )
        section["contributions"].append(
            {
                "id": c.id,
                "kind_label": str(CONTRIBUTION_KINDS.get(c.kind, c.kind)),
                "text": c.text,
                "author_school": _school(c.author_school),
                "will_try": bool(c.will_try),
                "activity": c.activity,
                "encounter_id": c.encounter_id,
                "created_at": as_utc(c.created_at),
                "after_close": bool(c.after_close),
            }
        )
    return list(sections.values())


def _commitment(c: Commitment) -> dict:
    return {
        "id": c.id,
        "action": c.action,
        "classroom": c.classroom,
        "responsible": c.responsible,
        "due_date": c.due_date.isoformat(),
        "follow_up": c.follow_up,
        "needs_external_advice": bool(c.needs_external_advice),
        "status": c.status,
        "status_label": str(COMMITMENT_STATUSES.get(c.status, c.status)),
        "problem": c.problem.title if c.problem else None,
    }


def _will_try_not_recorded(sections: list[dict], agreements: list[Agreement]) -> list[dict]:
    """What the group decided to try by marking contributions *la probaremos* (activity 3) and did
    not also record as a "probaremos" agreement: each under the problem (and school) it is about."""
    recorded = {a.contribution_id for a in agreements if a.kind == "probaremos" and a.contribution_id}
    return [
        {
            "id": None,
            "kind": "probaremos",
            "kind_label": str(AGREEMENT_KIND_LABELS["probaremos"]),
            "activity": c["activity"],
            "text": c["text"],
            "school": section["school"],
            "schools": [section["school"]] if section["school"] else [],
            "problem": section["title"] if section["problem_id"] else None,
            "topic": None,
            "classroom": None,
            "contribution_id": c["id"],
        }
        for section in sections
        for c in section["contributions"]
        if c["will_try"] and c["id"] not in recorded
    ]


def build_group_minutes(encounter: Encounter, group: EncounterGroup) -> dict:
    """The minutes of one group as a plain dict (JSON-ready): every section of the acta."""
    attendance, attendance_summary = _attendance(encounter, group)
    problems, visible_total, hidden_total = _contributions(encounter, group)
    agreements = [a for a in group_agreements(encounter, group) if not a.after_close]
    commitments = [c for c in group_commitments(encounter, group) if not c.after_close]
    schools = {m.school_id: m.school for m in group.schools}

    named = {s.id: s for s in _named_schools(agreements)}

    def agreement(a: Agreement) -> dict:
        return {
            "id": a.id,
            "kind": a.kind,
            "kind_label": str(AGREEMENT_KIND_LABELS.get(a.kind, a.kind)),
            "activity": a.activity,
            "text": a.text,
            "school": _school(a.school),
            "schools": [_school(named[i]) for i in a.named_school_ids if i in named],
            "problem": a.problem.title if a.problem else None,
            "topic": a.topic,
            "classroom": a.classroom,
        }

    by_school = []
    for school_id, school in schools.items():
        items = [_commitment(c) for c in commitments if c.school_id == school_id]
        by_school.append({"school": _school(school), "commitments": items})

    external_advice = [{"source": "acuerdo", **agreement(a)} for a in agreements if a.kind == "asesoria"] + [
        {
            "source": "compromiso",
            "text": c.action,
            "school": _school(schools.get(c.school_id) or c.school),
            "schools": [_school(schools.get(c.school_id) or c.school)],
            "problem": c.problem.title if c.problem else None,
            "topic": None,
        }
        for c in commitments
        if c.needs_external_advice
    ]
    host = group.host_school
    facilitator = group.facilitator.name if group.facilitator else group.facilitator_name
    return {
        "encounter": {
            "id": encounter.id,
            "title": encounter.title,
            "starts_at": _iso(encounter.starts_at),
            "ends_at": _iso(encounter.ends_at),
            "modality": str(MODALITIES.get(encounter.modality, encounter.modality)),
            "closed_at": _iso(encounter.closed_at),
        },
        "group": {
            "id": group.id,
            "label": group.label,
            "host_school": _school(host),
            "place": ", ".join(p for p in (group.address, group.room) if p) or None,
            "facilitator": facilitator,
        },
        "schools": [_school(s) for s in schools.values()],
        "attendance": attendance,
        "attendance_summary": attendance_summary,
        "problems": problems,
        "contributions_visible": visible_total,
        "contributions_hidden": hidden_total,
        # the session's agreements by the card's activity: the norms first (activity 1)
        "norms": [agreement(a) for a in agreements if a.kind == "norma"],
        "agreements": [agreement(a) for a in agreements if a.kind == "acuerdo"],
        "to_try": [agreement(a) for a in agreements if a.kind == "probaremos"]
        + _will_try_not_recorded(problems, agreements),
        "commitments_by_school": by_school,
        "commitments_total": len(commitments),
        "external_advice": external_advice,
        "to_observe": [agreement(a) for a in agreements if a.kind == "observacion"],
        # lecturas y recursos por problemática (app.live.resources), frozen with the rest
        "resources": group_resources(encounter, group, also=[p["problem_id"] for p in problems]),
        "generated_at": utcnow().isoformat(),
    }


def content_hash(content: dict) -> str:
    """SHA-256 (hex) of the minutes' content as canonical JSON (sorted keys, no spaces, UTF-8).

    >>> content_hash({"b": 1, "a": "ñ"}) == content_hash({"a": "ñ", "b": 1})
    True
    """
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _annex_item(kind: str, label: str, text: str, school, problem, row) -> dict:
    """One row of the annex: what it is, its text, its school and problem, when typed and received."""
    return {
        "kind": kind,
        "label": label,
        "text": text,
        "school": _school(school),
        "problem": problem.title if problem else None,
        "typed_at": _iso(row.typed_at),
        "received_at": _iso(row.created_at),
    }


def group_annex(encounter: Encounter, group: EncounterGroup) -> list[dict]:
    """What was kept after the close in this group (offline writes typed before it), in the order
    it arrived: what it is, its text, its school, when it was typed and when it arrived."""
    contributions = db.session.execute(
        db.select(Contribution).where(
            Contribution.group_id == group.id,
            Contribution.after_close.is_(True),
            Contribution.is_hidden.is_(False),
        )
    ).scalars()
    items = [
        _annex_item(
            "aportacion", str(CONTRIBUTION_KINDS.get(c.kind, c.kind)), c.text, c.author_school, c.problem, c
        )
        for c in contributions
    ]
    items += [
        _annex_item("acuerdo", str(AGREEMENT_KIND_LABELS.get(a.kind, a.kind)), a.text, a.school, None, a)
        for a in group_agreements(encounter, group)
        if a.after_close
    ]
    items += [
        _annex_item("compromiso", "Compromiso", c.action, c.school, c.problem, c)
        for c in group_commitments(encounter, group)
        if c.after_close
    ]
    return sorted(items, key=lambda i: i["received_at"] or "")


def minutes_summary(content: dict) -> str:
    """A few plain lines that sum the minutes up, for the logbook entry.

    >>> minutes_summary({"attendance_summary": {"present": 2, "registered": 3},
    ...     "contributions_visible": 5, "agreements": [1], "commitments_total": 4,
    ...     "external_advice": [], "to_observe": [{"text": "Lectura en voz alta en 2°"}]})
    'Asistencia: 2 de 3 escuelas. Aportaciones: 5. Acuerdos: 1. Compromisos: 4. Requieren asesoría externa: 0. A observar: Lectura en voz alta en 2°.'
    >>> minutes_summary({"norms": [1, 2], "to_try": [1]}).split(". ", 1)[1]
    'Aportaciones: 0. Normas: 2. Lo que probaremos: 1. Acuerdos: 0. Compromisos: 0. Requieren asesoría externa: 0.'
    """
    summary = content.get("attendance_summary") or {}
    parts = [
        f"Asistencia: {summary.get('present', 0)} de {summary.get('registered', 0)} escuelas.",
        f"Aportaciones: {content.get('contributions_visible', 0)}.",
        *([f"Normas: {len(content['norms'])}."] if content.get("norms") else []),
        *([f"Lo que probaremos: {len(content['to_try'])}."] if content.get("to_try") else []),
        f"Acuerdos: {len(content.get('agreements') or [])}.",
        f"Compromisos: {content.get('commitments_total', 0)}.",
        f"Requieren asesoría externa: {len(content.get('external_advice') or [])}.",
    ]
    observe = [o["text"] for o in content.get("to_observe") or []]
    if observe:
        parts.append("A observar: " + "; ".join(observe) + ".")
    return " ".join(parts)
