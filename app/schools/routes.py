"""Routes of the schools area."""
from app.schools import bp  # noqa: F401
