"""``flask logbook notify``: the name the daily cron job has always used for ``flask commitments notify``."""

from __future__ import annotations

from app.commitments.cli import notify_command
from app.logbook import bp

bp.cli.add_command(notify_command, "notify")
