"""The ``pipeline`` command line: thin commands over the library.

Exit codes: 0 ok; 1 the command worked but content is not ready or a check failed; 2 bad
usage, configuration or input, reported as one ``path:line: message`` line on stderr.
Heavy libraries (argostranslate, ctranslate2, torch) are imported only inside the commands
that translate, so ``pipeline --help`` and the read-only commands start fast.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from pipeline.commands._shared import ProjectContext, emit_json, format_option, pass_project
from pipeline.errors import PipelineError

__all__ = ["main"]


class _Group(click.Group):
    """Maps library errors to their message and exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            click.echo(_relative_to_project(exc, ctx).location_message(), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; no file was left half-written", err=True)
            ctx.exit(130)


def _relative_to_project(exc: PipelineError, ctx: click.Context) -> PipelineError:
    """Show paths inside the project relative to it, as editors and CI logs expect."""
    if exc.path is None or not Path(exc.path).is_absolute():
        return exc
    if not isinstance(ctx.obj, ProjectContext):
        return exc
    with contextlib.suppress(ValueError):
        exc.path = Path(exc.path).resolve().relative_to(ctx.obj.root.resolve()).as_posix()
    return exc


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
    help="Only report: write nothing, run no MT; exit 1 if anything would change.",
)
@format_option
@pass_project
def build(project: ProjectContext, check_only: bool, output_format: str) -> None:
    """Run segment, pretranslate and check, for scheduled builds (safe to run at any time).

    Exit status 1 when a finished (non-fuzzy) translation fails a blocking check, or with
    --check when something would change; 2 for bad input, with nothing modified.
    """
    from pipeline.build import build_project

    report = build_project(project.config, dry_run=check_only)
    _print(report, output_format=output_format)
    if report.failed or (check_only and report.changed):
        sys.exit(1)


def _print(report: Any, *, output_format: str) -> None:
    if output_format == "json":
        emit_json(report.as_json())
    else:
        for line in report.lines():
            click.echo(line)


def _register_commands() -> None:
    # Each module imports only click at import time; the libraries behind a command (the
    # MT engine above all) are imported when it runs, so `pipeline --help` stays fast.
    from pipeline.commands.check import check
    from pipeline.commands.glossary import glossary
    from pipeline.commands.models import models
    from pipeline.commands.pretranslate import pretranslate
    from pipeline.commands.tm import tm

    for command in (pretranslate, check, glossary, models, tm):
        main.add_command(command)


_register_commands()
