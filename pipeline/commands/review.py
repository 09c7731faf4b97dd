"""Review commands: ``approve``, ``audit``, ``status``, ``queue`` and ``review``.

Thin layers over :mod:`pipeline.review`: each parses its options, calls one library function
and prints its report (text, or ``--format json``).
"""

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

__all__ = ["approve", "audit", "queue", "review", "status"]


@click.command()
@click.argument("slug")
@click.option("--locale", required=True, metavar="LOCALE", help="Target locale of the catalog.")
@click.option("--by", "by", required=True, metavar="NAME",
              help="The reviser: a name, an e-mail address, or 'Name <email>'.")
@click.option("--entry", "entry_ids", multiple=True, metavar="ID",
              help="Approve only this entry (its msgctxt id); repeatable. Default: every "
              "translated, check-clean entry.")
@format_option
@pass_project
@click.pass_context
def approve(
    ctx: click.Context,
    project: ProjectContext,
    slug: str,
    locale: str,
    by: str,
    entry_ids: tuple[str, ...],
    output_format: str,
) -> None:
    """Approve translated entries of SLUG as a second person (the reviser's sign-off).

    Every translated (not fuzzy) entry without an unwaived error is approved, or only the
    --entry ids: each gets a "# approved: by=... at=... sha256=..." comment bound to its exact
    text, and one record goes to locales/LOCALE/approvals.jsonl. Everything else in the file
    is kept. Entries that cannot be approved are listed as PATH:LINE: REASON.

    Refused (exit 2, nothing written) when NAME is the catalog's Last-Translator, or is not
    among the reviewers listed in [tool.pipeline.review]. Exit 1 when some entry was refused.
    """
    from pipeline.review.approve import approve_catalog

    report = approve_catalog(project.config, slug, locale=locale, by=by, entry_ids=entry_ids)
    if output_format == "json":
        emit_json(report.as_json())
    else:
        for line in report.lines():
            click.echo(line)
    if not report.complete:
        ctx.exit(1)


@click.command()
@locales_option
@format_option
@pass_project
@click.pass_context
def audit(
    ctx: click.Context, project: ProjectContext, locales: tuple[str, ...], output_format: str
) -> None:
    """Verify the approval record: the log's hash chain and every approval comment's record.

    Exit 1 with PATH:LINE: MESSAGE for each break (an edited, reordered or deleted log line)
    and each approval comment without its log record (forged, or its record lost).
    """
    from pipeline.review.audit import audit_project

    report = audit_project(project.config, locales=locales)
    if output_format == "json":
        emit_json(report.as_json())
    else:
        for line in report.lines():
            click.echo(line)
    if not report.ok:
        ctx.exit(1)


@click.command()
@click.argument("slugs", nargs=-1)
@locales_option
@format_option
@pass_project
def status(
    project: ProjectContext, slugs: tuple[str, ...], locales: tuple[str, ...], output_format: str
) -> None:
    """Show, per article and locale, entries per state, errors and whether it is publishable.

    States: untranslated, draft (fuzzy), translated, approved. A catalog is publishable when
    every entry is approved, no unwaived error remains and the audit log is intact; otherwise
    the first blocking reason is shown. Forged or stale approval comments are listed. Always
    exit 0 (use `pipeline audit` or `pipeline check` to fail a CI job).
    """
    from pipeline.review.project import load_review
    from pipeline.review.report import status_lines, status_table

    review = load_review(project.config, slugs=slugs, locales=locales)
    if output_format == "json":
        emit_json(review.as_json())
    elif sys.stdout.isatty():
        status_table(review)
    else:
        for line in status_lines(review):
            click.echo(line)


@click.command()
@locales_option
@click.option(
    "--for",
    "role",
    type=click.Choice(["translate", "revise"]),
    default="translate",
    show_default=True,
    help="Whose queue: translators (drafts, untranslated) or revisers (awaiting approval).",
)
@format_option
@pass_project
def queue(
    project: ProjectContext, locales: tuple[str, ...], role: str, output_format: str
) -> None:
    """List what to open next, most urgent first, as PATH:LINE: KIND: COUNT.

    Translators: entries whose source changed after approval, then drafts whose TM/MT
    suggestion lost a term or number, other drafts, untranslated entries, translated entries
    with an error. Revisers: translated entries awaiting approval. LINE is the first such
    entry's msgid line.
    """
    from pipeline.review.project import load_review
    from pipeline.review.queue import build_queue

    items = build_queue(load_review(project.config, locales=locales).catalogs, role=role)  # type: ignore[arg-type]
    if output_format == "json":
        emit_json({"for": role, "items": [item.as_json() for item in items]})
        return
    for item in items:
        click.echo(item.text())
    if not items:
        click.echo("nothing to revise" if role == "revise" else "nothing to translate")


@click.command()
@click.argument("slugs", nargs=-1)
@locales_option
@click.option(
    "--output",
    "output_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to write the pages (default: <state>/review, outside the published site).",
)
@pass_project
def review(
    project: ProjectContext,
    slugs: tuple[str, ...],
    locales: tuple[str, ...],
    output_dir: str | None,
) -> None:
    """Write bilingual review sheets and a dashboard as static HTML, and print where.

    One sheet per article and locale (source and translation side by side in document
    order, states, highlighted glossary terms and numbers, findings, previous source of
    changed entries, dictionary hints: source words whose CC-CEDICT senses the translation
    does not seem to render, never counted as findings) and a dashboard of every article x
    locale. The pages hold unapproved text, so they go under the state folder, never into
    the published site.
    """
    from pathlib import Path

    from pipeline.review.pages import write_review_pages

    written = write_review_pages(
        project.config,
        slugs=slugs,
        locales=locales,
        output_dir=None if output_dir is None else Path(output_dir),
    )
    for line in written.lines():
        click.echo(line)
