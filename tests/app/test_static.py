"""Static files are versioned by content, and a versioned file may be cached for a year."""

from __future__ import annotations

import re

from flask import url_for

from app import static_files


def test_static_urls_carry_the_hash_of_the_file(app):
    with app.test_request_context():
        url = url_for("static", filename="js/live/room.js")
    assert re.fullmatch(r"/static/js/live/room\.js\?v=[0-9a-f]{12}", url)


def test_the_version_changes_when_the_file_changes(tmp_path):
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "x.js").write_text("console.log(1);")
    first = static_files.file_version(str(folder), "x.js")
    assert first == static_files.file_version(str(folder), "x.js")
    (folder / "x.js").write_text("console.log(22);")
    second = static_files.file_version(str(folder), "x.js")
    assert second and second != first


def test_a_missing_file_gets_no_version_and_no_error(app):
    with app.test_request_context():
        assert url_for("static", filename="js/no-existe.js") == "/static/js/no-existe.js"


def test_a_versioned_file_is_immutable_and_pages_are_not(client, db):
    with client.application.test_request_context():
        url = url_for("static", filename="css/app.css")
    with client.get(url) as response:  # (a file response: closed after the test reads it)
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "max-age=31536000" in cache and "public" in cache
    with client.get("/static/css/app.css") as plain:
        assert "immutable" not in plain.headers.get("Cache-Control", "")
    page = client.get("/login")
    assert "immutable" not in page.headers.get("Cache-Control", "")


def test_the_live_room_maps_the_modules_it_imports_to_their_versions(app):
    with app.test_request_context():
        mapping = static_files.static_import_map("js/live/room.js")["imports"]
    assert sorted(mapping) == [
        "/static/js/live/agreements.js",
        "/static/js/live/older.js",
        "/static/js/live/outbox.js",
        "/static/js/live/pdfview.js",
        "/static/js/live/resources.js",
        "/static/js/live/review.js",
    ]
    for plain, versioned in mapping.items():
        assert re.fullmatch(re.escape(plain) + r"\?v=[0-9a-f]{12}", versioned)


def test_relative_imports_are_followed_through_every_module(tmp_path):
    folder = tmp_path / "static"
    (folder / "js" / "lib").mkdir(parents=True)
    (folder / "js" / "main.js").write_text(
        "import { a } from './a.js';\nimport './lib/side.js';\nconst lazy = () => import(\"./lazy.js\");\n"
        "const other = import(someUrl);\nimport { gone } from './missing.js';\n"
    )
    (folder / "js" / "a.js").write_text("export { b } from './lib/b.js';\nexport const a = 1;\n")
    (folder / "js" / "lib" / "b.js").write_text("import { a } from '../a.js';\nexport const b = a;\n")
    (folder / "js" / "lib" / "side.js").write_text("window.side = 1;\n")
    (folder / "js" / "lazy.js").write_text("export default 1;\n")
    assert static_files.module_imports(str(folder), "js/main.js") == [
        "js/a.js",
        "js/lib/side.js",
        "js/lazy.js",
        "js/lib/b.js",
    ]


def test_a_path_outside_the_static_folder_gets_no_version(tmp_path):
    folder = tmp_path / "static"
    folder.mkdir()
    (tmp_path / "secret.py").write_text("KEY = 1")
    assert static_files.file_version(str(folder), "../secret.py") is None


def test_a_stale_version_is_not_kept_for_a_year(client, db):
    # A process still serving the old file must not let it be cached under the new file's URL.
    with client.get("/static/css/app.css?v=000000000000") as response:
        assert response.status_code == 200
        cache = response.headers.get("Cache-Control", "")
    assert "immutable" not in cache and "max-age=31536000" not in cache


def test_pages_link_versioned_assets(client, db):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'href="/static/css/app\.css\?v=[0-9a-f]{12}"', html)


def test_a_folder_gets_no_version(app):
    # pdf.js is given its WebAssembly folder, not a file: url_for must not try to hash a directory.
    with app.test_request_context():
        url = url_for("static", filename="vendor/pdfjs-dist-6.5.438/wasm/")
    assert url == "/static/vendor/pdfjs-dist-6.5.438/wasm/"
