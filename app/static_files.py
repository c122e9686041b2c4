"""Static files carry their version: every ``url_for('static', filename=...)`` gets ``?v=<hash>``.

The hash is the first 12 hex digits of the file's SHA-256, kept per file and recomputed only when the
file's size or modification time changes (one ``stat`` per URL built, no reading). A browser therefore
fetches a new ``room.js`` the moment the server ships one (an old cached script never talks to a new
server), and may keep a versioned file for a year: a response whose ``v`` is the file's current hash is
``public, max-age=31536000, immutable``. Any other ``v`` (a process not yet restarted during a
deployment answering for a new page) keeps Flask's ``no-cache``, so an old file is never kept under a
new file's URL. Pages are unaffected.

A JavaScript module's relative imports (``import ... from './outbox.js'``) would bypass the version:
``static_import_map(entry)`` follows them from the entry module and maps each plain URL to its
versioned one, for an import map in the page (see the live room's template).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import threading
from collections.abc import Callable
from stat import S_ISREG

from flask import Flask, current_app, request, url_for
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
# Static import/export specifiers and dynamic import() calls with a literal relative path.
_RELATIVE_IMPORT = re.compile(r"""(?:\bimport|\bfrom)\s*\(?\s*(['"])(\.\.?/[^'"\n]+)\1""")
_cache: dict[tuple[str, str], tuple[tuple[int, int], object]] = {}
_lock = threading.Lock()


def _per_file(kind: str, folder: str, filename: str, compute: Callable[[str], object]):
    """``compute(path)`` for a file inside ``folder``, cached until its size or mtime changes."""
    path = safe_join(folder, filename)
    if path is None:  # outside the folder
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):  # a folder (pdf.js's wasm/): nothing to hash
        return None
    key = (stat.st_size, stat.st_mtime_ns)
    cached = _cache.get((kind, path))
    if cached is not None and cached[0] == key:
        return cached[1]
    value = compute(path)
    with _lock:
        _cache[(kind, path)] = (key, value)
    return value


def _sha256_prefix(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def _relative_imports(path: str) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [spec for _, spec in _RELATIVE_IMPORT.findall(handle.read())]


def file_version(folder: str, filename: str) -> str | None:
    """The version of ``folder/filename`` (None for a file that does not exist or lies outside)."""
    return _per_file("version", folder, filename, _sha256_prefix)


def module_imports(folder: str, entry: str) -> list[str]:
    """The existing files that the module ``entry`` reaches through relative imports, breadth first."""
    found: list[str] = []
    queue = [entry]
    while queue:
        current = queue.pop(0)
        for spec in _per_file("imports", folder, current, _relative_imports) or []:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(current), spec))
            if target != entry and target not in found and file_version(folder, target):
                found.append(target)
                queue.append(target)
    return found


def static_import_map(*entries: str) -> dict:
    """An import map sending the plain URL of every module the entries import to its versioned URL."""
    modules = dict.fromkeys(m for e in entries for m in module_imports(current_app.static_folder, e))
    return {
        "imports": {url_for("static", filename=m, v=None): url_for("static", filename=m) for m in modules}
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
        if request.endpoint == "static" and response.status_code == 200:
            version = request.args.get("v")
            filename = (request.view_args or {}).get("filename")
            if version and filename and version == file_version(app.static_folder, filename):
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
                response.cache_control.no_cache = None
        return response

    app.jinja_env.globals["static_import_map"] = static_import_map
