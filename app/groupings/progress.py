"""Read a set of schools' progress records and hand them to ``network.progress`` (read only).

Progress lives in several areas: problems (status), practices and adoptions (reported outcomes),
commitments (fulfilled, with evidence) and the catalogue (ENLACE scores). The commitments area sits
above this one (it imports encounters, which import groupings), so its rows are read through the
table in SQLAlchemy's metadata rather than its model: importing it would be a cycle between areas.
"""

from __future__ import annotations

from sqlalchemy import exists, select

import network.progress
from app.catalogue.models import School
from app.extensions import db

# Our outcome words, in the network engine's vocabulary; an unreported outcome is no evidence.
REPORTED_OUTCOME = {"bueno": "bueno", "regular": "regular", "sin_resultado": "malo"}


def commitment_records(school_ids: list[int]) -> list[dict]:
    """``{"school", "problem", "status", "evidence"}`` of the schools' commitments tied to a problem."""
    tables = db.metadata.tables
    if not school_ids or "commitments" not in tables:
        return []
    commitments, notes = tables["commitments"], tables["commitment_notes"]
    has_evidence = exists().where(
        notes.c.commitment_id == commitments.c.id, notes.c.evidence_stored_name.is_not(None)
    )
    rows = db.session.execute(
        select(commitments.c.school_id, commitments.c.problem_id, commitments.c.status, has_evidence).where(
            commitments.c.school_id.in_(school_ids), commitments.c.problem_id.is_not(None)
        )
    )
    return [
        {"school": school, "problem": problem, "status": status, "evidence": bool(evidence)}
        for school, problem, status, evidence in rows
    ]


def enlace_high_cut() -> float | None:
    """The ENLACE mathematics score of the state's top third of schools (None without scores)."""
    scores = sorted(
        db.session.execute(select(School.enlace_math6).where(School.enlace_math6.is_not(None))).scalars()
    )
    return scores[(2 * len(scores)) // 3] if scores else None


def school_progress(schools: list[School], records) -> dict:
    """``network.progress.school_progress`` of these schools, from their plain records (NetworkRecords)."""
    practices = [
        {**p, "outcome": p.get("reported_outcome")}
        for p in records.practices
        if p["school"] in {s.id for s in schools}
    ]
    enlace = {s.id: s.enlace_math6 for s in schools if s.enlace_math6 is not None}
    return network.progress.school_progress(
        records.problems,
        practices,
        records.adoptions,
        commitment_records([s.id for s in schools]),
        enlace=enlace,
        enlace_high=enlace_high_cut() if enlace else None,
    )
