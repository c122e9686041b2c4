"""Serialisers: model -> plain JSON-ready dict. Plain functions, one per resource.

Datetimes are ISO 8601 in UTC with a ``Z`` suffix (SQLite hands back naive datetimes: they are UTC).
Each resource carries ``url``, its address in this API.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import url_for

from app.utils import as_utc


def iso(value: datetime | None) -> str | None:
    """A datetime as ISO 8601 UTC text, e.g. ``2025-09-01T14:30:00Z``.

    >>> iso(datetime(2025, 9, 1, 14, 30))
    '2025-09-01T14:30:00Z'
    >>> iso(None) is None
    True
    """
    if value is None:
        return None
    return as_utc(value).astimezone(UTC).isoformat().replace("+00:00", "Z")


def zone_ref(zone) -> dict | None:
    """A zone as a short reference inside another resource."""
    if zone is None:
        return None
    return {
        "cct": zone.cct,
        "number": zone.number,
        "name": zone.name,
        "url": url_for("api.get_zone", cct=zone.cct),
    }


def school_ref(school) -> dict | None:
    """A school as a short reference inside another resource."""
    if school is None:
        return None
    return {"cct": school.cct, "name": school.name, "url": url_for("api.get_school", cct=school.cct)}


def user_ref(user) -> dict | None:
    """A person as a short reference (no e-mail address: that stays private)."""
    if user is None:
        return None
    return {"id": user.id, "name": user.name, "role": user.role}


def zone_to_dict(zone, *, school_count: int | None = None) -> dict:
    """A zona escolar."""
    data = {
        "cct": zone.cct,
        "number": zone.number,
        "name": zone.name,
        "label": zone.label,
        "level": zone.level,
        "service": zone.service,
        "municipality": zone.municipality,
        "sector_cct": zone.sector_cct,
        "region_cct": zone.region_cct,
        "created_at": iso(zone.created_at),
        "updated_at": iso(zone.updated_at),
        "url": url_for("api.get_zone", cct=zone.cct),
        "schools_url": url_for("api.zone_schools", cct=zone.cct),
    }
    if school_count is not None:
        data["school_count"] = school_count
    return data


def school_to_dict(school) -> dict:
    """A school (escuela, plantel, CAI)."""
    return {
        "cct": school.cct,
        "name": school.name,
        "level": school.level,
        "service": school.service,
        "shift": school.shift,
        "municipality": school.municipality,
        "locality": school.locality,
        "address": school.address,
        "postal_code": school.postal_code,
        "lat": school.lat,
        "lon": school.lon,
        "is_public": school.is_public,
        "control": school.control,
        "is_multigrade": school.is_multigrade,
        "marginalization": school.marginalization,
        "enlace_math6": school.enlace_math6,
        "zone": zone_ref(school.zone),
        "sector_cct": school.sector_cct,
        "region_cct": school.region_cct,
        "created_at": iso(school.created_at),
        "updated_at": iso(school.updated_at),
        "url": url_for("api.get_school", cct=school.cct),
        "problems_url": url_for("api.school_problems", cct=school.cct),
    }


def category_to_dict(category) -> dict:
    """A category of the problem taxonomy."""
    return {
        "code": category.code,
        "facet": category.facet,
        "name": category.name,
        "description": category.description,
        "levels": list(category.levels or []),
        "source": category.source,
    }


def problem_to_dict(problem) -> dict:
    """A school's problem (problemática), with its categories and priorities."""
    categories = sorted(problem.categories, key=lambda pc: (pc.category.facet, pc.category.code))
    return {
        "id": problem.id,
        "school": school_ref(problem.school),
        "title": problem.title,
        "description": problem.description,
        "grades": list(problem.grades or []),
        "causes": problem.causes,
        "actions_tried": problem.actions_tried,
        "results": problem.results,
        "status": problem.status,
        "status_label": problem.status_label,
        "school_year": problem.school_year,
        "categories": [
            {
                "code": pc.category.code,
                "name": pc.category.name,
                "facet": pc.category.facet,
                "priority": pc.priority,
            }
            for pc in categories
        ],
        "created_by": user_ref(problem.created_by),
        "created_at": iso(problem.created_at),
        "updated_at": iso(problem.updated_at),
        "url": url_for("api.get_problem", problem_id=problem.id),
    }


def adoption_to_dict(adoption) -> dict:
    """A school's adoption of a practice, with its own outcome."""
    return {
        "id": adoption.id,
        "practice_id": adoption.practice_id,
        "school": school_ref(adoption.school),
        "outcome": adoption.outcome,
        "outcome_label": adoption.outcome_label,
        "notes": adoption.notes,
        "outcome_notes": adoption.outcome_notes,
        "commitment_id": adoption.commitment_id,
        "commitment_url": (
            url_for("api.get_commitment", commitment_id=adoption.commitment_id)
            if adoption.commitment_id is not None
            else None
        ),
        "adopted_by": user_ref(adoption.adopted_by),
        "created_at": iso(adoption.created_at),
        "updated_at": iso(adoption.updated_at),
    }


def practice_to_dict(practice, *, detail: bool = True) -> dict:
    """A practice; ``detail`` adds its resources, links, evidence and adoptions."""
    data = {
        "id": practice.id,
        "school": school_ref(practice.school),
        "title": practice.title,
        "summary": practice.summary,
        "level": practice.level,
        "grades": list(practice.grades or []),
        "visibility": practice.visibility,
        "categories": [
            {"code": c.code, "name": c.name, "facet": c.facet}
            for c in sorted(practice.categories, key=lambda c: c.code)
        ],
        "problem_id": practice.problem_id,
        "evidence_count": len(practice.evidence),
        "adoption_count": len(practice.adoptions),
        "author": user_ref(practice.author),
        "created_at": iso(practice.created_at),
        "updated_at": iso(practice.updated_at),
        "url": url_for("api.get_practice", practice_id=practice.id),
    }
    if detail:
        data.update(
            {
                "steps": practice.steps,
                "results": practice.results,
                "resources": [
                    {
                        "id": r.id,
                        "description": r.description,
                        "criterion": r.criterion,
                        "criterion_label": r.criterion_label,
                    }
                    for r in practice.resources
                ],
                "links": [{"id": link.id, "url": link.url, "label": link.label} for link in practice.links],
                "evidence": [
                    {
                        "id": e.id,
                        "original_name": e.original_name,
                        "mime_type": e.mime_type,
                        "size": e.size,
                        "caption": e.caption,
                        "created_at": iso(e.created_at),
                    }
                    for e in practice.evidence
                ],
                "adoptions": [adoption_to_dict(a) for a in practice.adoptions],
            }
        )
    return data


def recognition_to_dict(recognition) -> dict:
    """A zone's recognition of a practice as a *buena práctica*, and who gave it in which role."""
    return {
        "id": recognition.id,
        "practice_id": recognition.practice_id,
        "zone": zone_ref(recognition.zone),
        "rationale": recognition.rationale,
        "recognised_by": user_ref(recognition.recognised_by),
        "recognised_as": recognition.recognised_as,
        "created_at": iso(recognition.created_at),
    }


def narrative_to_dict(narrative) -> dict:
    """A relato: what a school faced, tried, saw happen and learned."""
    practice = narrative.practice
    return {
        "id": narrative.id,
        "school": school_ref(narrative.school),
        "title": narrative.title,
        "faced": narrative.faced,
        "tried": narrative.tried,
        "happened": narrative.happened,
        "learned": narrative.learned,
        "practice_id": narrative.practice_id,
        "practice_url": url_for("api.get_practice", practice_id=practice.id) if practice else None,
        "problem_id": narrative.problem_id,
        "encounter_id": narrative.encounter_id,
        "author": user_ref(narrative.author),
        "created_at": iso(narrative.created_at),
        "updated_at": iso(narrative.updated_at),
        "url": url_for("api.get_relato", narrative_id=narrative.id),
    }


def commitment_note_to_dict(note) -> dict:
    """A progress note on a commitment (its evidence file is named, not sent)."""
    return {
        "id": note.id,
        "body": note.body,
        "status_after": note.status_after,
        "due_date_after": note.due_date_after.isoformat() if note.due_date_after else None,
        "evidence_name": note.evidence_original_name if note.evidence_stored_name else None,
        "created_by": user_ref(note.created_by),
        "created_at": iso(note.created_at),
    }


def commitment_to_dict(commitment, *, transitions: dict, detail: bool = True) -> dict:
    """A school's commitment; ``detail`` adds its progress notes. ``next_statuses`` are the statuses
    a follow-up may move it to (``transitions``: the commitments area's rule)."""
    data = {
        "id": commitment.id,
        "school": school_ref(commitment.school),
        "action": commitment.action,
        "classroom": commitment.classroom,
        "responsible": commitment.responsible,
        "due_date": commitment.due_date.isoformat() if commitment.due_date else None,
        "follow_up": commitment.follow_up,
        "status": commitment.status,
        "status_label": commitment.status_label,
        "next_statuses": sorted(transitions.get(commitment.status, ())),
        "needs_external_advice": bool(commitment.needs_external_advice),
        "school_year": commitment.school_year,
        "encounter_id": commitment.encounter_id,
        "problem_id": commitment.problem_id,
        "created_by": user_ref(commitment.created_by),
        "created_at": iso(commitment.created_at),
        "updated_at": iso(commitment.updated_at),
        "url": url_for("api.get_commitment", commitment_id=commitment.id),
    }
    if detail:
        data["notes"] = [commitment_note_to_dict(note) for note in commitment.notes]
    return data


def user_to_dict(user) -> dict:
    """The signed-in person, as ``GET /me`` shows them."""
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "role_label": user.role_label,
        "locale": user.locale,
        "zone": zone_ref(user.zone),
        "school": school_ref(user.school),
        "advised_zones": [zone_ref(z) for z in sorted(user.advised_zones, key=lambda z: z.cct)],
        "advised_schools": [school_ref(s) for s in sorted(user.advised_schools, key=lambda s: s.cct)],
    }
