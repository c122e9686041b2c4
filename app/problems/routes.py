"""Routes of the problems area."""
from app.problems import bp  # noqa: F401
