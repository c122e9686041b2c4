"""Notifications inside the platform, and by e-mail when SMTP is configured.

Services call ``notify`` (rows are flushed with the rest of the work). E-mails wait for the commit
(``app.transactions.on_commit``); a rollback, or a savepoint rolled back around them, drops them, so
nobody gets a message about something the database lost.
"""

from __future__ import annotations

from functools import partial

from flask import current_app, has_app_context

from app.auth.models import User
from app.encounters.models import Encounter, Notification
from app.extensions import db
from app.transactions import on_commit
from app.urls import absolute_url
from app.utils import utcnow


def encounter_path(encounter: Encounter) -> str:
    """The encounter's page, as a path (services have no request to build URLs with)."""
    return f"/encuentros/{encounter.id}"


def people_of_schools(school_ids) -> list[User]:
    """The active directors and teachers of these schools."""
    ids = list(school_ids)
    if not ids:
        return []
    return list(
        db.session.execute(
            db.select(User)
            .where(User.school_id.in_(ids), User.role.in_(("director", "docente")), User.is_active.is_(True))
            .order_by(User.id)
        ).scalars()
    )


def notify(
    users,
    kind: str,
    message: str,
    *,
    url: str | None = None,
    dedupe_key: str | None = None,
    mail_subject: str | None = None,
) -> list[Notification]:
    """Give each user a notification; an unread one with the same ``dedupe_key`` is refreshed."""
    created = []
    for user in users:
        existing = None
        if dedupe_key:
            existing = (
                db.session.execute(
                    db.select(Notification)
                    .filter_by(user_id=user.id, dedupe_key=dedupe_key)
                    .where(Notification.read_at.is_(None))
                )
                .scalars()
                .first()
            )
        if existing is not None:
            existing.message = message[:500]
            existing.url = url
            existing.created_at = utcnow()
            created.append(existing)
        else:
            row = Notification(
                user_id=user.id, kind=kind, message=message[:500], url=url, dedupe_key=dedupe_key
            )
            db.session.add(row)
            created.append(row)
        if mail_subject and user.email:
            queue_mail(user.email, mail_subject, _mail_body(user, message, url))
    db.session.flush()
    return created


def _mail_body(user: User, message: str, url: str | None) -> str:
    link = ""
    if url:
        link = f"\n\nConsúltalo en la plataforma: {absolute_url(url)}"
    return f"Hola, {user.name}:\n\n{message}{link}\n\nAprendizaje entre Escuelas · Consejo Técnico Escolar\n"


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send an e-mail after the commit (off the worker when a job queue is configured); nothing
    without SMTP."""
    if not has_app_context() or not current_app.config["MAIL_SERVER"]:
        return
    from app import jobs
    from app.auth.mail import send_mail

    # After the commit, off the live worker when a job queue is configured (app.jobs); partial:
    # this message's values, bound now.
    on_commit(partial(jobs.enqueue, send_mail, to, subject, body))


def unread_count(user) -> int:
    """How many unread notifications the user has."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return (
        db.session.scalar(
            db.select(db.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def notifications_for(user, *, limit: int = 100) -> list[Notification]:
    """The user's notifications, newest first."""
    return list(
        db.session.execute(
            db.select(Notification)
            .filter_by(user_id=user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the user's notifications as read; how many changed."""
    query = db.select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    rows = db.session.execute(query).scalars().all()
    now = utcnow()
    for row in rows:
        row.read_at = now
    db.session.flush()
    return len(rows)
