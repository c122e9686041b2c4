"""gunicorn.conf.py: what each production worker does to its garbage collector once the app is loaded."""

from __future__ import annotations

import gc
import os
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def test_worker_init_freezes_the_loaded_app_and_spaces_out_full_collections(monkeypatch):
    monkeypatch.delenv("GC_FULL_EVERY", raising=False)
    before = gc.get_threshold()
    conf = runpy.run_path(str(CONF))
    try:
        conf["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000  # the test process's modules, like a worker's app
        assert gc.get_threshold() == (before[0], before[1], 1000)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_full_collection_spacing_is_configurable(monkeypatch):
    monkeypatch.setenv("GC_FULL_EVERY", "50")
    before = gc.get_threshold()
    conf = runpy.run_path(str(CONF))
    try:
        conf["post_worker_init"](None)
        assert gc.get_threshold()[2] == 50
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_greenlets_do_not_record_their_spawning_stack_unless_asked(monkeypatch):
    monkeypatch.setenv("GEVENT_TRACK_GREENLET_TREE", "placeholder")  # restored after the test
    monkeypatch.delenv("GEVENT_TRACK_GREENLET_TREE")
    runpy.run_path(str(CONF))
    assert gc.isenabled()
    assert os.environ["GEVENT_TRACK_GREENLET_TREE"] == "0"
    monkeypatch.setenv("GEVENT_TRACK_GREENLET_TREE", "1")
    runpy.run_path(str(CONF))
    assert os.environ["GEVENT_TRACK_GREENLET_TREE"] == "1"


def test_gc_tuning_can_be_left_out_for_a_baseline(monkeypatch):
    monkeypatch.setenv("GC_TUNING", "0")
    monkeypatch.setenv("GEVENT_TRACK_GREENLET_TREE", "placeholder")
    monkeypatch.delenv("GEVENT_TRACK_GREENLET_TREE")
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    conf = runpy.run_path(str(CONF))
    conf["post_worker_init"](None)
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
    assert "GEVENT_TRACK_GREENLET_TREE" not in os.environ
