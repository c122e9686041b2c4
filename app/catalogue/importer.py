"""Import SEP's *Catálogo de Centros de Trabajo* (SIGED format) and the ENLACE scores.

The catalogue has one row per work centre (CCT). Supervision rows (``C_TIPO`` = ``SUPERVISION DE ZONA
DE EDUCACION``) become zones; ``ESCUELA`` rows of basic education (inicial, preescolar, primaria,
secundaria) become schools, linked to their zone by ``SUPERVISION_CV_CCT`` (a school naming a zone that is
neither stored nor in the file is a bad row: not written, so a known school keeps its zone). Every other row is
skipped and counted. The file may be separated by commas, semicolons or tabs: its header tells which
(``reading.detect_delimiter``). A bad row is reported with its line number and reason while the good rows are
imported; in strict mode nothing is written if any row is bad.

Performance: the national catalogue has ~230,000 schools, so the importer streams the file, keeps
only ``cct -> id`` dictionaries in memory, and writes in batches with bulk INSERT and bulk UPDATE by
primary key. Zones are linked at the end with one set-based UPDATE, so a supervision row may come
after its schools.

Unlike ordinary services, the import commits: it is a batch job that records its progress for the
upload page (a strict import commits its data once, at the end).

The modules: ``fields`` (CCTs, levels, zones, addresses of one row), ``reading`` (the file: encoding,
delimiter, records, header), ``rows`` (one row parsed and checked), ``writing`` (writing in batches:
``import_catalogue``), ``background`` (the upload page's job), ``enlace`` (the ENLACE scores).
"""

from __future__ import annotations

from app.catalogue.background import run_import_job, start_background_import, wait_for_import  # noqa: F401
from app.catalogue.enlace import import_enlace  # noqa: F401
from app.catalogue.fields import (  # noqa: F401
    CCT_HELP,
    CCT_RE,
    is_valid_cct,
    school_address,
    school_level,
    zone_level,
    zone_number,
    zone_service,
)
from app.catalogue.reading import (  # noqa: F401
    DELIMITERS,
    REQUIRED_COLUMNS,
    count_rows,
    detect_delimiter,
    missing_columns,
)
from app.catalogue.writing import BATCH_SIZE, FINISHED_STATUSES, STATUS_LABELS, import_catalogue  # noqa: F401
