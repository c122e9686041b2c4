"""Gunicorn settings for the production processes (gunicorn reads ./gunicorn.conf.py by itself when
started from the project's folder; flags on the command line still win).

Only the garbage collector of each worker is tuned here; the benchmark in ``docs/benchmarks.md``
(live rooms) shows why. A worker holds every live-room connection of its process, ~150 tracked
Python objects each, and with CPython's default thresholds a full collection ran every few seconds
under 50 writes/s and stopped the whole worker — every room of it — for 150–300 ms each time; that
alone put the acknowledgement p99 over 300 ms. So, once the application is loaded:

* ``gc.freeze()`` moves the application's own objects (Flask, SQLAlchemy, Babel: ~150,000) out of
  every future collection (what the Python documentation advises for pre-forked servers);
* greenlets do not record the stack that spawned them (``GEVENT_TRACK_GREENLET_TREE=0``; one frame
  chain per greenlet, several greenlets per connection, used only for debugging);
* the third threshold (``GC_FULL_EVERY``, default 1000) makes a full collection wait for 1000
  collections of the middle generation instead of 10: under the benchmark's load once every ten
  minutes or so instead of every few seconds. The young generations are collected as usual, which
  is where the events' short-lived garbage goes (the live phase made almost none that lasted; joins
  do, and it waits for the next full collection).
"""

from __future__ import annotations

import gc
import os

# GC_TUNING=0 leaves CPython's and gevent's defaults (the benchmark's baseline case).
GC_TUNING = os.environ.get("GC_TUNING", "1") != "0"
GC_FULL_EVERY = int(os.environ.get("GC_FULL_EVERY", "1000"))
if GC_TUNING:
    os.environ.setdefault("GEVENT_TRACK_GREENLET_TREE", "0")  # read by gevent when the worker imports it


def post_worker_init(worker):
    """After the worker has loaded the application: freeze what is loaded, space out full collections."""
    if not GC_TUNING:
        return
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, GC_FULL_EVERY)
