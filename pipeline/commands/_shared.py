"""What every command module needs: the project's configuration and JSON output."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from pipeline.config import Config, load_config

__all__ = ["ProjectContext", "emit_json", "format_option",
    "locales_option", "pass_project", "site_option", "wait_option"]


@dataclass
class ProjectContext:
    """Handed to every command through ``click``'s context; loads the config on first use."""

    root: Path
    _config: Config | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.root)
        return self._config


pass_project = click.make_pass_decorator(ProjectContext)


def emit_json(document: object) -> None:
    """Print a JSON document for ``--format json`` (stable key order, non-ASCII kept)."""
    import json  # only --format json pays for it

    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")


#: ``--format text|json``: every read-only command offers machine-readable output.
site_option = click.option(
    "--site",
    "site",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to publish into (default: 'site' of [tool.pipeline]).",
)

#: ``--wait`` for the commands that publish (they wait for another one holding the lock).
wait_option = click.option(
    "--wait",
    "wait_s",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds to wait for another command holding the project lock "
    "(default: lock_timeout of [tool.pipeline.build], 600); then exit 1.",
)

format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)

#: ``--locale L`` (repeatable): limit a command to some target locales; default all of them.
locales_option = click.option(
    "--locale",
    "locales",
    multiple=True,
    metavar="LOCALE",
    help="Target locale (repeatable). Default: every target locale.",
)
