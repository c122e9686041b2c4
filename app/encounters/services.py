"""The encounters area's services, by the public names every caller uses (split by concern below).

``queries``: look-ups, visibility and the shared checks; ``scheduling``: creating, scheduling,
starting and deleting encounters; ``groups``: the groups of schools; ``agendas``: the agenda of each
group and attendance; ``presentations``: each school's presentation (generated or its own PDF).
Closing an encounter is ``closing``.
"""

from __future__ import annotations

from app.encounters.agendas import (  # noqa: F401
    _clean_item,
    _require_agenda_editable,
    add_agenda_item,
    agenda_with_times,
    attendance_by_school,
    attendance_schools,
    build_agenda,
    mark_present_from_room,
    previous_meeting,
    record_attendance,
    reset_agenda,
    review_lines,
    sync_turns,
    update_agenda,
)
from app.encounters.groups import (  # noqa: F401
    _add_group,
    _apply_group,
    _check_group,
    _clean_group,
    add_group,
    delete_group,
    update_group,
)
from app.encounters.presentations import (  # noqa: F401
    PAGE_TEXT_LIMIT,
    _presentation_for_edit,
    check_presentation_pdf,
    extract_pdf_text,
    get_presentation,
    readiness,
    save_presentation,
    selectable_problems,
    upload_presentation_pdf,
)
from app.encounters.queries import (  # noqa: F401
    EDITABLE_STATUSES,
    MAX_AGENDA_MINUTES,
    MAX_ASK_LENGTH,
    OPEN_PROBLEM_STATUSES,
    _overlap_error,
    _overlapping,
    _require,
    _require_editable,
    accepted_groupings,
    display_timezone,
    encounter_schools,
    facilitator_candidates,
    get_encounter,
    group_of_school,
    host_location,
    my_group,
    notify_change,
    school_address,
    schools_of_zones,
    upcoming_encounters,
    visible_encounters,
    visible_encounters_query,
    when_text,
    zones_for_scheduler,
)
from app.encounters.scheduling import (  # noqa: F401
    _clean_details,
    _load_zones,
    create_encounter,
    delete_encounter,
    schedule_encounter,
    start_encounter,
    update_encounter,
)
