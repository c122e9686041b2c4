"""``flask communities digest``: the daily e-mail of new posts for the members who asked for it."""

from __future__ import annotations

import click

from app.communities import bp, services
from app.extensions import db


@bp.cli.command("digest")
@click.option("--hours", default=24, show_default=True, help="Publicaciones de las últimas N horas")
def digest_command(hours: int):
    """E-mail each member who asked for it the new posts of their communities (run once a day)."""
    sent = services.send_digests(hours=hours)
    db.session.commit()  # the queued e-mails go after the commit
    click.echo(f"{sent} resúmenes enviados.")
