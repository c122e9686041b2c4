"""The live room of an encounter group (sala en vivo): its page and its snapshot over HTTP.

The business rules are in services.py and the events they produce in events.py; realtime/ carries
those events over Socket.IO (it imports this area; this area sends app.signals.room_event).
"""

from flask import Blueprint

bp = Blueprint("live", __name__)

from app.live import overview_routes, routes  # noqa: E402,F401
