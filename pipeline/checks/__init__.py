"""Quality checks: small pure functions that compare a source text with its translation.

The registry (:mod:`pipeline.checks.registry`) says what a check is: a name, a kind with
its one signature (``text``: a source and its translation; ``entry``: a catalog entry;
``locale``: every translation of a locale), a severity, a waiver and a docstring. This
package imports the check modules listed in :data:`CHECK_MODULES`, which registers their
checks in that order, and runs them on values: :func:`check_entry` on one pair,
:func:`check_catalog` on a catalog in memory. The checking stage over a project's files is
:mod:`pipeline.checks.run`.

``error`` blocks approval and publication; ``warning`` informs. Waivers: an entry flagged
``#, ignore-numbers`` (or carrying the translator comment ``# ignore-numbers: why``) keeps
its ``numbers`` findings, marked ``waived``, so that reports still show them.

>>> [finding.message for finding in check_entry("有效率为89.1%。", "The rate was 98.1%.",
...                                                CheckContext(target_locale="en"))]
['source has 89.1, translation has 98.1']
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from pipeline.checks.context import CheckContext
from pipeline.checks.registry import (
    CHECKS,
    Check,
    Finding,
    Kind,
    Severity,
    Translation,
    checks_of_kind,
    checks_table,
    entry_check,
    locale_check,
    text_check,
)
from pipeline.po.catalog import Catalog, Entry

__all__ = [
    "CHECKS",
    "CHECK_MODULES",
    "Check",
    "CheckContext",
    "EntryFindings",
    "Finding",
    "Kind",
    "Severity",
    "Translation",
    "check_catalog",
    "check_entry",
    "check_entry_record",
    "checks_of_kind",
    "checks_table",
    "entry_check",
    "is_blank_or_copy",
    "locale_check",
    "text_check",
]

#: The modules whose checks run, in this order (importing one registers its checks).
CHECK_MODULES = (
    "pipeline.checks.numbers",
    "pipeline.checks.quantities",
    "pipeline.checks.terms",
    "pipeline.checks.acronyms",
    "pipeline.checks.text",
    "pipeline.checks.meaning",
    "pipeline.checks.waivers",
    "pipeline.checks.consistency",
)

for _module in CHECK_MODULES:
    importlib.import_module(_module)

from pipeline.checks.text import is_blank_or_copy  # noqa: E402
from pipeline.checks.waivers import waivers_of  # noqa: E402

_BY_KIND: dict[tuple[Kind, int], tuple[Check, ...]] = {}


def _registered(kind: Kind) -> tuple[Check, ...]:
    """``checks_of_kind(kind)``, looked up once per registry size (a check registered later,
    by a script or a test, still runs)."""
    key = (kind, len(CHECKS))
    found = _BY_KIND.get(key)
    if found is None:
        found = _BY_KIND[key] = checks_of_kind(kind)
    return found


@dataclass(frozen=True, kw_only=True)
class EntryFindings:
    """The findings on one catalog entry (``draft``: the entry is fuzzy)."""

    entry: Entry
    findings: tuple[Finding, ...]

    @property
    def draft(self) -> bool:
        return self.entry.is_fuzzy

    @property
    def is_blocking(self) -> bool:
        return any(finding.is_blocking for finding in self.findings)


def check_entry(
    source: str,
    translation: str,
    ctx: CheckContext,
    *,
    waivers: Mapping[str, str | None] | None = None,
    only: Sequence[str] | None = None,
) -> list[Finding]:
    """Run every text check (or the ``only`` ones) on one source/translation pair.

    ``waivers`` maps a check name to the waiver's note (``None`` when none was given); the
    findings of a waived check are kept, marked ``waived``.
    """
    waivers = waivers or {}
    if only is None:
        messages = ctx.remembered_results(
            source, translation, lambda s, t: _run_text_checks(s, t, ctx, None)
        )
    else:
        messages = _run_text_checks(source, translation, ctx, only)
    return [_finding(name, message, waivers) for name, message in messages]


def _finding(name: str, message: str, waivers: Mapping[str, str | None]) -> Finding:
    registered = CHECKS[name]
    waived = registered.waivable and name in waivers
    return Finding(
        check=name,
        severity=registered.severity,
        message=message,
        waived=waived,
        waiver_note=waivers.get(name) if waived else None,
    )


def _run_text_checks(
    source: str, translation: str, ctx: CheckContext, only: Sequence[str] | None
) -> tuple[tuple[str, str], ...]:
    """(check name, message) for every problem, in registry order."""
    if is_blank_or_copy(source, translation, ctx):
        # An empty translation or a copy of the source: one message says it all.
        only = ["untranslated"]
    # A plain loop, not a nested generator expression: it runs for every pair, and each
    # resumption of a generator frame costs more than a check that finds nothing.
    found: list[tuple[str, str]] = []
    for registered in _registered("text"):
        if only is None or registered.name in only:
            name = registered.name
            for message in registered.function(source, translation, ctx):
                found.append((name, message))
    return tuple(found)


def check_catalog(
    catalog: Catalog, ctx: CheckContext, *, only: Sequence[str] | None = None
) -> list[EntryFindings]:
    """Check every translated entry of a catalog, drafts included; return the entries with
    findings, in file order. An entry that is not listed passed every check.

    Untranslated and obsolete entries are not checked. In a plural entry, ``msgstr[0]`` is
    compared with ``msgid`` and every other form with ``msgid_plural``.
    """
    results: list[EntryFindings] = []
    for entry in catalog.entries:
        if entry.obsolete or not entry.is_translated:
            continue
        findings = [*check_entry_record(entry, ctx, only=only)]
        if findings:
            results.append(EntryFindings(entry=entry, findings=tuple(findings)))
    return results


def check_entry_record(
    entry: Entry, ctx: CheckContext, *, only: Sequence[str] | None = None
) -> Iterator[Finding]:
    """The findings on one translated entry: its text checks, then its entry checks."""
    waivers = waivers_of(entry) if entry.flags or entry.translator_comments else {}
    for source, translation in _pairs(entry):
        yield from check_entry(source, translation, ctx, waivers=waivers, only=only)
    for registered in _registered("entry"):
        if only is None or registered.name in only:
            for message in registered.function(entry, ctx):
                yield _finding(registered.name, message, waivers)


def _pairs(entry: Entry) -> Iterator[tuple[str, str]]:
    if entry.msgid_plural is None:
        yield entry.msgid, entry.msgstr
        return
    for index, form in enumerate(entry.msgstr_plural):
        yield (entry.msgid if index == 0 else entry.msgid_plural), form
