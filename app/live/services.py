"""The live room's services, by the public names every caller uses (split by concern below).

``room``: the room's row, its lock and version, publishing its events and the shared checks;
``snapshots``: decks, rows as the room shows them, the snapshot and joining; ``controls``: timer,
turns, slides and raised hands; ``writes``: contributions and commitments (idempotent by client id);
``followup``: editing a commitment until the close and the review of the previous commitments.
The session's agreements are the logbook's (app.logbook.room), in the snapshot by a signal.
Private helpers stay in the module that owns them.
"""

from __future__ import annotations

from app.live import closing  # noqa: F401  (connects the rooms to encounter_closed)
from app.live.controls import (
    can_present,
    change_slide,
    clear_hands,
    control_timer,
    give_floor,
    give_turn,
    lower_hand,
    raise_hand,
    send_reminder,
)
from app.live.followup import can_review, edit_commitment, review_commitment
from app.live.review_rows import previous_rows, review_dict
from app.live.room import (
    CONTRIBUTION_TEXT_MAX,
    HIDDEN_REASON_MAX,
    MAX_HANDS,
    STATE_KEYS,
    TIMER_ACTIONS,
    WILL_TRY_KINDS,
    edit_minutes,
    get_group,
    get_live_session,
)
from app.live.snapshots import (
    clear_deck_cache,
    commitment_dict,
    contribution_dict,
    contribution_page,
    join,
    leave,
    older_contributions,
    public_state,
    room_commitments,
    room_contributions,
    school_deck,
    snapshot,
)
from app.live.writes import (
    ContributionLimit,
    add_commitment,
    add_contribution,
    can_edit_contribution,
    can_mark_will_try,
    edit_contribution,
    hide_contribution,
    set_will_try,
)

__all__ = [
    "CONTRIBUTION_TEXT_MAX",
    "HIDDEN_REASON_MAX",
    "MAX_HANDS",
    "STATE_KEYS",
    "TIMER_ACTIONS",
    "WILL_TRY_KINDS",
    "ContributionLimit",
    "add_commitment",
    "add_contribution",
    "can_edit_contribution",
    "can_mark_will_try",
    "can_present",
    "can_review",
    "change_slide",
    "clear_deck_cache",
    "clear_hands",
    "commitment_dict",
    "contribution_dict",
    "contribution_page",
    "control_timer",
    "edit_commitment",
    "edit_contribution",
    "edit_minutes",
    "get_group",
    "get_live_session",
    "give_floor",
    "give_turn",
    "hide_contribution",
    "join",
    "leave",
    "lower_hand",
    "older_contributions",
    "previous_rows",
    "public_state",
    "raise_hand",
    "review_commitment",
    "review_dict",
    "room_commitments",
    "room_contributions",
    "school_deck",
    "send_reminder",
    "set_will_try",
    "snapshot",
]
