"""Absolute links for what leaves the platform (e-mails, calendars), inside a request or not."""

from __future__ import annotations

from flask import current_app, has_request_context, request


def base_url() -> str:
    """The platform's address without a trailing slash: PUBLIC_BASE_URL when set, else the
    request's own address (behind a proxy, as PROXY_FIX reports it); "" outside both."""
    configured = current_app.config["PUBLIC_BASE_URL"]
    if configured:
        return configured
    return request.url_root.rstrip("/") if has_request_context() else ""


def absolute_url(path: str) -> str:
    """``path`` (e.g. "/compromisos/12") as a link a person can open from an e-mail."""
    return f"{base_url()}/{path.lstrip('/')}"
