"""Routes of the practices area."""
from app.practices import bp  # noqa: F401
