"""The security headers of every response, and the per-request nonce of the few inline scripts.

- Pages (HTML) get a Content-Security-Policy for scripts: only files of our own origin run
  (``script-src 'self'``), so a payload that slipped past escaping could not run. What must stay in
  the page (the live room's import map) carries ``nonce="{{ csp_nonce() }}"``, a fresh random value
  per response. ``<script type="application/json">`` data blocks are never executed and need none.
  No plugins (``object-src 'none'``), no ``<base>`` pointing elsewhere, forms post only here, and no
  other site may frame a page (``frame-ancestors``, and ``X-Frame-Options`` for old browsers).
- Downloads (``Content-Disposition: attachment``, e.g. a school's own PDF) are sandboxed: opened
  directly, a PDF's scripts or an HTML file would run with no origin and no rights.
- Every response: no MIME sniffing, and links to other sites carry no path of ours.

A few lines here rather than Flask-Talisman: it would also redirect to HTTPS and set cookies and
HSTS (nginx and the configuration own those), and put its policy on every response, including the
pdf.js worker script, whose own policy would then forbid its WebAssembly decoders.
"""

from __future__ import annotations

import secrets

from flask import Flask, has_request_context, request

#: The policy of every page; ``{scripts}`` is ``'self'`` plus the response's nonce, if one was used.
PAGE_POLICY = "; ".join(
    (
        "script-src {scripts}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)
#: The policy of a download opened in the browser: a sandbox without scripts, forms or plugins.
DOWNLOAD_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"
#: Everything else (JSON, images, static files): no other site frames it.
OTHER_POLICY = "frame-ancestors 'self'"


_NONCE = "aee.csp_nonce"  # kept in the request's environ: ``g`` may outlive a request (tests)


def csp_nonce() -> str:
    """This response's nonce for an inline script (made on first use, one per request)."""
    return request.environ.setdefault(_NONCE, secrets.token_urlsafe(18))


def policy_for(response) -> str:
    """The Content-Security-Policy a response gets unless its view set one."""
    if response.headers.get("Content-Disposition", "").lower().startswith("attachment"):
        return DOWNLOAD_POLICY
    if response.mimetype == "text/html":
        nonce = request.environ.get(_NONCE) if has_request_context() else None
        return PAGE_POLICY.format(scripts=f"'self' 'nonce-{nonce}'" if nonce else "'self'")
    return OTHER_POLICY


def init_app(app: Flask) -> None:
    """Add the headers to every response and ``csp_nonce()`` to the templates."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", policy_for(response))
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
