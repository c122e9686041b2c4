"""Business rules of the practices area: record, edit, evidence, adoptions, visibility and search.

Every service takes the acting user explicitly, checks it with ``app.permissions``, validates its
input (raising ``ValidationError`` with Spanish messages per field) and flushes; the caller commits.

By concern: ``records`` (recording and editing a practice), ``evidence`` (its files), ``adoptions``
(another school adopts it), ``library`` (who sees which practices, the search and the cards).
"""

from __future__ import annotations

from app.practices.adoptions import (  # noqa: F401
    _clean_adoption,
    adopt_practice,
    update_adoption,
)
from app.practices.evidence import (  # noqa: F401
    add_evidence,
    evidence_folder,
    evidence_path,
    remove_evidence,
)
from app.practices.library import (  # noqa: F401
    PracticeCard,
    SearchTotal,
    _count,
    _counted_and_ranked,
    _good_practice_boost,
    _load_for_cards,
    _ranked_ids,
    _school_ids_of_zones,
    practice_cards,
    search_practices,
    visibility_condition,
    visible_practices,
)
from app.practices.records import (  # noqa: F401
    MAX_LINKS,
    MAX_PER_PAGE,
    MAX_RESOURCES,
    _apply,
    _clean_links,
    _clean_practice,
    _clean_problem,
    _clean_resources,
    _list,
    _text,
    create_practice,
    is_http_url,
    practice_search_text,
    update_practice,
)
