"""app.transactions: work that follows the transaction, savepoints included (Django's on_commit)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import transactions


def test_runs_after_commit_and_not_before(db):
    ran = []
    transactions.on_commit(lambda: ran.append("x"))
    db.session.execute(text("SELECT 1"))
    db.session.flush()
    assert ran == []
    db.session.commit()
    assert ran == ["x"]
    db.session.commit()  # a later commit does not run it again
    assert ran == ["x"]


def test_rollback_drops_commit_work_and_runs_rollback_work(db):
    ran = []
    transactions.on_commit(lambda: ran.append("commit"))
    transactions.on_rollback(lambda: ran.append("rollback"))
    db.session.rollback()
    db.session.commit()
    assert ran == ["rollback"]


def test_savepoint_rolled_back_after_an_event_was_queued_keeps_the_event(db):
    """The fault of realtime.publish: any rollback dropped every queued event, savepoints included."""
    ran = []
    transactions.on_commit(lambda: ran.append("event"))
    savepoint = db.session.begin_nested()
    transactions.on_commit(lambda: ran.append("inside savepoint"))
    transactions.on_rollback(lambda: ran.append("savepoint undone"))
    savepoint.rollback()
    assert ran == ["savepoint undone"]
    db.session.commit()
    assert ran == ["savepoint undone", "event"]


def test_released_savepoint_hands_its_work_to_the_outer_transaction(db):
    ran = []
    with db.session.begin_nested():
        transactions.on_commit(lambda: ran.append("inner commit"))
        transactions.on_rollback(lambda: ran.append("inner rollback"))
    assert ran == []
    assert len(transactions.pending()) == 1
    db.session.rollback()  # the outer rollback undoes the released savepoint too
    assert ran == ["inner rollback"]
    db.session.commit()
    assert ran == ["inner rollback"]


def test_nested_savepoints(db):
    ran = []
    with db.session.begin_nested():
        transactions.on_commit(lambda: ran.append(1))
        inner = db.session.begin_nested()
        transactions.on_commit(lambda: ran.append(2))
        inner.rollback()
        transactions.on_commit(lambda: ran.append(3))
    db.session.commit()
    assert ran == [1, 3]


def test_a_failing_callback_does_not_stop_the_others(db, caplog):
    ran = []

    def boom():
        raise RuntimeError("no")

    transactions.on_commit(boom)
    transactions.on_commit(lambda: ran.append("after"))
    db.session.commit()
    assert ran == ["after"]
    assert "RuntimeError" in caplog.text


def test_closed_session_counts_as_a_rollback(db):
    ran = []
    transactions.on_commit(lambda: ran.append("commit"))
    transactions.on_rollback(lambda: ran.append("rollback"))
    db.session.close()
    db.session.commit()
    assert ran == ["rollback"]


@pytest.mark.parametrize("outcome", ["commit", "rollback"])
def test_work_is_per_session(app, db, outcome):
    """Another session's commit or rollback leaves this session's work alone."""
    from sqlalchemy.orm import Session

    ran = []
    transactions.on_commit(lambda: ran.append("mine"))
    with Session(db.engine) as other:
        transactions.on_commit(lambda: ran.append("other"), session=other)
        getattr(other, outcome)()
    assert ran == (["other"] if outcome == "commit" else [])
    db.session.commit()
    assert ran[-1] == "mine"
