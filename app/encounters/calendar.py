"""iCalendar (.ics) files: one per encounter, and each person's feed behind a secret URL.

Each group of an encounter is one VEVENT (its place differs); a school's people get their own
group's event. Times are written in UTC. The feed URL is a capability: only its SHA-256 is stored,
and whoever has the URL reads the calendar, so it can be regenerated (the old one stops working).
"""

from __future__ import annotations

import re

from icalendar import Calendar, Event

from app.auth.models import User
from app.dates import display_timezone
from app.encounters import services
from app.encounters.models import CalendarFeed, Encounter, EncounterGroup
from app.extensions import db
from app.utils import as_utc, hash_token, new_token, utcnow

PRODID = "-//Aprendizaje entre Escuelas//Encuentros//ES"
UID_DOMAIN = "aprendizaje-entre-escuelas"
ICS_STATUS = {
    "borrador": "TENTATIVE",
    "programado": "CONFIRMED",
    "en_curso": "CONFIRMED",
    "concluido": "CONFIRMED",
}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


def ics_text(value: str, *, one_line: bool = False) -> str:
    """Text as iCalendar takes it: line breaks as "\\n" only (icalendar escapes those; a bare "\\r"
    made it fail, a 500) and no other control characters; a one-line property gets spaces.

    >>> ics_text("Encuentro\\r\\nBEGIN:VEVENT\\rx", one_line=True)
    'Encuentro BEGIN:VEVENT x'
    >>> ics_text("a\\r\\nb\\x0bc")
    'a\\nb c'
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    return re.sub(r"\s*\n\s*", " ", text).strip() if one_line else text


def agenda_text(group: EncounterGroup) -> str:
    """The group's agenda as plain text lines with local times."""
    tz = display_timezone()
    lines = []
    for item, start, end in services.agenda_with_times(group):
        lines.append(f"{start.astimezone(tz):%H:%M}–{end.astimezone(tz):%H:%M}  {item.title}")
    return "\n".join(lines)


def _event(encounter: Encounter, group: EncounterGroup | None, *, base_url: str) -> Event:
    event = Event()
    uid = f"encuentro-{encounter.id}" + (f"-grupo-{group.id}" if group is not None else "")
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", as_utc(encounter.updated_at) or utcnow())
    event.add("dtstart", as_utc(encounter.starts_at))
    event.add("dtend", as_utc(encounter.ends_at))
    summary = (
        encounter.title
        if group is None or len(encounter.groups) < 2
        else f"{encounter.title} · {group.label}"
    )
    event.add("summary", ics_text(summary, one_line=True))
    event.add("status", ICS_STATUS.get(encounter.status, "CONFIRMED"))
    description = [f"Modalidad: {encounter.modality_label}"]
    if group is not None:
        description.append(
            "Escuelas: " + ", ".join(f"{m.school.name} ({m.school.cct})" for m in group.schools)
        )
        facilitator = group.facilitator.name if group.facilitator else group.facilitator_name
        if facilitator:
            description.append(f"Facilita: {facilitator}")
        if group.agenda:
            description.append("")
            description.append("Agenda:")
            description.append(agenda_text(group))
        location = services.host_location(group)
        if location:
            event.add("location", ics_text(location, one_line=True))
    if encounter.notes:
        description.extend(["", encounter.notes])
    url = f"{base_url.rstrip('/')}/encuentros/{encounter.id}" if base_url else None
    if url:
        description.extend(["", url])
        event.add("url", url)
    event.add("description", ics_text("\n".join(description)))
    return event


def groups_for(encounter: Encounter, user: User | None) -> list[EncounterGroup]:
    """The groups whose event this person gets: their school's (or facilitated) one, else all."""
    if user is not None and user.role in ("director", "docente"):
        group = services.my_group(encounter, user)
        if group is not None:
            return [group]
    return list(encounter.groups)


def calendar_bytes(
    encounters, *, user: User | None = None, base_url: str = "", name: str = "Encuentros"
) -> bytes:
    """An iCalendar file with the events of these encounters."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", ics_text(name, one_line=True))
    for encounter in encounters:
        groups = groups_for(encounter, user)
        if not groups:
            calendar.add_component(_event(encounter, None, base_url=base_url))
        for group in groups:
            calendar.add_component(_event(encounter, group, base_url=base_url))
    return calendar.to_ical()


def feed_for(user: User) -> CalendarFeed | None:
    """The person's feed, if they created one."""
    return db.session.execute(db.select(CalendarFeed).filter_by(user_id=user.id)).scalar_one_or_none()


def create_feed(*, actor: User) -> str:
    """Create (or regenerate) the person's secret feed; the token, shown only once."""
    token, digest = new_token()
    feed = feed_for(actor)
    if feed is None:
        feed = CalendarFeed(user_id=actor.id, token_hash=digest)
        db.session.add(feed)
    else:
        feed.token_hash = digest
        feed.created_at = utcnow()
    db.session.flush()
    return token


def delete_feed(*, actor: User) -> bool:
    """Turn the person's feed off; whether there was one."""
    feed = feed_for(actor)
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    return True


def feed_owner(token: str) -> User | None:
    """The active person a feed token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    feed = db.session.execute(
        db.select(CalendarFeed).filter_by(token_hash=hash_token(token))
    ).scalar_one_or_none()
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    return user if user is not None and user.is_active else None


def feed_encounters(user: User) -> list[Encounter]:
    """The encounters of the person's school or zone that are announced (not drafts)."""
    return list(
        db.session.execute(
            services.visible_encounters_query(user)
            .where(Encounter.status != "borrador")
            .order_by(Encounter.starts_at.desc())
            .limit(200)
        ).scalars()
    )
