"""``pipeline check``: run the quality checks and report ``path:line: severity: check: message``."""

from __future__ import annotations

import click

from pipeline.commands._shared import (
    ProjectContext,
    emit_json,
    format_option,
    locales_option,
    pass_project,
)

__all__ = ["check"]


@click.command()
@click.argument("slugs", nargs=-1)
@locales_option
@format_option
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail (exit 1) on errors in drafts (fuzzy entries).",
)
@click.option(
    "--list",
    "list_checks",
    is_flag=True,
    help="List the checks (name, severity, kind, waiver, what each finds) and exit.",
)
@pass_project
@click.pass_context
def check(
    ctx: click.Context,
    project: ProjectContext,
    slugs: tuple[str, ...],
    locales: tuple[str, ...],
    output_format: str,
    strict: bool,
    list_checks: bool,
) -> None:
    """Check translations: numbers, glossary, do-not-translate tokens, markup, leftovers.

    With no SLUG, every catalog of every target locale is checked. Each problem is printed as
    PATH:LINE: SEVERITY: CHECK: MESSAGE, at the msgid line of the entry. Drafts (fuzzy
    entries) are checked too and marked "(draft)"; waived findings ("#, ignore-CHECK") are
    shown and marked "(waived)".

    Exit status: 0 when no unwaived error remains on a translated, non-fuzzy entry; 1
    otherwise (with --strict, errors in drafts count too); 2 for bad usage or input.
    """
    if list_checks:
        _print_checks(output_format)
        return
    from pipeline.checks.run import check_project
    from pipeline.review.project import approval_findings

    report = check_project(project.config, slugs=slugs, locales=locales)
    # Approval comments that count for nothing (forged, malformed, stale) are reported with
    # the checks: review owns the rule, the command joins the two (checks never import review).
    report = report.with_findings(approval_findings(project.config, report))
    if output_format == "json":
        emit_json(report.as_json())
    else:
        for line in report.lines():
            click.echo(line)
    if report.fails(strict=strict):
        ctx.exit(1)


def _print_checks(output_format: str) -> None:
    from pipeline.checks import checks_table

    rows = checks_table()
    if output_format == "json":
        emit_json(rows)
        return
    name_width = max(len(row["name"]) for row in rows)
    waiver_width = max(len(row["waiver"] or "-") for row in rows)
    for row in rows:
        click.echo(
            f"{row['name']:<{name_width}}  {row['severity']:<7}  {row['kind']:<6}  "
            f"{row['waiver'] or '-':<{waiver_width}}  {row['summary']}"
        )
