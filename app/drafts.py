"""The server's half of the browser's form drafts (static/js/drafts.js).

A form with ``data-draft`` sends ``draft_key`` on submit. When the server accepts it (a POST answered
with a redirect: the pages follow Post/Redirect/Get), the answer sets ``aee_draft_saved=<key>`` for a
minute; the next page's script removes that draft and the cookie. A refused form is re-rendered
(4xx, or 200) with what was typed: no cookie, the draft stays.
"""

from __future__ import annotations

import re

from flask import Flask, request

COOKIE = "aee_draft_saved"
_KEY = re.compile(r"[a-z][a-z0-9_-]{0,39}")


def mark_saved_draft(response):
    """``after_request``: tell the browser that the draft it sent was stored."""
    if (
        request.method == "POST"
        and 300 <= response.status_code < 400
        and request.mimetype
        in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    ):
        key = request.form.get("draft_key", "")
        if _KEY.fullmatch(key):
            response.set_cookie(
                COOKIE, key, max_age=60, samesite="Lax", secure=request.is_secure, httponly=False
            )
    return response


def init_app(app: Flask) -> None:
    app.after_request(mark_saved_draft)
