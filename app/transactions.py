"""Work that must follow the database: run it when the transaction commits, or when it rolls back.

The semantics of Django's ``transaction.on_commit`` (on which Zulip's ``send_event_on_commit``
relies), for SQLAlchemy sessions and savepoints:

- ``on_commit(fn)`` runs ``fn`` once the outermost transaction commits; a rollback drops it.
- A savepoint (``session.begin_nested()``) that is rolled back drops only what was registered inside
  it; one that is released hands its work to the transaction around it.
- ``on_rollback(fn)`` is the other half: it runs when the transaction (or the savepoint) in which it
  was registered is rolled back, e.g. to delete a file written for a row that is not stored.

Room events, e-mail and file clean-up all use this one mechanism, so a client never sees, and nobody
is mailed about, what the database lost. A callback that fails is logged; the others still run,
since the data is already stored (or already gone).

>>> from sqlalchemy import create_engine
>>> from sqlalchemy.orm import Session
>>> ran = []
>>> with Session(create_engine("sqlite://")) as s:
...     on_commit(lambda: ran.append("outer"), session=s)
...     savepoint = s.begin_nested()
...     on_commit(lambda: ran.append("inner"), session=s)
...     savepoint.rollback()
...     s.commit()
>>> ran
['outer']
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)
_KEY = "transactions.pending"  # session.info[_KEY]: {SessionTransaction: _Work}


class _Work:
    __slots__ = ("commit", "rollback", "committed")

    def __init__(self) -> None:
        self.commit: list[Callable[[], object]] = []
        self.rollback: list[Callable[[], object]] = []
        self.committed = False


def _session(session) -> Session:
    if session is None:
        from app.extensions import db

        session = db.session
    # A scoped_session (Flask-SQLAlchemy's db.session) stands for the session of this thread.
    return session() if not isinstance(session, Session) and callable(session) else session


def _current(session: Session) -> SessionTransaction:
    """The innermost transaction in progress, begun now if none is (as the next statement would)."""
    if not session.in_transaction():
        session.begin()
    return _innermost(session)


def _work(session: Session, transaction: SessionTransaction) -> _Work:
    return session.info.setdefault(_KEY, {}).setdefault(transaction, _Work())


def on_commit(fn: Callable[[], object], *, session=None) -> None:
    """Run ``fn()`` after the outermost transaction of ``session`` (default: ``db.session``) commits."""
    s = _session(session)
    _work(s, _current(s)).commit.append(fn)


def on_rollback(fn: Callable[[], object], *, session=None) -> None:
    """Run ``fn()`` if the transaction or savepoint in progress is rolled back (or never committed)."""
    s = _session(session)
    _work(s, _current(s)).rollback.append(fn)


def pending(session=None) -> list[Callable[[], object]]:
    """What will run when ``session`` commits, innermost savepoint last (for tests and debugging)."""
    return [fn for work in _session(session).info.get(_KEY, {}).values() for fn in work.commit]


def _run(callbacks: list[Callable[[], object]], when: str) -> None:
    for fn in callbacks:
        try:
            fn()
        except Exception:  # the transaction is over either way; one failure must not stop the rest
            log.exception("falló una tarea posterior al %s: %r", when, fn)


# SQLAlchemy fires after_commit for a released savepoint as for the root, while the transaction that
# commits is still the session's innermost one; then after_transaction_end for every transaction
# that ends, committed or not (a rollback, or a session closed unfinished). So after_commit marks the
# work of the transaction that committed, and after_transaction_end decides.
def _innermost(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    work = session.info.get(_KEY, {}).get(_innermost(session))
    if work is not None:
        work.committed = True


@event.listens_for(Session, "after_transaction_end")
def _after_end(session: Session, transaction: SessionTransaction) -> None:
    pending_work = session.info.get(_KEY)
    if not pending_work or transaction not in pending_work:
        return
    work = pending_work.pop(transaction)
    if not work.committed:
        _run(work.rollback, "rollback")
    elif transaction.parent is not None:  # a released savepoint: its work now waits for the parent
        parent = _work(session, transaction.parent)
        parent.commit.extend(work.commit)
        parent.rollback.extend(work.rollback)
    else:
        _run(work.commit, "commit")
