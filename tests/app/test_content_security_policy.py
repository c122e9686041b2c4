"""The Content-Security-Policy: pages run scripts of our origin only (and the nonce of their import
map), templates carry no inline script or handler, and downloads are sandboxed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import security_headers
from tests.realtime.world import build_room

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/login", "/no-existe"])
def test_a_page_runs_only_scripts_of_this_site(client, db, url):
    response = client.get(url)
    assert response.mimetype == "text/html"
    policy = _directives(response)
    assert policy["script-src"] == "script-src 'self'"  # no nonce asked for, none given
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'self'"
    assert policy["form-action"] == "form-action 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_pages_of_a_signed_in_person_have_the_policy(client, login_as):
    login_as("admin")
    for url in ("/", "/invitaciones", "/catalogo/importar", "/practicas"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _directives(response)["script-src"].startswith("script-src 'self'"), url


def test_the_live_room_import_map_carries_this_responses_nonce(client, login_as, db):
    room = build_room()
    login_as(room.people["docente_b"])
    nonces = []
    for _ in range(2):
        response = client.get(room.url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        found = re.search(r'<script type="importmap" nonce="([^"]+)">', html)
        assert found, "the import map has no nonce"
        assert _directives(response)["script-src"] == f"script-src 'self' 'nonce-{found.group(1)}'"
        nonces.append(found.group(1))
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 22  # fresh and unguessable on every response


def test_json_and_static_files_keep_frame_ancestors_only(client, db):
    for url in ("/static/js/page.js", "/api/v1/me"):
        response = client.get(url)
        response.close()
        assert response.headers["Content-Security-Policy"] == security_headers.OTHER_POLICY, url


_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_has_an_inline_script_handler_or_javascript_url(template):
    """Inline code would be refused by the policy: it belongs in app/static/js. The only inline
    script allowed is one with the response's nonce (the live room's import map)."""
    text = template.read_text(encoding="utf-8")
    for tag in _INLINE_SCRIPT.findall(text):
        assert 'nonce="{{ csp_nonce() }}"' in tag, f"inline script without nonce: {tag}"
    assert not _HANDLER.search(text), "an on...= handler"
    assert "javascript:" not in text.lower()
