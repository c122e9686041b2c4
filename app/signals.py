"""Signals by which one area tells the others what happened, without importing them (blinker).

The acting area sends; the reacting area connects a receiver when it is imported. So the area that
acts never depends on the one that reacts, and the import graph stays one-way (tests/test_imports.py).
Receivers run inside the sender's transaction: what must wait for the commit registers itself with
``app.transactions.on_commit``.

==========================  ==================================  ============================================
signal                      sent by (sender, keyword arguments)  connected by
==========================  ==================================  ============================================
``room_event``              app.live: group id, ``event=``       realtime.publish (emits it after the commit)
``sessions_ended``          app.auth: the user, ``reason=``     realtime.auth (ends their live connections)
``encounter_closed``        app.encounters: the encounter       app.logbook (writes the minutes into the logbooks),
                                                                app.live (rooms turn read-only), app.advice
                                                                (opens the requests for outside advice)
``commitment_recorded``     app.commitments: the commitment,    app.logbook (into the school's logbook),
                            ``encounter=``                      app.advice (a late one asking for advice),
                                                                realtime.overview (the group's count)
``review_lines_requested``  app.encounters: the previous        app.commitments (answers the lines of the
                            encounter, ``school_ids=``          commitments made there), app.advice (the
                                                                schools' open requests for outside advice)
``schedulable_zones_requested``  app.encounters: the supervisor    app.contacts (the zones of schools that
                                                                proposed an encounter with one of theirs),
                                                                app.communities (the members' zones of the
                                                                communities the supervisor leads)
``agreement_recorded``      app.logbook: the agreement,         realtime.overview (the encounter overview's
                            ``encounter=``                      count of the group's agreements)
``commitment_followed``     app.commitments: the progress note, app.logbook (a *Seguimiento* entry in the
                            ``commitment=``, ``encounter=``     school's logbook)
``overview_counts_requested``  app.live: the encounter          app.logbook (each group's agreements:
                            (the supervisor's overview)         ``{group_id: {"agreement": (n, last id)}}``)
``snapshot_rows_requested``  app.live: the group (a room's       app.logbook (the session's agreements:
                            snapshot)                           ``{"agreements": [...]}``)
==========================  ==================================  ============================================
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

room_event = _signals.signal("room-event", doc="A live room's event (a dict of app.live.events) to publish.")
sessions_ended = _signals.signal(
    "sessions-ended", doc="A person's sessions ended (logout, new password, account disabled, all closed)."
)
commitment_recorded = _signals.signal("commitment-recorded", doc="A new commitment was stored.")
review_lines_requested = _signals.signal(
    "review-lines-requested", doc="The next agenda asks for the lines of the previous commitments."
)
encounter_closed = _signals.signal("encounter-closed", doc="An encounter was concluded.")
schedulable_zones_requested = _signals.signal(
    "schedulable-zones-requested", doc="Which other zones may a supervisor add to an encounter."
)
overview_counts_requested = _signals.signal(
    "overview-counts-requested", doc="The encounter overview asks other areas for counts per group."
)
commitment_followed = _signals.signal(
    "commitment-followed", doc="A commitment's status was followed up in an encounter's review."
)
agreement_recorded = _signals.signal("agreement-recorded", doc="A new agreement was stored.")
snapshot_rows_requested = _signals.signal(
    "snapshot-rows-requested", doc="A live room's snapshot asks other areas for their rows of the group."
)
