"""``flask schools import FILE.csv [--strict]`` and ``flask schools import-enlace FILE.csv``."""

from __future__ import annotations

import click

from app.catalogue import bp
from app.catalogue.importer import import_catalogue, import_enlace
from app.validation import ValidationError

MAX_PRINTED_ERRORS = 50


@bp.cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--strict", is_flag=True, help="No importar nada si alguna fila tiene errores.")
def import_command(path: str, strict: bool) -> None:
    """Importa el Catálogo de Centros de Trabajo de SEP (CSV, formato SIGED)."""
    run = import_catalogue(path, strict=strict)
    click.echo(f"Importación {run.id} de {run.filename}: {run.status}")
    click.echo(f"Filas leídas: {run.processed_rows} de {run.total_rows}")
    click.echo(f"Zonas: {run.zones_created} nuevas, {run.zones_updated} actualizadas")
    click.echo(f"Escuelas: {run.schools_created} nuevas, {run.schools_updated} actualizadas")
    click.echo(f"Filas omitidas: {run.skipped_rows}; filas con errores: {run.bad_rows}")
    if run.message:
        click.echo(run.message)
    for error in (run.errors or [])[:MAX_PRINTED_ERRORS]:
        cct = f" {error['cct']}" if error.get("cct") else ""
        click.echo(f"  línea {error['line']}{cct}: {error['reason']}", err=True)
    if run.bad_rows > MAX_PRINTED_ERRORS:
        click.echo(f"  … y {run.bad_rows - MAX_PRINTED_ERRORS} filas más con errores.", err=True)
    if run.status in ("rechazada", "fallida"):
        raise SystemExit(1) from None


@bp.cli.command("import-enlace")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_enlace_command(path: str) -> None:
    """Carga los puntajes ENLACE 2011 (matemáticas 6°) y la marginación por CCT."""
    try:
        counts = import_enlace(path)
    except ValidationError as exc:
        click.echo("; ".join(exc.errors.values()), err=True)
        raise SystemExit(1) from None
    click.echo(
        f"ENLACE: {counts['rows']} filas; {counts['updated']} escuelas actualizadas; "
        f"{counts['not_found']} claves que no están en el catálogo; {counts['bad']} filas no válidas."
    )
