"""Long jobs off the live worker: an RQ worker when ``REDIS_URL`` is set, this process otherwise.

A gevent worker that serves live rooms must not spend seconds importing a catalogue or waiting for
an SMTP server: every room on it would stall. With Redis configured, ``enqueue`` puts the job on the
``aee`` queue and ``flask jobs worker`` (one or more processes beside the web ones, same
configuration, same upload folder) runs it. Without Redis (the embedded default) the job runs here:
at once, or in a thread of its own for long ones (``in_thread=True``), as before.

Jobs are plain functions named by import path, called inside an application context; each starts
and ends with a fresh database session.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable

import click
from flask import Blueprint, current_app

from app.extensions import db

QUEUE_NAME = "aee"
bp = Blueprint("jobs", __name__, cli_group="jobs")


def _name(func: Callable) -> str:
    return f"{func.__module__}:{func.__qualname__}"


def _resolve(name: str) -> Callable:
    module, _, attribute = name.partition(":")
    target = importlib.import_module(module)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


def run(name: str, args: tuple) -> object:
    """Run the job ``name`` ("module:function") with ``args`` in the current app context."""
    try:
        return _resolve(name)(*args)
    finally:
        db.session.remove()


def queue():
    """The RQ queue on ``REDIS_URL`` (None without Redis)."""
    url = current_app.config["REDIS_URL"]
    if not url:
        return None
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(url))


def enqueue(func: Callable, *args, in_thread: bool = False):
    """Run ``func(*args)`` in the job worker (Redis), else now, or in a thread when ``in_thread``.

    Returns the RQ job, the thread, or what ``func`` returned.
    """
    jobs_queue = queue()
    if jobs_queue is not None:
        return jobs_queue.enqueue(run, _name(func), args)
    if in_thread:
        app = current_app._get_current_object()

        def work() -> None:
            with app.app_context():
                try:
                    run(_name(func), args)
                except Exception:  # the job records its own failure where a person sees it
                    app.logger.exception("Falló la tarea %s", _name(func))

        thread = threading.Thread(target=work, name=f"job-{func.__name__}", daemon=True)
        thread.start()
        return thread
    return func(*args)


@bp.cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
def worker_command(burst: bool) -> None:
    """Run the background jobs (catalogue imports, e-mail, thumbnails) queued on REDIS_URL."""
    from rq import SimpleWorker

    jobs_queue = queue()
    if jobs_queue is None:
        raise click.ClickException("REDIS_URL no está configurado: las tareas se ejecutan en el proceso web.")
    # SimpleWorker runs each job in this process, inside this command's app context.
    SimpleWorker([jobs_queue], connection=jobs_queue.connection).work(burst=burst)


@bp.cli.command("thumbnails")
def thumbnails_command() -> None:
    """Queue the thumbnails of evidence images stored before thumbnails were made at upload."""
    from app import uploads  # uploads queues its jobs here: imported when the command runs

    missing = uploads.missing_thumbnails("evidence")
    for relative in missing:
        enqueue(uploads.make_thumbnail, relative)
    click.echo(f"Miniaturas pendientes encoladas o hechas: {len(missing)}")
