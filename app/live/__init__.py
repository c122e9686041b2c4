"""The live room of an encounter group (sala en vivo): its page and its snapshot over HTTP.

The room's events travel over Socket.IO (realtime/); the business rules are in services.py.
"""
from flask import Blueprint

bp = Blueprint("live", __name__)

from app.live import routes  # noqa: E402,F401
