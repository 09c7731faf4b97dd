"""The ``pipeline`` command line: thin commands over the library.

Exit codes: 0 ok; 1 the command worked but content is not ready or a check failed; 2 bad
usage, configuration or input, reported as one ``path:line: message`` line on stderr.
Heavy libraries (argostranslate, ctranslate2, torch) are imported only inside the commands
that translate, so ``pipeline --help`` and the read-only commands start fast.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from pipeline.commands._shared import ProjectContext, emit_json, format_option, pass_project
from pipeline.errors import PipelineError

__all__ = ["main"]

#: Allocations between two young-generation collections while a command runs (default 700).
_GC_THRESHOLD = 100_000


class _Group(click.Group):
    """Maps library errors to their message and exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        # A command builds large graphs of acyclic objects (catalog entries, segments) and then
        # exits: frequent cyclic-GC passes over them cost ~5% of `pipeline segment`. Collect
        # rarely while a command runs (reference counting still frees everything else).
        thresholds = gc.get_threshold()
        gc.set_threshold(max(thresholds[0], _GC_THRESHOLD), *thresholds[1:])
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            click.echo(_relative_to_project(exc, ctx).location_message(), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; no file was left half-written", err=True)
            ctx.exit(130)
        finally:
            gc.set_threshold(*thresholds)


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


class _LazyCommands(MutableMapping[str, click.Command]):
    """``main.commands`` that imports a command module only when its command is looked up.

    ``pipeline segment`` then pays nothing for the glossary, check, MT and TM command modules
    (and what they import at module level), while ``pipeline --help`` and anything iterating
    the commands still see every one of them.
    """

    def __init__(self, loaded: dict[str, click.Command], lazy: dict[str, str]) -> None:
        self._loaded = dict(loaded)
        self._lazy = dict(lazy)  # name -> module defining a command of that name

    def __getitem__(self, name: str) -> click.Command:
        command = self._loaded.get(name)
        if command is None:
            if name not in self._lazy:
                raise KeyError(name)
            command = getattr(import_module(self._lazy.pop(name)), name)
            self._loaded[name] = command
        return command

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._lazy.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if self._lazy.pop(name, None) is None:
            del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter([*self._loaded, *self._lazy])

    def __len__(self) -> int:
        return len(self._loaded) + len(self._lazy)

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._lazy


def _register_commands() -> None:
    # Each module imports only click at import time, and is imported only when its command is
    # looked up (running it, `pipeline --help`); the libraries behind a command (the MT engine
    # above all) are imported when it runs, so start-up stays fast.
    lazy = {
        name: f"pipeline.commands.{name}"
        for name in ("pretranslate", "check", "glossary", "models", "tm")
    }
    main.commands = _LazyCommands(dict(main.commands), lazy)


_register_commands()
