"""Demo seeding commands: ``flask demo seed``."""

from __future__ import annotations

import click

from app.demo import bp
from app.extensions import db

ROLE_ORDER = {"admin": 0, "supervisor": 1, "asesor": 2, "director": 3, "docente": 4}


def accounts_table(report) -> str:
    """The demo accounts as a plain-text table: role, e-mail, password, school or zone."""
    rows = [("Rol", "Correo", "Contraseña", "Escuela o zona")]
    for account in sorted(report.accounts, key=lambda a: ROLE_ORDER.get(a.role, 9)):
        rows.append((account.role, account.email, report.password, account.place))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 14)
    return "\n".join(lines)


@bp.cli.command("seed")
@click.option(
    "--password",
    envvar="DEMO_PASSWORD",
    default=None,
    help="Contraseña de las cuentas de demostración (o DEMO_PASSWORD; por omisión demo-aprendizaje-2026).",
)
def seed(password: str | None) -> None:
    """Cargar datos de demostración (idempotente): catálogo real de Querétaro, cuentas, problemáticas."""
    from sqlalchemy import inspect

    from app.demo.services import seed_demo
    from app.validation import ValidationError

    if not inspect(db.engine).has_table("schools"):
        raise click.ClickException("La base de datos no tiene tablas: ejecuta primero «flask db upgrade».")
    try:
        report = seed_demo(password=password)
    except (ValidationError, RuntimeError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()

    zones = ", ".join(f"{z.label} ({z.cct}, {len(z.schools)} escuelas)" for z in report.zones)
    click.echo(f"Zonas de demostración: {zones}")
    if report.enlace_cut is not None:
        click.echo(
            f"Tercio más bajo del estado en ENLACE 2011 Matemáticas 6°: menos de "
            f"{report.enlace_cut:.1f} puntos."
        )
    created = {k: v for k, v in report.created.items() if v}
    if created:
        click.echo("Creado en esta ejecución: " + ", ".join(f"{k}: {v}" for k, v in created.items()))
    else:
        click.echo("Nada nuevo: los datos de demostración ya estaban cargados.")
    click.echo("")
    click.echo(accounts_table(report))
