"""Importing a catalogue: each row parsed and checked (bad rows reported by line), zones and schools
written in batches by bulk INSERT/UPDATE, progress recorded on the ImportRun, and the upload page's
background job (app.jobs). Unlike ordinary services this commits: it is a batch job.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select, update

from app.catalogue.models import ImportRun, School, Zone
from app.catalogue.reading import REQUIRED_COLUMNS, _header, _records, _Scan, _scan, _Source
from app.catalogue.rows import _RowParser
from app.catalogue.zones_in_file import unknown_zone, zones_in_file
from app.extensions import db
from app.utils import utcnow
from app.validation import PermissionDenied

BATCH_SIZE = 2000


# The catalogue columns compared to tell an unchanged row on re-import. A zone's level is left out:
# for indígena zones it is not in the catalogue but taken from their schools (see link_zones), and
# an update keeps the stored level when the name names none.
ZONE_COMPARED = ("number", "name", "service", "municipality", "sector_cct", "region_cct")


SCHOOL_COMPARED = (
    "name",
    "level",
    "service",
    "shift",
    "municipality",
    "locality",
    "address",
    "postal_code",
    "lat",
    "lon",
    "is_public",
    "control",
    "supervision_cct",
    "sector_cct",
    "region_cct",
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


@dataclass
class _Outcome:
    """What one pass over the file found."""

    records: int = 0
    bad: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    stopped: str | None = None
    complete: bool = False  # read to the end of the file

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
        self.file_zones: set[str] = set()

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
            outcome.stopped = _(
                "Línea %(line)s: faltan columnas obligatorias en el encabezado: %(columns)s. ¿Es el Catálogo "
                "de Centros de Trabajo de SEP (formato SIGED)? Se leen archivos separados por comas, punto y "
                "coma o tabuladores.",
                line=first[0],
                columns=", ".join(missing),
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
                if kind == "school" and not self.zone_exists(value["supervision_cct"]):
                    kind, value = "bad", unknown_zone(value["supervision_cct"])
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
            outcome.complete = True
        except csv.Error as exc:
            outcome.add_error(line + 1, "", f"CSV mal formado; se dejó de leer aquí: {exc}.")
        if write:
            self.write_batch()
        return outcome

    def zone_exists(self, supervision_cct: str | None) -> bool:
        """Whether a school's SUPERVISION_CV_CCT names a zone stored or in the file (or none)."""
        return not supervision_cct or supervision_cct in self.zone_ids or supervision_cct in self.file_zones

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
        return (
            len(self.zone_inserts)
            + len(self.zone_updates)
            + len(self.school_inserts)
            + len(self.school_updates)
        )

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
            session.execute(
                _update_by_id(zones, self.zone_updates[0], keep_if_null=("level",)),
                _prefixed(self.zone_updates),
            )
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
            db.session.execute(
                update(Zone), [{"id": zone_id, "level": level} for zone_id, (_count, level) in best.items()]
            )
        return db.session.execute(
            select(func.count())
            .select_from(schools)
            .where(schools.c.supervision_cct.is_not(None), schools.c.zone_id.is_(None))
        ).scalar_one()


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


def import_catalogue(
    source,
    *,
    actor=None,
    strict: bool = False,
    filename: str | None = None,
    run: ImportRun | None = None,
    progress_every: int = 500,
) -> ImportRun:
    """Import (upsert by CCT) zones and schools from a SIGED catalogue file; returns the ImportRun.

    ``source`` is a path or a binary file object. Bad rows are reported in ``run.errors`` (line,
    CCT, reason); with ``strict`` nothing is written if any row is bad. Commits as it goes.
    """
    from app.permissions import can_import_catalogue

    if actor is not None and not can_import_catalogue(actor):
        raise PermissionDenied(_("Solo la administración importa el catálogo."))
    if filename is None:
        filename = (
            os.path.basename(os.fspath(source))
            if isinstance(source, (str, os.PathLike))
            else getattr(source, "filename", None) or getattr(source, "name", None) or "catalogo.csv"
        )
        filename = os.path.basename(str(filename))
    if run is None:
        run = ImportRun(filename=filename[:255], is_strict=strict, user_id=getattr(actor, "id", None))
        db.session.add(run)
    run.status = "en_curso"
    run.is_strict = strict
    run.started_at = utcnow()
    run.errors = []
    db.session.commit()

    src = _Source(source)
    importer = _Importer(run, strict=strict, progress_every=progress_every)
    try:
        scan = _scan(src)  # counts the rows once, before reading them, for the progress shown
        run.total_rows, run.processed_rows = scan.rows, 0
        db.session.commit()
        warning = (
            (
                "El archivo no está en UTF-8: se leyó como Windows-1252 (Latin-1). "
                "Revisa que los acentos se vean bien."
            )
            if scan.fell_back
            else None
        )
        importer.preload()
        importer.file_zones = zones_in_file(src, scan)
        if strict:
            checked = importer.run_pass(src, scan, write=False)
            if checked.stopped or checked.bad:
                return _finish(run, importer, checked, warning, refused=True)
            run.status, run.processed_rows = "guardando", checked.records  # every row read and checked
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


def _finish(
    run: ImportRun,
    importer: _Importer,
    outcome: _Outcome,
    warning: str | None,
    *,
    refused: bool,
    unknown_zones: int = 0,
) -> ImportRun:
    """Store counts, errors and a message on the run, and commit."""
    if refused:
        db.session.rollback()  # a strict import that failed writes nothing
        importer.counts.clear()
    if outcome.complete:  # the whole file read: its rows are counted exactly now
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
        parts.append(f"Importación estricta rechazada: {outcome.bad} filas con errores; no se guardó nada.")
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
