"""``Practice.has_evidence`` follows the evidence rows, however they are added or removed, and the
library's "con evidencia" filter and ranking read it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.practices import services
from app.practices.models import Evidence, Practice
from tests import factories


def _stored_flag(practice: Practice) -> bool:
    db.session.expire_all()
    return db.session.execute(select(Practice.has_evidence).filter_by(id=practice.id)).scalar_one()


def _evidence(practice: Practice, name: str) -> Evidence:
    evidence = Evidence(
        practice=practice, original_name="foto.png", stored_name=name, mime_type="image/png", size=10
    )
    db.session.add(evidence)
    db.session.commit()
    return evidence


def test_the_flag_follows_the_evidence_rows(world, categories):
    practice = factories.create_practice(world.school, title="Huerto", search_text="huerto escolar")
    other = factories.create_practice(world.school, title="Lectura", search_text="lectura en voz alta")
    assert _stored_flag(practice) is False
    first, second = _evidence(practice, "e1.png"), _evidence(practice, "e2.png")
    assert (_stored_flag(practice), _stored_flag(other)) == (True, False)
    db.session.delete(db.session.get(Evidence, first.id))
    db.session.commit()
    assert _stored_flag(practice) is True  # one is left
    db.session.delete(db.session.get(Evidence, second.id))
    db.session.commit()
    assert _stored_flag(practice) is False


def test_a_rolled_back_evidence_leaves_no_flag(world, categories):
    practice = factories.create_practice(world.school, title="Huerto", search_text="huerto escolar")
    db.session.add(
        Evidence(
            practice=practice, original_name="f.png", stored_name="r.png", mime_type="image/png", size=10
        )
    )
    db.session.flush()
    db.session.rollback()
    assert _stored_flag(practice) is False


@pytest.mark.parametrize("q", ["huerto", None], ids=["query", "no-query"])
def test_with_evidence_filter_reads_the_flag(world, categories, q):
    with_files = factories.create_practice(
        world.school, title="Huerto A", search_text="huerto a", visibility="todos"
    )
    factories.create_practice(world.school, title="Huerto B", search_text="huerto b", visibility="todos")
    _evidence(with_files, "a.png")
    found, total = services.search_practices(world.people["admin"], q=q, with_evidence=True)
    assert [p.id for p in found] == [with_files.id] and total == 1


def test_evidence_weighs_in_the_ranking(world, categories):
    plain = factories.create_practice(
        world.school, title="Huerto", search_text="huerto escolar", visibility="todos"
    )
    shown = factories.create_practice(
        world.school, title="Huerto", search_text="huerto escolar", visibility="todos"
    )
    # Same words; the older one has evidence, so it ranks first although ties go to the newest.
    assert [p.id for p in services.search_practices(world.people["admin"], q="huerto")[0]] == [
        shown.id,
        plain.id,
    ]
    _evidence(plain, "p.png")
    assert [p.id for p in services.search_practices(world.people["admin"], q="huerto")[0]] == [
        plain.id,
        shown.id,
    ]
