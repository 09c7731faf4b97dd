"""The checking stage: run every check on every catalog of a project, collect one report.

This is the edge around :mod:`pipeline.checks` (which never opens a file): it finds the
catalogs under ``locales/<locale>/LC_MESSAGES/``, reads them, loads the glossary, runs the text
and entry checks on every translated entry (drafts too, reported as such) and the locale
checks (``consistency``) across the catalogs of each locale, and turns the findings into
:class:`CheckReport`.

Which findings block: an unwaived ``error`` on a translated, non-fuzzy entry. Those are what
``pipeline check`` fails on, and what ``approve``/``publish`` refuse. A draft (fuzzy entry) is
not finished work: its findings are shown so that revisers see problems early, but they do
not fail the check (a draft can be neither approved nor published anyway). A waived error
never blocks but is always shown and counted (``waived``), so that nobody is surprised.

Each finding points at the ``msgid`` line of its entry, as ``msgfmt`` reports lines: an editor
jumps to the source text, with the translation on the lines below. Many catalogs are checked
in worker processes (one per CPU); the report is the same either way.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.checks import (
    CHECKS,
    CheckContext,
    Finding,
    Translation,
    check_catalog,
    checks_of_kind,
)
from pipeline.checks.waivers import waivers_of
from pipeline.config import SLUG_PATTERN, Config
from pipeline.errors import UsageError
from pipeline.gctune import collect_rarely, rare_collections
from pipeline.po.catalog import Catalog, Entry

__all__ = ["CatalogSummary", "CheckReport", "ReportedFinding", "check_project"]


@dataclass(frozen=True, kw_only=True)
class ReportedFinding:
    """A finding at its place: the catalog (relative to the project root) and the msgid line."""

    path: str
    line: int
    slug: str
    locale: str
    msgctxt: str | None
    check: str
    severity: str
    message: str
    draft: bool = False
    waived: bool = False
    waiver_note: str | None = None

    @property
    def is_blocking(self) -> bool:
        return self.severity == "error" and not self.waived and not self.draft

    def text(self) -> str:
        """``path:line: severity: check: message``, plus ``(draft)`` / ``(waived: why)``."""
        labels = []
        if self.draft:
            labels.append("draft")
        if self.waived:
            labels.append(f"waived: {self.waiver_note}" if self.waiver_note else "waived")
        suffix = "".join(f" ({label})" for label in labels)
        return f"{self.path}:{self.line}: {self.severity}: {self.check}: {self.message}{suffix}"

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "slug": self.slug,
            "locale": self.locale,
            "msgctxt": self.msgctxt,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "draft": self.draft,
            "waived": self.waived,
            "waiver_note": self.waiver_note,
        }


@dataclass(frozen=True, kw_only=True)
class CatalogSummary:
    """Counts for one catalog: what was checked and what was found (drafts apart)."""

    path: str
    slug: str
    locale: str
    entries: int
    translated: int
    drafts: int
    untranslated: int
    errors: int = 0
    warnings: int = 0
    waived_errors: int = 0
    waived_warnings: int = 0
    draft_errors: int = 0
    draft_warnings: int = 0

    @property
    def checked(self) -> int:
        return self.translated + self.drafts

    @property
    def is_clean(self) -> bool:
        """No blocking error: the checks do not stop this catalog from being published."""
        return self.errors == 0

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "slug": self.slug,
            "locale": self.locale,
            "entries": self.entries,
            "translated": self.translated,
            "drafts": self.drafts,
            "untranslated": self.untranslated,
            "errors": self.errors,
            "warnings": self.warnings,
            "waived_errors": self.waived_errors,
            "waived_warnings": self.waived_warnings,
            "draft_errors": self.draft_errors,
            "draft_warnings": self.draft_warnings,
        }


@dataclass(frozen=True, kw_only=True)
class CheckReport:
    """Everything ``pipeline check`` found, in catalog and line order."""

    catalogs: tuple[CatalogSummary, ...] = ()
    findings: tuple[ReportedFinding, ...] = ()
    notes: tuple[str, ...] = ()

    def _count(self, *, severity: str, draft: bool, waived: bool | None = False) -> int:
        return sum(
            1
            for finding in self.findings
            if finding.severity == severity
            and finding.draft == draft
            and (waived is None or finding.waived == waived)
        )

    @property
    def errors(self) -> int:
        """Blocking errors: unwaived, on finished (non-fuzzy) entries."""
        return sum(1 for finding in self.findings if finding.is_blocking)

    @property
    def warnings(self) -> int:
        return self._count(severity="warning", draft=False)

    @property
    def waived(self) -> int:
        """Waived findings on finished entries (errors and warnings)."""
        return sum(1 for finding in self.findings if finding.waived and not finding.draft)

    @property
    def draft_errors(self) -> int:
        return self._count(severity="error", draft=True, waived=None)

    @property
    def draft_warnings(self) -> int:
        return self._count(severity="warning", draft=True, waived=None)

    @property
    def failed(self) -> bool:
        """True when a blocking error was found: ``pipeline check`` exits 1."""
        return self.errors > 0

    def fails(self, *, strict: bool = False) -> bool:
        """``failed``; with ``strict``, unwaived errors in drafts fail too."""
        return self.failed or (
            strict and self._count(severity="error", draft=True, waived=False) > 0
        )

    def with_findings(self, extra: Sequence[ReportedFinding]) -> CheckReport:
        """This report with more findings, counted and sorted in (``pipeline check`` adds
        review's findings on forged and stale approval comments this way)."""
        if not extra:
            return self
        findings = sorted(
            (*self.findings, *extra), key=lambda f: (f.path, f.line, _order(f.check))
        )
        catalogs = tuple(
            _counted(catalog, [f for f in findings if f.path == catalog.path])
            for catalog in self.catalogs
        )
        return dataclasses.replace(self, catalogs=catalogs, findings=tuple(findings))

    def findings_for(self, slug: str, locale: str) -> list[ReportedFinding]:
        """The findings on one article in one locale (for ``approve`` and ``publish``)."""
        return [f for f in self.findings if f.slug == slug and f.locale == locale]

    def summary(self) -> dict[str, int]:
        return {
            "catalogs": len(self.catalogs),
            "entries_checked": sum(catalog.checked for catalog in self.catalogs),
            "drafts_checked": sum(catalog.drafts for catalog in self.catalogs),
            "untranslated": sum(catalog.untranslated for catalog in self.catalogs),
            "errors": self.errors,
            "warnings": self.warnings,
            "waived": self.waived,
            "waived_errors": self._count(severity="error", draft=False, waived=True),
            "draft_errors": self.draft_errors,
            "draft_warnings": self.draft_warnings,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": not self.failed,
            "summary": self.summary(),
            "catalogs": [catalog.as_json() for catalog in self.catalogs],
            "findings": [finding.as_json() for finding in self.findings],
            "notes": list(self.notes),
        }

    def lines(self) -> list[str]:
        """The text report: finished entries' findings, then drafts', notes, one summary."""
        finished = [finding.text() for finding in self.findings if not finding.draft]
        drafts = [finding.text() for finding in self.findings if finding.draft]
        notes = [f"note: {note}" for note in self.notes]
        return [*finished, *drafts, *notes, self.summary_line()]

    def summary_line(self) -> str:
        counts = self.summary()
        if not self.catalogs:
            return "no catalogs to check; run `pipeline segment` first"
        head = (
            f"checked {_plural(counts['catalogs'], 'catalog')}, "
            f"{_plural(counts['entries_checked'], 'entry', 'entries')} "
            f"({_plural(counts['drafts_checked'], 'draft')})"
        )
        parts = [_plural(self.errors, "error"), _plural(self.warnings, "warning")]
        if self.waived:
            parts.append(f"{self.waived} waived")
        text = f"{head}: {', '.join(parts)}"
        if self.draft_errors or self.draft_warnings:
            text += (
                f"; in drafts: {_plural(self.draft_errors, 'error')}, "
                f"{_plural(self.draft_warnings, 'warning')}"
            )
        return text


def _order(check: str) -> int:
    """Where a check's findings go among an entry's: registry order, others last."""
    names = list(CHECKS)
    return names.index(check) if check in CHECKS else len(names)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


# --- Running the checks ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Job:
    """One catalog to check (what a worker process needs)."""

    path: Path
    shown: str
    slug: str
    locale: str


@dataclass(kw_only=True)
class _CatalogResult:
    summary: CatalogSummary
    findings: list[ReportedFinding]
    translations: list[Translation] = field(default_factory=list)


def check_project(
    config: Config,
    *,
    slugs: Sequence[str] = (),
    locales: Sequence[str] = (),
    workers: int | None = None,
) -> CheckReport:
    """Check the catalogs of ``slugs`` (default: all) in ``locales`` (default: all targets).

    Raises :class:`~pipeline.errors.UsageError` for a malformed slug, a locale that is not
    configured or a slug without any catalog; :class:`~pipeline.errors.CatalogError` for a
    malformed PO file and :class:`~pipeline.errors.GlossaryError` for a bad glossary (exit 2).
    ``workers`` processes share the catalogs (default: one per CPU when there are many).
    """
    # Loading the glossary and lexicon and running the checks allocate many short-lived
    # acyclic objects: collect rarely meanwhile (see pipeline.gctune; forked workers inherit
    # the thresholds, others set them in _start_worker).
    with rare_collections():
        return _check_project(config, slugs=slugs, locales=locales, workers=workers)


def _check_project(
    config: Config, *, slugs: Sequence[str], locales: Sequence[str], workers: int | None
) -> CheckReport:
    selected_locales = config.select_locales(locales)
    notes: list[str] = []
    setup = _Setup(
        source_locale=config.source_locale,
        target_locales=config.target_locales,
        glossary_path=config.glossary_path if config.glossary_path.is_file() else None,
        contrast_path=config.contrast_path,
        contrast_shown=None
        if config.contrast_path is None
        else config.relative(config.contrast_path),
    )
    if setup.glossary_path is None:
        notes.append(
            f"{config.relative(config.glossary_path)} not found: the glossary and forbidden "
            "checks had no terms, dnt checked identifiers only"
        )
    contexts = _Contexts(setup)  # loads and validates the glossary before any work
    jobs = [
        _Job(path=path, shown=config.relative(path), slug=path.stem, locale=locale)
        for locale, path in _catalog_paths(config, slugs, selected_locales)
    ]
    results = _run_jobs(jobs, contexts, workers=workers)
    findings: list[ReportedFinding] = []
    by_locale: dict[str, list[Translation]] = {}
    for result in results:
        findings.extend(result.findings)
        by_locale.setdefault(result.summary.locale, []).extend(result.translations)
    across = [
        finding
        for locale, translations in by_locale.items()
        for finding in _locale_findings(locale, translations, contexts.for_locale(locale))
    ]
    across_by_path: dict[str, list[ReportedFinding]] = {}
    for finding in across:
        across_by_path.setdefault(finding.path, []).append(finding)
    summaries = [
        _with_locale_findings(result, across_by_path.get(result.summary.path, []))
        for result in results
    ]
    findings.extend(across)
    order = {name: index for index, name in enumerate(CHECKS)}
    findings.sort(key=lambda f: (f.path, f.line, order.get(f.check, len(order))))
    return CheckReport(catalogs=tuple(summaries), findings=tuple(findings), notes=tuple(notes))


def _catalog_paths(
    config: Config, slugs: Sequence[str], locales: Sequence[str]
) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for slug in slugs:
        if not SLUG_PATTERN.fullmatch(slug):
            raise UsageError(
                f"invalid article slug {slug!r}: slugs use only a-z, 0-9 and '-' "
                "(the source file name without its extension)"
            )
    for slug in dict.fromkeys(slugs):
        candidates = [(locale, config.catalog_path(slug, locale)) for locale in locales]
        paths = [(locale, path) for locale, path in candidates if path.is_file()]
        if not paths:
            where = config.relative(candidates[0][1])
            raise UsageError(
                f"no catalog for {slug!r} (looked for {where} and the other locales); "
                f"run `pipeline segment {slug}` first"
            )
        found.extend(paths)
    if not slugs:
        for locale in locales:
            found.extend((locale, path) for path in config.catalog_files(locale))
    return sorted(found, key=lambda item: (item[1].stem, item[0]))


# Below this size, starting worker processes costs more than it saves.
_PARALLEL_BYTES = 2_000_000


def _run_jobs(
    jobs: Sequence[_Job], contexts: _Contexts, *, workers: int | None
) -> list[_CatalogResult]:
    """Check the catalogs, in worker processes when there are enough to pay for them."""
    if workers is None:
        size = sum(job.path.stat().st_size for job in jobs)
        workers = min(os.cpu_count() or 1, 8) if size >= _PARALLEL_BYTES else 1
    # What is loaded by now (modules, the glossary, the contrast lexicon) lives as long as
    # the run: frozen, it is left out of the collector's full passes, which otherwise scan
    # it again and again while the checks allocate (about a tenth of the checking time).
    # Forked workers inherit the frozen state; what the run creates is collected as usual.
    gc.freeze()
    try:
        if workers <= 1 or len(jobs) < 2:
            return [_check_job(job, contexts) for job in jobs]
        return _run_in_workers(jobs, contexts, workers)
    finally:
        gc.unfreeze()


def _run_in_workers(
    jobs: Sequence[_Job], contexts: _Contexts, workers: int
) -> list[_CatalogResult]:
    global _WORKER_CONTEXTS
    # Forked workers inherit the loaded glossary (its matcher and compiled renderings) from
    # here; workers started afresh (spawn, forkserver) load it from ``setup`` instead.
    _WORKER_CONTEXTS = contexts
    try:
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_start_worker, initargs=(contexts.setup,)
        ) as pool:
            # One catalog per task: a job and its result pickle in a millisecond, while
            # batches of catalogs leave a worker idle at the end, waiting for the last batch.
            return list(pool.map(_check_job_in_worker, jobs))
    finally:
        _WORKER_CONTEXTS = None


@dataclass(frozen=True, kw_only=True)
class _Setup:
    """What every process needs to build its check contexts (picklable)."""

    source_locale: str
    target_locales: tuple[str, ...]
    glossary_path: Path | None
    contrast_path: Path | None = None
    contrast_shown: str | None = None


class _Contexts:
    """One :class:`CheckContext` per target locale, sharing one loaded glossary."""

    def __init__(self, setup: _Setup) -> None:
        from pipeline.glossary import load_glossary

        self.setup = setup
        self.glossary = (
            None
            if setup.glossary_path is None
            else load_glossary(
                setup.glossary_path,
                source_locale=setup.source_locale,
                target_locales=setup.target_locales,
            )
        )
        from pipeline.checks.lexicon import load_lexicon

        self.lexicon = load_lexicon(setup.contrast_path, shown=setup.contrast_shown)
        self._by_locale: dict[str, CheckContext] = {}

    def for_locale(self, locale: str) -> CheckContext:
        if locale not in self._by_locale:
            self._by_locale[locale] = CheckContext(
                source_locale=self.setup.source_locale,
                target_locale=locale,
                glossary=self.glossary,
                lexicon=self.lexicon,
            )
        return self._by_locale[locale]


_WORKER_CONTEXTS: _Contexts | None = None


def _start_worker(setup: _Setup) -> None:
    global _WORKER_CONTEXTS
    if _WORKER_CONTEXTS is None or _WORKER_CONTEXTS.setup != setup:
        _WORKER_CONTEXTS = _Contexts(setup)
    gc.freeze()  # the worker's glossary and lexicon, as in _run_jobs
    collect_rarely()  # as in check_project; the worker lives for this run only


def _check_job_in_worker(job: _Job) -> _CatalogResult:
    assert _WORKER_CONTEXTS is not None, "the pool initializer sets up every worker"
    return _check_job(job, _WORKER_CONTEXTS)


def _read_catalog(job: _Job) -> Catalog:
    """The catalog, with the path shown relative to the project root; each entry's
    ``lineno`` is its msgid line, the line every command reports."""
    from pipeline.po.read import read_po_file

    return read_po_file(job.path, shown=job.shown)


def _check_job(job: _Job, contexts: _Contexts) -> _CatalogResult:
    catalog = _read_catalog(job)
    ctx = contexts.for_locale(job.locale)
    active = [entry for entry in catalog.entries if not entry.obsolete]
    translated = [entry for entry in active if entry.is_translated]
    drafts = sum(1 for entry in translated if entry.is_fuzzy)
    findings = [
        _reported(job, result.entry.lineno, result.entry, finding)
        for result in check_catalog(catalog, ctx)
        for finding in result.findings
    ]
    translations = [
        Translation(
            where=f"{job.shown}:{entry.lineno}",
            source=entry.msgid,
            translation=entry.msgstr,
            draft=entry.is_fuzzy,
            key=(job.slug, entry.msgctxt, _waivers(entry)),
        )
        for entry in translated
        if entry.msgid_plural is None
    ]
    summary = CatalogSummary(
        path=job.shown,
        slug=job.slug,
        locale=job.locale,
        entries=len(active),
        translated=len(translated) - drafts,
        drafts=drafts,
        untranslated=len(active) - len(translated),
    )
    result = _CatalogResult(
        summary=_counted(summary, findings), findings=findings, translations=translations
    )
    # What survives a catalog (the context's remembered analyses, this result) lives on to
    # the end of the run: frozen like the glossary (see _run_jobs), the collector's full
    # passes stop scanning it again after every few catalogs.
    gc.freeze()
    return result


def _waivers(entry: Entry) -> dict[str, str | None]:
    """The entry's waivers (check name -> note), for the locale checks' findings."""
    if not entry.flags and not entry.translator_comments:
        return {}  # most entries: no waiver to look for
    return waivers_of(entry)


def _counted(summary: CatalogSummary, findings: Iterable[ReportedFinding]) -> CatalogSummary:
    """``summary`` with its finding counts: finished, waived and draft, by severity."""
    counts: Counter[tuple[bool, bool, str]] = Counter(
        (finding.draft, finding.waived and not finding.draft, finding.severity)
        for finding in findings
    )
    return dataclasses.replace(
        summary,
        errors=counts[False, False, "error"],
        warnings=counts[False, False, "warning"],
        waived_errors=counts[False, True, "error"],
        waived_warnings=counts[False, True, "warning"],
        draft_errors=counts[True, False, "error"],
        draft_warnings=counts[True, False, "warning"],
    )


def _reported(job: _Job, line: int, entry: Entry, finding: Finding) -> ReportedFinding:
    return ReportedFinding(
        path=job.shown,
        line=line,
        slug=job.slug,
        locale=job.locale,
        msgctxt=entry.msgctxt,
        check=finding.check,
        severity=finding.severity,
        message=finding.message,
        draft=entry.is_fuzzy,
        waived=finding.waived,
        waiver_note=finding.waiver_note,
    )


def _locale_findings(
    locale: str, translations: Sequence[Translation], ctx: CheckContext
) -> list[ReportedFinding]:
    """The findings of every locale check on one locale's translations."""
    found: list[ReportedFinding] = []
    for registered in checks_of_kind("locale"):
        for item, message in registered.function(translations, ctx):
            slug, msgctxt, waivers = item.key  # type: ignore[misc]
            path, _, line = item.where.rpartition(":")
            waived = registered.waivable and registered.name in waivers
            found.append(
                ReportedFinding(
                    path=path,
                    line=int(line),
                    slug=slug,
                    locale=locale,
                    msgctxt=msgctxt,
                    check=registered.name,
                    severity=registered.severity,
                    message=message,
                    draft=item.draft,
                    waived=waived,
                    waiver_note=waivers.get(registered.name) if waived else None,
                )
            )
    return found


def _with_locale_findings(result: _CatalogResult, own: Sequence[ReportedFinding]) -> CatalogSummary:
    """The catalog's summary, counting its locale checks' findings too."""
    if not own:
        return result.summary
    return _counted(result.summary, [*result.findings, *own])
