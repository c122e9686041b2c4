"""Demo data on the real Querétaro catalogue: accounts for every role, problems, practices, adoptions.

``seed_demo()`` is idempotent: every object is looked up by a natural key (e-mail; school and title;
practice and school) before it is created, so a second run changes nothing and reports the same
accounts. Problems, practices, adoptions and evidence go through the areas' own services, with the
school's director as the actor, so they pass the same validation as what a person types.

The two demo zones are real: zona 5 of primaria general (Amealco de Bonfil, rural, hñähñu-speaking
communities) and zona 59 (the northern edge of the city of Querétaro). Primarias whose ENLACE 2011
mathematics score is in the lowest third of the state record a *pensamiento matemático* problem that
cites their score.

Over 400 lines on purpose: one seeding script that reads top to bottom, each step idempotent.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.auth.models import User
from app.catalogue.models import School, Zone
from app.demo import content
from app.extensions import db
from app.practices.models import Adoption, Practice
from app.problems.models import Problem

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATALOGUE_PATH = DATA_DIR / "catalogo_cct_22_queretaro.csv"
ENLACE_PATH = DATA_DIR / "enlace2011_matematicas6_queretaro.csv"
DEFAULT_PASSWORD = "demo-aprendizaje-2026"
EMAIL_DOMAIN = "demo.aprendizaje.mx"
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"
ADVISOR_EMAIL = f"asesor@{EMAIL_DOMAIN}"
# Zone CCT -> which problems its schools tend to record (checked on the catalogue file).
DEMO_ZONES = {"22FIZ0005A": "rural", "22FIZ0059E": "urban"}
# Schools per zone that get a teacher (docente) account besides their director.
TEACHERS_PER_ZONE = 6
PROGRESS_SCHOOLS_PER_ZONE = 3


@dataclass
class DemoAccount:
    """One demo login, as printed at the end of ``flask demo seed``."""

    role: str
    email: str
    name: str
    place: str


@dataclass
class SeedReport:
    """What a run of the seed did and which accounts exist."""

    password: str
    zones: list[Zone]
    accounts: list[DemoAccount]
    enlace_cut: float | None
    created: Counter = field(default_factory=Counter)


def demo_password() -> str:
    """The demo accounts' password: ``$DEMO_PASSWORD``, else the documented default."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def demo_email(role: str, key: str | int) -> str:
    """The demo e-mail of a role at a zone number or school CCT.

    >>> demo_email("supervisor", "zona5"), demo_email("director", "22DPR0002G")
    ('supervisor.zona5@demo.aprendizaje.mx', 'director.22dpr0002g@demo.aprendizaje.mx')
    """
    return f"{role}.{str(key).lower()}@{EMAIL_DOMAIN}"


# --- data files --------------------------------------------------------------------------------


def ensure_categories() -> int:
    """Create or update the problem taxonomy from its CSV; returns how many changed."""
    from app.problems.taxonomy import sync_categories

    return sync_categories()


def _schools_importers():
    """``import_catalogue`` and ``import_enlace`` of the catalogue area."""
    from app.catalogue import importer

    return importer.import_catalogue, importer.import_enlace


def ensure_catalogue(path: Path = CATALOGUE_PATH) -> bool:
    """Import the school catalogue unless schools are already there; True if it was imported.

    The importer commits as it goes (it is a batch job).
    """
    if db.session.execute(select(func.count(School.id))).scalar_one():
        return False
    import_catalogue, _unused = _schools_importers()
    run = import_catalogue(path, actor=None)
    if run.status not in ("terminada", "con_errores"):
        raise RuntimeError(f"La importación del catálogo falló: {run.message}")
    return True


def ensure_enlace(path: Path = ENLACE_PATH) -> bool:
    """Load the ENLACE 2011 scores unless a school already has one; True if they were loaded."""
    if db.session.execute(select(func.count(School.id)).where(School.enlace_math6.is_not(None))).scalar_one():
        return False
    _unused, import_enlace = _schools_importers()
    import_enlace(path)
    return True


def low_enlace_cut() -> float | None:
    """The score that separates the lowest third of the state's primarias in ENLACE 2011 math."""
    scores = sorted(
        db.session.execute(select(School.enlace_math6).where(School.enlace_math6.is_not(None))).scalars()
    )
    return scores[len(scores) // 3] if scores else None


def is_low_enlace(school: School, cut: float | None) -> bool:
    """A primaria in the state's lowest third of ENLACE 2011 mathematics."""
    return cut is not None and school.enlace_math6 is not None and school.enlace_math6 < cut


def format_score(score: float) -> str:
    """A score as the demo texts cite it: one decimal.

    >>> format_score(467.99)
    '468.0'
    """
    return f"{score:.1f}"


def demo_zones() -> list[Zone]:
    """The demo zones: the ones named in ``DEMO_ZONES`` or, if the catalogue lacks them, the two
    primaria zones with the most schools that have an ENLACE score."""
    zones = list(
        db.session.execute(
            select(Zone).where(Zone.cct.in_(DEMO_ZONES)).order_by(Zone.number, Zone.cct)
        ).scalars()
    )
    if len(zones) >= 2:
        return zones
    with_scores = func.count(School.id)
    rows = db.session.execute(
        select(Zone, with_scores)
        .join(School, School.zone_id == Zone.id)
        .where(School.enlace_math6.is_not(None), School.level == "primaria")
        .group_by(Zone.id)
        .order_by(with_scores.desc(), Zone.cct)
        .limit(2)
    ).all()
    return [zone for zone, _ in rows]


def _zone_kind(zone: Zone) -> str:
    if zone.cct in DEMO_ZONES:
        return DEMO_ZONES[zone.cct]
    return "urban" if "QUER" in (zone.municipality or "").upper() else "rural"


def _zone_key(zone: Zone) -> str:
    return f"zona{zone.number}" if zone.number is not None else zone.cct.lower()


def _zone_schools(zone: Zone) -> list[School]:
    return list(
        db.session.execute(select(School).where(School.zone_id == zone.id).order_by(School.cct)).scalars()
    )


# --- accounts ----------------------------------------------------------------------------------


class _DemoPassword:
    """The demo password, hashed once: every demo account stores the same hash.

    Hashing (scrypt) is slow on purpose; checking 60 accounts one by one on every run would cost
    seconds, so a stored hash is checked once and remembered.
    """

    def __init__(self, password: str) -> None:
        self.password = password
        self._hash: str | None = None
        self._checked: dict[str, bool] = {}

    @property
    def hash(self) -> str:
        if self._hash is None:
            from werkzeug.security import generate_password_hash

            self._hash = generate_password_hash(self.password)
            self._checked[self._hash] = True
        return self._hash

    def matches(self, stored: str | None) -> bool:
        if not stored:
            return False
        if stored not in self._checked:
            from werkzeug.security import check_password_hash

            self._checked[stored] = check_password_hash(stored, self.password)
        return self._checked[stored]


def _ensure_user(
    email: str,
    *,
    role: str,
    name: str,
    password: _DemoPassword,
    report: SeedReport,
    school: School | None = None,
    zone: Zone | None = None,
) -> User:
    user = db.session.execute(select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(
            email=email,
            name=name,
            role=role,
            school=school,
            zone=zone,
            is_active=True,
            password_hash=password.hash,
        )
        db.session.add(user)
        report.created["cuentas"] += 1
    elif not password.matches(user.password_hash):
        # Another DEMO_PASSWORD this time, or a changed password: the printed table must be true.
        user.password_hash = password.hash
        report.created["contraseñas restablecidas"] += 1
    return user


def _featured_schools(schools: list[School], cut: float | None) -> tuple[list[School], list[School]]:
    """(schools with progress, lowest-scoring schools) of a zone, public primarias only."""
    public = [s for s in schools if s.cct[2:3] == "D" and s.is_public is not False]
    scored = [s for s in public if s.enlace_math6 is not None]
    progress = sorted(
        (s for s in scored if not is_low_enlace(s, cut)), key=lambda s: (-s.enlace_math6, s.cct)
    )[:PROGRESS_SCHOOLS_PER_ZONE]
    low = sorted((s for s in scored if is_low_enlace(s, cut)), key=lambda s: (s.enlace_math6, s.cct))
    return progress, low


def ensure_accounts(
    zones: list[Zone],
    password: _DemoPassword,
    report: SeedReport,
    featured: dict[int, tuple[list[School], list[School]]],
) -> dict[int, User]:
    """Admin, advisor, each zone's supervisor, every school's director and some teachers.

    Returns the director of each school of the demo zones, by school id.
    """
    accounts: list[DemoAccount] = []
    admin = _ensure_user(
        ADMIN_EMAIL, role="admin", name="Administración de la plataforma", password=password, report=report
    )
    accounts.append(DemoAccount("admin", admin.email, admin.name, "Toda la instalación"))
    directors: dict[int, User] = {}
    person = 0
    for zone in zones:
        person += 1
        supervisor = _ensure_user(
            demo_email("supervisor", _zone_key(zone)),
            role="supervisor",
            zone=zone,
            name=content.person_name(person),
            password=password,
            report=report,
        )
        accounts.append(
            DemoAccount("supervisor", supervisor.email, supervisor.name, f"{zone.label} ({zone.cct})")
        )
        progress, low = featured[zone.id]
        with_teacher = {s.id for s in (progress + low[: TEACHERS_PER_ZONE - len(progress)])}
        for school in _zone_schools(zone):
            person += 1
            director = _ensure_user(
                demo_email("director", school.cct),
                role="director",
                school=school,
                name=content.person_name(person),
                password=password,
                report=report,
            )
            directors[school.id] = director
            accounts.append(
                DemoAccount("director", director.email, director.name, f"{school.cct} {school.name}")
            )
            if school.id in with_teacher:
                person += 1
                teacher = _ensure_user(
                    demo_email("docente", school.cct),
                    role="docente",
                    school=school,
                    name=content.person_name(person),
                    password=password,
                    report=report,
                )
                accounts.append(
                    DemoAccount("docente", teacher.email, teacher.name, f"{school.cct} {school.name}")
                )
    advisor = _ensure_user(
        ADVISOR_EMAIL, role="asesor", name=content.person_name(person + 1), password=password, report=report
    )
    for zone in zones:
        if zone not in advisor.advised_zones:
            advisor.advised_zones.append(zone)
    accounts.append(
        DemoAccount("asesor", advisor.email, advisor.name, ", ".join(f"{z.label} ({z.cct})" for z in zones))
    )
    db.session.flush()
    report.accounts = accounts
    return directors


# --- problems, practices, adoptions, evidence --------------------------------------------------


def _find_problem(school: School, title: str) -> Problem | None:
    return db.session.execute(
        select(Problem).filter_by(school_id=school.id, title=title).order_by(Problem.id).limit(1)
    ).scalar_one_or_none()


def _ensure_problem(school: School, data: dict, *, actor: User, report: SeedReport) -> Problem:
    from app.problems.services import create_problem

    problem = _find_problem(school, data["title"])
    if problem is None:
        problem = create_problem(school, data, actor=actor)
        report.created["problemáticas"] += 1
    return problem


def enlace_problem_data(school: School, cut: float, variant: int) -> dict:
    """The pensamiento matemático problem of a low-ENLACE primaria, citing its score."""
    n = variant % len(content.ENLACE_DESCRIPTIONS)
    evaluated = content.evaluated_pupils(school.enlace_evaluated)
    return {
        "title": content.ENLACE_TITLE,
        "description": content.ENLACE_DESCRIPTIONS[n].format(
            score=format_score(school.enlace_math6), cut=format_score(cut), evaluated=evaluated
        ),
        "grades": ["4°", "5°", "6°"],
        "causes": content.ENLACE_CAUSES[n],
        "actions_tried": content.ENLACE_ACTIONS[n],
        "results": content.ENLACE_RESULTS[n],
        "categories": [dict(c) for c in content.ENLACE_CATEGORIES],
        "status": "abierta",
    }


def _problem_data(key: str, **overrides) -> dict:
    data = {k: (list(v) if isinstance(v, list) else v) for k, v in content.PROBLEMS[key].items()}
    data["categories"] = [dict(c) for c in content.PROBLEMS[key]["categories"]]
    data.update(overrides)
    return data


def _grades_for(school: School, grades: list[str]) -> list[str]:
    from app.problems.services import grades_for_level

    allowed = grades_for_level(school.level)
    return [g for g in grades if g in allowed]


def _pool_problems(kind: str, index: int) -> list[str]:
    """The problems the index-th school of a zone records: one or two, overlapping across schools."""
    pool = content.RURAL_POOL if kind == "rural" else content.URBAN_POOL
    first = pool[index % len(pool)]
    keys = [first]
    if index % 3 != 2:
        second = pool[(index * 3 + 1) % len(pool)]
        if second != first:
            keys.append(second)
    if kind == "urban":
        keys = [k for k in keys if k != "hnahnu"]
    return keys


def _find_practice(school: School, title: str) -> Practice | None:
    return db.session.execute(
        select(Practice).filter_by(school_id=school.id, title=title).order_by(Practice.id).limit(1)
    ).scalar_one_or_none()


def _ensure_practice(school: School, key: str, *, actor: User, report: SeedReport) -> Practice:
    from app.practices.services import create_practice

    spec = content.PRACTICES[key]
    practice = _find_practice(school, spec["title"])
    if practice is not None:
        return practice
    from app.problems.services import update_problem

    problem_spec = content.PROBLEMS[spec["problem"]]
    progress = {
        "status": spec["status"],
        "actions_tried": f"{problem_spec['actions_tried']} Después, el colectivo acordó: {spec['title']}.",
        "results": spec["results"],
    }
    problem = _find_problem(school, problem_spec["title"])
    if problem is None:
        problem = _ensure_problem(
            school,
            _problem_data(
                spec["problem"],
                grades=_grades_for(school, problem_spec["grades"]),
                **progress,
            ),
            actor=actor,
            report=report,
        )
    else:
        # The school had recorded the problem earlier; the practice is its progress since.
        update_problem(problem, progress, actor=actor)
    practice = create_practice(
        school,
        {
            "title": spec["title"],
            "summary": spec["summary"],
            "steps": spec["steps"],
            "results": spec["results"],
            "level": school.level or "primaria",
            "grades": _grades_for(school, spec["grades"]),
            "visibility": spec["visibility"],
            "categories": list(spec["categories"]),
            "resources": [{"description": d, "criterion": c} for d, c in spec["resources"]],
            "links": [],
            "problem_id": problem.id,
        },
        actor=actor,
    )
    report.created["prácticas"] += 1
    return practice


def demo_png(rgb: tuple[int, int, int], *, width: int = 240, height: int = 160) -> bytes:
    """A small PNG picture: a coloured card with lighter stripes (for evidence in the demo).

    >>> demo_png((10, 120, 80))[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    light = tuple(min(255, c + 90) for c in rgb)
    rows = []
    for y in range(height):
        colour = light if (y // 20) % 2 and 20 <= y < height - 20 else rgb
        rows.append(b"\x00" + bytes(colour) * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


EVIDENCE_COLOURS = ((0, 121, 89), (217, 119, 6), (37, 99, 235))


def _ensure_evidence(practice: Practice, n: int, *, actor: User, report: SeedReport) -> None:
    from app.practices.services import add_evidence

    if practice.evidence:
        return
    for k, caption in enumerate(content.EVIDENCE_CAPTIONS[: 1 + n % 2]):
        png = demo_png(EVIDENCE_COLOURS[(n + k) % len(EVIDENCE_COLOURS)])
        upload = FileStorage(
            stream=io.BytesIO(png), filename=f"evidencia-{k + 1}.png", content_type="image/png"
        )
        add_evidence(practice, upload, actor=actor, caption=caption)
        report.created["evidencias"] += 1


def _ensure_adoption(
    practice: Practice, school: School, outcome: str, *, actor: User, report: SeedReport
) -> None:
    # The page's and the API's one adopt action: the commitment lands in the school's bitácora and
    # the outcome already reported sets its status (Cumplido for a good one).
    from app.dates import local_today
    from app.goodpractices.adoption import adopt_with_commitment

    exists = db.session.execute(
        select(Adoption.id).filter_by(practice_id=practice.id, school_id=school.id)
    ).first()
    if exists:
        return
    adopt_with_commitment(
        practice,
        school,
        {
            "outcome": outcome,
            "notes": content.ADOPTION_NOTES[outcome],
            "responsible": actor.name,
            "due_date": (local_today() + timedelta(days=45)).isoformat(),
        },
        actor=actor,
    )
    report.created["adopciones"] += 1


def seed_zone(
    zone: Zone,
    *,
    cut: float | None,
    directors: dict[int, User],
    featured: tuple[list[School], list[School]],
    report: SeedReport,
) -> None:
    """Problems for every school of the zone, practices of the schools with progress, adoptions."""
    kind = _zone_kind(zone)
    progress, low = featured
    for index, school in enumerate(_zone_schools(zone)):
        actor = directors[school.id]
        if school.level == "primaria" and is_low_enlace(school, cut):
            _ensure_problem(school, enlace_problem_data(school, cut, index), actor=actor, report=report)
        for key in _pool_problems(kind, index):
            if key == "multigrado" and not (school.is_multigrade or kind == "rural"):
                continue
            data = _problem_data(key)
            data["grades"] = _grades_for(school, data["grades"])
            _ensure_problem(school, data, actor=actor, report=report)

    practice_keys = content.RURAL_PRACTICES if kind == "rural" else content.URBAN_PRACTICES
    practices: list[Practice] = []
    for j, school in enumerate(progress):
        for key in practice_keys[j :: len(progress)]:
            practices.append(_ensure_practice(school, key, actor=directors[school.id], report=report))
    for n, practice in enumerate(practices[:3]):
        _ensure_evidence(practice, n, actor=directors[practice.school_id], report=report)

    # The lowest-scoring schools adopt the zone's first mathematics practice; those worried about
    # their families adopt the reading backpack.
    outcomes = ("bueno", "regular", "en_proceso")
    math = next((p for p in practices if any(c.code == "pensamiento-matematico" for c in p.categories)), None)
    if math is not None:
        for n, school in enumerate(low[:3]):
            _ensure_adoption(math, school, outcomes[n], actor=directors[school.id], report=report)
    families = next((p for p in practices if p.title == content.PRACTICES["lectura-familias"]["title"]), None)
    if families is not None:
        adopters = [
            s
            for s in _zone_schools(zone)
            if s.id != families.school_id
            and _find_problem(s, content.PROBLEMS["familias"]["title"]) is not None
        ]
        for n, school in enumerate(adopters[:2]):
            _ensure_adoption(
                families, school, outcomes[(n + 1) % 3], actor=directors[school.id], report=report
            )


def seed_demo(*, password: str | None = None) -> SeedReport:
    """Load the taxonomy, catalogue and ENLACE scores, then the demo zones' accounts and records.

    The catalogue and ENLACE importers commit as they go (batch jobs); everything else is only
    flushed and the caller commits. Running it again changes nothing.
    """
    password = password or demo_password()
    from app.auth.services import check_new_password

    check_new_password(password)
    report = SeedReport(password=password, zones=[], accounts=[], enlace_cut=None)
    report.created["categorías"] += ensure_categories()
    if ensure_catalogue():
        report.created["catálogo"] += 1
    if ensure_enlace():
        report.created["enlace"] += 1
    zones = demo_zones()
    if len(zones) < 2:
        raise RuntimeError("El catálogo no tiene dos zonas de primaria con escuelas evaluadas en ENLACE.")
    cut = low_enlace_cut()
    report.zones, report.enlace_cut = zones, cut
    featured = {zone.id: _featured_schools(_zone_schools(zone), cut) for zone in zones}
    directors = ensure_accounts(zones, _DemoPassword(password), report, featured)
    for zone in zones:
        seed_zone(zone, cut=cut, directors=directors, featured=featured[zone.id], report=report)
    from app.demo.network import seed_community

    seed_community(zones, directors, report)
    db.session.flush()
    return report
