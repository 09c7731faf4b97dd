"""How ``pipeline status`` prints: a rich table on a terminal, plain lines in CI logs."""

from __future__ import annotations

from pipeline.review.project import ProjectReview
from pipeline.review.status import CatalogStatus, counted

__all__ = ["status_lines", "status_table"]


def _verdict(status: CatalogStatus) -> str:
    reason = status.blocking_reason
    return "publishable" if reason is None else f"not publishable: {reason}"


def _counts(status: CatalogStatus) -> str:
    text = (
        f"{status.approved}/{status.entries} approved, {status.translated} translated, "
        f"{status.draft} draft, {status.untranslated} untranslated"
    )
    if status.changed_since_approval:
        text += f", {status.changed_since_approval} changed since approval"
    if status.error_count:
        text += f", {counted(status.error_count, 'error')}"
    if status.self_approved:
        text += f", {status.self_approved} self-approved"
    return text


def _notes(review: ProjectReview) -> list[str]:
    notes = [f"note: {note}" for note in review.notes]
    if not review.settings.require_second_person:
        notes.append(
            "note: the second-person rule is relaxed ([tool.pipeline.review] "
            "require_second_person = false): translators may approve their own work"
        )
    return notes


def status_lines(review: ProjectReview) -> list[str]:
    """One line per article × locale, then every approval problem, then notes."""
    lines = [
        f"{status.path}: {status.slug} [{status.locale}]: {_counts(status)}; {_verdict(status)}"
        for status in review.statuses()
    ]
    lines.extend(issue.text() for catalog in review.catalogs for issue in catalog.issues)
    lines.extend(_notes(review))
    if not review.catalogs:
        lines.append("no catalogs yet; run `pipeline segment` first")
    return lines


def status_table(review: ProjectReview) -> None:
    """The same information as a rich table, for people at a terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="Review status")
    for column, justify in (
        ("article", "left"), ("locale", "left"), ("approved", "right"), ("translated", "right"),
        ("draft", "right"), ("untranslated", "right"), ("errors", "right"), ("publishable", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for status in review.statuses():
        reason = status.blocking_reason
        table.add_row(
            status.slug,
            status.locale,
            f"{status.approved}/{status.entries}",
            str(status.translated),
            str(status.draft) + (
                f" ({status.changed_since_approval} changed)" if status.changed_since_approval
                else ""
            ),
            str(status.untranslated),
            str(status.error_count),
            "[green]yes[/green]" if reason is None else f"[red]no[/red]: {reason}",
        )
    console.print(table)
    for catalog in review.catalogs:
        for issue in catalog.issues:
            console.print(issue.text(), markup=False, highlight=False)
    for note in _notes(review):
        console.print(note, markup=False, highlight=False)
