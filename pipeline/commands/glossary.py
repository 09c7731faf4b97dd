"""``pipeline glossary …``: validate, search, extend and exchange glossary.yaml.

Each command opens the project's glossary, calls one library function and reports; library
errors (:class:`~pipeline.errors.GlossaryError`) reach the CLI, which prints
``path:line: message`` and exits 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pipeline.commands._shared import ProjectContext, emit_json, format_option, pass_project
from pipeline.errors import GlossaryError, UsageError
from pipeline.glossary.terms import POS_VALUES, STATUSES

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.glossary import Glossary

# The library (pydantic, ruamel.yaml, pyahocorasick) is imported inside the commands, so that
# registering this group costs other commands nothing at start-up.

__all__ = ["glossary"]


def _file_format_option(help_text: str) -> Any:
    """``--format tbx|csv`` of export and import (no default: the file name may tell)."""
    return click.option(
        "--format", "file_format", type=click.Choice(["tbx", "csv"]), help=help_text
    )


def _locales(config: Config) -> dict[str, Any]:
    """The project's locales, as every glossary library function takes them."""
    return {"source_locale": config.source_locale, "target_locales": config.target_locales}


def _load(project: ProjectContext) -> Glossary:
    from pipeline.glossary import load_glossary

    config = project.config
    return load_glossary(config.glossary_path, **_locales(config))


@click.group()
def glossary() -> None:
    """Validate, search, extend and exchange the controlled glossary (glossary.yaml)."""


@glossary.command()
@format_option
@pass_project
def check(project: ProjectContext, output_format: str) -> None:
    """Validate glossary.yaml; list every problem with its line (exit 2) or summarise it."""
    from pipeline.glossary import InvalidGlossary
    from pipeline.glossary.exchange import export_locales
    from pipeline.glossary.model import display_path

    config = project.config
    shown = display_path(config.glossary_path)
    try:
        loaded = _load(project)
    except InvalidGlossary as exc:
        if output_format == "json":
            emit_json(
                {
                    "path": shown,
                    "valid": False,
                    "problems": [
                        {"line": problem.line, "message": problem.message}
                        for problem in exc.problems
                    ],
                }
            )
        else:
            for line in exc.location_messages():
                click.echo(line, err=True)
        click.get_current_context().exit(exc.exit_code)
    exists = config.glossary_path.is_file()
    dnt = sum(term.dnt for term in loaded.terms)
    locales = export_locales(loaded, config.target_locales)
    if output_format == "json":
        emit_json(
            {
                "path": shown,
                "valid": True,
                "exists": exists,
                "terms": len(loaded),
                "dnt": dnt,
                "proposed": sum(term.status == "proposed" for term in loaded.terms),
                "deprecated": sum(term.status == "deprecated" for term in loaded.terms),
                "source_locale": loaded.source_locale,
                "locales": list(locales),
                "version": loaded.version,
            }
        )
        return
    if not exists:
        click.echo(f"{shown}: no glossary (optional); 0 terms")
        return
    click.echo(
        f"{shown}: ok, {len(loaded)} terms ({dnt} dnt), "
        f"{loaded.source_locale} -> {', '.join(locales) or 'no target locales'}, "
        f"version {loaded.version}"
    )


@glossary.command()
@_file_format_option("Export format (TBX-Basic or CSV).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (atomically) instead of standard output.",
)
@pass_project
def export(project: ProjectContext, file_format: str | None, output: Path | None) -> None:
    """Export the glossary as TBX (for OmegaT, Weblate…) or CSV (for spreadsheets)."""
    from pipeline.fsutil import write_text_file
    from pipeline.glossary.exchange import export_csv, export_locales, export_tbx

    if file_format is None:
        suffix = output.suffix.lower() if output else ""
        if suffix not in (".tbx", ".csv"):
            raise UsageError("say which format: --format tbx or --format csv")
        file_format = suffix[1:]
    loaded = _load(project)
    locales = export_locales(loaded, project.config.target_locales)
    writer = export_tbx if file_format == "tbx" else export_csv
    text = writer(loaded, locales=locales)
    if output is None:
        click.echo(text, nl=False)
        return
    state = "wrote" if write_text_file(output, text) else "unchanged:"
    click.echo(f"{state} {output} ({len(loaded)} terms, {file_format})", err=True)


@glossary.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_file_format_option("Input format (default: from the file extension).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@pass_project
def import_(project: ProjectContext, file: Path, file_format: str | None, dry_run: bool) -> None:
    """Merge terms from a TBX or CSV file into glossary.yaml (adds and updates, never deletes).

    Terms are matched by id, else by a shared source form; comments and order are kept.
    """
    from pipeline.glossary.edit import merge_terms
    from pipeline.glossary.exchange import read_csv, read_tbx
    from pipeline.glossary.model import display_path

    config = project.config
    kind = file_format or {".tbx": "tbx", ".xml": "tbx", ".csv": "csv"}.get(file.suffix.lower())
    if kind is None:
        raise UsageError(f"cannot tell the format of {file}; add --format tbx or --format csv")
    from pipeline.fsutil import read_text_file
    from pipeline.locking import project_lock

    shown = display_path(file)
    text = read_text_file(file, shown=shown, error=GlossaryError)
    reader = read_tbx if kind == "tbx" else read_csv
    records = reader(text, path=shown, source_locale=config.source_locale)
    # segment and check read the glossary under the project lock: never write it under them.
    with project_lock(config):
        report = merge_terms(
            config.glossary_path, records, origin=shown, dry_run=dry_run, **_locales(config)
        )
    prefix = "would be " if dry_run else ""
    for change in report.changes:
        click.echo(f"  {change.describe()}")
    click.echo(
        f"{display_path(config.glossary_path)}: {report.added} {prefix}added, "
        f"{report.updated} {prefix}updated, {report.unchanged} unchanged"
    )


def _locale_pairs(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        locale, separator, text = value.partition("=")
        if not separator or not locale.strip() or not text.strip():
            raise UsageError(f"{option} takes LOCALE=TEXT, such as {option} en=adverse event")
        pairs.append((locale.strip(), text.strip()))
    return pairs


@glossary.command()
@click.argument("source")
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="LOCALE=TEXT",
    help="Approved rendering (repeat per locale).",
)
@click.option("--variant", "variants", multiple=True, help="Another source form (repeatable).")
@click.option(
    "--allowed",
    multiple=True,
    metavar="LOCALE=TEXT",
    help="Another accepted rendering, e.g. an abbreviation (repeatable).",
)
@click.option(
    "--forbidden",
    multiple=True,
    metavar="LOCALE=TEXT",
    help="A rendering that must never appear (repeatable).",
)
@click.option("--dnt", is_flag=True, help="Do not translate: keep the source verbatim.")
@click.option(
    "--case-sensitive/--ignore-case",
    default=None,
    help="Match Latin letters case-sensitively (default: only for dnt terms).",
)
@click.option("--status", type=click.Choice(STATUSES), help="Default: approved.")
@click.option("--id", "term_id", help="A stable id (default: derived from the source).")
@click.option("--pos", type=click.Choice(POS_VALUES), help="Part of speech.")
@click.option("--definition", help="What the term means.")
@click.option("--reference", help="Where the rendering comes from (URL, guideline…).")
@click.option("--note", help="A note shown to translators.")
@click.option("--dry-run", is_flag=True, help="Validate and show the term; write nothing.")
@pass_project
def add(
    project: ProjectContext,
    source: str,
    targets: tuple[str, ...],
    variants: tuple[str, ...],
    allowed: tuple[str, ...],
    forbidden: tuple[str, ...],
    dnt: bool,
    case_sensitive: bool | None,
    status: str | None,
    term_id: str | None,
    pos: str | None,
    definition: str | None,
    reference: str | None,
    note: str | None,
    dry_run: bool,
) -> None:
    """Append a term to glossary.yaml, keeping the file's comments and order.

    Example: pipeline glossary add 血脑屏障 --target en=blood-brain barrier --allowed en=BBB
    """
    from pipeline.glossary import hint_line
    from pipeline.glossary.edit import add_term
    from pipeline.glossary.model import display_path

    fields: dict[str, Any] = {"source": source}
    if term_id:
        fields["id"] = term_id
    if variants:
        fields["variants"] = list(variants)
    if targets:
        fields["target"] = dict(_locale_pairs(targets, "--target"))
    for key, values in (("allowed", allowed), ("forbidden", forbidden)):
        grouped: dict[str, list[str]] = {}
        for locale, text in _locale_pairs(values, f"--{key}"):
            grouped.setdefault(locale, []).append(text)
        if grouped:
            fields[key] = grouped
    if dnt:
        fields["dnt"] = True
    optional = {
        "case_sensitive": case_sensitive,
        "status": status,
        "pos": pos,
        "definition": definition,
        "reference": reference,
        "note": note,
    }
    fields.update({key: value for key, value in optional.items() if value is not None})
    from pipeline.locking import project_lock

    config = project.config
    # segment and check read the glossary under the project lock: never write it under them.
    with project_lock(config):
        term = add_term(config.glossary_path, fields, dry_run=dry_run, **_locales(config))
    verb = "would add" if dry_run else "added"
    locale = config.target_locales[0]
    click.echo(
        f"{display_path(config.glossary_path)}:{term.line}: {verb} term {term.source!r} "
        f"(id {term.id}): {hint_line(term, locale).removeprefix('glossary: ')}"
    )


@glossary.command()
@click.argument("text")
@click.option("--locale", help="Target locale for renderings (default: the first configured).")
@format_option
@pass_project
def find(project: ProjectContext, text: str, locale: str | None, output_format: str) -> None:
    """Show the glossary terms TEXT contains ('-' reads standard input), with their spans and
    approved renderings."""
    from pipeline.config import parse_locale
    from pipeline.glossary import hint_line

    config = project.config
    if text == "-":
        text = sys.stdin.read()
    target = parse_locale(locale) if locale else config.target_locales[0]
    loaded = _load(project)
    matches = loaded.find(text)
    if output_format == "json":
        emit_json(
            {
                "locale": target,
                "matches": [
                    {
                        "start": match.start,
                        "end": match.end,
                        "text": match.text,
                        "form": match.form,
                        "id": match.term.id,
                        "source": match.term.source,
                        "status": match.term.status,
                        "dnt": match.term.dnt,
                        "target": match.term.target_for(target),
                        "allowed": list(match.term.allowed_for(target)),
                        "forbidden": list(match.term.forbidden_for(target)),
                        "hint": hint_line(match.term, target, form=match.form),
                    }
                    for match in matches
                ],
            }
        )
        return
    if not matches:
        click.echo("no glossary terms found")
        return
    width = max(len(f"{match.start}-{match.end}") for match in matches)
    for match in matches:
        span = f"{match.start}-{match.end}".ljust(width)
        description = hint_line(match.term, target, form=match.form).removeprefix("glossary: ")
        shown = description if match.text == match.form else f"{match.text} -> {description}"
        click.echo(f"{span}  {shown}")
