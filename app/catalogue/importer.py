"""Import SEP's *Catálogo de Centros de Trabajo* (SIGED format) and the ENLACE scores.

The catalogue has one row per work centre (CCT). Supervision rows (``C_TIPO`` = ``SUPERVISION DE ZONA
DE EDUCACION``) become zones; ``ESCUELA`` rows of basic education (inicial, preescolar, primaria,
secundaria) become schools, linked to their zone by ``SUPERVISION_CV_CCT``. Every other row is
skipped and counted. A bad row is reported with its line number and reason while the good rows are
imported; in strict mode nothing is written if any row is bad.

Performance: the national catalogue has ~230,000 schools, so the importer streams the file, keeps
only ``cct -> id`` dictionaries in memory, and writes in batches with bulk INSERT and bulk UPDATE by
primary key. Zones are linked at the end with one set-based UPDATE, so a supervision row may come
after its schools.

Unlike ordinary services, the import commits: it is a batch job that records its progress for the
upload page (a strict import commits its data once, at the end).
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import IO, Any, Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select, update

from app.extensions import db
from app.catalogue.models import ImportRun, School, Zone
from app.utils import fold, utcnow
from app.validation import PermissionDenied

CCT_RE = re.compile(r"^\d{2}[A-Z]{3}\d{4}[A-Z0-9]$")
CCT_HELP = ("2 dígitos de entidad, 3 letras, 4 dígitos y 1 carácter verificador, "
            "por ejemplo 22DPR0012K")
REQUIRED_COLUMNS = ("CV_CCT", "C_NOMBRE", "C_TIPO", "SUPERVISION_CV_CCT")
SUPERVISION_TYPE = "supervision de zona de educacion"
SCHOOL_TYPE = "escuela"
BATCH_SIZE = 2000
# The catalogue columns compared to tell an unchanged row on re-import. A zone's level is left out:
# for indígena zones it is not in the catalogue but taken from their schools (see link_zones), and
# an update keeps the stored level when the name names none.
ZONE_COMPARED = ("number", "name", "service", "municipality", "sector_cct", "region_cct")
SCHOOL_COMPARED = (
    "name", "level", "service", "shift", "municipality", "locality", "address", "postal_code",
    "lat", "lon", "is_public", "control", "supervision_cct", "sector_cct", "region_cct",
)
MAX_REPORTED_ERRORS = 1000

# Run statuses: pendiente -> en_curso -> terminada | con_errores | rechazada | fallida.
STATUS_LABELS = {  # lazy: shown in the reader's language
    "pendiente": _l("Pendiente"),
    "en_curso": _l("En curso"),
    "guardando": _l("Guardando"),
    "terminada": _l("Terminada"),
    "con_errores": _l("Terminada con errores"),
    "rechazada": _l("Rechazada"),
    "fallida": _l("Fallida"),
}
FINISHED_STATUSES = ("terminada", "con_errores", "rechazada", "fallida")

_LEVEL_WORDS = {"inicial": "inicial", "preescolar": "preescolar", "primaria": "primaria",
                "secundaria": "secundaria"}
# Type letters of the CCT (positions 4-5) that name one basic level without doubt; used only when
# the TIPONIVELSUB columns say nothing.
_LEVEL_BY_TYPE = {
    "DI": "inicial", "EI": "inicial", "IN": "inicial",
    "JN": "preescolar", "CC": "preescolar",
    "PR": "primaria", "PB": "primaria",
    "ES": "secundaria", "ST": "secundaria", "TV": "secundaria",
}
_NUMBER_RE = re.compile(r"\bNUM\.?\s*(\d+)", re.IGNORECASE)
_ZONE_SERVICE_RE = re.compile(
    r"^SUPERVISI[OÓ]N\s+(?:DE\s+ZONA\s+|ESCOLAR\s+)?(?:DE\s+)?(?:EDUCACI[OÓ]N\s+)?(.*?)"
    r"\s*(?:\bNUM\.?\s*\d+.*)?$",
    re.IGNORECASE,
)
_NOWHERE = {"", "ninguno", "ninguno ninguno", "sin nombre", "0"}


def is_valid_cct(value: str | None) -> bool:
    """Whether ``value`` has the form of a CCT: 2 digits, 3 letters, 4 digits, 1 check character.

    >>> is_valid_cct("22DPR0012K"), is_valid_cct("22DPR012K"), is_valid_cct("")
    (True, False, False)
    """
    return bool(value) and CCT_RE.match(value) is not None


@lru_cache(maxsize=4096)
def _folded(value: str) -> str:
    return fold(value).strip()


def zone_number(name: str) -> int | None:
    """The zone number in a supervision's name.

    >>> zone_number("SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 5")
    5
    >>> zone_number("SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM 91"), zone_number("X")
    (91, None)
    """
    match = _NUMBER_RE.search(name or "")
    return int(match.group(1)) if match else None


def zone_service(name: str) -> str | None:
    """The service named in a supervision's name (what follows 'de educación').

    >>> zone_service("SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 5")
    'PRIMARIA GENERAL'
    >>> zone_service("SUPERVISION DE ZONA DE TELESECUNDARIA NUM. 3")
    'TELESECUNDARIA'
    >>> zone_service("SUPERVISION ESCOLAR DE EDUCACION INDIGENA NUM. 2")
    'INDIGENA'
    """
    match = _ZONE_SERVICE_RE.match((name or "").strip())
    return (match.group(1).strip() or None) if match else None


def zone_level(name: str) -> str | None:
    """The basic level a supervision's name names, or None (indígena zones serve several).

    >>> zone_level("SUPERVISION DE ZONA DE TELESECUNDARIA NUM. 3")
    'secundaria'
    >>> zone_level("SUPERVISION DE ZONA DE EDUCACION INDIGENA NUM. 1") is None
    True
    """
    words = _folded(name or "").split()
    for word in words:
        if word in _LEVEL_WORDS:
            return _LEVEL_WORDS[word]
        if word == "telesecundaria":
            return "secundaria"
    return None


def _is_basic_supervision(name: str) -> bool:
    """Especial, physical-education and upper-level supervisions are not zones of this platform."""
    folded = _folded(name or "")
    return not any(word in folded for word in ("especial", "fisica", "media superior", "superior"))


def school_level(cct: str, nivel1: str, nivel2: str) -> str | None:
    """The basic level of an ESCUELA row, from TIPONIVELSUB columns, else the CCT's type letters.

    >>> school_level("22DPR0012K", "BÁSICA", "PRIMARIA")
    'primaria'
    >>> school_level("22DJN0001Z", "", ""), school_level("22PBH0001A", "MEDIA SUPERIOR", "")
    ('preescolar', None)
    """
    n1 = _folded(nivel1)
    if n1 and n1 not in ("basica", "inicial"):
        return None
    level = _LEVEL_WORDS.get(_folded(nivel2))
    if level:
        return level
    if n1 == "inicial":
        return "inicial"
    return _LEVEL_BY_TYPE.get(cct[3:5])


def _clip(value: str | None, size: int) -> str | None:
    value = (value or "").strip()
    return value[:size] if value else None


def _number_part(extnum: str, extalf: str) -> str:
    number = extnum if extnum not in ("", "0") else ""
    letters = "S/N" if extalf.upper() == "SN" else extalf
    return " ".join(p for p in (number, letters) if p)


def school_address(street: str, extnum: str, extalf: str, settlement: str) -> str | None:
    """Street, number and settlement (asentamiento), skipping SIGED's 'NINGUNO' placeholders.

    >>> school_address("ANDADOR 17", "0", "SN", "LOMAS DE CASA BLANCA")
    'ANDADOR 17 S/N, LOMAS DE CASA BLANCA'
    >>> school_address("NINGUNO NINGUNO", "12", "", "")
    '12'
    """
    street = "" if _folded(street) in _NOWHERE else street
    settlement = "" if _folded(settlement) in _NOWHERE else settlement
    first = " ".join(p for p in (street, _number_part(extnum, extalf)) if p)
    return _clip(", ".join(p for p in (first, settlement) if p), 300)


def _coordinate(value: str, limit: float) -> tuple[float | None, bool]:
    """(value, ok): empty or zero is no coordinate; anything not a number in range is bad."""
    if not value:
        return None, True
    try:
        number = float(value)
    except ValueError:
        return None, False
    if number != number or abs(number) > limit:
        return None, False
    return (number if number != 0 else None), True


# --- reading the file ---------------------------------------------------------------------------

class _Source:
    """A path or a binary file object, readable several times from its start."""

    def __init__(self, source: Any):
        self._path: str | None = None
        self._file: IO[bytes] | None = None
        self._start = 0
        self._spool = None
        if isinstance(source, (str, os.PathLike)):
            self._path = os.fspath(source)
            return
        stream = getattr(source, "stream", source)  # werkzeug FileStorage
        sample = stream.read(0)
        if isinstance(sample, str) or not _seekable(stream):
            self._spool = tempfile.TemporaryFile()
            if isinstance(sample, str):
                self._spool.write(stream.read().encode("utf-8"))
            else:
                shutil.copyfileobj(stream, self._spool)
            self._file = self._spool
        else:
            self._file = stream
            self._start = stream.tell()

    def lines(self) -> Iterator[bytes]:
        """The file's lines as bytes, from its start."""
        if self._path is not None:
            with open(self._path, "rb") as fh:
                yield from fh
            return
        assert self._file is not None
        self._file.seek(self._start)
        yield from self._file

    def text_lines(self, encoding: str) -> Iterator[str]:
        """The file's lines decoded by the io module (fast path for a file known to decode)."""
        if self._path is not None:
            with open(self._path, encoding=encoding, errors="replace", newline="") as fh:
                yield from fh
            return
        assert self._file is not None
        self._file.seek(self._start)
        wrapper = io.TextIOWrapper(self._file, encoding=encoding, errors="replace", newline="")
        try:
            yield from wrapper
        finally:
            wrapper.detach()  # leave the caller's file open

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


def _seekable(stream) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError):
        return False


@dataclass
class _Scan:
    lines: int = 0
    encoding: str = "utf-8"
    fell_back: bool = False
    bad_lines: int = 0


def _scan(src: _Source) -> _Scan:
    """Count lines and choose the encoding: UTF-8, or Windows-1252 if no line is UTF-8 at all."""
    scan = _Scan()
    utf8_lines = bad_lines = 0
    for raw in src.lines():
        scan.lines += 1
        if not raw.isascii():
            try:
                raw.decode("utf-8")
                utf8_lines += 1
            except UnicodeDecodeError:
                bad_lines += 1
    scan.bad_lines = bad_lines
    if bad_lines and not utf8_lines:
        scan.encoding, scan.fell_back = "cp1252", True
    return scan


def _records(src: _Source, scan: _Scan) -> Iterator[tuple[int, list[str], bool]]:
    """(first line number, fields, whether a line of it was not valid in the file's encoding)."""
    encoding = scan.encoding
    if scan.fell_back or not scan.bad_lines:
        reader = csv.reader(src.text_lines(encoding))
        last = 0
        for fields in reader:
            start, last = last + 1, reader.line_num
            yield start, fields, False
        return
    bad_lines: set[int] = set()

    def decoded() -> Iterator[str]:
        for number, raw in enumerate(src.lines(), 1):
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                if encoding == "utf-8":
                    bad_lines.add(number)
                    yield raw.decode("utf-8", "replace")
                else:
                    yield raw.decode("latin-1")

    reader = csv.reader(decoded())
    last = 0
    for fields in reader:
        start, last = last + 1, reader.line_num
        bad = bool(bad_lines) and any(n in bad_lines for n in range(start, last + 1))
        yield start, fields, bad


def _header(fields: list[str]) -> list[str]:
    return [name.replace("\ufeff", "").strip().upper() for name in fields]


def missing_columns(source: Any) -> list[str]:
    """The required columns the file's header lacks (all of them if the file is empty or unreadable).

    Reads only the first line; used by the upload page to refuse a wrong file at once.
    """
    src = _Source(source)
    try:
        first = next(iter(src.lines()), b"")
        try:
            text = first.decode("utf-8")
        except UnicodeDecodeError:
            text = first.decode("cp1252", "replace")
        fields = next(csv.reader([text]), [])
        header = set(_header(fields))
        return [name for name in REQUIRED_COLUMNS if name not in header]
    finally:
        src.close()


# --- the import -------------------------------------------------------------------------------

@dataclass
class _Outcome:
    """What one pass over the file found."""

    records: int = 0
    bad: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    stopped: str | None = None

    def add_error(self, line: int, cct: str, reason: str) -> None:
        self.bad += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"line": line, "cct": cct, "reason": reason})


class _Importer:
    def __init__(self, run: ImportRun, *, strict: bool, progress_every: int):
        self.run = run
        self.strict = strict
        self.progress_every = max(1, int(progress_every or 500))
        self.zone_ids: dict[str, int] = {}
        self.school_ids: dict[str, int] = {}
        self.zone_digests: dict[str, int] = {}
        self.school_digests: dict[str, int] = {}
        self.zone_inserts: list[dict] = []
        self.zone_updates: list[dict] = []
        self.school_inserts: list[dict] = []
        self.school_updates: list[dict] = []
        self.counts = Counter()

    # -- one pass ---------------------------------------------------------------------------------
    def run_pass(self, src: _Source, scan: _Scan, *, write: bool) -> _Outcome:
        outcome = _Outcome()
        records = _records(src, scan)
        try:
            first = next(records, None)
        except csv.Error as exc:
            outcome.stopped = f"El archivo no es un CSV válido: {exc}."
            return outcome
        if first is None:
            outcome.stopped = "El archivo está vacío."
            return outcome
        header = _header(first[1])
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            outcome.stopped = (
                "Faltan columnas obligatorias en el encabezado: " + ", ".join(missing)
                + ". ¿Es el Catálogo de Centros de Trabajo de SEP (formato SIGED)?"
            )
            return outcome
        parse = _RowParser(header).parse
        seen: dict[str, int] = {}
        line = first[0]
        try:
            for line, fields, bad_encoding in records:
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # blank line
                outcome.records += 1
                kind, value, cct = parse(fields, bad_encoding, seen, line)
                if kind == "bad":
                    outcome.add_error(line, cct, value)
                elif kind == "skip":
                    outcome.skipped += 1
                elif write:
                    self.stage(kind, value)
                    if self.pending() >= BATCH_SIZE:
                        self.write_batch()
                if outcome.records % self.progress_every == 0:
                    self.progress(outcome.records, write=write)
        except csv.Error as exc:
            outcome.add_error(line + 1, "", f"CSV mal formado; se dejó de leer aquí: {exc}.")
        if write:
            self.write_batch()
        return outcome

    def progress(self, processed: int, *, write: bool) -> None:
        """Record progress (rows read; up to one batch may still be waiting to be written) and
        commit it, unless a strict import is writing (that is one transaction)."""
        if self.strict and write:
            return
        self.run.processed_rows = processed
        db.session.commit()

    # -- writing ----------------------------------------------------------------------------------
    def preload(self) -> None:
        """``cct -> id`` of every zone and school already stored, and a digest of the catalogue
        columns of each, so that re-importing skips unchanged rows: no SELECT per row."""
        for table, ids, digests, compared in (
            (Zone.__table__, self.zone_ids, self.zone_digests, ZONE_COMPARED),
            (School.__table__, self.school_ids, self.school_digests, SCHOOL_COMPARED),
        ):
            columns = [table.c.cct, table.c.id] + [table.c[name] for name in compared]
            result = db.session.execute(select(*columns).execution_options(yield_per=5000))
            for row in result:
                ids[row[0]] = row[1]
                digests[row[0]] = hash(tuple(row[2:]))

    def stage(self, kind: str, values: dict) -> None:
        """Queue a parsed row as an insert, an update, or nothing if it has not changed."""
        if kind == "zone":
            ids, digests, compared = self.zone_ids, self.zone_digests, ZONE_COMPARED
            inserts, updates, unchanged = self.zone_inserts, self.zone_updates, "zones_unchanged"
        else:
            ids, digests, compared = self.school_ids, self.school_digests, SCHOOL_COMPARED
            inserts, updates, unchanged = self.school_inserts, self.school_updates, "schools_unchanged"
        row_id = ids.get(values["cct"])
        now = utcnow()
        values["updated_at"] = now
        if row_id is None:
            values["created_at"] = now
            inserts.append(values)
        elif digests.get(values["cct"]) == hash(tuple(values[name] for name in compared)):
            self.counts[unchanged] += 1
        else:
            values["id"] = row_id
            updates.append(values)

    def pending(self) -> int:
        return (len(self.zone_inserts) + len(self.zone_updates) + len(self.school_inserts)
                + len(self.school_updates))

    def write_batch(self) -> None:
        """Bulk INSERT the new rows and bulk UPDATE (by primary key) the known ones; then commit,
        except in strict mode where everything is one transaction."""
        if not self.pending():
            return
        session = db.session
        zones, schools = Zone.__table__, School.__table__
        if self.zone_inserts:
            result = session.execute(insert(zones).returning(zones.c.id, zones.c.cct), self.zone_inserts)
            for zone_id, cct in result.all():
                self.zone_ids[cct] = zone_id
            self.counts["zones_created"] += len(self.zone_inserts)
        if self.zone_updates:
            session.execute(_update_by_id(zones, self.zone_updates[0], keep_if_null=("level",)),
                            _prefixed(self.zone_updates))
            self.counts["zones_updated"] += len(self.zone_updates)
        for values in self.school_inserts:
            values["zone_id"] = self.zone_ids.get(values["supervision_cct"] or "")
        for values in self.school_updates:
            values["zone_id"] = self.zone_ids.get(values["supervision_cct"] or "")
        if self.school_inserts:
            session.execute(insert(schools), self.school_inserts)
            self.counts["schools_created"] += len(self.school_inserts)
            for values in self.school_inserts:
                self.school_ids[values["cct"]] = -1  # known from now on: a duplicate is caught earlier
        if self.school_updates:
            session.execute(_update_by_id(schools, self.school_updates[0]), _prefixed(self.school_updates))
            self.counts["schools_updated"] += len(self.school_updates)
        self.zone_inserts, self.zone_updates = [], []
        self.school_inserts, self.school_updates = [], []
        if self.strict:
            session.flush()
        else:
            session.commit()

    def link_zones(self) -> int:
        """Link schools whose zone appeared after them; give mixed (indígena) zones the level most
        of their schools have. Returns how many schools name a supervision that is not a zone."""
        schools = School.__table__
        zones = Zone.__table__
        zone_of = select(zones.c.id).where(zones.c.cct == schools.c.supervision_cct).scalar_subquery()
        db.session.execute(
            update(schools)
            .where(schools.c.supervision_cct.is_not(None), schools.c.zone_id.is_(None))
            .values(zone_id=zone_of)
        )
        unleveled = select(zones.c.id).where(zones.c.level.is_(None))
        rows = db.session.execute(
            select(schools.c.zone_id, schools.c.level, func.count())
            .where(schools.c.zone_id.in_(unleveled), schools.c.level.is_not(None))
            .group_by(schools.c.zone_id, schools.c.level)
        ).all()
        best: dict[int, tuple[int, str]] = {}
        for zone_id, level, count in rows:
            if zone_id not in best or (count, level) > best[zone_id]:
                best[zone_id] = (count, level)
        if best:
            db.session.execute(update(Zone), [{"id": zone_id, "level": level}
                                              for zone_id, (_count, level) in best.items()])
        return db.session.execute(
            select(func.count()).select_from(schools)
            .where(schools.c.supervision_cct.is_not(None), schools.c.zone_id.is_(None))
        ).scalar_one()


_NEEDED = (
    "CV_CCT", "C_NOMBRE", "C_TIPO", "SUPERVISION_CV_CCT", "TIPONIVELSUB_C_SERVICION1",
    "TIPONIVELSUB_C_SERVICION2", "TIPONIVELSUB_C_SERVICION3", "INMUEBLE_C_NOM_MUN", "JEFSEC_CV_CCT",
    "SERREG_CV_CCT", "INMUEBLE_LATITUD", "INMUEBLE_LONGITUD", "SOSTENIMIENTO_C_CONTROL",
    "SOSTENIMIENTO_C_SUBCONTROL", "C_TUNO_1", "C_TUNO_2", "C_TUNO_3", "INMUEBLE_CV_CODIGO_POSTAL",
    "INMUEBLE_C_NOM_LOC", "INMUEBLE_C_VIALIDAD_PRINCIPAL", "INMUEBLE_N_EXTNUM", "INMUEBLE_C_EXTALF",
    "INMUEBLE_C_NOM_ASEN",
)


class _RowParser:
    """Classifies the records of one file; the columns it needs are picked with one itemgetter."""

    def __init__(self, header: list[str]):
        self.width = len(header)
        index = {name: i for i, name in enumerate(header)}
        # A column the header lacks points one past the end, where parse() appends "".
        self.pick = itemgetter(*[index.get(name, self.width) for name in _NEEDED])
        self.cct_index = index["CV_CCT"]

    def parse(self, fields: list[str], bad_encoding: bool, seen: dict[str, int],
              line: int) -> tuple[str, Any, str]:
        """(kind, values or reason, cct): kind is 'zone', 'school', 'skip' or 'bad'."""
        width = self.width
        if len(fields) != width:
            cct = fields[self.cct_index].strip().upper() if self.cct_index < len(fields) else ""
            return "bad", (f"La fila tiene {len(fields)} columnas y el encabezado {width}: "
                           "faltan o sobran columnas."), cct[:20]
        fields.append("")
        (cct, name, kind, supervision, nivel1, nivel2, nivel3, municipality, sector, region, lat_text,
         lon_text, control, subcontrol, shift1, shift2, shift3, postal, locality, street, extnum,
         extalf, settlement) = [value.strip() for value in self.pick(fields)]
        cct = cct.upper()
        if bad_encoding:
            return "bad", ("La fila no está en UTF-8 (caracteres no válidos); guarda el archivo "
                           "como UTF-8."), cct[:20]
        if not cct:
            return "bad", "Falta la clave del centro de trabajo (CV_CCT).", ""
        if not is_valid_cct(cct):
            return "bad", f"CCT no válida «{cct[:20]}»: se esperan {CCT_HELP}.", cct[:20]
        if cct in seen:
            return "bad", f"CCT repetida: ya aparece en la línea {seen[cct]}.", cct
        seen[cct] = line
        if not name:
            return "bad", "Falta el nombre del centro de trabajo (C_NOMBRE).", cct
        kind = _folded(kind)
        if kind == SUPERVISION_TYPE:
            if not _is_basic_supervision(name):
                return "skip", None, cct
            return "zone", {
                "cct": cct,
                "number": zone_number(name),
                "name": name[:255],
                "level": zone_level(name),
                "service": _clip(zone_service(name), 120),
                "municipality": _clip(municipality, 120),
                "sector_cct": _optional_cct(sector),
                "region_cct": _optional_cct(region),
            }, cct
        if kind != SCHOOL_TYPE:
            return "skip", None, cct
        level = school_level(cct, nivel1, nivel2)
        if level is None:
            return "skip", None, cct
        supervision = supervision.upper()
        if supervision and not is_valid_cct(supervision):
            return "bad", (f"SUPERVISION_CV_CCT no válida «{supervision[:20]}»: "
                           f"se esperan {CCT_HELP}."), cct
        lat, lat_ok = _coordinate(lat_text, 90)
        lon, lon_ok = _coordinate(lon_text, 180)
        if not (lat_ok and lon_ok):
            return "bad", "Coordenadas no válidas (INMUEBLE_LATITUD, INMUEBLE_LONGITUD).", cct
        if lat is None or lon is None:
            lat = lon = None
        shifts = [s for s in (shift1, shift2, shift3) if s]
        return "school", {
            "cct": cct,
            "name": name[:255],
            "level": level,
            "service": _clip(nivel3, 120),
            "shift": _clip(", ".join(dict.fromkeys(shifts)), 60),
            "municipality": _clip(municipality, 120),
            "locality": _clip(locality, 160),
            "address": school_address(street, extnum, extalf, settlement),
            "postal_code": _clip(postal if postal.strip("0") else "", 10),
            "lat": lat,
            "lon": lon,
            "is_public": _folded(control) != "privado",
            "control": _clip(subcontrol or control, 60),
            "supervision_cct": supervision or None,
            "sector_cct": _optional_cct(sector),
            "region_cct": _optional_cct(region),
        }, cct


def _update_by_id(table, sample: dict, *, keep_if_null: tuple[str, ...] = ()):
    """A Core executemany UPDATE ... WHERE id = :b_id of the columns in ``sample``; the columns in
    ``keep_if_null`` keep their stored value when the new one is NULL.

    Core rather than the ORM's bulk UPDATE: it skips per-row ORM bookkeeping (twice as fast here).
    """
    values = {}
    for name in sample:
        if name == "id":
            continue
        value = bindparam("b_" + name)
        values[name] = func.coalesce(value, table.c[name]) if name in keep_if_null else value
    return update(table).where(table.c.id == bindparam("b_id")).values(values)


def _prefixed(rows: list[dict]) -> list[dict]:
    return [{"b_" + key: value for key, value in row.items()} for row in rows]


def _optional_cct(value: str) -> str | None:
    value = value.upper()
    return value if is_valid_cct(value) else None


def import_catalogue(source, *, actor=None, strict: bool = False, filename: str | None = None,
                     run: ImportRun | None = None, progress_every: int = 500) -> ImportRun:
    """Import (upsert by CCT) zones and schools from a SIGED catalogue file; returns the ImportRun.

    ``source`` is a path or a binary file object. Bad rows are reported in ``run.errors`` (line,
    CCT, reason); with ``strict`` nothing is written if any row is bad. Commits as it goes.
    """
    from app.permissions import can_import_catalogue

    if actor is not None and not can_import_catalogue(actor):
        raise PermissionDenied(_("Solo la administración importa el catálogo."))
    if filename is None:
        filename = os.path.basename(os.fspath(source)) if isinstance(source, (str, os.PathLike)) \
            else getattr(source, "filename", None) or getattr(source, "name", None) or "catalogo.csv"
        filename = os.path.basename(str(filename))
    if run is None:
        run = ImportRun(filename=filename[:255], is_strict=strict,
                        user_id=getattr(actor, "id", None))
        db.session.add(run)
    run.status = "en_curso"
    run.is_strict = strict
    run.started_at = utcnow()
    run.errors = []
    db.session.commit()

    src = _Source(source)
    importer = _Importer(run, strict=strict, progress_every=progress_every)
    try:
        scan = _scan(src)
        run.total_rows = max(scan.lines - 1, 0)
        db.session.commit()
        warning = ("El archivo no está en UTF-8: se leyó como Windows-1252 (Latin-1). "
                   "Revisa que los acentos se vean bien.") if scan.fell_back else None
        importer.preload()
        if strict:
            checked = importer.run_pass(src, scan, write=False)
            if checked.stopped or checked.bad:
                return _finish(run, importer, checked, warning, refused=True)
            run.status = "guardando"
            run.processed_rows = 0
            db.session.commit()
        outcome = importer.run_pass(src, scan, write=True)
        if outcome.stopped:
            return _finish(run, importer, outcome, warning, refused=True)
        unknown = importer.link_zones()
        return _finish(run, importer, outcome, warning, refused=False, unknown_zones=unknown)
    except Exception as exc:
        db.session.rollback()
        run = db.session.get(ImportRun, run.id) or run
        run.status = "fallida"
        run.message = f"La importación falló: {type(exc).__name__}: {str(exc)[:500]}"
        run.finished_at = utcnow()
        db.session.commit()
        raise
    finally:
        src.close()


def _finish(run: ImportRun, importer: _Importer, outcome: _Outcome, warning: str | None, *,
            refused: bool, unknown_zones: int = 0) -> ImportRun:
    """Store counts, errors and a message on the run, and commit."""
    if refused:
        db.session.rollback()  # a strict import that failed writes nothing
        importer.counts.clear()
    run.total_rows = outcome.records
    run.processed_rows = outcome.records
    run.skipped_rows = outcome.skipped
    run.bad_rows = outcome.bad
    run.errors = outcome.errors
    run.zones_created = importer.counts["zones_created"]
    run.zones_updated = importer.counts["zones_updated"]
    run.schools_created = importer.counts["schools_created"]
    run.schools_updated = importer.counts["schools_updated"]
    parts = []
    if outcome.stopped:
        run.status = "rechazada"
        parts.append(outcome.stopped)
    elif refused:
        run.status = "rechazada"
        parts.append(f"Importación estricta rechazada: {outcome.bad} filas con errores; "
                     "no se guardó nada.")
    else:
        run.status = "con_errores" if outcome.bad else "terminada"
        parts.append(
            f"Zonas: {run.zones_created} nuevas, {run.zones_updated} actualizadas, "
            f"{importer.counts['zones_unchanged']} sin cambios. "
            f"Escuelas: {run.schools_created} nuevas, {run.schools_updated} actualizadas, "
            f"{importer.counts['schools_unchanged']} sin cambios. "
            f"Filas omitidas (no son escuelas de educación básica ni supervisiones): {run.skipped_rows}."
        )
        if outcome.bad:
            parts.append(f"{outcome.bad} filas con errores no se importaron.")
        if unknown_zones:
            parts.append(f"{unknown_zones} escuelas nombran una supervisión que no está en el catálogo.")
    if outcome.bad > len(outcome.errors):
        parts.append(f"Se muestran las primeras {len(outcome.errors)} filas con errores.")
    if warning:
        parts.append(warning)
    run.message = " ".join(parts)
    run.finished_at = utcnow()
    db.session.commit()
    return run


# --- the upload page's background import -------------------------------------------------------

_threads: dict[int, threading.Thread] = {}


def run_import_job(path: str, run_id: int, user_id: int | None = None, remove_file: bool = True) -> None:
    """The job behind the upload page: import ``path`` for ImportRun ``run_id``, then remove it."""
    try:
        run = db.session.get(ImportRun, run_id)
        if run is not None:
            actor = run.user if user_id and run.user_id == user_id else None
            import_catalogue(path, actor=actor, strict=run.is_strict, filename=run.filename, run=run)
    finally:
        if remove_file:
            try:
                os.remove(path)
            except OSError:
                pass
        _threads.pop(run_id, None)


def start_background_import(path: str, run_id: int, *, user_id: int | None = None,
                            remove_file: bool = True):
    """Queue the import of ``path`` for ImportRun ``run_id`` (app.jobs: the RQ worker when Redis is
    configured, else a thread of this process)."""
    from app import jobs

    job = jobs.enqueue(run_import_job, path, run_id, user_id, remove_file, in_thread=True)
    if isinstance(job, threading.Thread):
        _threads[run_id] = job
    return job


def wait_for_import(run_id: int, timeout: float | None = None) -> None:
    """Wait for a background import to end (tests and the CLI use it)."""
    thread = _threads.get(run_id)
    if thread is not None:
        thread.join(timeout)


# --- ENLACE -------------------------------------------------------------------------------------

ENLACE_REQUIRED = ("clave", "mate_6")


def import_enlace(source) -> dict:
    """Set ENLACE 2011 6th-grade maths score, evaluated pupils and marginación on schools by CCT.

    Returns counts: rows, updated, not_found, bad. Commits (a batch job, like the catalogue).
    """
    src = _Source(source)
    try:
        raw = b"".join(src.lines())
    finally:
        src.close()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [name for name in ENLACE_REQUIRED if name not in header]
    if missing:
        from app.validation import ValidationError

        raise ValidationError({"archivo": "Faltan columnas en el archivo ENLACE: " + ", ".join(missing)})
    index = {name: i for i, name in enumerate(header)}
    school_ids = dict(db.session.execute(select(School.cct, School.id)).all())
    counts = {"rows": 0, "updated": 0, "not_found": 0, "bad": 0}
    updates: dict[int, dict] = {}

    def get(fields: list[str], name: str) -> str:
        position = index.get(name)
        return fields[position].strip() if position is not None and position < len(fields) else ""

    for fields in reader:
        if not fields:
            continue
        counts["rows"] += 1
        cct = get(fields, "clave").upper()
        try:
            score = float(get(fields, "mate_6")) if get(fields, "mate_6") else None
            evaluated_text = get(fields, "num_evaluados_total")
            evaluated = int(float(evaluated_text)) if evaluated_text else None
        except ValueError:
            counts["bad"] += 1
            continue
        if not is_valid_cct(cct):
            counts["bad"] += 1
            continue
        school_id = school_ids.get(cct)
        if school_id is None:
            counts["not_found"] += 1
            continue
        updates[school_id] = {"id": school_id, "enlace_math6": score, "enlace_evaluated": evaluated,
                              "marginalization": _clip(get(fields, "marginacion"), 30)}
    rows = list(updates.values())
    for start in range(0, len(rows), BATCH_SIZE):
        db.session.execute(update(School), rows[start:start + BATCH_SIZE])
    counts["updated"] = len(rows)
    db.session.commit()
    return counts


__all__ = [
    "CCT_RE", "FINISHED_STATUSES", "REQUIRED_COLUMNS", "STATUS_LABELS", "import_catalogue",
    "import_enlace", "is_valid_cct", "missing_columns", "start_background_import", "wait_for_import",
]
