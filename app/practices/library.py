"""The practice library: who may see which practices, the full-text search with its filters and
ranking (a window of recent matches ranked, an exact or capped count), and the cards it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Select, and_, any_, bindparam, case, false, func, or_, select, true
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import joinedload, selectinload

from app import permissions
from app.catalogue.models import School
from app.extensions import db
from app.practices.models import (
    Evidence,
    Practice,
    practice_categories,
)
from app.practices.records import MAX_PER_PAGE
from app.practices.search import (  # noqa: F401
    COUNT_LIMIT,
    RANK_WINDOW,
    TextSearch,
    category_tag,
    query_terms,
    text_search,
)
from app.problems.models import Category


def visibility_condition(actor):
    """The SQL condition (over ``practices`` alone) of what ``actor`` may see.

    It is ``app.permissions.can_view_practice`` written as SQL; tests check they agree. Zones become
    the ids of their schools (read first, see ``_school_ids_of_zones``), so that checking a practice
    reads only its own row: no join to ``schools`` for each of thousands of search matches.
    """
    if not permissions._authenticated(actor):
        return false()
    if permissions.is_admin(actor):
        return true()
    sees_all_of: list = []
    zone_ids: set[int] = set()
    if actor.role in ("director", "docente") and actor.school_id is not None:
        sees_all_of.append(Practice.school_id == actor.school_id)
    if actor.role == "supervisor" and actor.zone_id is not None:
        sees_all_of.append(Practice.school_id.in_(_school_ids_of_zones({actor.zone_id})))
    if actor.role == "asesor":
        school_ids = {s.id for s in actor.advised_schools}
        advised_zone_ids = {z.id for z in actor.advised_zones}
        if school_ids:
            sees_all_of.append(Practice.school_id.in_(school_ids))
        if advised_zone_ids:
            sees_all_of.append(Practice.school_id.in_(_school_ids_of_zones(advised_zone_ids)))
        zone_ids |= advised_zone_ids | {s.zone_id for s in actor.advised_schools if s.zone_id}
    own_zone = permissions.user_zone_id(actor)
    if own_zone is not None:
        zone_ids.add(own_zone)
    conditions = [*sees_all_of, Practice.visibility == "todos"]
    if zone_ids:
        conditions.append(
            and_(Practice.visibility == "zona", Practice.school_id.in_(_school_ids_of_zones(zone_ids)))
        )
    return or_(*conditions)


def _school_ids_of_zones(zone_ids: set[int]) -> list[int]:
    """The ids of the schools of ``zone_ids`` (a zone has a few dozen).

    Read first and written into the condition as a list, not left as a subquery: PostgreSQL can
    then answer ``visibility = 'zona' AND school_id IN (…)`` from the indexes of both columns and
    AND the result with the full-text index, instead of reading every text match to check it.
    """
    return list(
        db.session.execute(
            select(School.id).where(School.zone_id.in_(sorted(zone_ids))).order_by(School.id)
        ).scalars()
    )


def visible_practices(actor) -> Select:
    """A ``select(Practice)`` (joined to its school) of the practices ``actor`` may see."""
    return select(Practice).join(School, Practice.school_id == School.id).where(visibility_condition(actor))


def search_practices(
    actor,
    *,
    q: str | None = None,
    level: str | None = None,
    category: str | None = None,
    zone_id: int | None = None,
    with_evidence: bool | None = None,
    page: int = 1,
    per_page: int = 20,
    recognised: bool | None = None,
    outcome: str | None = None,
    count_limit: int | None = None,
) -> tuple[list[Practice], SearchTotal]:
    """One page of the practices ``actor`` may see that match the filters, and the total.

    With a query, best matches first (bm25 on SQLite, ts_rank on PostgreSQL, weighed up for
    recognised good practices and practices with evidence); otherwise newest first. ``recognised``
    keeps only good practices recognised by a zone, ``outcome`` only those whose authors judge
    their results so (an ``OUTCOMES`` key).
    When more than ``RANK_WINDOW`` practices match, the most recent ``RANK_WINDOW`` of them are ranked
    and the older ones follow, newest first.
    With ``count_limit``, counting stops past ``max(count_limit, page × per_page)`` matches (a
    word found in most practices would otherwise cost a count of tens of thousands): the total is
    then that bound plus one, with ``is_estimate`` true, meaning "more than ``total - 1``".
    """
    page = max(int(page or 1), 1)
    per_page = min(max(int(per_page or 20), 1), MAX_PER_PAGE)
    offset = (page - 1) * per_page
    stmt = select(Practice.id)
    if not permissions.is_admin(actor):
        stmt = stmt.where(visibility_condition(actor))
    if level:
        stmt = stmt.where(Practice.level == level)
    terms = query_terms(q)
    # With words to search, the category is one more word of the full-text match (below). Without:
    # IN (uncorrelated subquery), built once, then probed for each practice, where a correlated
    # EXISTS would run its join again for every one of thousands of them.
    if category and not terms:
        # A join inside the subquery, not a nested IN: SQLite then reads practice_categories through
        # its category_id index instead of scanning it whole (40 ms at 100,000 practices).
        stmt = stmt.where(
            Practice.id.in_(
                select(practice_categories.c.practice_id)
                .join(Category, Category.id == practice_categories.c.category_id)
                .where(Category.code == category)
            )
        )
    if zone_id is not None:
        stmt = stmt.where(Practice.school_id.in_(_school_ids_of_zones({zone_id})))
    if with_evidence:
        stmt = stmt.where(Practice.has_evidence.is_(True))
    if recognised:
        stmt = stmt.where(Practice.is_recognised.is_(True))
    if outcome:
        stmt = stmt.where(Practice.outcome == outcome)
    if q and q.strip() and not terms:
        return [], SearchTotal(0)  # only stop words or symbols: nothing to look for
    bound = None if count_limit is None else max(count_limit, offset + per_page)
    if terms:
        # A category is one more word to match, so the full-text index answers it too.
        search = text_search(
            stmt, db.engine.dialect.name, terms, Practice.id, (category_tag(category),) if category else ()
        )
        # Both scores keep their sign when multiplied: a boost > 1 is better for bm25 and ts_rank.
        search = search._replace(score=search.score * _good_practice_boost())
        if search.score_after_window and bound is not None and bound <= RANK_WINDOW:
            total, ids = _counted_and_ranked(search, bound, offset, per_page)
        else:
            total = _count(search.stmt, bound)
            ids = _ranked_ids(search, offset, per_page)
    else:
        total = _count(stmt, bound)
        ids = list(
            db.session.execute(
                stmt.order_by(Practice.created_at.desc(), Practice.id.desc()).limit(per_page).offset(offset)
            ).scalars()
        )
    return _load_for_cards(ids), total


def _good_practice_boost():
    """How much a text match weighs: ×1.5 if recognised as a good practice, ×1.25 with evidence."""
    return (
        1.0
        + case((Practice.is_recognised.is_(True), 0.5), else_=0.0)
        + case((Practice.has_evidence.is_(True), 0.25), else_=0.0)
    )


class SearchTotal(int):
    """How many practices a search found; ``is_estimate``: more than ``self - 1``, not exactly so.

    >>> total = SearchTotal(1001, is_estimate=True)
    >>> total == 1001, total.is_estimate, SearchTotal(7).is_estimate
    (True, True, False)
    """

    is_estimate: bool

    def __new__(cls, value: int, *, is_estimate: bool = False) -> SearchTotal:
        total = super().__new__(cls, value)
        total.is_estimate = is_estimate
        return total


def _count(stmt: Select, bound: int | None = None) -> SearchTotal:
    """The rows of ``stmt``; with ``bound``, at most ``bound + 1`` of them (an estimate past it)."""
    if bound is not None:
        stmt = stmt.limit(bound + 1)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    return SearchTotal(total, is_estimate=bound is not None and total > bound)


def _counted_and_ranked(
    search: TextSearch, bound: int, offset: int, limit: int
) -> tuple[SearchTotal, list[int]]:
    """The total (up to ``bound``) and one page's ids, walking the matches once (PostgreSQL).

    The most recent ``RANK_WINDOW + 1`` matches are the window to rank and, counted, the total:
    fewer means every match is there (an exact count); more means "more than ``bound``". Counting
    in a separate statement would read the same rows, often thousands of them, a second time. The
    page (``offset + limit <= bound <= RANK_WINDOW``) is then ranked among the window's ids alone.
    """
    recent = list(
        db.session.execute(
            search.stmt.order_by(*(c.desc() for c in search.recency)).limit(RANK_WINDOW + 1)
        ).scalars()
    )
    total = SearchTotal(min(len(recent), bound + 1), is_estimate=len(recent) > bound)
    window = recent[:RANK_WINDOW]
    if not window:
        return total, []
    ids = list(
        db.session.execute(
            select(Practice.id)
            .where(Practice.id == any_(bindparam("window_ids", window, type_=postgresql.ARRAY(Integer))))
            .order_by(search.score.desc(), Practice.id.desc())
            .limit(limit)
            .offset(offset)
        ).scalars()
    )
    return total, ids


def _ranked_ids(search: TextSearch, offset: int, limit: int) -> list[int]:
    """Ids of one page: the ranked window first, then older matches newest first."""
    ids: list[int] = []
    if offset < RANK_WINDOW:
        if search.score_after_window:
            # The window's ids first, then the score of those rows only.
            recent = search.stmt.order_by(*(c.desc() for c in search.recency)).limit(RANK_WINDOW).subquery()
            window = (
                select(Practice.id.label("id"), search.score.label("score"))
                .join(recent, recent.c.id == Practice.id)
                .subquery()
            )
        else:
            window = (
                search.stmt.add_columns(search.score.label("score"))
                .order_by(*(c.desc() for c in search.recency))
                .limit(RANK_WINDOW)
                .subquery()
            )
        best = window.c.score.desc() if search.higher_is_better else window.c.score.asc()
        ids = list(
            db.session.execute(
                select(window.c.id).order_by(best, window.c.id.desc()).limit(limit).offset(offset)
            ).scalars()
        )
    if len(ids) < limit and offset + len(ids) >= RANK_WINDOW:  # the page goes past the window
        start = max(offset, RANK_WINDOW)
        ids += (
            db.session.execute(
                search.stmt.order_by(*(c.desc() for c in search.recency))
                .limit(limit - len(ids))
                .offset(start)
            )
            .scalars()
            .all()
        )
    return ids


def _load_for_cards(ids: list[int]) -> list[Practice]:
    """The practices of ``ids``, in that order, with what their cards show already loaded."""
    if not ids:
        return []
    found = {
        p.id: p
        for p in db.session.execute(
            select(Practice)
            .where(Practice.id.in_(ids))
            .options(
                joinedload(Practice.school).joinedload(School.zone),
                selectinload(Practice.categories),
                selectinload(Practice.evidence),
                selectinload(Practice.adoptions),
            )
        )
        .unique()
        .scalars()
    }
    return [found[i] for i in ids if i in found]


@dataclass
class PracticeCard:
    """What a library card shows about a practice."""

    practice: Practice
    evidence_count: int
    adoption_count: int
    thumbnail: Evidence | None


def practice_cards(practices: list[Practice]) -> list[PracticeCard]:
    """Cards for a page of practices (their evidence and adoptions already loaded)."""
    return [
        PracticeCard(p, len(p.evidence), len(p.adoptions), next((e for e in p.evidence if e.is_image), None))
        for p in practices
    ]
