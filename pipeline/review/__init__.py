"""Human review in the catalogs: entry states, approvals bound to the text, the audit log.

The one home of "approved" (DESIGN.md, "PO conventions"). Everything that needs to know
whether text was approved (``status``, ``queue``, the TM, publishing) asks this package:

- :class:`EntryState`, :func:`entry_state`, :func:`is_approved`, :func:`review_entry`: an
  entry's state from its text, its ``# approved: by=… at=… sha256=…`` comment and the log;
- :func:`content_hash`: what an approval vouches for (msgctxt, msgid, msgid_plural, every
  msgstr; never formatting);
- :class:`Approval`, :func:`format_approval`, :func:`parse_approvals`: the comment;
- :func:`read_log`, :class:`AuditLog`, :class:`ApprovalRecord`: the append-only, hash-chained
  log ``locales/<locale>/approvals.jsonl`` (:attr:`AuditLog.ledger` gives a catalog's
  :class:`Ledger`, which the state functions take);
- :func:`review_catalog`, :func:`catalog_status`, :class:`CatalogStatus` (``is_publishable``,
  ``blocking_reason``): a catalog's rows and verdict; :func:`load_review` reads a project;
- :func:`approval_rule`: ``(slug, locale, entry) -> bool`` for callers that must not import
  this package (the TM is handed this by its caller).

>>> from pipeline.po.catalog import Entry
>>> entry = Entry(msgctxt="s-1", msgid="肿瘤缩小。", msgstr="The tumour shrank.")
>>> stamp = Approval(by="Li Na", at="2026-12-06T13:00:00Z", sha256=content_hash(entry))
>>> approved = entry.replace(translator_comments=(format_approval(stamp),))
>>> entry_state(approved)            # a comment without its log record counts for nothing
<EntryState.TRANSLATED: 'translated'>
>>> ledger = Ledger(stamps={("Li Na", stamp.at, stamp.sha256): frozenset({"s-1"})})
>>> entry_state(approved, ledger)
<EntryState.APPROVED: 'approved'>
>>> entry_state(approved.replace(msgstr="The tumor shrank."), ledger)   # edited: void
<EntryState.TRANSLATED: 'translated'>
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.review.log import (
    ApprovalRecord,
    ApprovedEntry,
    AuditLog,
    LogBreak,
    WaivedFinding,
    log_path,
    read_log,
)
from pipeline.review.project import ProjectReview, ReviewSettings, load_review, review_settings
from pipeline.review.state import (
    EMPTY_LEDGER,
    Approval,
    ApprovalProblem,
    EntryReview,
    EntryState,
    Ledger,
    content_hash,
    entry_id,
    entry_state,
    format_approval,
    is_approved,
    parse_approvals,
    review_entry,
)
from pipeline.review.status import (
    ApprovalIssue,
    CatalogReview,
    CatalogStatus,
    EntryRow,
    catalog_status,
    review_catalog,
)

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.po.catalog import Entry

__all__ = [
    "EMPTY_LEDGER",
    "Approval",
    "ApprovalIssue",
    "ApprovalProblem",
    "ApprovalRule",
    "ApprovalRecord",
    "ApprovedEntry",
    "AuditLog",
    "CatalogReview",
    "CatalogStatus",
    "EntryReview",
    "EntryRow",
    "EntryState",
    "Ledger",
    "LogBreak",
    "ProjectReview",
    "ReviewSettings",
    "WaivedFinding",
    "approval_rule",
    "catalog_status",
    "content_hash",
    "entry_id",
    "entry_state",
    "format_approval",
    "is_approved",
    "load_review",
    "log_path",
    "parse_approvals",
    "read_log",
    "review_catalog",
    "review_entry",
    "review_settings",
]


def approval_rule(config: Config) -> ApprovalRule:
    """``is_approved`` for a whole project: ``rule(slug, locale, entry)``, with
    ``rule.evidence(locale)`` (a digest of the locale's audit log) for callers that cache
    verdicts. Each locale's log is read (and verified) once, on first use; a broken log
    approves nothing after its break."""
    return ApprovalRule(Path(config.locales_dir))


class ApprovalRule:
    """Review's one definition of "approved", bound to a project's logs (see
    :func:`approval_rule`); what the translation memory is handed."""

    def __init__(self, locales_dir: Path) -> None:
        self._locales_dir = locales_dir
        self._logs: dict[str, AuditLog] = {}
        self._ledgers: dict[tuple[str, str], Ledger] = {}

    def __call__(self, slug: str, locale: str, entry: Entry, /) -> bool:
        key = (slug, locale)
        ledger = self._ledgers.get(key)
        if ledger is None:
            ledger = self._ledgers[key] = self._log(locale).ledger(slug)
        return is_approved(entry, ledger)

    def evidence(self, locale: str, /) -> str:
        """The SHA-256 of the locale's log as read (empty text for no log)."""
        return self._log(locale).digest

    def _log(self, locale: str) -> AuditLog:
        if locale not in self._logs:
            self._logs[locale] = read_log(log_path(self._locales_dir, locale))
        return self._logs[locale]
