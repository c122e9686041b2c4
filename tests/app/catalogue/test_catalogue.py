"""The SEP catalogue import: parsing, upsert, bad rows by line, strict mode, encodings, ENLACE."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.catalogue.importer import import_catalogue, import_enlace, missing_columns
from app.catalogue.models import ImportRun, School, Zone
from app.extensions import db as _db
from app.validation import PermissionDenied, ValidationError
from tests.app.catalogue.catalogue_rows import (
    DATA,
    HEADER,
    other,
    render,
    sample_rows,
    school,
    supervision,
)


def count(model, *where) -> int:
    return _db.session.scalar(select(func.count()).select_from(model).where(*where))


def by_cct(model, cct):
    return _db.session.execute(select(model).where(model.cct == cct)).scalar_one()


def errors_by_line(run: ImportRun) -> dict[int, str]:
    return {e["line"]: e["reason"] for e in run.errors}


def test_sample_file_creates_zones_and_schools(db):
    run = import_catalogue(DATA / "catalogo_muestra.csv")
    assert run.status == "terminada"
    assert (run.schools_created, run.zones_created, run.skipped_rows, run.bad_rows) == (8, 3, 3, 0)
    assert run.total_rows == run.processed_rows == 14
    assert run.filename == "catalogo_muestra.csv"
    assert count(School) == 8 and count(Zone) == 3


def test_sample_file_fields(db):
    import_catalogue(DATA / "catalogo_muestra.csv")
    zone = by_cct(Zone, "22FIZ0005Z")
    assert (zone.number, zone.level, zone.service) == (5, "primaria", "PRIMARIA GENERAL")
    assert (zone.sector_cct, zone.region_cct, zone.municipality) == ("22FJS0001K", "22ADG0001Z", "QUERÉTARO")
    first = by_cct(School, "22DPR0001A")
    assert first.name == "NIÑOS HÉROES"
    assert first.zone_id == zone.id  # the supervision row came after the school
    assert (first.level, first.service, first.shift) == ("primaria", "GENERAL", "MATUTINO")
    assert first.address == "CALLE HIDALGO 12, CENTRO"
    assert (first.locality, first.postal_code) == ("SANTIAGO DE QUERÉTARO", "76000")
    assert first.lat == pytest.approx(20.5931) and first.lon == pytest.approx(-100.392)
    assert first.is_public and first.control == "FEDERAL TRANSFERIDO"
    private = by_cct(School, "22PPR0004D")
    assert not private.is_public and private.control == "PARTICULAR"
    assert by_cct(School, "22KJN0003C").zone_id is None
    tele = by_cct(School, "22DTV0008L")
    assert tele.shift == "MATUTINO, VESPERTINO"
    assert tele.lat is None and tele.lon is None  # 0,0 is no coordinate
    assert by_cct(School, "22DJN0002B").level == "preescolar"


def test_skipped_rows_are_not_imported(db):
    import_catalogue(DATA / "catalogo_muestra.csv")
    assert count(School, School.cct == "22PBH0001F") == 0  # media superior
    assert count(School, School.cct == "22DBP0001E") == 0  # a library
    assert count(Zone, Zone.cct == "22FSE0001G") == 0  # educación especial


def test_indigenous_zone_takes_the_level_most_of_its_schools_have(db):
    import_catalogue(DATA / "catalogo_muestra.csv")
    zone = by_cct(Zone, "22FZI0001H")
    assert zone.level == "preescolar" and zone.number == 1 and zone.service == "INDIGENA"
    assert count(School, School.zone_id == zone.id) == 3


def test_reimport_updates_and_never_duplicates(db, tmp_path):
    import_catalogue(DATA / "catalogo_muestra.csv")
    school_row = by_cct(School, "22DPR0001A")
    school_row.enlace_math6 = 500.0
    _db.session.commit()
    rows = sample_rows()
    rows[0]["C_NOMBRE"] = "NIÑOS HÉROES DE CHAPULTEPEC"
    rows[0]["SUPERVISION_CV_CCT"] = "22FZP0001C"
    path = tmp_path / "again.csv"
    path.write_bytes(render(rows))
    run = import_catalogue(path)
    assert (run.schools_created, run.schools_updated, run.zones_created, run.zones_updated) == (0, 1, 0, 0)
    assert "7 sin cambios" in run.message and "3 sin cambios" in run.message
    assert count(School) == 8 and count(Zone) == 3
    _db.session.expire_all()
    updated = by_cct(School, "22DPR0001A")
    assert updated.name == "NIÑOS HÉROES DE CHAPULTEPEC"
    assert updated.zone.cct == "22FZP0001C"
    assert updated.enlace_math6 == 500.0  # the catalogue does not touch ENLACE data


def test_reimport_keeps_the_level_of_an_indigenous_zone_and_notices_changes(db, tmp_path):
    import_catalogue(DATA / "catalogo_muestra.csv")
    rows = sample_rows()
    rows[10]["INMUEBLE_LATITUD"] = "21.0001"  # 22DPB0005I moved
    rows[9]["C_NOMBRE"] = "SUPERVISION DE ZONA DE EDUCACION INDIGENA NUM. 10"
    path = tmp_path / "again.csv"
    path.write_bytes(render(rows))
    run = import_catalogue(path)
    assert (run.schools_updated, run.zones_updated) == (1, 1)
    _db.session.expire_all()
    zone = by_cct(Zone, "22FZI0001H")
    assert (zone.number, zone.level) == (10, "preescolar")
    assert by_cct(School, "22DPB0005I").lat == pytest.approx(21.0001)


def test_file_object_source(db):
    data = (DATA / "catalogo_muestra.csv").read_bytes()
    run = import_catalogue(io.BytesIO(data), filename="subido.csv")
    assert run.filename == "subido.csv" and run.schools_created == 8


def test_non_seekable_source(db):
    class Stream(io.RawIOBase):
        def __init__(self, data):
            self._inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    run = import_catalogue(Stream((DATA / "catalogo_muestra.csv").read_bytes()))
    assert run.schools_created == 8


def bad_file_rows():
    short = ",".join(["22DPR0010Q", "CORTA", "9", "ESCUELA"])  # fewer columns than the header
    return [
        school("22DPR0001A", "NIÑOS HÉROES"),  # 2: good
        school("22DPR01A", "CLAVE MAL"),  # 3: invalid CCT
        short,  # 4: missing columns
        school("22DPR0001A", "OTRA VEZ"),  # 5: duplicate of line 2
        school("", "SIN CLAVE"),  # 6: no CCT
        "LATIN1",  # 7: not UTF-8 (placeholder)
        school("22DPR0011R", "SUPERVISIÓN MAL", supervision="ZONA5"),  # 8: bad supervision CCT
        school("22DPR0012S", "COORDENADAS", INMUEBLE_LATITUD="norte"),  # 9: bad coordinates
        school("22DJN0002B", "ROSAURA ZAPATA"),  # 10: good
        school("22DPR0013T", ""),  # 11: no name
    ]


def write_bad_file(tmp_path):
    text = render(bad_file_rows())
    latin1_row = render([school("22DPR0014U", "ESCUELA MUÑOZ")], encoding="cp1252").split(b"\r\n")[1]
    data = text.replace(b"LATIN1", latin1_row)
    path = tmp_path / "errores.csv"
    path.write_bytes(data)
    return path


def test_bad_rows_are_reported_by_line_while_good_rows_import(db, tmp_path):
    run = import_catalogue(write_bad_file(tmp_path))
    assert run.status == "con_errores"
    assert count(School) == 2
    assert {s for (s,) in _db.session.execute(select(School.cct))} == {"22DPR0001A", "22DJN0002B"}
    lines = errors_by_line(run)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 11]
    assert run.bad_rows == 8
    assert "CCT no válida" in lines[3] and "22DPR0012K" in lines[3]
    assert "columnas" in lines[4]
    assert "línea 2" in lines[5]
    assert "CV_CCT" in lines[6]
    assert "UTF-8" in lines[7]
    assert "SUPERVISION_CV_CCT" in lines[8]
    assert "Coordenadas" in lines[9]
    assert "C_NOMBRE" in lines[11]
    assert {e["cct"] for e in run.errors if e["line"] == 5} == {"22DPR0001A"}
    assert "8 filas con errores" in run.message


def test_strict_writes_nothing_when_a_row_is_bad(db, tmp_path):
    run = import_catalogue(write_bad_file(tmp_path), strict=True)
    assert run.status == "rechazada"
    assert run.is_strict
    assert count(School) == 0 and count(Zone) == 0
    assert sorted(errors_by_line(run)) == [3, 4, 5, 6, 7, 8, 9, 11]
    assert run.schools_created == 0
    assert "no se guardó nada" in run.message
    assert count(ImportRun) == 1  # the run itself is kept, to show why


def test_strict_imports_a_clean_file(db):
    run = import_catalogue(DATA / "catalogo_muestra.csv", strict=True)
    assert run.status == "terminada" and count(School) == 8 and count(Zone) == 3


def test_strict_keeps_existing_data_untouched(db, tmp_path):
    import_catalogue(DATA / "catalogo_muestra.csv")
    rows = sample_rows() + [school("BAD", "MAL")]
    rows[0]["C_NOMBRE"] = "CAMBIADA"
    path = tmp_path / "strict.csv"
    path.write_bytes(render(rows))
    run = import_catalogue(path, strict=True)
    assert run.status == "rechazada"
    _db.session.expire_all()
    assert by_cct(School, "22DPR0001A").name == "NIÑOS HÉROES"


def test_missing_header_column_refuses_the_whole_file(db, tmp_path):
    header = [h for h in HEADER if h not in ("SUPERVISION_CV_CCT", "C_TIPO")]
    path = tmp_path / "sin_columnas.csv"
    path.write_bytes(render(sample_rows(), header=header))
    run = import_catalogue(path)
    assert run.status == "rechazada"
    assert "C_TIPO" in run.message and "SUPERVISION_CV_CCT" in run.message
    assert count(School) == 0 and count(Zone) == 0
    assert missing_columns(path) == ["C_TIPO", "SUPERVISION_CV_CCT"]
    assert missing_columns(DATA / "catalogo_muestra.csv") == []


def test_empty_file_is_refused(db, tmp_path):
    path = tmp_path / "vacio.csv"
    path.write_bytes(b"")
    run = import_catalogue(path)
    assert run.status == "rechazada" and "vacío" in run.message


def test_non_utf8_file_is_read_as_windows_1252_with_a_warning(db):
    run = import_catalogue(DATA / "catalogo_muestra_latin1.csv")
    assert run.status == "terminada"
    assert "no está en UTF-8" in run.message
    assert by_cct(School, "22DPR0001A").name == "NIÑOS HÉROES"
    assert count(School) == 8


def test_utf8_bom_and_lowercase_cct_are_accepted(db, tmp_path):
    rows = [school("22dpr0001a", "CON BOM")]
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + render(rows))
    run = import_catalogue(path)
    assert run.status == "terminada"
    assert by_cct(School, "22DPR0001A").name == "CON BOM"


def test_quoted_newline_keeps_line_numbers(db, tmp_path):
    rows = [school("22DPR0001A", "DOS\nLÍNEAS"), school("BAD", "MAL")]
    path = tmp_path / "multilinea.csv"
    path.write_bytes(render(rows))
    run = import_catalogue(path)
    assert errors_by_line(run).keys() == {4}


def test_progress_is_committed_every_n_rows(db, tmp_path):
    rows = [school(f"22DPR{n:04d}A", f"ESCUELA {n}") for n in range(1, 26)]
    path = tmp_path / "progreso.csv"
    path.write_bytes(render(rows))
    seen = []
    from sqlalchemy import event

    def record(session):
        for obj in session.dirty:
            if isinstance(obj, ImportRun):
                seen.append(obj.processed_rows)

    event.listen(_db.session, "before_commit", record)
    try:
        run = import_catalogue(path, progress_every=10)
    finally:
        event.remove(_db.session, "before_commit", record)
    assert {10, 20}.issubset(seen)
    assert run.processed_rows == 25 and count(School) == 25


def test_batches_larger_than_one_batch(db, tmp_path, monkeypatch):
    monkeypatch.setattr("app.catalogue.writing.BATCH_SIZE", 7)
    rows = [school(f"22DPR{n:04d}A", f"ESCUELA {n}", supervision="22FIZ0001B") for n in range(1, 31)]
    rows.append(supervision("22FIZ0001B", "SUPERVISION DE ZONA DE EDUCACION PRIMARIA GENERAL NUM. 1"))
    path = tmp_path / "lotes.csv"
    path.write_bytes(render(rows))
    run = import_catalogue(path)
    assert run.schools_created == 30
    zone = by_cct(Zone, "22FIZ0001B")
    assert count(School, School.zone_id == zone.id) == 30


def test_only_admins_may_import(db, create_user, tmp_path):
    with pytest.raises(PermissionDenied):
        import_catalogue(DATA / "catalogo_muestra.csv", actor=create_user("supervisor"))
    admin = create_user("admin")
    run = import_catalogue(DATA / "catalogo_muestra.csv", actor=admin)
    assert run.user_id == admin.id


def test_malformed_csv_stops_reading_and_says_where(db, tmp_path):
    path = tmp_path / "comillas.csv"
    # an opening quote never closed swallows the rest of the file into one huge field
    path.write_bytes(render([school("22DPR0001A")]) + b'22DPR0002B,"' + b"x" * 140_000 + b"\r\n")
    run = import_catalogue(path)
    assert count(School) == 1
    assert run.status == "con_errores"
    assert run.bad_rows == 1 and run.errors[0]["line"] == 3
    assert "CSV mal formado" in run.errors[0]["reason"]


# --- the real Querétaro file -------------------------------------------------------------------


def test_real_queretaro_catalogue(db):
    """Checked on the file with a small script: 5,375 rows; 3,910 basic-education schools; 211
    supervision rows, of which 8 are educación especial (skipped); 2,848 schools name a zone, and
    after trimming one trailing space (``'22FIZ0091N '``) they fall in 203 zones — the data README
    says 204 because it counted that CCT twice."""
    from tests.app.catalogue.catalogue_rows import QUERETARO

    run = import_catalogue(QUERETARO)
    assert run.status == "terminada", run.message
    assert run.total_rows == 5375 and run.bad_rows == 0
    assert run.schools_created == 3910
    assert run.zones_created == 203
    assert run.skipped_rows == 5375 - 3910 - 203
    assert count(School) == 3910 and count(Zone) == 203
    assert count(School, School.zone_id.is_not(None)) == 2848
    assert _db.session.scalar(select(func.count(func.distinct(School.zone_id)))) == 203
    levels = dict(_db.session.execute(select(School.level, func.count()).group_by(School.level)).all())
    assert levels == {"inicial": 234, "preescolar": 1612, "primaria": 1556, "secundaria": 508}
    assert count(School, School.is_public.is_(False)) == 846
    trailing = by_cct(School, "22DPR0024S")
    assert trailing.zone.cct == "22FIZ0091N" and trailing.zone.number == 91

    again = import_catalogue(QUERETARO)
    assert (again.schools_created, again.schools_updated) == (0, 0)  # nothing changed
    assert (again.zones_created, again.zones_updated) == (0, 0)
    assert "3910 sin cambios" in again.message and "203 sin cambios" in again.message
    assert count(School) == 3910 and count(Zone) == 203
    assert count(School, School.zone_id.is_not(None)) == 2848

    from tests.app.catalogue.catalogue_rows import ENLACE

    counts = import_enlace(ENLACE)
    assert counts == {"rows": 1435, "updated": 1356, "not_found": 79, "bad": 0}
    assert count(School, School.enlace_math6.is_not(None), School.zone_id.is_not(None)) == 1180


# --- ENLACE --------------------------------------------------------------------------------------


def test_enlace_join_by_cct(db):
    import_catalogue(DATA / "catalogo_muestra.csv")
    counts = import_enlace(DATA / "enlace_muestra.csv")
    assert counts == {"rows": 5, "updated": 2, "not_found": 1, "bad": 2}
    first = by_cct(School, "22DPR0001A")
    assert (first.enlace_math6, first.enlace_evaluated, first.marginalization) == (512.5, 31, "BAJO")
    assert by_cct(School, "22DPB0005I").enlace_math6 is None


def test_enlace_file_without_its_columns_is_refused(db, tmp_path):
    path = tmp_path / "enlace.csv"
    path.write_text("estado,cct\nQUERETARO,22DPR0001A\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_enlace(path)
    assert "clave" in str(info.value)


def test_import_runs_are_recorded(db):
    import_catalogue(DATA / "catalogo_muestra.csv")
    import_catalogue(DATA / "catalogo_muestra.csv", strict=True)
    runs = _db.session.execute(select(ImportRun).order_by(ImportRun.id)).scalars().all()
    assert [r.is_strict for r in runs] == [False, True]
    assert all(r.finished_at is not None for r in runs)


def test_other_rows_with_bad_cct_are_errors_too(db, tmp_path):
    path = tmp_path / "otra.csv"
    path.write_bytes(render([other("XX", name="ALMACÉN")]))
    run = import_catalogue(path)
    assert run.bad_rows == 1 and run.skipped_rows == 0


# --- a supervision that is not a zone ----------------------------------------------------------


def test_unknown_supervision_is_a_bad_row_and_leaves_the_school_in_its_zone(db, tmp_path):
    import_catalogue(DATA / "catalogo_muestra.csv")
    rows = sample_rows()
    rows[0]["SUPERVISION_CV_CCT"] = "22FZP0999X"  # line 2: an existing school moved to no zone
    rows.append(school("22DPR0999Z", "NUEVA", supervision="22FZP0998X"))  # a new school, no zone
    path = tmp_path / "zona_desconocida.csv"
    path.write_bytes(render(rows))
    run = import_catalogue(path)
    assert run.status == "con_errores"
    lines = errors_by_line(run)
    last = len(rows) + 1
    assert sorted(lines) == [2, last]
    assert "22FZP0999X" in lines[2] and "no existe" in lines[2]
    assert "22FZP0998X" in lines[last]
    _db.session.expire_all()
    kept = by_cct(School, "22DPR0001A")
    assert kept.zone.cct == "22FIZ0005Z" and kept.supervision_cct == "22FIZ0005Z"
    assert count(School, School.cct == "22DPR0999Z") == 0


def test_unknown_supervision_refuses_a_strict_import(db, tmp_path):
    rows = sample_rows() + [school("22DPR0999Z", "NUEVA", supervision="22FZP0998X")]
    path = tmp_path / "zona_desconocida.csv"
    path.write_bytes(render(rows))
    run = import_catalogue(path, strict=True)
    assert run.status == "rechazada"
    assert list(errors_by_line(run)) == [len(rows) + 1]
    assert count(School) == 0 and count(Zone) == 0


def test_a_zone_already_stored_or_later_in_the_file_is_known(db, tmp_path):
    import_catalogue(DATA / "catalogo_muestra.csv")
    path = tmp_path / "solo_escuela.csv"
    path.write_bytes(render([school("22DPR0777A", "OTRA", supervision="22FZP0001C")]))
    run = import_catalogue(path, strict=True)
    assert run.status == "terminada", run.errors
    assert by_cct(School, "22DPR0777A").zone.cct == "22FZP0001C"
