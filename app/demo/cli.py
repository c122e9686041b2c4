"""Demo seeding commands."""
from app.demo import bp  # noqa: F401
