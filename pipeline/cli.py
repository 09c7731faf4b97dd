"""The ``pipeline`` command line: thin commands over the library.

Exit codes: 0 ok; 1 the command worked but content is not ready or a check failed; 2 bad
usage, configuration or input, reported as one ``path:line: message`` line on stderr.
Heavy libraries (argostranslate, ctranslate2, torch) are imported only inside the commands
that translate, so ``pipeline --help`` and the read-only commands start fast.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from pipeline.commands._shared import (
    ProjectContext,
    emit_json,
    format_option,
    pass_project,
    site_option,
    wait_option,
)
from pipeline.errors import PipelineError
from pipeline.gctune import rare_collections

__all__ = ["main"]

#: Commands whose modules are imported only when the command is looked up (running it,
#: ``pipeline --help``): ``pipeline segment`` pays nothing for the glossary, check, MT and TM
#: modules. The libraries behind a command are imported when it runs.
_LAZY_COMMANDS = {
    name: f"pipeline.commands.{name}"
    for name in ("pretranslate", "check", "glossary", "models", "tm", "publish")
}
_LAZY_COMMANDS.update(
    {name: "pipeline.commands.review" for name in ("approve", "audit", "queue", "review", "status")}
)


class _Group(click.Group):
    """Maps library errors to their message and exit code, never a traceback; loads the
    commands of ``_LAZY_COMMANDS`` on first use (click's lazy-group pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _LAZY_COMMANDS:
            self.add_command(getattr(import_module(_LAZY_COMMANDS[cmd_name]), cmd_name))
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        # A command builds large graphs of acyclic objects (catalog entries, segments) and then
        # exits: frequent cyclic-GC passes over them cost ~5% of `pipeline segment`. Collect
        # rarely while a command runs (reference counting still frees everything else).
        try:
            with rare_collections():
                return super().invoke(ctx)
        except PipelineError as exc:
            # Paths inside the project are shown relative to it, as editors and CI logs expect.
            root = ctx.obj.root if isinstance(ctx.obj, ProjectContext) else None
            click.echo(exc.location_message(relative_to=root), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; no file was left half-written", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Content project directory (holds pyproject.toml, sources/, locales/).",
)
@click.version_option(package_name="medical-translation-pipeline")
@click.pass_context
def main(ctx: click.Context, project_dir: Path) -> None:
    """Segment medical source articles into gettext catalogs for review, pre-translate them,
    check them, and publish only what a second person approved."""
    ctx.obj = ProjectContext(root=project_dir)


@main.command()
@click.argument("slugs", nargs=-1)
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if any file would change."
)
@format_option
@pass_project
def segment(
    project: ProjectContext, slugs: tuple[str, ...], check_only: bool, output_format: str
) -> None:
    """Segment sources into locales/templates/SLUG.pot and merge each locale's PO.

    With no SLUG, every file in the sources directory is segmented. Translations are never
    lost: a changed sentence gets the old translation as a fuzzy draft, a removed one is kept
    as obsolete. Files are written atomically and only when their content changes.
    """
    from pipeline.project import segment_project

    report = segment_project(project.config, slugs=slugs, dry_run=check_only)
    _print(report, output_format=output_format)
    if check_only and report.changed:
        sys.exit(1)


@main.command()
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Only report: change nothing, run no MT; exit 1 if catalogs are stale or something "
    "publishable is not published.",
)
@site_option
@wait_option
@format_option
@pass_project
def build(
    project: ProjectContext,
    check_only: bool,
    site: Path | None,
    wait_s: float | None,
    output_format: str,
) -> None:
    """Segment, pretranslate, check and publish, then summarise (for cron and CI).

    Safe to run at any time: it takes the project lock (a second build waits, then exits 1
    with a message), changes no byte when nothing changed, and publishes only approved,
    check-clean articles. The summary lists what was published, what was withheld and why,
    and what waits in the review queue. Progress bars on a terminal, plain lines in CI logs.

    Exit status 1 when a finished (non-fuzzy) translation fails a blocking check, or with
    --check when catalogs are stale or something publishable is not published; 2 for bad
    input, with nothing modified.
    """
    from pipeline.build import build_project
    from pipeline.pretranslate import terminal_progress

    if site is not None and not site.is_absolute():
        site = Path.cwd() / site
    with terminal_progress(sys.stderr) as progress:
        report = build_project(
            project.config, dry_run=check_only, site=site, wait_s=wait_s, progress=progress
        )
    _print(report, output_format=output_format)
    if report.failed or (check_only and report.stale):
        sys.exit(1)


def _print(report: Any, *, output_format: str) -> None:
    if output_format == "json":
        emit_json(report.as_json())
    else:
        for line in report.lines():
            click.echo(line)
