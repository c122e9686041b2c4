"""TEMPORARY timing probe (deleted after measuring)."""
import time
import statistics
from tests.realtime.test_statement_counts import emit
import pytest

pytestmark = pytest.mark.usefixtures("db")


def test_timing(room, sio_for, monkeypatch):
    from realtime import namespaces
    monkeypatch.setattr(namespaces, 'buckets', namespaces.TokenBuckets(rate=1e9, capacity=1e9))
    gid = room.group.id
    f = sio_for(room.people["facilitador"]); a = sio_for(room.people["docente_a"]); b = sio_for(room.people["director_b"])
    for c in (f, a, b):
        emit(c, "join", {"group_id": gid})
    emit(f, "turn", {"group_id": gid, "school_id": room.school_a.id})
    n = len([1])
    slide, contrib = [], []
    for i in range(200):
        t = time.perf_counter(); emit(a, "slide", {"group_id": gid, "slide": i % 2}); slide.append(time.perf_counter() - t)
        t = time.perf_counter(); emit(b, "contribution_add", {"group_id": gid, "client_id": f"t{i}", "kind": "pregunta", "text": "¿?"}); contrib.append(time.perf_counter() - t)
    print("slide ms median", round(statistics.median(slide) * 1000, 2), "contribution ms median", round(statistics.median(contrib) * 1000, 2))
