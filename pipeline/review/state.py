"""Entry states and the approval comment: the one definition of "approved".

An entry's state is derived from the catalog and the audit log, never trusted blindly:

- ``untranslated``: no translation (an empty msgstr, or an empty plural form);
- ``draft``: ``#, fuzzy`` (a TM or MT suggestion, a changed source, or work in progress);
- ``translated``: finished (not fuzzy) but not validly approved;
- ``approved``: not fuzzy, with a translator comment ``# approved: by=… at=… sha256=…`` whose
  hash is the entry's :func:`content_hash` *now*, and a record with the same approver, time
  and hash in the audit log (:mod:`pipeline.review.log`).

The hash covers content only (msgctxt, msgid, msgid_plural and every msgstr), never
formatting, so that re-wrapping by ``msgcat``, a save by polib, Babel or Poedit, or a
``msgmerge`` that leaves the entry unchanged keeps the approval; editing the translation or a
source change (which makes the entry fuzzy) voids it with no extra step.

>>> from pipeline.po.catalog import Entry
>>> entry = Entry(msgctxt="s-1", msgid="有效率为89.1%。", msgstr="The response rate was 89.1%.")
>>> content_hash(entry)[:16]
'c1bfe2fb997fe749'
>>> stamp = Approval(by="Li Na", at="2026-12-06T13:00:00Z", sha256=content_hash(entry))
>>> format_approval(stamp)[:50]
'approved: by=Li%20Na at=2026-12-06T13:00:00Z sha25'
>>> parse_approvals((format_approval(stamp),)) == (stamp,)
True
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from pipeline.po.catalog import APPROVAL_PREFIX, Entry

__all__ = [
    "APPROVAL_PREFIX",
    "EMPTY_LEDGER",
    "Approval",
    "ApprovalProblem",
    "EntryReview",
    "EntryState",
    "Ledger",
    "approval_comment_spans",
    "content_hash",
    "entry_id",
    "entry_state",
    "is_approved",
    "format_approval",
    "is_approval_comment",
    "parse_approvals",
    "previous_entry_id",
    "review_entry",
    "without_approvals",
]

#: How an approval comment starts (after ``# ``).
_FIELD = re.compile(r"([a-z0-9]+)=(\S*)")
_FIELDS_ONLY = re.compile(r"\s*(?:[a-z0-9]+=\S*\s*)+")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# Characters a name keeps as is in the comment; anything else (spaces first of all) is
# percent-encoded, so the comment stays one line of space-separated fields that PO tools
# which wrap comments (Babel) can only break between fields.
_NAME_SAFE = "@.+-_~<>()',;!*"


class EntryState(enum.StrEnum):
    """Where an entry stands in review, from least to most finished."""

    UNTRANSLATED = "untranslated"
    DRAFT = "draft"
    TRANSLATED = "translated"
    APPROVED = "approved"


@dataclass(frozen=True, kw_only=True)
class Approval:
    """One approval comment: who approved which content (``sha256``) when (UTC, ISO 8601)."""

    by: str
    at: str
    sha256: str


def content_hash(entry: Entry) -> str:
    """The SHA-256 (hex) of what an approval vouches for: msgctxt, msgid, msgid_plural and
    every msgstr. Flags, comments, references and line wrapping are not part of it.

    The four parts are serialised as a JSON array, so no choice of text can make two
    different entries serialise alike (``None`` and ``""`` differ too).
    """
    if entry.msgid_plural is None:
        translations: list[str] = [entry.msgstr]
    else:
        translations = list(entry.msgstr_plural)
    payload = json.dumps(
        [entry.msgctxt, entry.msgid, entry.msgid_plural, translations],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_id(msgctxt: str | None, msgid: str) -> str:
    """The id by which ``approve --entry``, the log and reports name an entry: its msgctxt
    (the stable segment id the pipeline writes), or for a catalog without contexts a short
    hash of the msgid.

    >>> entry_id("s-5e04d9e68cd5", "…"), entry_id(None, "Hello")
    ('s-5e04d9e68cd5', 'msgid-185f8db32271')
    """
    if msgctxt is not None:
        return msgctxt
    return "msgid-" + hashlib.sha256(msgid.encode("utf-8")).hexdigest()[:12]


def previous_entry_id(entry: Entry) -> str | None:
    """The id of the text a fuzzy entry was translated for (its ``#|`` lines), if any."""
    if entry.previous_msgid is None:
        return None
    context = entry.previous_msgctxt if entry.previous_msgctxt is not None else entry.msgctxt
    return entry_id(context, entry.previous_msgid)


def format_approval(approval: Approval) -> str:
    """The translator comment (without the leading ``# ``) that records an approval."""
    return (
        f"{APPROVAL_PREFIX} by={quote(approval.by, safe=_NAME_SAFE)} "
        f"at={approval.at} sha256={approval.sha256}"
    )


def is_approval_comment(comment: str) -> bool:
    """Does this translator comment start an approval (``approved: …``)?"""
    return comment.lstrip().startswith(APPROVAL_PREFIX)


def parse_approvals(comments: Iterable[str]) -> tuple[Approval, ...]:
    """Every well-formed approval among an entry's translator comments.

    Tools that wrap translator comments (Babel at 76 columns) may have split one approval
    over several ``#`` lines; a line made only of ``key=value`` fields right after an
    approval line continues it. A comment missing a field, or with a malformed hash or time,
    is not an approval (it is reported by :func:`approval_comment_spans` users as malformed).
    """
    found: list[Approval] = []
    for text, _span in approval_comment_spans(tuple(comments)):
        approval = _parse_one(text)
        if approval is not None:
            found.append(approval)
    return tuple(found)


def approval_comment_spans(comments: tuple[str, ...]) -> Iterator[tuple[str, range]]:
    """Each approval in ``comments``: its joined text and the comment indexes it spans."""
    index = 0
    while index < len(comments):
        if not is_approval_comment(comments[index]):
            index += 1
            continue
        start = index
        parts = [comments[index].strip()]
        index += 1
        while (
            index < len(comments)
            and not is_approval_comment(comments[index])
            and _FIELDS_ONLY.fullmatch(comments[index])
        ):
            parts.append(comments[index].strip())
            index += 1
        yield " ".join(parts), range(start, index)


def _parse_one(text: str) -> Approval | None:
    fields = dict(_FIELD.findall(text[len(APPROVAL_PREFIX) :]))
    by, at, sha256 = fields.get("by"), fields.get("at"), fields.get("sha256")
    if not by or at is None or sha256 is None:
        return None
    if not _TIMESTAMP.fullmatch(at) or not _SHA256.fullmatch(sha256):
        return None
    return Approval(by=unquote(by), at=at, sha256=sha256)


def without_approvals(comments: tuple[str, ...]) -> tuple[str, ...]:
    """The translator comments with every approval (and its continuation lines) removed."""
    dropped = {i for _text, span in approval_comment_spans(comments) for i in span}
    return tuple(comment for i, comment in enumerate(comments) if i not in dropped)


@dataclass(frozen=True, kw_only=True)
class Ledger:
    """What the audit log says about one catalog (one slug in one locale).

    ``stamps`` maps each recorded (approver, time, content hash) to the ids of the entries
    approved with it; an approval comment counts only when its triple is recorded for the
    entry that carries it. ``approved_ids`` are the entry ids that were ever approved, to tell
    "changed since approval" from an ordinary draft.
    """

    stamps: Mapping[tuple[str, str, str], frozenset[str]] = field(default_factory=dict)
    approved_ids: frozenset[str] = frozenset()

    def is_logged(self, approval: Approval) -> bool:
        return (approval.by, approval.at, approval.sha256) in self.stamps

    def ids_of(self, approval: Approval) -> frozenset[str]:
        """The entries the log says this approval was given to."""
        return self.stamps.get((approval.by, approval.at, approval.sha256), frozenset())


#: A ledger with no records: every approval comment is unlogged.
EMPTY_LEDGER = Ledger()


class ApprovalProblem(enum.StrEnum):
    """Why an approval comment counts for nothing."""

    #: No log record has this approver, time and hash: written by hand (or the log lost it).
    FORGED = "forged"
    #: Logged, but for other content: the translation (or, once fuzzy was cleared, its source)
    #: changed after approval, or the comment was copied from another entry.
    STALE = "stale"
    #: ``approved:`` without a valid ``by=``, ``at=`` (UTC) or ``sha256=`` field.
    MALFORMED = "malformed"


@dataclass(frozen=True, kw_only=True)
class EntryReview:
    """An entry's derived review state, with what a report needs to explain it."""

    state: EntryState
    #: A fuzzy entry whose previous source had been approved: the source changed.
    changed_since_approval: bool = False
    #: The valid approval, when ``state`` is approved.
    approval: Approval | None = None
    #: Approval comments that count for nothing, with why (comment index, problem).
    problems: tuple[tuple[int, ApprovalProblem], ...] = ()


def review_entry(entry: Entry, ledger: Ledger = EMPTY_LEDGER) -> EntryReview:
    """Derive an entry's state from its text, its approval comments and the log."""
    if not entry.is_translated:
        base = EntryState.UNTRANSLATED
    elif entry.is_fuzzy:
        base = EntryState.DRAFT
    else:
        base = EntryState.TRANSLATED
    if not entry.translator_comments and base is not EntryState.DRAFT:
        return EntryReview(state=base)  # the common case, cheaply
    digest = content_hash(entry) if base is EntryState.TRANSLATED else None
    own_id = entry_id(entry.msgctxt, entry.msgid)
    valid: Approval | None = None
    problems: list[tuple[int, ApprovalProblem]] = []
    carried = False
    for text, span in approval_comment_spans(entry.translator_comments):
        approval = _parse_one(text)
        if approval is None:
            problems.append((span.start, ApprovalProblem.MALFORMED))
            continue
        ids = ledger.ids_of(approval)
        if not ids:
            problems.append((span.start, ApprovalProblem.FORGED))  # no record: by hand
        elif base is EntryState.DRAFT:
            # Void on a draft. A merge (ours, or msgmerge's) carries translator comments onto
            # the changed sentence: the text this approval was for is the previous one.
            carried = carried or previous_entry_id(entry) in ids
        elif approval.sha256 == digest and own_id in ids:
            valid = valid or approval
        elif base is EntryState.TRANSLATED:
            # Recorded, but for other text: edited after approval, or an approval carried
            # onto a changed sentence whose fuzzy flag was then cleared.
            problems.append((span.start, ApprovalProblem.STALE))
    changed = base is EntryState.DRAFT and (
        carried or previous_entry_id(entry) in ledger.approved_ids
    )
    if valid is not None:
        return EntryReview(state=EntryState.APPROVED, approval=valid, problems=tuple(problems))
    return EntryReview(state=base, changed_since_approval=changed, problems=tuple(problems))


def entry_state(entry: Entry, ledger: Ledger = EMPTY_LEDGER) -> EntryState:
    """The entry's state (see the module docstring)."""
    return review_entry(entry, ledger).state


def is_approved(entry: Entry, ledger: Ledger = EMPTY_LEDGER) -> bool:
    """Is the entry approved: not fuzzy, hash-bound comment matching now, logged?"""
    return review_entry(entry, ledger).state is EntryState.APPROVED
