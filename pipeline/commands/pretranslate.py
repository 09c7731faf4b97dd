"""``pipeline pretranslate``: fill empty entries with fuzzy drafts from the TM, then MT."""

from __future__ import annotations

import sys

import click

from pipeline.commands._shared import (
    ProjectContext,
    emit_json,
    format_option,
    locales_option,
    pass_project,
)

__all__ = ["pretranslate"]



class _ComputeType(click.ParamType):
    """A choice among :data:`pipeline.mt.argos.COMPUTE_TYPES`, the list the config accepts too.

    The list is read only when an option is parsed or its help shown: importing ``pipeline.mt``
    would slow down ``pipeline --help``, which loads this module.
    """

    name = "compute_type"

    @staticmethod
    def choices() -> tuple[str, ...]:
        from pipeline.mt.argos import COMPUTE_TYPES

        return COMPUTE_TYPES

    def get_metavar(self, *args: object, **kwargs: object) -> str:
        return "[" + "|".join(self.choices()) + "]"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if value in self.choices():
            return value
        self.fail(f"{value!r} is not one of {', '.join(self.choices())}", param, ctx)


@click.command()
@click.argument("slugs", nargs=-1)
@locales_option
@click.option(
    "--engine",
    type=click.Choice(["tm", "mt", "all"]),
    default=None,
    help="Where drafts come from: translation memory, machine translation, or both (TM first). "
    "[default: all]",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Also replace earlier drafts of this command (fuzzy entries with a tm/mt origin); "
    "a translator's work is never replaced.",
)
@click.option("--beam-size", type=click.IntRange(1, 32), default=None, help="MT beam size.")
@click.option(
    "--compute-type", type=_ComputeType(), default=None, help="MT numeric type (CTranslate2)."
)
@click.option(
    "--min-score",
    type=click.IntRange(1, 100),
    default=None,
    help="Lowest fuzzy TM score to use, in percent. [default: 75]",
)
@click.option("--no-cache", is_flag=True, help="Translate again even what the MT cache holds.")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing and run no MT; exit 1 if any entry would get a draft.",
)
@format_option
@pass_project
def pretranslate(
    project: ProjectContext,
    slugs: tuple[str, ...],
    locales: tuple[str, ...],
    engine: str | None,
    overwrite: bool,
    beam_size: int | None,
    compute_type: str | None,
    min_score: int | None,
    no_cache: bool,
    check_only: bool,
    output_format: str,
) -> None:
    """Fill empty entries of SLUG's catalogs (default: all) with fuzzy drafts from the
    translation memory, then machine translation, each with its origin in a #. comment.

    Glossary terms are imposed on MT drafts; a draft that lost a term, number or markup tag
    gets a "mt missing: ..." comment. Without an installed model, the TM still fills what it
    can and the report says how many entries were left for MT.
    """
    from pipeline.pretranslate import load_options, terminal_progress
    from pipeline.pretranslate import pretranslate as run
    from pipeline.review import approval_rule

    config = project.config
    options = load_options(
        config,
        engine=engine,
        overwrite=overwrite or None,
        beam_size=beam_size,
        compute_type=compute_type,
        min_score=min_score,
        use_cache=False if no_cache else None,
    )
    with terminal_progress(sys.stderr) as progress:
        report = run(
            config,
            slugs=slugs,
            locales=locales,
            options=options,
            progress=progress,
            dry_run=check_only,
            approval=approval_rule(config),
        )
    if output_format == "json":
        emit_json(report.as_json())
    else:
        for line in report.lines():
            click.echo(line)
    if check_only and report.filled:
        sys.exit(1)
