"""``pipeline approve``: a second person signs off translated, check-clean entries.

:func:`plan_approval` is pure: given a catalog's review it decides, entry by entry, what to
approve and what to refuse (and why), and returns the updated catalog and the log record.
:func:`approve_catalog` is the edge: under the project lock it reads the catalog, the log and
the check findings, appends the record (first: a crash then leaves at worst a record without
its comments, which approves nothing), and writes the catalog with the canonical writer,
atomically, only the approval comment lines changing in a canonical file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from pipeline.config import SLUG_PATTERN, Config
from pipeline.errors import NotReady, UsageError
from pipeline.po.catalog import Catalog, Entry
from pipeline.review.log import (
    ApprovalRecord,
    ApprovedEntry,
    WaivedFinding,
    append_record,
    log_path,
    read_log,
)
from pipeline.review.people import is_named, is_same_person
from pipeline.review.project import (
    ReviewSettings,
    read_catalog_text,
    review_from_text,
    review_settings,
)
from pipeline.review.state import (
    Approval,
    EntryState,
    content_hash,
    format_approval,
    without_approvals,
)
from pipeline.review.status import CatalogReview, EntryRow, counted

__all__ = [
    "ApprovalPlan",
    "ApproveReport",
    "Refusal",
    "approve_catalog",
    "plan_approval",
]

@dataclass(frozen=True, kw_only=True)
class Refusal:
    """An entry ``approve`` did not approve, with why and what to do."""

    path: str
    line: int
    id: str
    reason: str

    def text(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "id": self.id, "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class ApprovalPlan:
    """What approving a catalog changes: the new catalog and the record (None: nothing)."""

    catalog: Catalog
    record: ApprovalRecord | None
    approved: tuple[str, ...]
    already: tuple[str, ...]
    refused: tuple[Refusal, ...]


def _refusal_reason(row: EntryRow) -> str | None:
    """Why this entry cannot be approved now, or None."""
    if row.state is EntryState.UNTRANSLATED:
        return "not approved: untranslated"
    if row.state is EntryState.DRAFT:
        if row.review.changed_since_approval:
            return (
                "not approved: the source changed since approval (fuzzy, previous text in #|); "
                "check the translation against the new source and clear fuzzy first"
            )
        return "not approved: draft (fuzzy); finish the translation and clear fuzzy first"
    hidden = _hidden_reordering(row.entry)
    if hidden is not None:
        return (
            f"not approved: the translation holds the invisible bidirectional control {hidden}, "
            "which makes it display in another order than it reads; delete it"
        )
    blocking = row.blocking
    if blocking:
        first = blocking[0]
        more = f" (and {len(blocking) - 1} more)" if len(blocking) > 1 else ""
        return (
            f"not approved: error: {first.check}: {first.message}{more}; fix the translation "
            f"or waive the check with a reason (# ignore-{first.check}: why)"
        )
    return None


def _hidden_reordering(entry: Entry) -> str | None:
    """The first bidi embedding, override or isolate in the translation ("Trojan Source"), as
    ``U+202E (RIGHT-TO-LEFT OVERRIDE)``: nobody can approve text they cannot see as it reads.
    Sources with one are refused when read (the same characters)."""
    import unicodedata

    from pipeline.readers import BIDI_CONTROLS

    for text in (entry.msgstr, *entry.msgstr_plural):
        found = BIDI_CONTROLS.search(text)
        if found is not None:
            character = found.group()
            return f"U+{ord(character):04X} ({unicodedata.name(character)})"
    return None


def plan_approval(
    catalog: Catalog,
    review: CatalogReview,
    *,
    by: str,
    at: str,
    entry_ids: Sequence[str] = (),
    tool: str = "",
    settings: ReviewSettings | None = None,
) -> ApprovalPlan:
    """Decide what to approve in ``catalog`` (whose review is ``review``) as ``by`` at ``at``.

    Raises :class:`~pipeline.errors.UsageError` when ``by`` may not approve (not a listed
    reviewer; the catalog's Last-Translator while the second-person rule holds) or an
    ``entry_ids`` id is not in the catalog.
    """
    settings = settings or ReviewSettings()
    if settings.reviewers and not any(is_same_person(by, r) for r in settings.reviewers):
        raise UsageError(
            f"{by!r} is not a listed reviewer (reviewers: {', '.join(settings.reviewers)}); "
            "ask one of them, or add the name to reviewers in [tool.pipeline.review]",
            path=review.path,
        )
    own_work = is_same_person(by, review.last_translator)
    if own_work and settings.require_second_person:
        raise UsageError(
            f"{by!r} is this catalog's Last-Translator ({review.last_translator}); a second "
            "person must approve (a one-person team may set require_second_person = false in "
            "[tool.pipeline.review])",
            path=review.path,
        )
    rows = {row.id: row for row in review.rows}
    for ident in entry_ids:
        if ident not in rows:
            raise UsageError(
                f"no entry {ident!r} in this catalog; entry ids are the msgctxt values "
                f"(`pipeline queue --for revise` shows where to look)",
                path=review.path,
            )
    selected = [rows[i] for i in dict.fromkeys(entry_ids)] if entry_ids else list(review.rows)
    approve: dict[tuple[str | None, str], EntryRow] = {}
    already: list[str] = []
    refused: list[Refusal] = []
    for row in selected:
        if row.state is EntryState.APPROVED:
            already.append(row.id)
            continue
        reason = _refusal_reason(row)
        if reason is None:
            approve[row.entry.key] = row
        else:
            refused.append(Refusal(path=review.path, line=row.line, id=row.id, reason=reason))
    if not approve:
        return ApprovalPlan(
            catalog=catalog, record=None, approved=(), already=tuple(already),
            refused=tuple(refused),
        )
    entries: list[Entry] = []
    for entry in catalog.entries:
        chosen = None if entry.obsolete else approve.get(entry.key)
        if chosen is None:
            entries.append(entry)
            continue
        stamp = Approval(by=by, at=at, sha256=content_hash(entry))
        comments = (*without_approvals(entry.translator_comments), format_approval(stamp))
        entries.append(entry.replace(translator_comments=comments))
    record = ApprovalRecord(
        by=by,
        at=at,
        slug=review.slug,
        locale=review.locale,
        entries=tuple(
            ApprovedEntry(id=row.id, sha256=content_hash(row.entry)) for row in approve.values()
        ),
        waived=tuple(
            WaivedFinding(id=row.id, check=f.check, message=f.message, note=f.waiver_note)
            for row in approve.values()
            for f in row.findings
            if f.waived
        ),
        last_translator=review.last_translator,
        second_person="enforced" if settings.require_second_person else "relaxed",
        self_approved=own_work,
        tool=tool,
    )
    return ApprovalPlan(
        catalog=replace(catalog, entries=entries),
        record=record,
        approved=tuple(row.id for row in approve.values()),
        already=tuple(already),
        refused=tuple(refused),
    )


@dataclass(frozen=True, kw_only=True)
class ApproveReport:
    """What ``pipeline approve`` did: approved ids, those already approved, refusals."""

    path: str
    slug: str
    locale: str
    by: str
    at: str
    approved: tuple[str, ...]
    already: tuple[str, ...]
    refused: tuple[Refusal, ...]
    self_approved: bool = False
    notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Nothing was refused (exit 0)."""
        return not self.refused

    def lines(self) -> list[str]:
        summary = (
            f"{self.path}: approved {counted(len(self.approved), 'entry', 'entries')} as "
            f"{self.by}; {len(self.already)} already approved; {len(self.refused)} refused"
        )
        if self.self_approved:
            summary += " (self-approved: second-person rule relaxed in [tool.pipeline.review])"
        return [*(r.text() for r in self.refused), *(f"note: {n}" for n in self.notes), summary]

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "slug": self.slug,
            "locale": self.locale,
            "by": self.by,
            "at": self.at,
            "approved": list(self.approved),
            "already_approved": list(self.already),
            "refused": [r.as_json() for r in self.refused],
            "self_approved": self.self_approved,
            "notes": list(self.notes),
        }


def approve_catalog(
    config: Config,
    slug: str,
    *,
    locale: str,
    by: str,
    entry_ids: Sequence[str] = (),
    now: datetime | None = None,
) -> ApproveReport:
    """Approve ``slug`` in ``locale`` as ``by`` (see :func:`plan_approval`), under the lock."""
    from pipeline import __version__
    from pipeline.checks.run import check_project
    from pipeline.locking import project_lock

    if not SLUG_PATTERN.fullmatch(slug):
        raise UsageError(
            f"invalid article slug {slug!r}: slugs use only a-z, 0-9 and '-' "
            "(the source file name without its extension)"
        )
    by = " ".join(by.split())
    if not by:
        raise UsageError("--by needs the reviser's name, such as 'Li Na <li.na@example.org>'")
    (locale,) = config.select_locales([locale])
    settings = review_settings(config)
    path = config.catalog_path(slug, locale)
    shown = config.relative(path)
    if not path.is_file():
        raise UsageError(
            f"no catalog for {slug!r} in {locale}; run `pipeline segment {slug}` first",
            path=shown,
        )
    at = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with project_lock(config):
        before = path.read_bytes()
        catalog, text = read_catalog_text(path, shown=shown)
        report = check_project(config, slugs=[slug], locales=[locale])
        findings = [f for f in report.findings if f.path == shown]
        log = read_log(log_path(config.locales_dir, locale))
        review = review_from_text(
            config, path, slug=slug, locale=locale, log=log, findings=findings,
            catalog_and_text=(catalog, text),
        )
        plan = plan_approval(
            catalog, review, by=by, at=at, entry_ids=entry_ids,
            tool=f"medical-translation-pipeline {__version__}", settings=settings,
        )
        if plan.record is not None:
            from pipeline.fsutil import write_text_file
            from pipeline.po.write import generate_po

            written = generate_po(plan.catalog)
            if path.read_bytes() != before:
                raise NotReady(
                    "the catalog was saved (in an editor?) while approving; nothing was "
                    "approved: run `pipeline approve` again",
                    path=shown,
                )
            append_record(log, plan.record, shown=config.relative(log.path))
            write_text_file(path, written, expected=before)
            plan = replace(plan, refused=_relocated(plan.refused, written, shown=shown))
    notes = []
    if not is_named(review.last_translator):
        notes.append(
            f"{shown}: Last-Translator is not set, so the second-person rule could not be "
            "checked; translators should fill in their name (Poedit and Weblate do)"
        )
    return ApproveReport(
        path=shown, slug=slug, locale=locale, by=by, at=at, approved=plan.approved,
        already=plan.already, refused=plan.refused,
        self_approved=plan.record is not None and plan.record.self_approved,
        notes=tuple(notes),
    )


def _relocated(refused: Sequence[Refusal], written: str, *, shown: str) -> tuple[Refusal, ...]:
    """The refusals at their msgid lines in the file as written (approval comments added
    above them moved them down)."""
    if not refused:
        return ()
    from pipeline.po.read import read_po
    from pipeline.review.project import Lines
    from pipeline.review.state import entry_id

    lines = Lines(written)
    where = {
        entry_id(entry.msgctxt, entry.msgid): lines.msgid_line(entry)
        for entry in read_po(written, path=shown).entries
        if not entry.obsolete
    }
    return tuple(replace(r, line=where.get(r.id, r.line)) for r in refused)
