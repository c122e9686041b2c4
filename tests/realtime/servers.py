"""Real server processes for the tests that need more than Flask-SocketIO's test client: several
processes sharing PostgreSQL or SQLite and Redis, a production gunicorn gevent worker, a flood.

``start_server`` runs ``python -m app`` (threading) or, with ``gevent``, one gunicorn gevent worker
as in production, on a free port, and waits until Socket.IO answers; ``stop_server`` ends it.
``session_cookie`` is the Flask-Login cookie of a person, as the servers (sharing SECRET_KEY) issue it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "test-secret-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    database_url: str,
    *,
    log_path: Path,
    queue_url: str | None = None,
    channel: str | None = None,
    gevent: bool = False,
    **settings,
) -> tuple[subprocess.Popen, str]:
    """A server on a free port; (process, url). ``settings`` are more environment variables."""
    port = free_port()
    env = {
        **os.environ,
        "AEE_CONFIG": "development",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        **({"SOCKETIO_MESSAGE_QUEUE": queue_url} if queue_url else {}),
        **({"SOCKETIO_CHANNEL": channel} if channel else {}),
        **{key: str(value) for key, value in settings.items()},
    }
    if gevent:
        command = ["-m", "gunicorn", "-k", "gevent", "-w", "1", "-b", f"127.0.0.1:{port}", "app:create_app()"]
    else:
        command = ["-m", "app"]
    log = open(log_path, "ab")  # noqa: SIM115 - closed by stop_server
    proc = subprocess.Popen(
        [sys.executable, *command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log
    )
    proc.log = log
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded CI machine starts Python slowly
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stop_server(proc)
            raise RuntimeError(Path(log_path).read_text(errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(url + "/socket.io/?EIO=4&transport=polling", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("el servidor no arrancó")


def stop_server(proc) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    proc.log.close()


def session_cookie(app, user) -> str:
    """``user``'s Flask-Login session cookie (the id and the account's session token)."""
    http = app.test_client()
    with http.session_transaction() as sess:
        factories.log_in(sess, user)
    return f"session={http.get_cookie('session').value}"
