"""app.jobs: long jobs go to the RQ worker when Redis is configured, and run here otherwise."""

from __future__ import annotations

import io
import threading
import uuid

import pytest

from app import jobs

DONE: list[tuple] = []


def record(*args) -> str:
    """A job: remember that it ran, and with what."""
    DONE.append(args)
    return "hecho"


@pytest.fixture(autouse=True)
def _empty():
    DONE.clear()
    yield
    DONE.clear()


def test_without_redis_a_job_runs_at_once(app, db):
    assert app.config["REDIS_URL"] is None
    assert jobs.enqueue(record, 1, "a") == "hecho"
    assert DONE == [(1, "a")]


def test_without_redis_a_long_job_runs_in_a_thread_with_its_own_app_context(app, db):
    thread = jobs.enqueue(record, 2, in_thread=True)
    assert isinstance(thread, threading.Thread)
    thread.join(10)
    assert DONE == [(2,)]


def test_with_redis_the_job_waits_for_the_worker_and_the_worker_runs_it(app, db, redis_url, monkeypatch):
    from redis import Redis
    from rq import Queue

    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    name = f"aee-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(jobs, "QUEUE_NAME", name)
    try:
        job = jobs.enqueue(record, 3, "b")
        assert DONE == []  # not in the web process
        assert job.get_status() == "queued"
        result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
        assert result.exit_code == 0, result.output
        assert DONE == [(3, "b")]
        job.refresh()
        assert job.get_status() == "finished" and job.return_value() == "hecho"
    finally:
        Queue(name, connection=Redis.from_url(redis_url)).delete(delete_jobs=True)


def test_the_worker_command_explains_that_it_needs_redis(app, db):
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


def test_with_redis_a_catalogue_upload_is_imported_by_the_worker(
    app, client, login_as, redis_url, monkeypatch
):
    """The upload page answers at once; the import waits for `flask jobs worker`, not a web thread."""
    from redis import Redis
    from rq import Queue

    from app.catalogue.models import ImportRun, School
    from app.extensions import db
    from tests.app.catalogue.catalogue_rows import DATA

    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    name = f"aee-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(jobs, "QUEUE_NAME", name)
    login_as("admin")
    try:
        form = {"file": (io.BytesIO((DATA / "catalogo_muestra.csv").read_bytes()), "catalogo.csv")}
        response = client.post("/catalogo/importar", data=form, content_type="multipart/form-data")
        assert response.status_code == 302
        run_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
        assert client.get(f"/catalogo/importaciones/{run_id}.json").get_json()["status"] == "pendiente"
        assert Queue(name, connection=Redis.from_url(redis_url)).count == 1
        with app.app_context():  # the worker's own context, as in its own process
            result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
        assert result.exit_code == 0, result.output
        status = client.get(f"/catalogo/importaciones/{run_id}.json").get_json()
        assert status["status"] == "terminada" and status["schools_created"] == 8
        assert db.session.scalar(db.select(db.func.count()).select_from(School)) == 8
        assert db.session.get(ImportRun, run_id).status == "terminada"
    finally:
        Queue(name, connection=Redis.from_url(redis_url)).delete(delete_jobs=True)
