"""The problems area: blueprint, and the ``flask problems sync-taxonomy`` command."""

import click
from flask import Blueprint

bp = Blueprint("problems", __name__, cli_group="problems")


@bp.cli.command("sync-taxonomy")
@click.option(
    "--path", default=None, help="CSV de la taxonomía (por omisión app/data/taxonomia_problematicas.csv)."
)
def sync_taxonomy_command(path: str | None) -> None:
    """Create or update the problem categories from the taxonomy CSV."""
    from app.extensions import db
    from app.problems.taxonomy import sync_categories

    changed = sync_categories(path)
    db.session.commit()
    click.echo(f"Categorías creadas o actualizadas: {changed}")


from app.problems import routes  # noqa: E402,F401
