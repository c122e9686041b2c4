"""Static files carry their version: every ``url_for('static', filename=...)`` gets ``?v=<hash>``.

The hash is the first 12 hex digits of the file's SHA-256, kept per file and recomputed only when the
file's size or modification time changes. A browser therefore fetches a new ``room.js`` the moment
the server ships one (an old cached script never talks to a new server), and may keep a versioned
file for a year: such responses are ``public, max-age=31536000, immutable``. Pages are unaffected.
JavaScript modules that import each other by relative path get the same versions through the import
map of ``static_import_map`` (see the live room's template).
"""

from __future__ import annotations

import hashlib
import os
import threading

from flask import Flask, request, url_for

YEAR = 365 * 24 * 3600
_versions: dict[str, tuple[tuple[int, int], str]] = {}
_lock = threading.Lock()


def file_version(folder: str, filename: str) -> str | None:
    """The version of ``folder/filename`` (None for a file that does not exist)."""
    path = os.path.join(folder, filename)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (stat.st_size, stat.st_mtime_ns)
    cached = _versions.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    version = digest.hexdigest()[:12]
    with _lock:
        _versions[path] = (key, version)
    return version


def static_import_map(*filenames: str) -> dict:
    """An import map sending each module's plain URL to its versioned one."""
    return {
        "imports": {url_for("static", filename=f, v=None): url_for("static", filename=f) for f in filenames}
    }


def init_app(app: Flask) -> None:
    """Version the app's static URLs and let browsers keep versioned files."""

    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and values.get("filename"):
            version = file_version(app.static_folder, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _cache_versioned(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response

    app.jinja_env.globals["static_import_map"] = static_import_map
