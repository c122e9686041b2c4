"""Responses are compressed for browsers that accept it (issue 13: light pages for weak connections)."""

from __future__ import annotations

import gzip

import brotli
import pytest
from flask import url_for


def _fetch(client, url: str, encoding: str | None):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    response = client.get(url, headers=headers)
    response.direct_passthrough = False  # read a streamed static file whole
    body = response.get_data()
    response.close()
    return response, body


def _plain(client, url: str) -> bytes:
    return _fetch(client, url, None)[1]


@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_a_page_is_compressed_and_says_so(client, db, encoding, decode):
    response, body = _fetch(client, "/login", encoding)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    page = decode(body)
    assert b"<form" in page and len(body) < len(page) / 2
    # The same page without the header is the same HTML, uncompressed.
    plain = client.get("/login")
    assert "Content-Encoding" not in plain.headers and b"<form" in plain.data


def test_static_scripts_and_styles_stream_compressed_and_stay_immutable(client, app):
    with app.test_request_context():
        script = url_for("static", filename="vendor/socket.io-client-4.8.4/socket.io.min.js")
        style = url_for("static", filename="css/app.css")
    for url in (script, style):
        response, body = _fetch(client, url, "gzip, deflate, br, zstd")
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
        assert brotli.decompress(body) == _plain(client, url)
        assert len(body) < len(brotli.decompress(body)) / 2


def test_json_is_compressed_but_small_answers_are_not(client, login_as):
    login_as("supervisor")
    response, body = _fetch(client, "/api/v1/openapi.json", "gzip")
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"{")
    tiny = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert tiny.status_code == 200
    assert "Content-Encoding" not in tiny.headers  # under COMPRESS_MIN_SIZE: not worth it
