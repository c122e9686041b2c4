"""Good practices (buenas prácticas): from a fulfilled commitment to a practice other schools adopt.

Publishing a commitment as a practice, recognising a zone's good practices, narratives (relatos),
adopting with a commitment in the logbook, evidence thumbnails and the zone's booklet (PDF, CSV).
"""

from flask import Blueprint

bp = Blueprint("goodpractices", __name__)

from app.goodpractices import relatos_pages, routes  # noqa: E402,F401
