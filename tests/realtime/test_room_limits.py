"""A person's contributions per session are capped without losing an acknowledged write; the
snapshot stays small with 1,000 contributions and older ones come page by page; the live limits
fail open to this process without Redis and forget a killed process's connections (issue 16)."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from app.extensions import db
from app.live.models import Contribution
from realtime import ratelimit
from realtime.rooms import LIVE_NAMESPACE as NS
from tests.realtime.world import quick_user

pytestmark = pytest.mark.usefixtures("db")


def emit(client, event, data):
    return client.emit(event, data, namespace=NS, callback=True)


def joined(sio_for, room, who):
    client = sio_for(room.people[who] if isinstance(who, str) else who)
    ack = emit(client, "join", {"group_id": room.group.id})
    assert ack["ok"], ack
    return client, ack["snapshot"]


def add(client, room, client_id, text="Una idea"):
    return emit(
        client,
        "contribution_add",
        {"group_id": room.group.id, "client_id": client_id, "kind": "propuesta", "text": text},
    )


# --- contributions per person per session -------------------------------------------------------


def test_a_person_reaches_the_contribution_cap_and_a_retry_is_still_acknowledged(
    app, room, sio_for, monkeypatch
):
    monkeypatch.setitem(app.config, "LIVE_CONTRIBUTIONS_PER_PERSON", 3)
    ana, _ = joined(sio_for, room, "docente_a")
    bruno, _ = joined(sio_for, room, "docente_b")
    assert all(add(ana, room, f"ana-{n}")["ok"] for n in range(3))
    over = add(ana, room, "ana-3")
    assert over["ok"] is False and over["error"] == "limite"
    assert "límite de 3 aportaciones" in over["errors"]["_"]
    # The third one's acknowledgement was lost: its retry is answered with the stored row.
    retry = add(ana, room, "ana-2")
    assert retry["ok"] and retry["duplicate"] is True
    # Others in the room still write.
    assert add(bruno, room, "bruno-0")["ok"]
    db.session.expire_all()
    stored = sorted(c.client_id for c in db.session.query(Contribution).all())
    assert stored == ["ana-0", "ana-1", "ana-2", "bruno-0"]


def test_the_cap_counts_what_the_table_holds(app, room, sio_for, monkeypatch):
    """The count is the table's: a contribution stored by another way (another process, an older
    version that kept the count elsewhere) counts as well."""
    monkeypatch.setitem(app.config, "LIVE_CONTRIBUTIONS_PER_PERSON", 2)
    ana, _ = joined(sio_for, room, "docente_a")
    db.session.add(
        Contribution(
            client_id="elsewhere-0",
            encounter_id=room.encounter.id,
            group_id=room.group.id,
            author_id=room.people["docente_a"].id,
            kind="pregunta",
            text="Guardada por otra vía",
        )
    )
    db.session.commit()
    assert add(ana, room, "old-1")["ok"]
    assert add(ana, room, "old-2")["error"] == "limite"
    # nothing over the cap was stored
    assert db.session.query(Contribution).filter_by(author_id=room.people["docente_a"].id).count() == 2


# --- the snapshot and older pages ----------------------------------------------------------------


def _fill(room, author, count: int) -> None:
    now_rows = [
        {
            "client_id": f"fill-{n}",
            "encounter_id": room.encounter.id,
            "group_id": room.group.id,
            "author_id": author.id,
            "kind": "pregunta",
            "text": f"Aportación número {n} " + "x" * 300,
            "is_hidden": False,
            "will_try": False,
        }
        for n in range(count)
    ]
    db.session.execute(db.insert(Contribution), now_rows)
    db.session.commit()


def test_the_snapshot_is_bounded_and_older_contributions_come_page_by_page(app, room, sio_for):
    _fill(room, room.people["docente_b"], 1000)
    ana, snap = joined(sio_for, room, "docente_a")
    size = app.config["LIVE_SNAPSHOT_CONTRIBUTIONS"]
    assert [c["client_id"] for c in snap["contributions"]] == [f"fill-{n}" for n in range(1000 - size, 1000)]
    assert snap["contributions_before"] == snap["contributions"][0]["id"]
    assert len(json.dumps(snap)) < 60_000  # 1,000 rows of ~330 characters were ~400 KB
    seen = [c["id"] for c in snap["contributions"]]
    cursor, pages = snap["contributions_before"], 0
    while cursor is not None:
        ack = emit(ana, "contributions_before", {"group_id": room.group.id, "before": cursor})
        if ack.get("error") == "demasiados_eventos":  # a fast machine reaches the event limit: wait, as
            time.sleep(ack["retry_after"])  # the room's client does, and ask again
            continue
        assert ack["ok"], ack
        assert 0 < len(ack["contributions"]) <= size
        seen = [c["id"] for c in ack["contributions"]] + seen
        cursor, pages = ack["before"], pages + 1
    assert pages == 1000 // size - 1
    assert len(seen) == len(set(seen)) == 1000 and seen == sorted(seen)


def test_the_resync_snapshot_over_http_is_paged_too(app, room, client, login_as):
    _fill(room, room.people["docente_b"], 120)
    login_as(room.people["docente_a"])
    snap = client.get(room.url + "/estado.json").get_json()
    assert len(snap["contributions"]) == app.config["LIVE_SNAPSHOT_CONTRIBUTIONS"]
    assert snap["contributions_before"] == snap["contributions"][0]["id"]


def test_older_pages_are_authorised_like_every_event(room, sio_for):
    _fill(room, room.people["docente_b"], 60)
    outsider = sio_for(room.people["director_otra_zona"])
    ack = emit(outsider, "contributions_before", {"group_id": room.group.id, "before": 10**6})
    assert ack["ok"] is False and ack["error"] == "prohibido"
    stranger = quick_user("docente", school=room.school_c)  # another group of the same encounter
    refused = emit(sio_for(stranger), "contributions_before", {"group_id": room.group.id, "before": 10**6})
    assert refused["error"] == "prohibido"
    ana, _ = joined(sio_for, room, "docente_a")
    assert (
        emit(ana, "contributions_before", {"group_id": room.group.id, "before": "x"})["error"] == "invalido"
    )


# --- the limits themselves -----------------------------------------------------------------------


def _config(**over):
    base = {
        "RATELIMIT_KEY_PREFIX": f"h2-test-{uuid.uuid4().hex[:8]}",
        "LIVE_EVENTS_PER_SECOND": 10,
        "LIVE_EVENTS_BURST": 20,
        "LIVE_PERSON_EVENTS_PER_SECOND": 10,
        "LIVE_PERSON_EVENTS_BURST": 30,
        "LIVE_ROOM_EVENTS_PER_SECOND": 40,
        "LIVE_ROOM_EVENTS_BURST": 120,
        "LIVE_MAX_CONNECTIONS_PER_PERSON": 2,
        "LIVE_MAX_REFUSED_EVENTS": 100,
        "REDIS_URL": None,
    }
    return {**base, **over}


def test_without_redis_the_limits_fail_open_to_this_process(caplog):
    """Redis unreachable: no error and no wait, the limits are counted in this process instead."""
    limits = ratelimit.LiveLimits(_config(REDIS_URL="redis://127.0.0.1:1/0"))
    start = time.perf_counter()
    results = [limits.take("sid", "persona") for _ in range(25)]
    assert time.perf_counter() - start < 3
    assert results[:20] == [None] * 20 and results[-1] is not None  # the connection's burst, in memory
    assert limits.connect("a", "persona") and limits.connect("b", "persona")
    assert not limits.connect("c", "persona")
    assert "sin Redis" in caplog.text


def test_a_killed_processs_connections_stop_counting(redis_url, monkeypatch):
    monkeypatch.setattr(ratelimit, "CONNECTION_TTL", 1)
    config = _config(REDIS_URL=redis_url)
    killed, survivor = ratelimit.LiveLimits(config), ratelimit.LiveLimits(config)
    try:
        assert killed.connect("k1", "persona") and killed.connect("k2", "persona")
        assert not survivor.connect("s1", "persona")  # the cap is shared through Redis
        survivor.connect("s-otra", "otra persona")
        killed._local.clear()  # SIGKILL: its connections are neither refreshed nor disconnected
        time.sleep(1.3)
        survivor.refresh()
        assert survivor.connect("s1", "persona")
    finally:
        survivor.reset()
