"""Business rules of good practices: publish a fulfilled commitment as a practice, recognise a zone's
good practices, narratives (relatos), adopting with a commitment in the logbook, outcome summaries,
evidence thumbnails and the zone's booklet.

Services take the acting user explicitly, check it with ``app.permissions``, raise
``ValidationError`` with Spanish messages per field, and flush; the caller commits.

By concern: ``common`` (limits and small helpers), ``publishing`` (a fulfilled commitment becomes a
practice), ``recognition`` (recognising good practices, outcome counts), ``adoption`` (adopting with
a commitment in the adopting school's logbook), ``narratives`` (relatos), ``relatos`` (their
index and search), ``booklet`` (thumbnails and
the zone's booklet).
"""

from __future__ import annotations

from app.goodpractices.adoption import (  # noqa: F401
    ADOPTION_DAYS,
    OUTCOME_STATUS,
    adopt_with_commitment,
    adoption_action,
    adoption_defaults,
    adoption_for_commitment,
    record_adoption_outcome,
    record_school_commitment,
)
from app.goodpractices.booklet import (  # noqa: F401
    ZoneGoodPractice,
    _csv_cell,
    make_thumbnail,
    recognised_by_text,
    stored_thumbnail,
    thumbnail_path,
    zone_good_practices,
    zone_good_practices_csv,
    zone_outcome_totals,
)
from app.goodpractices.common import (  # noqa: F401
    NARRATIVE_SECTIONS,
    RATIONALE_MAX,
    SECTION_MAX,
    THUMBNAIL_SIZE,
    TITLE_MAX,
    _int,
    _text,
)
from app.goodpractices.narratives import (  # noqa: F401
    _clean_narrative,
    create_narrative,
    narratives_for_practice,
    update_narrative,
)
from app.goodpractices.publishing import (  # noqa: F401
    _clean_outcome,
    copy_commitment_evidence,
    evidence_notes,
    first_line,
    is_publishable,
    practice_from_commitment,
    prefill_from_commitment,
    publish_commitment,
)
from app.goodpractices.recognition import (  # noqa: F401
    OutcomeCount,
    outcome_counts,
    recognise_practice,
    recognition_zones,
    recognitions,
    withdraw_recognition,
)
from app.goodpractices.relatos import (  # noqa: F401
    RelatosPage,
    encounter_narratives,
    narrative_search_text,
    readable_condition,
    school_narratives,
    search_narratives,
)
