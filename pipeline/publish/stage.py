"""The publish stage's run: ask review which catalogs are publishable, then write the site.

The approval rule has one home, :mod:`pipeline.review`: this module never decides whether an
entry is approved. It reads each catalog's review (states derived from the file and the audit
log, with the check findings attached), takes review's verdict (``is_publishable`` and the
first blocking reason) and the approvals in force (who approved, when: from the log records
that vouch for the approval comments), and hands them to
:func:`~pipeline.publish.site.publish_site`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.publish.site import (
    Approval,
    Candidate,
    PublishReport,
    finished_translations,
    publish_site,
)

__all__ = ["QueueItem", "ReviewQueue", "publish_project"]


@dataclass(frozen=True, kw_only=True)
class QueueItem:
    """What waits in one catalog: work for translators, then for revisers."""

    path: str
    slug: str
    locale: str
    untranslated: int
    drafts: int
    awaiting_approval: int
    changed_since_approval: int
    errors: int

    @property
    def waiting(self) -> int:
        return self.untranslated + self.drafts + self.awaiting_approval

    def text(self) -> str:
        parts = []
        if self.changed_since_approval:
            parts.append(f"{self.changed_since_approval} changed since approval")
        if self.untranslated:
            parts.append(f"{self.untranslated} untranslated")
        if self.drafts:
            parts.append(f"{self.drafts} draft(s)")
        if self.awaiting_approval:
            parts.append(f"{self.awaiting_approval} awaiting approval")
        if self.errors:
            parts.append(f"{self.errors} error(s)")
        return f"{self.path}: {', '.join(parts)}"

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "slug": self.slug,
            "locale": self.locale,
            "untranslated": self.untranslated,
            "drafts": self.drafts,
            "awaiting_approval": self.awaiting_approval,
            "changed_since_approval": self.changed_since_approval,
            "errors": self.errors,
        }


@dataclass(frozen=True, kw_only=True)
class ReviewQueue:
    """The review queue in a build's summary (``pipeline queue`` lists it entry by entry)."""

    items: tuple[QueueItem, ...] = ()

    def lines(self) -> list[str]:
        if not self.items:
            return ["review queue: empty"]
        total = sum(item.waiting for item in self.items)
        return [
            f"review queue: {total} entr{'y' if total == 1 else 'ies'} in "
            f"{len(self.items)} catalog(s)",
            *(f"  {item.text()}" for item in self.items),
        ]

    def as_json(self) -> dict[str, Any]:
        return {"items": [item.as_json() for item in self.items]}


def publish_project(
    config: Config,
    *,
    checked: Any = None,
    site: Path | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[PublishReport, ReviewQueue]:
    """Publish every publishable (article, target locale) of the project into ``site``.

    ``checked`` is a :class:`~pipeline.checks.run.CheckReport` the caller already has (a build), so
    the checks do not run twice. The caller holds the project lock.
    """
    from pipeline.checks.run import check_project
    from pipeline.project import discover_sources
    from pipeline.review.log import log_path, read_log
    from pipeline.review.project import review_from_text
    from pipeline.review.state import EntryState
    from pipeline.review.status import catalog_status

    report = checked if checked is not None else check_project(config)
    findings: dict[str, list[Any]] = {}
    for finding in report.findings:
        findings.setdefault(finding.path, []).append(finding)
    logs: dict[str, Any] = {}
    candidates: list[Candidate] = []
    queue: list[QueueItem] = []
    for source in discover_sources(config):
        for locale in config.target_locales:
            path = config.catalog_path(source.slug, locale)
            if not path.is_file():
                candidates.append(
                    _unpublishable(
                        config,
                        source.slug,
                        locale,
                        source.path,
                        path,
                        f"no catalog {config.relative(path)}; run pipeline segment",
                    )
                )
                continue
            if locale not in logs:
                logs[locale] = read_log(log_path(config.locales_dir, locale))
            review = review_from_text(
                config,
                path,
                slug=source.slug,
                locale=locale,
                log=logs[locale],
                findings=findings.get(config.relative(path), ()),
            )
            status = catalog_status(review)
            approvals = sorted(
                {
                    (row.review.approval.by, row.review.approval.at)
                    for row in review.rows
                    if row.state is EntryState.APPROVED and row.review.approval is not None
                }
            )
            candidates.append(
                Candidate(
                    slug=source.slug,
                    locale=locale,
                    source_path=source.path,
                    catalog_path=path,
                    publishable=status.is_publishable,
                    reason=status.blocking_reason or "",
                    approvals=tuple(Approval(by=by, at=at) for by, at in approvals),
                    translations=finished_translations(row.entry for row in review.rows),
                )
            )
            waiting = status.untranslated + status.draft + status.translated
            if waiting or status.error_count:
                queue.append(
                    QueueItem(
                        path=status.path,
                        slug=source.slug,
                        locale=locale,
                        untranslated=status.untranslated,
                        drafts=status.draft,
                        awaiting_approval=status.translated,
                        changed_since_approval=status.changed_since_approval,
                        errors=status.error_count,
                    )
                )
    published = publish_site(config, candidates, site=site, dry_run=dry_run, progress=progress)
    return published, ReviewQueue(items=tuple(queue))


def _unpublishable(
    config: Config, slug: str, locale: str, source: Path, catalog: Path, reason: str
) -> Candidate:
    return Candidate(
        slug=slug,
        locale=locale,
        source_path=source,
        catalog_path=catalog,
        publishable=False,
        reason=reason,
    )
