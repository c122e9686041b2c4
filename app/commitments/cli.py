"""``flask commitments notify`` (also ``flask logbook notify``): tell directors and supervisors about commitments due soon or overdue."""

from __future__ import annotations

from datetime import date

import click

from app.commitments import bp, services
from app.extensions import db


@bp.cli.command("notify")
@click.option("--date", "on_date", help="Fecha de referencia AAAA-MM-DD (por omisión, hoy)")
def notify_command(on_date: str | None):
    """Notify commitments due within 7 days or overdue (idempotent: safe to run every day)."""
    try:
        today = date.fromisoformat(on_date) if on_date else None
    except ValueError:
        raise click.BadParameter("Escribe la fecha como AAAA-MM-DD.", param_hint="--date") from None
    created = services.notify_due_commitments(today=today)
    db.session.commit()
    click.echo(f"{created} notificaciones nuevas.")
