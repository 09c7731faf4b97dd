"""``pipeline audit``: is the approval record whole?

Checks, for every target locale, that the audit log's hash chain is unbroken and that every
approval comment in the locale's catalogs (obsolete entries included: their approvals come
back with their text) has its record. Each problem is one ``path:line: message``; any problem
makes ``audit`` exit 1. Stale approvals (logged, but the translation was edited since) are
ordinary work for a reviser, listed as notes, not failures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.config import Config
from pipeline.review.log import log_path, read_log
from pipeline.review.project import Lines, read_catalog_text
from pipeline.review.state import ApprovalProblem, approval_comment_spans, entry_id, review_entry
from pipeline.review.status import counted

__all__ = ["AuditReport", "audit_project"]


@dataclass(frozen=True, kw_only=True)
class AuditReport:
    """Problems (``path:line: message``) and notes, with what was looked at."""

    problems: tuple[str, ...]
    notes: tuple[str, ...]
    records: int
    catalogs: int
    approvals: int

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        summary = (
            f"audited {counted(self.records, 'log record')}, "
            f"{counted(self.approvals, 'approval comment')} in "
            f"{counted(self.catalogs, 'catalog')}: "
            + ("ok" if self.ok else counted(len(self.problems), "problem"))
        )
        return [*self.problems, *(f"note: {n}" for n in self.notes), summary]

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": list(self.problems),
            "notes": list(self.notes),
            "records": self.records,
            "catalogs": self.catalogs,
            "approvals": self.approvals,
        }


def audit_project(config: Config, *, locales: Sequence[str] = ()) -> AuditReport:
    """Verify every selected locale's log and its catalogs' approval comments."""
    problems: list[str] = []
    notes: list[str] = []
    records = catalogs = approvals = 0
    for locale in config.select_locales(locales):
        log = read_log(log_path(config.locales_dir, locale))
        shown_log = config.relative(log.path)
        records += len(log.records)
        problems.extend(f"{shown_log}:{b.line}: {b.message}" for b in log.breaks)
        for path in config.catalog_files(locale):
            catalogs += 1
            shown = config.relative(path)
            catalog, text = read_catalog_text(path, shown=shown)
            lines = Lines(text)
            ledger = log.ledger(path.stem)
            for entry in catalog.entries:
                spans = list(approval_comment_spans(entry.translator_comments))
                if not spans:
                    continue
                approvals += len(spans)
                # Obsolete entries are judged as finished text: their approval must be logged.
                judged = entry.replace(obsolete=False) if entry.obsolete else entry
                for index, problem in review_entry(judged, ledger).problems:
                    where = f"{shown}:{lines.comment_line(entry, index)}"
                    ident = entry_id(entry.msgctxt, entry.msgid)
                    if problem is ApprovalProblem.STALE:
                        notes.append(f"{where}: approval of {ident} is stale (given for other "
                                     "text: the translation or its source changed since); it "
                                     "needs approving again")
                    elif problem is ApprovalProblem.FORGED:
                        problems.append(f"{where}: approval comment of {ident} has no record "
                                        f"in {shown_log} (forged, or the record was lost)")
                    else:
                        problems.append(f"{where}: malformed approval comment on {ident}")
    return AuditReport(
        problems=tuple(problems), notes=tuple(notes), records=records, catalogs=catalogs,
        approvals=approvals,
    )
