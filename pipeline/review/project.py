"""The edge of review: read a project's catalogs, logs and check findings into reviews.

Everything else in :mod:`pipeline.review` is pure; this module opens files. One read per
catalog and per log; the check findings come from one :func:`pipeline.checks.run.check_project` run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.errors import CatalogError
from pipeline.po.catalog import Catalog, Entry
from pipeline.review.log import AuditLog, log_path, read_log
from pipeline.review.state import ApprovalProblem
from pipeline.review.status import CatalogReview, CatalogStatus, catalog_status, review_catalog

__all__ = [
    "ProjectReview",
    "ReviewSettings",
    "load_review",
    "read_catalog_text",
    "review_settings",
]


@dataclass(frozen=True, kw_only=True)
class ReviewSettings:
    """``[tool.pipeline.review]``: who may approve and whether a second person must.

    ``reviewers`` empty means anyone may approve; ``require_second_person = false`` lets the
    catalog's Last-Translator approve their own work (a one-person team): such approvals are
    recorded as self-approved in the log and shown by ``status``.
    """

    reviewers: tuple[str, ...] = ()
    require_second_person: bool = True


def review_settings(config: Config) -> ReviewSettings:
    """Read ``[tool.pipeline.review]`` (absent: anyone but the Last-Translator approves)."""
    from pipeline.errors import ConfigError

    table = config.tables.get("review", {})
    if not isinstance(table, dict):
        raise ConfigError("[tool.pipeline.review] must be a table", path="pyproject.toml")
    unknown = set(table) - {"reviewers", "require_second_person"}
    if unknown:
        raise ConfigError(
            f"unknown key {sorted(unknown)[0]!r} in [tool.pipeline.review]; known keys: "
            "require_second_person, reviewers",
            path="pyproject.toml",
        )
    reviewers = table.get("reviewers", [])
    if not isinstance(reviewers, list) or not all(
        isinstance(name, str) and name.strip() for name in reviewers
    ):
        raise ConfigError(
            'reviewers must be a list of names, such as ["Li Na <li.na@example.org>"]',
            path="pyproject.toml",
        )
    second = table.get("require_second_person", True)
    if not isinstance(second, bool):
        raise ConfigError(
            "require_second_person must be true or false", path="pyproject.toml"
        )
    return ReviewSettings(
        reviewers=tuple(name.strip() for name in reviewers), require_second_person=second
    )


@dataclass(frozen=True, kw_only=True)
class ProjectReview:
    """Every selected catalog's review, the locales' logs and notes for the reader."""

    catalogs: tuple[CatalogReview, ...]
    logs: dict[str, AuditLog] = field(default_factory=dict)
    settings: ReviewSettings = ReviewSettings()
    notes: tuple[str, ...] = ()
    #: Each locale's log as the user names it (relative to the project).
    log_paths: dict[str, str] = field(default_factory=dict)

    def statuses(self) -> list[CatalogStatus]:
        return [catalog_status(review) for review in self.catalogs]

    def as_json(self) -> dict[str, Any]:
        statuses = self.statuses()
        return {
            "catalogs": [status.as_json() for status in statuses],
            "issues": [issue.as_json() for review in self.catalogs for issue in review.issues],
            "second_person_rule": "enforced"
            if self.settings.require_second_person
            else "relaxed",
            "reviewers": list(self.settings.reviewers),
            "logs": {
                locale: {
                    "path": self.log_paths.get(locale, log.path.as_posix()),
                    "records": len(log.records),
                    "intact": log.is_intact,
                }
                for locale, log in self.logs.items()
            },
            "publishable": sum(1 for status in statuses if status.is_publishable),
            "notes": list(self.notes),
        }


def read_catalog_text(path: Path, *, shown: str) -> tuple[Catalog, str]:
    """A catalog and its text (for msgid and comment lines), errors shown at ``shown``."""
    from pipeline.fsutil import read_text_file
    from pipeline.po.read import read_po

    text = read_text_file(path, shown=shown, error=CatalogError)
    return read_po(text, path=shown), text


def load_review(
    config: Config,
    *,
    slugs: Sequence[str] = (),
    locales: Sequence[str] = (),
) -> ProjectReview:
    """Read the selected catalogs (default: all), their locales' logs and check findings."""
    from pipeline.checks.run import check_project

    report = check_project(config, slugs=slugs, locales=locales)
    settings = review_settings(config)
    by_path: dict[str, list[Any]] = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    logs: dict[str, AuditLog] = {}
    reviews: list[CatalogReview] = []
    for summary in report.catalogs:
        locale = summary.locale
        if locale not in logs:
            logs[locale] = read_log(log_path(config.locales_dir, locale))
        path = config.catalog_path(summary.slug, locale)
        reviews.append(
            review_from_text(
                config,
                path,
                slug=summary.slug,
                locale=locale,
                log=logs[locale],
                findings=by_path.get(summary.path, ()),
            )
        )
    return ProjectReview(
        catalogs=tuple(reviews),
        logs=logs,
        settings=settings,
        notes=report.notes,
        log_paths={locale: config.relative(log.path) for locale, log in logs.items()},
    )


def review_from_text(
    config: Config,
    path: Path,
    *,
    slug: str,
    locale: str,
    log: AuditLog,
    findings: Sequence[Any] = (),
    catalog_and_text: tuple[Catalog, str] | None = None,
) -> CatalogReview:
    """One catalog's review, from its file (or the already-read ``catalog_and_text``)."""
    shown = config.relative(path)
    catalog, text = catalog_and_text or read_catalog_text(path, shown=shown)
    lines = Lines(text)
    log_break = None
    if log.breaks:
        log_break = f"{config.relative(log.path)}:{log.breaks[0].line}"
    stamps = frozenset(
        (record.by, record.at, entry.sha256)
        for record in log.records_for(slug)
        if record.self_approved
        for entry in record.entries
    )
    return review_catalog(
        catalog,
        slug=slug,
        locale=locale,
        path=shown,
        ledger=log.ledger(slug),
        findings=findings,
        line_of=lines.msgid_line,
        comment_line_of=lines.comment_line,
        log_break=log_break,
        self_approved_stamps=stamps,
    )


class Lines:
    """Where an entry's msgid line and its translator comment lines are in the file text."""

    def __init__(self, text: str) -> None:
        self._lines = text.split("\n")

    def msgid_line(self, entry: Entry) -> int:
        """The line ``pipeline check`` reports: the reader records it as ``Entry.lineno``."""
        return entry.lineno

    def comment_line(self, entry: Entry, index: int) -> int:
        """The line of the entry's ``index``-th translator comment (``# …``)."""
        lines = self._lines
        # Up from the msgid line, over msgctxt (and its continuation strings), to the first
        # of the comment lines the entry starts with.
        start = entry.lineno
        while start > 1 and lines[start - 2].lstrip().startswith(('"', "msgctxt", "#~ msgctxt")):
            start -= 1
        while start > 1 and lines[start - 2].startswith("#"):
            start -= 1
        seen = -1
        for number in range(max(start, 1), len(lines) + 1):
            line = lines[number - 1]
            if line == "#" or line.startswith("# "):
                seen += 1
                if seen == index:
                    return number
            elif not line.startswith("#"):
                break
        return entry.lineno


def approval_findings(config: Config, report: Any) -> list[Any]:
    """Approval comments that count for nothing, as ``pipeline check`` findings (check
    ``approval``): forged or malformed ones are errors, stale ones (the translation was
    edited after approval) warnings. ``report`` is the
    :class:`pipeline.checks.run.CheckReport` whose catalogs are looked at."""
    from pipeline.checks.run import ReportedFinding

    found: list[Any] = []
    logs: dict[str, AuditLog] = {}
    for summary in report.catalogs:
        if summary.locale not in logs:
            logs[summary.locale] = read_log(log_path(config.locales_dir, summary.locale))
        path = config.catalog_path(summary.slug, summary.locale)
        review = review_from_text(
            config, path, slug=summary.slug, locale=summary.locale, log=logs[summary.locale]
        )
        rows = {row.id: row for row in review.rows}
        for issue in review.issues:
            found.append(
                ReportedFinding(
                    path=issue.path,
                    line=issue.line,
                    slug=summary.slug,
                    locale=summary.locale,
                    msgctxt=rows[issue.id].entry.msgctxt,
                    check="approval",
                    severity="warning" if issue.problem is ApprovalProblem.STALE else "error",
                    message=issue.reason(),
                    draft=rows[issue.id].entry.is_fuzzy,
                )
            )
    return found
