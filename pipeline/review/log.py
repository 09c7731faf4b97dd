"""The audit log: append-only JSON Lines per locale, ``locales/<locale>/approvals.jsonl``.

Every ``pipeline approve`` appends one record (one line): who approved, when (UTC), which
catalog (slug and locale), the ids and content hashes of the entries approved, the waived
findings the reviser accepted, whether the second-person rule was enforced or relaxed, the
tool version, and ``prev``, the SHA-256 of the previous line's bytes (``null`` on the first
line). Editing, reordering or deleting any line breaks the chain at the line after it;
:func:`read_log` finds every break and ``pipeline audit`` reports it as ``path:line``.

Records from the first break on are not trusted: approvals that rely on them count for
nothing until the log is restored (from git, where it is committed with the catalogs).

A record that ``approve`` cannot have written is a break too, even with a correct ``prev``:
the approver is the Last-Translator while the second-person rule was enforced, or
``self_approved`` contradicts the two names. What the chain cannot show on its own: a
consistent record appended at the end by hand with a correct ``prev`` (anyone can compute a
SHA-256). Such a record is as visible in ``git log -p`` as an edited catalog; the log proves
order and completeness, while who may approve is enforced by ``approve`` and by review of the
commits that change the log.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, NotReady
from pipeline.review.people import is_same_person
from pipeline.review.state import Approval, Ledger

__all__ = [
    "LOG_NAME",
    "ApprovalRecord",
    "ApprovedEntry",
    "AuditLog",
    "LogBreak",
    "WaivedFinding",
    "append_record",
    "format_record",
    "log_path",
    "read_log",
]

LOG_NAME = "approvals.jsonl"
RECORD_VERSION = 1


def log_path(locales_dir: Path, locale: str) -> Path:
    """Where a locale's audit log lives: ``<locales>/<locale>/approvals.jsonl``."""
    return Path(locales_dir) / locale / LOG_NAME


@dataclass(frozen=True, kw_only=True)
class ApprovedEntry:
    """One approved entry in a record: its id (msgctxt) and its content hash."""

    id: str
    sha256: str


@dataclass(frozen=True, kw_only=True)
class WaivedFinding:
    """A waived finding the reviser accepted by approving the entry that carries it."""

    id: str
    check: str
    message: str
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class ApprovalRecord:
    """One line of the log. ``line`` and ``digest`` (SHA-256 of the line) are set on reading."""

    by: str
    at: str
    slug: str
    locale: str
    entries: tuple[ApprovedEntry, ...]
    waived: tuple[WaivedFinding, ...] = ()
    last_translator: str = ""
    second_person: str = "enforced"  # or "relaxed": [tool.pipeline.review] allowed self-approval
    self_approved: bool = False
    tool: str = ""
    prev: str | None = None
    line: int = field(default=0, compare=False)
    digest: str = field(default="", compare=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "v": RECORD_VERSION,
            "prev": self.prev,
            "at": self.at,
            "by": self.by,
            "slug": self.slug,
            "locale": self.locale,
            "entries": [{"id": e.id, "sha256": e.sha256} for e in self.entries],
            "waived": [
                {"id": w.id, "check": w.check, "message": w.message, "note": w.note}
                for w in self.waived
            ],
            "last_translator": self.last_translator,
            "second_person": self.second_person,
            "self_approved": self.self_approved,
            "tool": self.tool,
        }

    def approvals(self) -> list[Approval]:
        """The approval comments this record vouches for."""
        return [Approval(by=self.by, at=self.at, sha256=e.sha256) for e in self.entries]


@dataclass(frozen=True, kw_only=True)
class LogBreak:
    """A place where the log is not what ``approve`` wrote."""

    line: int
    message: str


@dataclass(frozen=True, kw_only=True)
class AuditLog:
    """A locale's log as read: the trusted records (before any break) and every break."""

    path: Path
    records: tuple[ApprovalRecord, ...] = ()
    breaks: tuple[LogBreak, ...] = ()
    #: SHA-256 of the last line (the ``prev`` of the next record); None for an empty log.
    head: str | None = None
    #: SHA-256 of the whole file as read ("" when there is none): changes with any edit.
    digest: str = ""

    @property
    def is_intact(self) -> bool:
        return not self.breaks

    def ledger(self, slug: str) -> Ledger:
        """What the trusted records say about one catalog of this locale."""
        stamps: dict[tuple[str, str, str], set[str]] = {}
        for record in self.records:
            if record.slug != slug:
                continue
            for entry in record.entries:
                stamps.setdefault((record.by, record.at, entry.sha256), set()).add(entry.id)
        return Ledger(
            stamps={key: frozenset(ids) for key, ids in stamps.items()},
            approved_ids=frozenset(i for ids in stamps.values() for i in ids),
        )

    def records_for(self, slug: str) -> list[ApprovalRecord]:
        return [record for record in self.records if record.slug == slug]


def format_record(record: ApprovalRecord) -> str:
    """The record as its log line (no newline): compact JSON, keys sorted, UTF-8 text."""
    return json.dumps(record.as_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read_log(path: Path) -> AuditLog:
    """Read and verify a log; a missing file is an empty, intact log.

    Raises :class:`~pipeline.errors.InputError` only when the file cannot be read at all;
    everything wrong inside it is a :class:`LogBreak`.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return AuditLog(path=path)
    except OSError as exc:
        raise InputError(f"cannot read the audit log: {exc.strerror}", path=path) from exc
    records: list[ApprovalRecord] = []
    breaks: list[LogBreak] = []
    previous: str | None = None
    lines = data.split(b"\n")
    complete = lines[:-1]  # the text after the last newline is not a finished record
    for number, raw in enumerate(complete, start=1):
        digest = hashlib.sha256(raw).hexdigest()
        try:
            record = _parse_record(raw, number)
        except ValueError as exc:
            breaks.append(LogBreak(line=number, message=f"{exc}; restore the log from git"))
            previous = digest
            continue
        if record.prev != previous:
            what = "the first record" if number == 1 else f"line {number - 1}"
            breaks.append(
                LogBreak(
                    line=number,
                    message=f"hash chain broken: prev does not match {what} (a record was "
                    "edited, reordered or deleted); restore the log from git",
                )
            )
        else:
            forged = _not_from_approve(record)
            if forged is not None:
                breaks.append(LogBreak(line=number, message=f"{forged}; restore the log from git"))
        if not breaks:
            records.append(record)
        previous = digest
    if lines[-1]:
        breaks.append(
            LogBreak(
                line=len(lines),
                message="the last record is incomplete (no final newline): an append was "
                "interrupted or the file was edited; restore the log from git",
            )
        )
    return AuditLog(
        path=path,
        records=tuple(records),
        breaks=tuple(breaks),
        head=previous,
        digest=hashlib.sha256(data).hexdigest(),
    )


def _not_from_approve(record: ApprovalRecord) -> str | None:
    """Why ``pipeline approve`` cannot have written this (chained) record, if it cannot.

    ``approve`` refuses the Last-Translator unless the second-person rule is relaxed, and
    records ``self_approved`` from the same comparison; a record that says otherwise was
    written or edited by hand (and its ``prev`` recomputed).
    """
    own_work = is_same_person(record.by, record.last_translator)
    if record.second_person not in ("enforced", "relaxed"):
        return f"record has an unknown second_person value {record.second_person!r}"
    if own_work and record.second_person == "enforced":
        return (
            f"record says {record.by!r} approved their own translation (Last-Translator "
            f"{record.last_translator!r}) under the second-person rule, which `pipeline "
            "approve` refuses: the record was written by hand"
        )
    if own_work != record.self_approved:
        return (
            f"record's self_approved ({str(record.self_approved).lower()}) contradicts its "
            "approver and Last-Translator: the record was written or edited by hand"
        )
    return None


def _parse_record(raw: bytes, number: int) -> ApprovalRecord:
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not a JSON record") from exc
    if not isinstance(document, dict) or document.get("v") != RECORD_VERSION:
        raise ValueError("not an approval record (version 1)")
    try:
        text = {key: document[key] for key in ("at", "by", "slug", "locale")}
        if not all(isinstance(value, str) and value for value in text.values()):
            raise TypeError
        prev = document["prev"]
        if prev is not None and not isinstance(prev, str):
            raise TypeError
        entries = tuple(
            ApprovedEntry(id=str(item["id"]), sha256=str(item["sha256"]))
            for item in document["entries"]
        )
        waived = tuple(
            WaivedFinding(
                id=str(item["id"]),
                check=str(item["check"]),
                message=str(item["message"]),
                note=None if item.get("note") is None else str(item["note"]),
            )
            for item in document.get("waived", [])
        )
    except (KeyError, TypeError) as exc:
        raise ValueError("approval record with a missing or malformed field") from exc
    return ApprovalRecord(
        by=text["by"],
        at=text["at"],
        slug=text["slug"],
        locale=text["locale"],
        entries=entries,
        waived=waived,
        last_translator=str(document.get("last_translator", "")),
        second_person=str(document.get("second_person", "enforced")),
        self_approved=bool(document.get("self_approved", False)),
        tool=str(document.get("tool", "")),
        prev=prev,
        line=number,
        digest=hashlib.sha256(raw).hexdigest(),
    )


def append_record(log: AuditLog, record: ApprovalRecord, *, shown: str | None = None) -> str:
    """Append ``record`` (its ``prev`` set to the log's head) and return the line written.

    The caller holds the project lock and read ``log`` under it. A broken log is not extended:
    approvals written after a break would not count. The line is written with one ``write``
    on a file opened for appending and fsynced before the catalog is touched, so a crash
    leaves at worst a record without its comments (harmless), never comments without a record.
    """
    where = shown or str(log.path)
    if log.breaks:
        first = log.breaks[0]
        raise NotReady(
            f"the audit log is broken ({first.message}); run `pipeline audit`",
            path=where,
            line=first.line,
        )
    line = format_record(_with_prev(record, log.head)) + "\n"
    try:
        log.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(log.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            data = memoryview(line.encode("utf-8"))
            while data:
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputError(f"cannot append to the audit log: {exc.strerror}", path=where) from exc
    return line.rstrip("\n")


def _with_prev(record: ApprovalRecord, head: str | None) -> ApprovalRecord:
    from dataclasses import replace

    return replace(record, prev=head)


def problems_of(logs: Sequence[AuditLog]) -> list[tuple[Path, LogBreak]]:
    """Every break of several logs, in order."""
    return [(log.path, found) for log in logs for found in log.breaks]
