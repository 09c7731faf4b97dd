"""Quality assurance over a project: run every check on every catalog, collect one report.

This is the edge around :mod:`pipeline.checks` (which never opens a file): it finds the
catalogs under ``locales/<locale>/LC_MESSAGES/``, reads them, loads the glossary, runs the text
checks on every translated entry (drafts too, reported as such) and the ``consistency`` check
across the catalogs of each locale, and turns the findings into :class:`CheckReport`.

Which findings block: an unwaived ``error`` on a translated, non-fuzzy entry. Those are what
``pipeline check`` fails on, and what ``approve``/``publish`` refuse. A draft (fuzzy entry) is
not finished work: its findings are shown so that revisers see problems early, but they do
not fail the check (a draft can be neither approved nor published anyway). A waived error
never blocks but is always shown and counted (``waived``), so that nobody is surprised.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.catalog import Catalog, Entry
from pipeline.checks import CHECKS, CheckContext, Finding, check_catalog
from pipeline.checks.consistency import Translation, find_inconsistencies
from pipeline.checks.waivers import waivers_of
from pipeline.config import Config, parse_locale
from pipeline.errors import CatalogError, ConfigError, UsageError

__all__ = ["CatalogSummary", "CheckReport", "ReportedFinding", "check_project"]

_SLUG_RE = re.compile(r"[a-z0-9-]+")


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
        return self._count(severity="error", draft=False)

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
    source_locale: str
    glossary_path: Path | None
    target_locales: tuple[str, ...]


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
    selected_locales = _selected_locales(config, locales)
    notes: list[str] = []
    glossary_path: Path | None = config.glossary_path
    if not config.glossary_path.is_file():
        glossary_path = None
        notes.append(
            f"{config.relative(config.glossary_path)} not found: the glossary and forbidden "
            "checks had no terms, dnt checked identifiers only"
        )
    else:
        _load_glossary(glossary_path, config.source_locale, config.target_locales)  # validate
    jobs = [
        _Job(
            path=path,
            shown=config.relative(path),
            slug=path.stem,
            locale=locale,
            source_locale=config.source_locale,
            glossary_path=glossary_path,
            target_locales=config.target_locales,
        )
        for locale, path in _catalog_paths(config, slugs, selected_locales)
    ]
    results = _run_jobs(jobs, workers=workers)
    findings: list[ReportedFinding] = []
    for result in results:
        findings.extend(result.findings)
    by_locale: dict[str, list[Translation]] = {}
    for result in results:
        by_locale.setdefault(result.summary.locale, []).extend(result.translations)
    consistency = [
        finding
        for locale, translations in by_locale.items()
        for finding in _consistency_findings(locale, translations)
    ]
    summaries = [_with_consistency(result, consistency) for result in results]
    findings.extend(consistency)
    order = {name: index for index, name in enumerate(CHECKS)}
    findings.sort(key=lambda f: (f.path, f.line, order.get(f.check, len(order))))
    return CheckReport(catalogs=tuple(summaries), findings=tuple(findings), notes=tuple(notes))


def _selected_locales(config: Config, locales: Sequence[str]) -> tuple[str, ...]:
    if not locales:
        return config.target_locales
    selected: list[str] = []
    for raw in locales:
        try:
            locale = parse_locale(raw)
        except ConfigError as exc:
            raise UsageError(exc.message) from exc
        if locale not in config.target_locales:
            configured = ", ".join(config.target_locales)
            raise UsageError(
                f"locale {locale!r} is not a target locale of this project ({configured}); "
                "add it to target_locales in pyproject.toml or pick one of those"
            )
        if locale not in selected:
            selected.append(locale)
    return tuple(selected)


def _catalog_paths(
    config: Config, slugs: Sequence[str], locales: Sequence[str]
) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for slug in slugs:
        if not _SLUG_RE.fullmatch(slug):
            raise UsageError(
                f"invalid article slug {slug!r}: slugs use only a-z, 0-9 and '-' "
                "(the source file name without its extension)"
            )
    for slug in dict.fromkeys(slugs):
        paths = [
            (locale, config.catalog_path(slug, locale))
            for locale in locales
            if config.catalog_path(slug, locale).is_file()
        ]
        if not paths:
            where = config.relative(config.catalog_path(slug, locales[0]))
            raise UsageError(
                f"no catalog for {slug!r} (looked for {where} and the other locales); "
                f"run `pipeline segment {slug}` first"
            )
        found.extend(paths)
    if not slugs:
        for locale in locales:
            directory = config.locales_dir / locale / "LC_MESSAGES"
            found.extend((locale, path) for path in sorted(directory.glob("*.po")))
    return sorted(found, key=lambda item: (item[1].stem, item[0]))


def _run_jobs(jobs: Sequence[_Job], *, workers: int | None) -> list[_CatalogResult]:
    """Check the catalogs, in worker processes when there are enough to pay for them."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(jobs) >= 8 else 1
    if workers <= 1 or len(jobs) < 2:
        return [_check_job(job) for job in jobs]
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_check_job, jobs, chunksize=chunk))


_GLOSSARIES: dict[tuple[Path | None, str], Any] = {}


def _load_glossary(path: Path | None, source_locale: str, target_locales: tuple[str, ...]) -> Any:
    """The glossary, loaded once per process (workers load their own copy)."""
    key = (path, source_locale)
    if key not in _GLOSSARIES:
        from pipeline.glossary import load_glossary

        _GLOSSARIES.clear()
        _GLOSSARIES[key] = (
            None
            if path is None
            else load_glossary(path, source_locale=source_locale, target_locales=target_locales)
        )
    return _GLOSSARIES[key]


_CONTEXTS: dict[tuple[str, str, int], CheckContext] = {}


def _context(job: _Job) -> CheckContext:
    glossary = _load_glossary(job.glossary_path, job.source_locale, job.target_locales)
    key = (job.source_locale, job.locale, id(glossary))
    if key not in _CONTEXTS:
        _CONTEXTS[key] = CheckContext(
            source_locale=job.source_locale, target_locale=job.locale, glossary=glossary
        )
    return _CONTEXTS[key]


def _read_catalog(job: _Job) -> tuple[Catalog, _MsgidLines]:
    """The catalog, read like :func:`pipeline.pofile.read_po_file` but with the path shown
    relative to the project root, and where each entry's msgid line is."""
    from pipeline.pofile import read_po

    try:
        data = job.path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read file: {exc.strerror}", path=job.shown) from exc
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(
            "not valid UTF-8; save the file as UTF-8", path=job.shown, line=line
        ) from None
    return read_po(text, path=job.shown), _MsgidLines(text)


class _MsgidLines:
    """The line of each entry's ``msgid`` keyword: where an editor should jump."""

    def __init__(self, text: str) -> None:
        self.numbers = [
            number
            for number, line in enumerate(text.split("\n"), start=1)
            if line.startswith("msgid ")
        ]

    def of(self, entry: Entry) -> int:
        index = bisect.bisect_left(self.numbers, entry.lineno)
        return self.numbers[index] if index < len(self.numbers) else entry.lineno


def _check_job(job: _Job) -> _CatalogResult:
    catalog, lines = _read_catalog(job)
    ctx = _context(job)
    active = [entry for entry in catalog.entries if not entry.obsolete]
    translated = [entry for entry in active if entry.is_translated]
    drafts = sum(1 for entry in translated if entry.is_fuzzy)
    findings = [
        _reported(job, lines.of(result.entry), result.entry, finding)
        for result in check_catalog(catalog, ctx)
        for finding in result.findings
    ]
    translations = [
        Translation(
            where=f"{job.shown}:{lines.of(entry)}",
            source=entry.msgid,
            translation=entry.msgstr,
            draft=entry.is_fuzzy,
            key=(job.slug, entry.msgctxt, waivers_of(entry).get("consistency", False)),
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
        **_counts(findings),
    )
    return _CatalogResult(summary=summary, findings=findings, translations=translations)


def _counts(findings: Iterable[ReportedFinding]) -> dict[str, int]:
    counts = dict.fromkeys(
        (
            "errors",
            "warnings",
            "waived_errors",
            "waived_warnings",
            "draft_errors",
            "draft_warnings",
        ),
        0,
    )
    for finding in findings:
        kind = "errors" if finding.severity == "error" else "warnings"
        if finding.draft:
            counts[f"draft_{kind}"] += 1
        elif finding.waived:
            counts[f"waived_{kind}"] += 1
        else:
            counts[kind] += 1
    return counts


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


def _consistency_findings(
    locale: str, translations: Sequence[Translation]
) -> list[ReportedFinding]:
    found: list[ReportedFinding] = []
    for item, message in find_inconsistencies(translations):
        slug, msgctxt, waiver = item.key  # type: ignore[misc]
        path, _, line = item.where.rpartition(":")
        found.append(
            ReportedFinding(
                path=path,
                line=int(line),
                slug=slug,
                locale=locale,
                msgctxt=msgctxt,
                check="consistency",
                severity=CHECKS["consistency"].severity,
                message=message,
                draft=item.draft,
                waived=waiver is not False,
                waiver_note=waiver or None,
            )
        )
    return found


def _with_consistency(
    result: _CatalogResult, consistency: Sequence[ReportedFinding]
) -> CatalogSummary:
    own = [finding for finding in consistency if finding.path == result.summary.path]
    if not own:
        return result.summary
    counts = _counts([*result.findings, *own])
    summary = result.summary
    return CatalogSummary(
        path=summary.path,
        slug=summary.slug,
        locale=summary.locale,
        entries=summary.entries,
        translated=summary.translated,
        drafts=summary.drafts,
        untranslated=summary.untranslated,
        **counts,
    )
