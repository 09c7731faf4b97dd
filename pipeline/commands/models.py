"""``pipeline models list|install``: machine-translation models (argostranslate packages).

Nothing here imports ctranslate2 or torch: listing reads ``metadata.json`` files and
installing unzips a validated archive.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from pipeline.commands._shared import emit_json, format_option
from pipeline.errors import UsageError

__all__ = ["models"]


@click.group()
def models() -> None:
    """Machine-translation models: argostranslate packages, installed where argostranslate
    keeps them (ARGOS_PACKAGES_DIR, else $XDG_DATA_HOME/argos-translate/packages)."""


@models.command("list")
@format_option
def list_models(output_format: str) -> None:
    """Show the installed models and where they live."""
    from pipeline.mt.argos import INSTALL_HINT, list_packages, packages_dir

    packages = list_packages()
    directory = packages_dir()
    engine_installed = all(
        importlib.util.find_spec(name) is not None for name in ("ctranslate2", "sentencepiece")
    )
    if output_format == "json":
        emit_json(
            {
                "directory": str(directory),
                "mt_extra_installed": engine_installed,
                "packages": [package.as_json() for package in packages],
            }
        )
        return
    click.echo(f"models directory: {directory}")
    if not packages:
        click.echo(
            "no models installed; install one with 'pipeline models install FILE.argosmodel' "
            "or 'pipeline models install --from zh --to en'"
        )
    for package in packages:
        if package.problem:
            click.echo(f"  {package.path.name}: unusable ({package.problem})")
        else:
            click.echo(
                f"  {package.package_name} {package.package_version}: "
                f"{package.from_name or package.from_code} → {package.to_name or package.to_code}"
                f"  ({package.path})"
            )
    if not engine_installed:
        click.echo(f"machine translation needs the mt extra: {INSTALL_HINT}")


@models.command("install")
@click.argument(
    "package_file", required=False, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option("--from", "from_code", metavar="LANG", help="Source language (zh, or zh_Hans).")
@click.option("--to", "to_code", metavar="LANG", help="Target language (en, ko...).")
def install(package_file: Path | None, from_code: str | None, to_code: str | None) -> None:
    """Install a model from a PACKAGE_FILE (.argosmodel), or --from/--to from the
    argostranslate package index (needs a network).

    A file that is not a valid package (not a zip, no valid metadata.json, entries that
    would escape the package directory) is refused and nothing is installed.
    """
    from pipeline.mt.argos import install_from_index, install_package_file

    if package_file is not None and (from_code or to_code):
        raise UsageError("give either PACKAGE_FILE or --from/--to, not both")
    if package_file is not None:
        installed = [install_package_file(package_file)]
    elif from_code and to_code:
        installed = install_from_index(_code(from_code), _code(to_code))
    else:
        raise UsageError(
            "say what to install: 'pipeline models install FILE.argosmodel' or "
            "'pipeline models install --from zh --to en'"
        )
    for package in installed:
        click.echo(
            f"installed {package.package_name} {package.package_version} "
            f"({package.from_code}→{package.to_code}) in {package.path}"
        )


def _code(value: str) -> str:
    """A language for the package index: ``zh_Hans`` -> ``zh``; argos codes pass through."""
    from babel import UnknownLocaleError

    from pipeline.mt.argos import argos_code

    try:
        return argos_code(value.strip())
    except (UnknownLocaleError, ValueError):  # "zt", "pb": argos codes that are not locales
        return value.strip().lower()
