"""Thumbnails are made by a job after the upload is committed (the RQ worker with Redis), never by a
page: a page that decoded a large photo would block its gevent worker, and every live room on it."""

from __future__ import annotations

import io
import uuid
from contextlib import contextmanager

import pytest
from PIL import Image

from app import jobs, uploads
from app.extensions import db
from app.practices import services
from app.practices.models import Evidence
from tests import factories


@pytest.fixture
def practice(world):
    return factories.create_practice(world.school, visibility="escuela")


def _photo(width: int = 1600, height: int = 1200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 112, 74)).save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _upload(client, practice, data: bytes, name: str = "foto.jpg"):
    response = client.post(
        f"/practicas/{practice.id}/evidencias",
        data={"file": (io.BytesIO(data), name), "caption": "Rincón"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.query(Evidence).order_by(Evidence.id.desc()).first()


@contextmanager
def no_decoding():
    """Inside, opening an image in this process fails loudly (what a page must never do)."""

    def refuse(*args, **kwargs):
        raise RuntimeError("a page decoded an image")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Image, "open", refuse)
        yield


def _thumb_of(evidence):
    return uploads.thumbnail_path(services.evidence_path(evidence))


def test_the_upload_makes_the_thumbnail_and_the_page_only_serves_it(client, login_as, world, practice):
    login_as(world.people["director"])
    evidence = _upload(client, practice, _photo())
    assert _thumb_of(evidence).is_file()  # made right after the commit (no Redis: in this process)
    with no_decoding():
        response = client.get(f"/evidencias/{evidence.id}/miniatura")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data == _thumb_of(evidence).read_bytes()


def test_a_page_never_decodes_an_image_whose_thumbnail_is_not_made(client, login_as, world, practice):
    """Before: the thumbnail route decoded the original in the request (the 5-second stall)."""
    login_as(world.people["director"])
    evidence = _upload(client, practice, _photo())
    _thumb_of(evidence).unlink(missing_ok=True)  # as if its job had not run yet (or predates it)
    with no_decoding():
        response = client.get(f"/evidencias/{evidence.id}/miniatura")
        pages = [client.get(page).status_code for page in (f"/practicas/{practice.id}", "/practicas")]
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/evidencias/{evidence.id}")  # the original meanwhile
    assert "no-store" in response.headers["Cache-Control"]  # the thumbnail is served once it exists
    assert pages == [200, 200]
    assert not _thumb_of(evidence).exists()


def test_a_pdf_has_no_thumbnail(client, login_as, world, practice):
    from tests.app.practices.conftest import pdf_bytes

    login_as(world.people["director"])
    evidence = _upload(client, practice, pdf_bytes(), "plan.pdf")
    assert client.get(f"/evidencias/{evidence.id}/miniatura").status_code == 404
    assert not _thumb_of(evidence).exists()


def test_the_job_refuses_an_image_over_the_pixel_limit_without_decoding_it(app, db, monkeypatch):
    """An image stored before uploads refused them is never decoded, not even by the job."""
    folder = uploads.upload_folder("evidence")
    name = f"{uuid.uuid4().hex}.png"
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")
    (folder / name).write_bytes(buffer.getvalue())
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 1_000_000)
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded"))
    assert uploads.make_thumbnail(f"evidence/{name}") is False
    assert not uploads.thumbnail_path(folder / name).exists()
    assert uploads.make_thumbnail("../../etc/passwd") is False  # only files under UPLOAD_FOLDER


def test_with_redis_the_worker_makes_the_thumbnail(
    app, client, login_as, world, practice, redis_url, monkeypatch
):
    from redis import Redis
    from rq import Queue

    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    name = f"aee-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(jobs, "QUEUE_NAME", name)
    login_as(world.people["director"])
    try:
        evidence = _upload(client, practice, _photo())
        assert not _thumb_of(evidence).exists()  # not in the web process
        assert Queue(name, connection=Redis.from_url(redis_url)).count == 1
        with no_decoding():
            assert client.get(f"/evidencias/{evidence.id}/miniatura").status_code == 302
        with app.app_context():  # the worker's own context, as in its own process
            result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
        assert result.exit_code == 0, result.output
        with no_decoding():
            response = client.get(f"/evidencias/{evidence.id}/miniatura")
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        with Image.open(io.BytesIO(response.data)) as thumb:
            assert thumb.size == (480, 360)
    finally:
        Queue(name, connection=Redis.from_url(redis_url)).delete(delete_jobs=True)


def test_the_thumbnails_command_makes_those_missing(app, client, login_as, world, practice):
    login_as(world.people["director"])
    evidence = _upload(client, practice, _photo(640, 480))
    _thumb_of(evidence).unlink()
    result = app.test_cli_runner().invoke(args=["jobs", "thumbnails"])
    assert result.exit_code == 0, result.output
    assert _thumb_of(evidence).is_file()
    assert client.get(f"/evidencias/{evidence.id}/miniatura").status_code == 200
