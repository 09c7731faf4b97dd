"""Where a catalog stands in review: per-entry rows, counts per state, publishable or why not.

Pure functions over values: a catalog, the log's :class:`~pipeline.review.state.Ledger` for
it, the check findings on it and where each entry's msgid line is. :mod:`pipeline.review.project`
reads those from disk; ``status``, ``queue``, ``approve``, the review pages and publishing all
derive from the same :class:`CatalogReview`, so they never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.po.catalog import Catalog, Entry
from pipeline.review.state import (
    EMPTY_LEDGER,
    ApprovalProblem,
    EntryReview,
    EntryState,
    Ledger,
    entry_id,
    review_entry,
)

__all__ = [
    "ApprovalIssue",
    "CatalogReview",
    "CatalogStatus",
    "EntryRow",
    "FindingLike",
    "catalog_status",
    "counted",
    "review_catalog",
]


class FindingLike(Protocol):
    """What review needs of a check finding (``pipeline.checks.run.ReportedFinding`` has it)."""

    @property
    def line(self) -> int: ...
    @property
    def msgctxt(self) -> str | None: ...
    @property
    def check(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def waived(self) -> bool: ...
    @property
    def waiver_note(self) -> str | None: ...


@dataclass(frozen=True, kw_only=True)
class EntryRow:
    """One active entry in document order, with its derived state and its findings."""

    entry: Entry
    id: str
    line: int
    review: EntryReview
    findings: tuple[FindingLike, ...] = ()

    @property
    def state(self) -> EntryState:
        return self.review.state

    @property
    def blocking(self) -> tuple[FindingLike, ...]:
        """Unwaived errors: the entry cannot be approved or published with them."""
        return tuple(f for f in self.findings if f.severity == "error" and not f.waived)

    @property
    def has_mt_loss(self) -> bool:
        """A draft whose TM/MT suggestion lost a glossary term or a number."""
        if any(c.startswith("mt missing:") or "numbers differ" in c
               for c in self.entry.extracted_comments):
            return True
        return any(f.check in _LOSS_CHECKS for f in self.blocking)


_LOSS_CHECKS = frozenset({"numbers", "glossary", "dnt"})


@dataclass(frozen=True, kw_only=True)
class ApprovalIssue:
    """An approval comment that counts for nothing, at its line."""

    path: str
    line: int
    id: str
    problem: ApprovalProblem

    def reason(self) -> str:
        """What is wrong and what to do, without the location."""
        return {
            ApprovalProblem.FORGED: "approval comment has no matching record in the audit log "
            "(written by hand, or the log lost it); it counts for nothing: ask a reviser to run "
            "`pipeline approve`",
            ApprovalProblem.STALE: "approval comment is stale: it was given for other text (the "
            "translation or its source changed since); a reviser must approve the entry again",
            ApprovalProblem.MALFORMED: "approval comment is malformed (needs by=, at= in UTC "
            "and a 64-digit sha256=); it counts for nothing",
        }[self.problem]

    def text(self) -> str:
        return f"{self.path}:{self.line}: {self.reason()}"

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "id": self.id, "problem": str(self.problem)}


@dataclass(frozen=True, kw_only=True)
class CatalogReview:
    """One catalog (article × locale) as review sees it."""

    slug: str
    locale: str
    path: str
    rows: tuple[EntryRow, ...]
    issues: tuple[ApprovalIssue, ...] = ()
    last_translator: str = ""
    #: The locale's audit log is broken (``path:line: why``); nothing in it can be trusted.
    log_break: str | None = None
    #: Approvals in force that were given under a relaxed second-person rule.
    self_approved: int = 0

    def in_state(self, state: EntryState) -> list[EntryRow]:
        return [row for row in self.rows if row.state is state]

    @property
    def changed(self) -> list[EntryRow]:
        return [row for row in self.rows if row.review.changed_since_approval]


def review_catalog(
    catalog: Catalog,
    *,
    slug: str,
    locale: str,
    path: str,
    ledger: Ledger = EMPTY_LEDGER,
    findings: Iterable[FindingLike] = (),
    line_of: Callable[[Entry], int] | None = None,
    comment_line_of: Callable[[Entry, int], int] | None = None,
    log_break: str | None = None,
    self_approved_stamps: frozenset[tuple[str, str, str]] = frozenset(),
) -> CatalogReview:
    """Derive every active entry's state and attach its findings (matched by msgctxt, or by
    line for entries without one)."""
    by_context: dict[object, list[FindingLike]] = {}
    for finding in findings:
        key = finding.msgctxt if finding.msgctxt is not None else ("line", finding.line)
        by_context.setdefault(key, []).append(finding)
    line_of = line_of or (lambda entry: entry.lineno)
    rows: list[EntryRow] = []
    issues: list[ApprovalIssue] = []
    relaxed = 0
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        line = line_of(entry)
        key = entry.msgctxt if entry.msgctxt is not None else ("line", line)
        review = review_entry(entry, ledger)
        ident = entry_id(entry.msgctxt, entry.msgid)
        rows.append(
            EntryRow(
                entry=entry,
                id=ident,
                line=line,
                review=review,
                findings=tuple(by_context.get(key, ())),
            )
        )
        for index, problem in review.problems:
            at = comment_line_of(entry, index) if comment_line_of else entry.lineno
            issues.append(ApprovalIssue(path=path, line=at, id=ident, problem=problem))
        approval = review.approval
        if approval is not None and (approval.by, approval.at, approval.sha256) in (
            self_approved_stamps
        ):
            relaxed += 1
    return CatalogReview(
        slug=slug,
        locale=locale,
        path=path,
        rows=tuple(rows),
        issues=tuple(issues),
        last_translator=catalog.metadata.get("Last-Translator", ""),
        log_break=log_break,
        self_approved=relaxed,
    )


@dataclass(frozen=True, kw_only=True)
class CatalogStatus:
    """Counts per state, errors and the verdict for one catalog (``pipeline status``).

    JSON shape (``as_json``), one object per article × locale::

        {"slug": "ntrk-inhibitors", "locale": "en", "path": "locales/en/LC_MESSAGES/…po",
         "entries": 69, "untranslated": 0, "draft": 2, "translated": 3, "approved": 64,
         "changed_since_approval": 1, "errors": {"numbers": 1}, "forged": 0, "stale": 0,
         "malformed": 0, "self_approved": 0, "log_intact": true,
         "publishable": false, "blocking_reason": "1 entry changed since approval"}
    """

    slug: str
    locale: str
    path: str
    entries: int
    untranslated: int
    draft: int
    translated: int
    approved: int
    changed_since_approval: int
    errors: tuple[tuple[str, int], ...]
    forged: int
    stale: int
    malformed: int
    self_approved: int
    log_break: str | None

    @property
    def error_count(self) -> int:
        return sum(count for _check, count in self.errors)

    @property
    def is_publishable(self) -> bool:
        """Every entry approved, no blocking error, an intact log (all or nothing)."""
        return self.blocking_reason is None

    @property
    def blocking_reason(self) -> str | None:
        """The first reason the article cannot be published, or None."""
        if self.log_break is not None:
            return f"audit log broken at {self.log_break}"
        if self.entries == 0:
            return "no entries"
        if self.changed_since_approval:
            changed = counted(self.changed_since_approval, "entry", "entries")
            return f"{changed} changed since approval"
        if self.untranslated:
            return f"{self.untranslated} untranslated"
        if self.draft:
            return f"{counted(self.draft, 'draft')} (fuzzy)"
        if self.errors:
            names = ", ".join(check for check, _n in self.errors)
            return f"{counted(self.error_count, 'error')}: {names}"
        if self.forged or self.malformed:
            return f"{counted(self.forged + self.malformed, 'forged approval')}"
        if self.translated:
            return f"{self.translated} awaiting approval"
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "locale": self.locale,
            "path": self.path,
            "entries": self.entries,
            "untranslated": self.untranslated,
            "draft": self.draft,
            "translated": self.translated,
            "approved": self.approved,
            "changed_since_approval": self.changed_since_approval,
            "errors": dict(self.errors),
            "forged": self.forged,
            "stale": self.stale,
            "malformed": self.malformed,
            "self_approved": self.self_approved,
            "log_intact": self.log_break is None,
            "publishable": self.is_publishable,
            "blocking_reason": self.blocking_reason,
        }


def catalog_status(review: CatalogReview) -> CatalogStatus:
    """Summarise a :class:`CatalogReview`: counts per state and the publishing verdict."""
    states = Counter(row.state for row in review.rows)
    errors: Counter[str] = Counter(
        finding.check
        for row in review.rows
        if row.state in (EntryState.TRANSLATED, EntryState.APPROVED)
        for finding in row.blocking
    )
    problems = Counter(issue.problem for issue in review.issues)
    return CatalogStatus(
        slug=review.slug,
        locale=review.locale,
        path=review.path,
        entries=len(review.rows),
        untranslated=states[EntryState.UNTRANSLATED],
        draft=states[EntryState.DRAFT],
        translated=states[EntryState.TRANSLATED],
        approved=states[EntryState.APPROVED],
        changed_since_approval=len(review.changed),
        errors=tuple(sorted(errors.items())),
        forged=problems[ApprovalProblem.FORGED],
        stale=problems[ApprovalProblem.STALE],
        malformed=problems[ApprovalProblem.MALFORMED],
        self_approved=review.self_approved,
        log_break=review.log_break,
    )


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``1 entry``, ``3 entries``: a number with its noun.

    >>> counted(1, "entry", "entries"), counted(3, "draft")
    ('1 entry', '3 drafts')
    """
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def first_line(rows: Sequence[EntryRow]) -> int | None:
    """The line of the first of ``rows`` (document order), for ``path:line`` pointers."""
    return rows[0].line if rows else None
