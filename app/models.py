"""Every model of the application, imported in one place for Alembic and ``create_all``."""

from app.auth.models import ApiToken, Invitation, PasswordReset, User, advisor_schools, advisor_zones
from app.catalogue.models import ImportRun, School, Zone
from app.commitments.models import Commitment, CommitmentEdit, CommitmentNote
from app.encounters.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Encounter,
    EncounterGroup,
    EncounterSchool,
    Notification,
    Presentation,
    encounter_zones,
)
from app.goodpractices.models import Narrative, Recognition
from app.groupings.models import Grouping, GroupingGroup, GroupingMember
from app.live.models import Contribution, LiveSession
from app.logbook.models import Agreement, LogbookEntry, Minutes
from app.practices.models import (
    Adoption,
    Evidence,
    Practice,
    PracticeLink,
    PracticeResource,
    practice_categories,
)
from app.problems.models import Category, Problem, ProblemCategory, ProblemChange

__all__ = [
    "AgendaItem",
    "Agreement",
    "Attendance",
    "CalendarFeed",
    "Commitment",
    "CommitmentEdit",
    "CommitmentNote",
    "Contribution",
    "Encounter",
    "EncounterGroup",
    "EncounterSchool",
    "LiveSession",
    "LogbookEntry",
    "Minutes",
    "Notification",
    "Presentation",
    "encounter_zones",
    "Adoption",
    "ApiToken",
    "Category",
    "Evidence",
    "Grouping",
    "GroupingGroup",
    "GroupingMember",
    "ImportRun",
    "Invitation",
    "PasswordReset",
    "Practice",
    "PracticeLink",
    "PracticeResource",
    "Problem",
    "ProblemCategory",
    "ProblemChange",
    "Narrative",
    "Recognition",
    "School",
    "User",
    "Zone",
    "advisor_schools",
    "advisor_zones",
    "practice_categories",
]
