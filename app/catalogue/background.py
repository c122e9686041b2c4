"""The upload page's import runs as a background job (app.jobs: the RQ worker when Redis is
configured, else a thread of this process); the CLI and tests can wait for it."""

from __future__ import annotations

import os
import threading

from app.catalogue.models import ImportRun
from app.catalogue.writing import import_catalogue
from app.extensions import db

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


def start_background_import(path: str, run_id: int, *, user_id: int | None = None, remove_file: bool = True):
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
