"""Absolute links for what leaves the platform (e-mails, calendars), inside a request or not."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request


def base_url() -> str:
    """The platform's address without a trailing slash: PUBLIC_BASE_URL when set, else the
    request's own address (behind a proxy, as PROXY_FIX reports it); "" outside both."""
    configured = current_app.config["PUBLIC_BASE_URL"]
    if configured:
        return configured.rstrip("/")  # config.py strips it too; an app configured by hand may not
    return request.url_root.rstrip("/") if has_request_context() else ""


def absolute_url(path: str) -> str:
    """``path`` (e.g. "/compromisos/12") as a link a person can open from an e-mail."""
    return f"{base_url()}/{path.lstrip('/')}"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")  # control characters (browsers drop tabs) and backslashes


def safe_next(target: str | None) -> str | None:
    r"""``target`` when it is a path of this site ("/encuentros/3?x=1"), else None.

    Browsers drop tabs and newlines and read a backslash as a slash, so "/\t/evil.example" or
    "/\\evil.example" would leave the site: anything with such characters is refused, and so is
    whatever has a scheme or a host once parsed.

    >>> safe_next("/encuentros/3?x=1")
    '/encuentros/3?x=1'
    >>> [safe_next(t) for t in ("//evil.example", "/\t/evil.example/phish", "/\\evil.example", "https://evil.example")]
    [None, None, None, None]
    """
    if not target or _UNSAFE.search(target) or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
