"""A reviser's sign-off for tests that build their own catalogs: review's own pieces (the
hash-bound comment, the chained log record), put together as ``pipeline approve`` does.

Tests of publishing need approved catalogs whose text they chose (an XSS payload, a voided
approval); the approval itself is review's business and is tested there.
"""

from __future__ import annotations

from pipeline.config import Config
from pipeline.po.read import read_po_file
from pipeline.po.write import write_po_file
from pipeline.review.log import ApprovalRecord, ApprovedEntry, append_record, log_path, read_log
from pipeline.review.state import Approval, content_hash, entry_id, format_approval


def approve(
    config: Config, slug: str, locale: str, *, by: str, at: str = "2026-11-02T10:15:00Z"
) -> int:
    """Approve every finished (translated, not fuzzy) entry of a catalog; how many."""
    path = config.catalog_path(slug, locale)
    catalog = read_po_file(path)
    approved: list[ApprovedEntry] = []
    entries = []
    for entry in catalog.entries:
        if entry.obsolete or entry.is_fuzzy or not entry.is_translated:
            entries.append(entry)
            continue
        digest = content_hash(entry)
        approved.append(ApprovedEntry(id=entry_id(entry.msgctxt, entry.msgid), sha256=digest))
        stamp = format_approval(Approval(by=by, at=at, sha256=digest))
        entries.append(entry.replace(translator_comments=(*entry.translator_comments, stamp)))
    catalog.entries = entries
    log = read_log(log_path(config.locales_dir, locale))
    append_record(
        log,
        ApprovalRecord(
            by=by,
            at=at,
            slug=slug,
            locale=locale,
            entries=tuple(approved),
            last_translator=catalog.metadata.get("Last-Translator", ""),
            tool="tests",
        ),
    )
    write_po_file(path, catalog)
    return len(approved)
