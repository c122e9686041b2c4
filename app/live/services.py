"""The live room's services, by the public names every caller uses (split by concern below).

``room``: the room's row, its lock and version, publishing its events and the shared checks;
``snapshots``: decks, rows as the room shows them, the snapshot and joining; ``controls``: timer,
turns, slides and raised hands; ``writes``: contributions and commitments (idempotent by client id).
"""

from __future__ import annotations

from app.live.controls import (  # noqa: F401
    _deck_outline,
    _remaining,
    _set_turn,
    _turn_deck,
    can_present,
    change_slide,
    clear_hands,
    control_timer,
    give_floor,
    give_turn,
    lower_hand,
    raise_hand,
)
from app.live.room import (  # noqa: F401
    CONTRIBUTION_TEXT_MAX,
    HIDDEN_REASON_MAX,
    MAX_HANDS,
    STATE_KEYS,
    TIMER_ACTIONS,
    WILL_TRY_KINDS,
    _full_state,
    _group_problem_ids,
    _initial_state,
    _lock_row,
    _locked,
    _member_school_id,
    _publish,
    _publish_row,
    _require,
    _require_open,
    edit_minutes,
    get_group,
    get_live_session,
)
from app.live.snapshots import (  # noqa: F401
    _DECKS,
    _DECKS_MAX,
    _UNSET,
    _pdf_url,
    _record_attendance_from_room,
    _snapshot_deck,
    clear_deck_cache,
    commitment_dict,
    contribution_dict,
    join,
    leave,
    public_state,
    room_commitments,
    room_contributions,
    school_deck,
    snapshot,
)
from app.live.writes import (  # noqa: F401
    _NO_UPSERT,
    _UPSERTS,
    _column_defaults,
    _contribution_in,
    _insert_unless_taken,
    _upsert_statement,
    add_commitment,
    add_contribution,
    can_edit_contribution,
    can_mark_will_try,
    edit_contribution,
    hide_contribution,
    set_will_try,
)
