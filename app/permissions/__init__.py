"""Who may do what. Pages, the API and Socket.IO events all ask these same functions.

Every function takes the acting user first (possibly anonymous) and the object, and returns a bool.
The rules, in short:

* administrators may do everything;
* a supervisor owns one zone: sees its schools, problems and practices, invites its directors,
  issues password resets for its people;
* an advisor (asesor) sees the schools and zones assigned to them, read-only;
* a director or a teacher (docente) belongs to one school: records its problems and practices;
  the director also invites the school's teachers. Both see the schools of their own zone, since
  the zone's schools share their problems to learn from each other.

The rules are grouped by area in the modules of this package; pages, the API and Socket.IO events
ask them through these names (``permissions.can_x``).
"""

from __future__ import annotations

from app.permissions.advice import can_answer_advice, can_view_advice_inbox  # noqa: F401
from app.permissions.communities import (  # noqa: F401
    can_join_community,
    can_moderate_community,
    can_post_in_community,
    can_propose_community,
    can_see_member_names,
    can_view_community,
    community_membership,
    is_community_member,
)
from app.permissions.contacts import (  # noqa: F401
    can_propose_encounter,
    can_reply_contact,
    can_request_contact,
    can_view_contact,
    can_view_school_profile,
)
from app.permissions.encounters import (  # noqa: F401
    _encounter_school_ids,
    _encounter_zone_ids,
    can_create_encounters,
    can_edit_encounter,
    can_prepare_presentation,
    can_record_attendance,
    can_schedule_encounter,
    can_start_encounter,
    can_view_encounter,
    can_view_presentation,
    can_view_readiness,
    facilitates_encounter,
)
from app.permissions.goodpractices import (  # noqa: F401
    can_edit_narrative,
    can_publish_commitment_practice,
    can_recognise_practice,
    can_view_narrative,
    can_view_zone_good_practices,
    can_write_narrative,
    recognisable_zone_ids,
)
from app.permissions.groupings import (  # noqa: F401
    can_group_zone,
    can_view_groupings,
)
from app.permissions.live import (  # noqa: F401
    _live_member,
    _live_school_ids,
    _live_zone_ids,
    can_facilitate,
    can_join_room,
    can_participate,
)
from app.permissions.logbook import (  # noqa: F401
    _logbook_encounter_zone_ids,
    _logbook_facilitates,
    _logbook_group_school_ids,
    _logbook_runs_encounter,
    can_add_logbook_note,
    can_close_encounter,
    can_follow_up_commitment,
    can_record_agreement,
    can_record_commitment,
    can_view_commitment,
    can_view_logbook,
    can_view_minutes,
    can_view_zone_dashboard,
)
from app.permissions.mentoring import (  # noqa: F401
    can_answer_pair,
    can_confirm_mentoring,
    can_lead_mentoring,
    can_offer_mentoring,
    can_request_mentoring,
    can_view_pair,
    can_work_in_pair,
    is_pair_member,
    leads_zone,
)
from app.permissions.people import (  # noqa: F401
    can_invite,
    can_issue_password_reset,
    can_manage_users,
)
from app.permissions.practices import (  # noqa: F401
    can_adopt_practice,
    can_edit_practice,
    can_record_practice,
    can_view_practice,
)
from app.permissions.problems import (  # noqa: F401
    can_edit_problem,
    can_record_problem,
    can_view_problem,
)
from app.permissions.roles import (  # noqa: F401
    _authenticated,
    advises_school,
    advises_zone,
    is_admin,
    is_member_of_school,
    supervises_zone,
    user_zone_id,
)
from app.permissions.schools import (  # noqa: F401
    can_import_catalogue,
    can_list_zones,
    can_see_zone_summary,
    can_view_school,
    can_view_school_people,
    can_view_zone,
)
