"""Evidence uploads: type by content, size limit, random stored names, serving with permission."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.practices import services
from app.practices.models import Evidence
from app.validation import ValidationError
from tests import factories
from tests.app.practices.conftest import WEBP_BYTES, jpeg_bytes, pdf_bytes, png_bytes


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.fixture
def practice(world):
    return factories.create_practice(world.school, visibility="escuela")


@pytest.mark.parametrize(
    "maker, name, mime",
    [
        (png_bytes, "foto.png", "image/png"),
        (jpeg_bytes, "Foto del salón.JPG", "image/jpeg"),
        (lambda: WEBP_BYTES, "foto.webp", "image/webp"),
        (pdf_bytes, "planeación.pdf", "application/pdf"),
        (png_bytes, "sin-extension", "image/png"),
    ],
)
def test_accepted_types_are_stored_under_random_names(app, world, practice, maker, name, mime):
    data = maker()
    evidence = services.add_evidence(
        practice, upload(data, name), actor=world.people["director"], caption="Trabajo de los alumnos"
    )
    db.session.commit()
    assert evidence.mime_type == mime
    assert evidence.size == len(data)
    stem, ext = evidence.stored_name.split(".")
    assert len(stem) == 32 and int(stem, 16) >= 0  # secrets.token_hex(16)
    assert (
        ext == {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "application/pdf": "pdf"}[mime]
    )
    assert Path(name).stem.lower()[:4] not in evidence.stored_name
    path = Path(app.config["UPLOAD_FOLDER"]) / "evidence" / evidence.stored_name
    assert path.read_bytes() == data
    assert "/" not in evidence.original_name and evidence.original_name


def test_same_file_twice_gets_two_names(world, practice):
    one = services.add_evidence(practice, upload(png_bytes(), "a.png"), actor=world.people["director"])
    two = services.add_evidence(practice, upload(png_bytes(), "a.png"), actor=world.people["director"])
    assert one.stored_name != two.stored_name


def test_path_in_the_original_name_is_only_display_text(world, practice):
    evidence = services.add_evidence(
        practice, upload(png_bytes(), "../../etc/passwd.png"), actor=world.people["director"]
    )
    assert evidence.original_name == "etc_passwd.png"
    assert ".." not in evidence.stored_name


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "foto.jpg", "Solo se aceptan"),
        (b"<!doctype html><html><script>alert(1)</script></html>", "imagen.png", "Solo se aceptan"),
        (b"Hola, esto es un archivo de texto.\n", "evidencia.pdf", "Solo se aceptan"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "animacion.gif", "Solo se aceptan"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> roto", "roto.pdf", "PDF"),
        (b"", "vacio.png", "vacío"),
    ],
)
def test_refused_files(app, world, practice, data, name, message):
    before = set(os.listdir(services.evidence_folder()))
    with pytest.raises(ValidationError) as info:
        services.add_evidence(practice, upload(data, name), actor=world.people["director"])
    assert message in info.value.errors["file"]
    assert set(os.listdir(services.evidence_folder())) == before


def test_oversized_refused(app, world, practice, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_EVIDENCE_BYTES", 1000)
    with pytest.raises(ValidationError) as info:
        services.add_evidence(
            practice, upload(png_bytes(40, 40) + b"\x00" * 2000, "grande.png"), actor=world.people["director"]
        )
    assert "límite" in info.value.errors["file"]


def test_rolled_back_upload_leaves_no_file(app, world, practice):
    evidence = services.add_evidence(practice, upload(png_bytes(), "a.png"), actor=world.people["director"])
    path = services.evidence_path(evidence)
    assert path.exists()
    db.session.rollback()
    assert not path.exists()


def test_removed_evidence_file_is_deleted_on_commit(app, world, practice):
    evidence = services.add_evidence(practice, upload(png_bytes(), "a.png"), actor=world.people["director"])
    db.session.commit()
    path = services.evidence_path(evidence)
    services.remove_evidence(evidence, actor=world.people["docente"])
    assert path.exists()  # not yet committed
    db.session.commit()
    assert not path.exists()
    assert db.session.query(Evidence).count() == 0


# --- through the pages -------------------------------------------------------------------------


def test_upload_page_and_serving(client, login_as, world, practice):
    login_as(world.people["director"])
    response = client.post(
        f"/practicas/{practice.id}/evidencias",
        data={
            "file": (io.BytesIO(png_bytes()), "foto.png"),
            "caption": "Rincón armado",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    evidence = db.session.query(Evidence).one()
    served = client.get(f"/evidencias/{evidence.id}")
    assert served.status_code == 200
    assert served.data == png_bytes()
    assert served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline")
    page = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert 'class="thumbs"' in page and f"/evidencias/{evidence.id}" in page


def test_pdf_served_as_a_sandboxed_download(client, login_as, world, practice):
    """Never inline: in the browser's PDF viewer a PDF's JavaScript and forms would run on this site."""
    evidence = services.add_evidence(
        practice, upload(pdf_bytes(), "plan.pdf"), actor=world.people["director"]
    )
    db.session.commit()
    login_as(world.people["docente"])
    served = client.get(f"/evidencias/{evidence.id}")
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["Content-Security-Policy"].startswith("sandbox;")
    page = client.get(f"/practicas/{practice.id}").get_data(as_text=True)
    assert "plan.pdf" in page and "(PDF)" in page


@pytest.mark.parametrize(
    "role, status",
    [
        ("director", 200),
        ("docente", 200),
        ("supervisor_zona", 200),
        ("asesor_asignado", 200),
        ("admin", 200),
        ("director_misma_zona", 403),
        ("director_otra_zona", 403),
        ("supervisor_otra", 403),
        ("asesor_no_asignado", 403),
        ("anonymous", 302),
    ],
)
def test_evidence_served_only_to_who_may_view(client, login_as, world, practice, role, status):
    evidence = services.add_evidence(practice, upload(jpeg_bytes(), "a.jpg"), actor=world.people["director"])
    db.session.commit()
    if role != "anonymous":
        login_as(world.people[role])
    response = client.get(f"/evidencias/{evidence.id}")
    assert response.status_code == status
    if status != 200:
        assert response.data != jpeg_bytes()


def test_missing_evidence_is_404(client, login_as, world):
    login_as(world.people["admin"])
    assert client.get("/evidencias/999999").status_code == 404


def test_rejected_upload_keeps_the_form(client, login_as, world, practice):
    login_as(world.people["director"])
    response = client.post(
        f"/practicas/{practice.id}/evidencias",
        data={
            "file": (io.BytesIO(b"MZ\x90\x00 not an image"), "foto.jpg"),
            "caption": "Mi pie de foto",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Solo se aceptan imágenes JPEG, PNG o WebP y documentos PDF." in page
    assert 'value="Mi pie de foto"' in page
    assert db.session.query(Evidence).count() == 0


def test_new_practice_with_bad_file_keeps_what_was_typed(client, login_as, world, categories):
    login_as(world.people["director"])
    response = client.post(
        f"/escuelas/{world.school.cct}/practicas/nueva",
        data={
            "title": "Lotería de fracciones",
            "summary": "Jugamos lotería con fracciones.",
            "level": "primaria",
            "visibility": "zona",
            "resources-0-description": "Tarjetas",
            "resources-0-criterion": "materiales",
            "evidence_file": (io.BytesIO(b"<html>hola</html>"), "foto.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Solo se aceptan" in page
    assert 'value="Lotería de fracciones"' in page and 'value="Tarjetas"' in page
    from app.practices.models import Practice

    assert db.session.query(Practice).count() == 0
