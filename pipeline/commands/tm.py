"""``pipeline tm export|import|rebuild|stats``: the translation memory and TMX exchange."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.commands._shared import (
    ProjectContext,
    emit_json,
    format_option,
    locales_option,
    pass_project,
)

__all__ = ["tm"]


@click.group()
def tm() -> None:
    """Translation memory (.pipeline/tm.sqlite), fed from the catalogs; TMX 1.4 exchange
    with CAT tools."""


@tm.command("export")
@click.argument("tmx_file", type=click.Path(dir_okay=False, path_type=Path))
@locales_option
@pass_project
def export_command(project: ProjectContext, tmx_file: Path, locales: tuple[str, ...]) -> None:
    """Write the memory as a TMX 1.4 file (BCP-47 xml:lang), after catching up with the
    catalogs."""
    from pipeline import __version__
    from pipeline.locking import project_lock
    from pipeline.review import approval_rule
    from pipeline.tm import open_memory, sync_catalogs

    config = project.config
    targets = list(config.select_locales(locales))
    with project_lock(config), open_memory(config) as memory:
        sync_catalogs(memory, config, locales=targets, approval=approval_rule(config))
        count = memory.export_tmx(
            tmx_file, source_locale=config.source_locale, target_locales=targets,
            tool_version=__version__,
        )
    click.echo(f"{tmx_file}: wrote {count} translation units")


@tm.command("import")
@click.argument("tmx_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@locales_option
@pass_project
def import_command(project: ProjectContext, tmx_file: Path, locales: tuple[str, ...]) -> None:
    """Add the units of a TMX file for this project's locale pairs (importing the same file
    again replaces its units)."""
    from pipeline.locking import project_lock
    from pipeline.tm import open_memory

    config = project.config
    targets = list(config.select_locales(locales))
    with project_lock(config), open_memory(config) as memory:
        result = memory.import_tmx(
            tmx_file, source_locale=config.source_locale, target_locales=targets
        )
    per_locale = ", ".join(f"{n} {locale}" for locale, n in sorted(result.added.items()))
    click.echo(
        f"{tmx_file}: imported {result.total} units ({per_locale or 'none'}); "
        f"{result.skipped} skipped (no {config.source_locale} source or no target locale "
        "of this project)"
    )


@tm.command("rebuild")
@pass_project
def rebuild_command(project: ProjectContext) -> None:
    """Rebuild the memory from every catalog (TMX imports are kept)."""
    from pipeline.locking import project_lock
    from pipeline.review import approval_rule
    from pipeline.tm import open_memory, rebuild_from_catalogs

    config = project.config
    with project_lock(config), open_memory(config) as memory:
        catalogs = rebuild_from_catalogs(memory, config, approval=approval_rule(config))
        units = sum(int(row["units"]) for row in memory.stats())  # type: ignore[call-overload]
    click.echo(f"translation memory rebuilt from {catalogs} catalogs: {units} units")


@tm.command("stats")
@format_option
@pass_project
def stats_command(project: ProjectContext, output_format: str) -> None:
    """Count the units per locale pair and status."""
    from pipeline.locking import project_lock
    from pipeline.review import approval_rule
    from pipeline.tm import open_memory, sync_catalogs, tm_path

    config = project.config
    with project_lock(config), open_memory(config) as memory:
        sync_catalogs(memory, config, approval=approval_rule(config))
        rows = memory.stats()
    if output_format == "json":
        emit_json({"path": config.relative(tm_path(config)), "pairs": rows})
        return
    click.echo(f"{config.relative(tm_path(config))}:")
    if not rows:
        click.echo("  empty: no translated entries yet")
    for row in rows:
        click.echo(
            f"  {row['source_locale']} → {row['target_locale']}: {row['units']} {row['status']} "
            f"units from {row['origins']} origins"
        )
