"""A small world for the logbook and dashboard tests: one encounter of two groups, with people.

Encounters are made directly with the models (the scheduling services are another area's).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from app.encounters.models import Encounter, EncounterGroup, EncounterSchool
from app.extensions import db
from tests import factories


def png_bytes() -> bytes:
    """A real 2×2 PNG made with Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (30, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    """All the text pypdf extracts from a PDF."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def create_encounter(
    zone,
    groups: list[list],
    *,
    status: str = "en_curso",
    title: str = "Encuentro de zona",
    starts_at: datetime | None = None,
    facilitator=None,
    hosts=None,
) -> Encounter:
    """An encounter of ``zone`` with one group per list of schools."""
    starts_at = starts_at or datetime.now(UTC).replace(microsecond=0)
    encounter = Encounter(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=4),
        modality="presencial",
        status=status,
        zones=[zone],
    )
    db.session.add(encounter)
    db.session.flush()
    for position, schools in enumerate(groups, start=1):
        group = EncounterGroup(
            encounter=encounter,
            position=position,
            name=f"Grupo {position}",
            host_school_id=(hosts or schools)[0].id if schools else None,
            facilitator_id=facilitator.id if (facilitator and position == 1) else None,
            room="Aula de medios",
        )
        db.session.add(group)
        db.session.flush()
        for school in schools:
            db.session.add(EncounterSchool(encounter_id=encounter.id, group_id=group.id, school_id=school.id))
    db.session.commit()
    return encounter


def build_world() -> SimpleNamespace:
    """Zone Z with schools A, B (group 1) and C (group 2) in an encounter, D outside it; zone Z2
    with school E; and one person for every role the permission tables need."""
    w = SimpleNamespace()
    w.zone = factories.create_zone()
    w.other_zone = factories.create_zone()
    w.a = factories.create_school(w.zone, name="Escuela Primaria Benito Juárez")
    w.b = factories.create_school(w.zone, name="Escuela Primaria Josefa Ortiz")
    w.c = factories.create_school(w.zone, name="Escuela Primaria Ignacio Pérez")
    w.d = factories.create_school(w.zone, name="Escuela Primaria Sin Encuentro")
    w.e = factories.create_school(w.other_zone, name="Escuela de Otra Zona")
    w.admin = factories.create_user("admin")
    w.supervisor = factories.create_user("supervisor", zone=w.zone)
    w.supervisor_other = factories.create_user("supervisor", zone=w.other_zone)
    w.director_a = factories.create_user("director", school=w.a, name="Directora Ana Núñez")
    w.docente_a = factories.create_user("docente", school=w.a)
    w.director_b = factories.create_user("director", school=w.b)
    w.director_d = factories.create_user("director", school=w.d)
    w.director_e = factories.create_user("director", school=w.e)
    w.asesor = factories.create_user("asesor")
    w.asesor.advised_zones.append(w.zone)
    w.asesor_other = factories.create_user("asesor")
    w.asesor_other.advised_zones.append(w.other_zone)
    w.facilitator = factories.create_user("asesor", name="Facilitadora Sofía")
    db.session.commit()
    w.encounter = create_encounter(w.zone, [[w.a, w.b], [w.c]], facilitator=w.facilitator)
    w.g1, w.g2 = w.encounter.groups
    return w


ROLE_USERS = {
    "admin": "admin",
    "supervisor_of_zone": "supervisor",
    "supervisor_other_zone": "supervisor_other",
    "director_of_school": "director_a",
    "docente_of_school": "docente_a",
    "director_same_zone": "director_d",
    "director_other_zone": "director_e",
    "asesor_assigned": "asesor",
    "asesor_not_assigned": "asesor_other",
    "facilitator": "facilitator",
}
ROLES = ["anonymous", *ROLE_USERS]
