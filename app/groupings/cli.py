"""``flask network group``: group schools from a JSON file or from a zone of the database."""

from __future__ import annotations

import json

import click

import network
from app.catalogue.models import Zone
from app.extensions import db
from app.groupings import bp, services


def _write(result: dict, output: str | None) -> None:
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if output in (None, "-"):
        click.echo(text)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        click.echo(f"{len(result['groups'])} grupos, afinidad total {result['objective']:.4f} → {output}")


@bp.cli.command("group")
@click.option("--input", "input_path", type=click.Path(dir_okay=False), help='JSON {"schools": [...]}')
@click.option(
    "--output", "output", type=click.Path(dir_okay=False), help="Archivo de salida (por omisión, la pantalla)"
)
@click.option(
    "--zone", "zone_cct", help="CCT de la supervisión: agrupa las escuelas de esa zona en la base de datos"
)
@click.option("--min-size", default=2, show_default=True, type=int)
@click.option("--max-size", default=3, show_default=True, type=int)
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--mix-levels", is_flag=True, help="Permite mezclar niveles en un grupo")
def group_command(input_path, output, zone_cct, min_size, max_size, seed, mix_levels):
    """Propose groups of schools that share problems (afinidad total máxima)."""
    if bool(input_path) == bool(zone_cct):
        raise click.UsageError("Indica --input ARCHIVO.json o --zone CCT (uno de los dos).")
    if input_path:
        try:
            with open(input_path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise click.ClickException(f"No existe el archivo {input_path}.") from None
        except UnicodeDecodeError:
            raise click.ClickException(f"{input_path} no está en UTF-8.") from None
        except json.JSONDecodeError as exc:
            raise click.ClickException(
                f"{input_path} no es JSON válido (línea {exc.lineno}, columna {exc.colno}): {exc.msg}."
            ) from exc
        try:
            result = network.group_from_json(
                data, min_size=min_size, max_size=max_size, seed=seed, mix_levels=mix_levels
            )
        except (network.GroupingInputError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
        _write(result, output)
        return
    zone = db.session.execute(db.select(Zone).filter_by(cct=zone_cct.upper())).scalar_one_or_none()
    if zone is None:
        raise click.ClickException(f"No hay una zona con CCT {zone_cct}.")
    if not 1 <= min_size <= max_size:
        raise click.ClickException("Se requiere 1 <= --min-size <= --max-size.")
    schools = services.zone_schools(zone)
    records = services.network_records(schools)
    result = network.group_schools(
        records.schools,
        min_size=min_size,
        max_size=max_size,
        seed=seed,
        mix_levels=mix_levels,
        problems=records.problems,
        practices=records.practices,
        adoptions=records.adoptions,
    )
    cct = {s.id: s.cct for s in schools}
    _write(
        {
            "zone": zone.cct,
            "groups": [
                {
                    "schools": [cct[i] for i in g["schools"]],
                    "host": cct.get(g["host"]),
                    "score": round(g["score"], 6),
                    "shared": g["shared"],
                }
                for g in result["groups"]
            ],
            "objective": round(result["objective"], 6),
        },
        output,
    )
