"""Quality checks: small pure functions that compare a source text with its translation.

Every check has one signature, ``(source, translation, ctx) -> Iterable[str]``: it yields one
message per problem and never touches a file. It is registered with a name, a severity and a
one-sentence summary (the first paragraph of its docstring)::

    @check("numbers", severity="error")
    def numbers(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
        \"\"\"Every number of the source is in the translation, by value, and vice versa.\"\"\"
        ...

``error`` blocks approval and publication; ``warning`` informs. The runner
(:func:`check_entry`, :func:`check_catalog`) turns messages into :class:`Finding` records and
applies waivers: an entry flagged ``#, ignore-numbers`` (or carrying the translator comment
``# ignore-numbers: why``) keeps its ``numbers`` findings, marked ``waived``, so that reports
and ``pipeline status`` still show them. One check, ``consistency``, compares translations
across catalogs and runs at project level (:mod:`pipeline.qa`).

>>> [finding.message for finding in check_entry("有效率为89.1%。", "The rate was 98.1%.",
...                                                CheckContext(target_locale="en"))]
['source has 89.1, translation has 98.1']
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pipeline.po.catalog import Catalog, Entry

if TYPE_CHECKING:
    from pipeline.checks.lexicon import ContrastLexicon
    from pipeline.glossary import Glossary
    from pipeline.glossary.terms import Term, TermMatch

__all__ = [
    "CHECKS",
    "Check",
    "CheckContext",
    "EntryFindings",
    "Finding",
    "Severity",
    "check",
    "check_catalog",
    "check_entry",
    "check_entry_record",
    "checks_table",
    "is_blank_or_copy",
]

Severity = Literal["error", "warning"]
Scope = Literal["text", "entry", "project"]

CheckFunction = Callable[[str, str, "CheckContext"], Iterable[str]]


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem found by one check.

    ``waived`` is set when the entry waives the check; ``waiver_note`` is the reason the
    translator gave, if any. A waived error no longer blocks, but it is still reported.
    """

    check: str
    severity: Severity
    message: str
    waived: bool = False
    waiver_note: str | None = None

    @property
    def is_blocking(self) -> bool:
        """An unwaived error: the entry cannot be approved, the article cannot be published."""
        return self.severity == "error" and not self.waived


@dataclass(frozen=True, kw_only=True)
class Check:
    """A registered check. ``scope`` says what it looks at.

    ``text`` checks are pure functions of one source and one translation; the ``entry`` check
    (``waiver``) looks at the entry's flags; the ``project`` check (``consistency``) compares
    the translations of one locale across catalogs.
    """

    name: str
    severity: Severity
    summary: str
    scope: Scope = "text"
    function: CheckFunction | None = field(default=None, compare=False, repr=False)


#: Every check, in the order they run and are listed.
CHECKS: dict[str, Check] = {}


def check(
    name: str, *, severity: Severity, scope: Scope = "text"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the check ``name``.

    Its summary is the first paragraph of its docstring: one sentence that says what the
    check finds, shown by ``pipeline check --list`` and in the README.
    """

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        if name in CHECKS:
            raise ValueError(f"check {name!r} is registered twice")
        doc = inspect.getdoc(function) or ""
        summary = " ".join(doc.split("\n\n")[0].split())
        if not summary:
            raise ValueError(f"check {name!r} needs a docstring: its first line is the summary")
        CHECKS[name] = Check(
            name=name,
            severity=severity,
            summary=summary,
            scope=scope,
            function=function if scope == "text" else None,
        )
        return function

    return register


def checks_table() -> list[dict[str, str]]:
    """The registered checks as rows (name, severity, scope, summary), for docs and ``--list``."""
    return [
        {"name": c.name, "severity": c.severity, "scope": c.scope, "summary": c.summary}
        for c in CHECKS.values()
    ]


# How many analyses (kind, text) and check results (source, translation) a context keeps
# before it starts afresh: enough for a project of 100,000 entries, a few tens of MB at most.
_MEMO_SIZE = 200_000
_RESULTS_SIZE = 100_000


@dataclass(frozen=True, kw_only=True, eq=False)
class CheckContext:
    """What a check may know beyond the two texts: the language pair and the glossary.

    One context serves every entry of one locale. It memoises the per-text analyses that
    several checks share (glossary matches, protected tokens), so that a catalog costs one
    glossary scan per entry whatever the number of checks.
    """

    source_locale: str = "zh_Hans"
    target_locale: str = "en"
    glossary: Glossary | None = None
    #: The contrast lexicon of the meaning checks (None: the packaged default).
    lexicon: ContrastLexicon | None = None
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False)
    _targets: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)
    _results: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(
        default_factory=dict, init=False, repr=False
    )

    def memo(self, kind: str, text: str, compute: Callable[[str], Any]) -> Any:
        """``compute(text)``, remembered: the same source sentence recurs across the catalogs
        of a project (a context serves a whole ``pipeline check``), and each of its analyses
        is asked for by several checks."""
        key = (kind, text)
        try:
            return self._memo[key]
        except KeyError:
            pass
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        value = self._memo[key] = compute(text)
        return value

    def source_terms(self, source: str) -> tuple[TermMatch, ...]:
        """Glossary terms found in the source text (none without a glossary)."""
        glossary = self.glossary
        if glossary is None:
            return ()
        terms: tuple[TermMatch, ...] = self.memo(
            "terms", source, lambda text: tuple(glossary.find(text))
        )
        return terms

    def messages(
        self, source: str, translation: str, only: Sequence[str] | None = None
    ) -> tuple[tuple[str, str], ...]:
        """(check, message) pairs for a source and translation, remembered: the same pair
        often recurs (a disclaimer in every article), and checks are pure functions."""
        if only is not None:
            return _run_text_checks(source, translation, self, only)
        key = (source, translation)
        found = self._results.get(key)
        if found is None:
            if len(self._results) >= _RESULTS_SIZE:
                self._results.clear()
            found = self._results[key] = _run_text_checks(source, translation, self, None)
        return found

    def target_of(self, term: Term) -> str | None:
        """The approved rendering of a (non-dnt) glossary term in the target locale."""
        try:
            return self._targets[term.id]
        except KeyError:
            target = None if term.dnt else term.target_for(self.target_locale)
            self._targets[term.id] = target
            return target

    def protected_tokens(self, source: str) -> tuple[str, ...]:
        """Tokens of the source that must reach the translation verbatim (see ``terms``)."""
        tokens: tuple[str, ...] = self.memo(
            "protected", source, lambda text: _terms.protected_tokens(text, self)
        )
        return tokens


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
    messages = ctx.messages(source, translation, only)
    return [
        Finding(
            check=name,
            severity=CHECKS[name].severity,
            message=message,
            waived=name in waivers,
            waiver_note=waivers.get(name),
        )
        for name, message in messages
    ]


def _run_text_checks(
    source: str, translation: str, ctx: CheckContext, only: Sequence[str] | None
) -> tuple[tuple[str, str], ...]:
    """(check name, message) for every problem, in registry order."""
    if is_blank_or_copy(source, translation, ctx):
        # An empty translation or a copy of the source: one message says it all.
        only = ["untranslated"]
    return tuple(
        (registered.name, message)
        for registered in CHECKS.values()
        if registered.function is not None and (only is None or registered.name in only)
        for message in registered.function(source, translation, ctx)
    )


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
    """The findings on one translated entry: its text checks, then its waiver problems."""
    waivers = _waivers.waivers_of(entry) if entry.flags or entry.translator_comments else {}
    for source, translation in _pairs(entry):
        yield from check_entry(source, translation, ctx, waivers=waivers, only=only)
    if waivers and (only is None or "waiver" in only):
        for message in _waivers.unknown_waivers(entry):
            yield Finding(check="waiver", severity=CHECKS["waiver"].severity, message=message)


def _pairs(entry: Entry) -> Iterator[tuple[str, str]]:
    if entry.msgid_plural is None:
        yield entry.msgid, entry.msgstr
        return
    for index, form in enumerate(entry.msgstr_plural):
        yield (entry.msgid if index == 0 else entry.msgid_plural), form


# Importing the modules registers their checks, in this order.
# isort: off
from pipeline.checks import numbers as _numbers  # noqa: E402,F401
from pipeline.checks import quantities as _quantities  # noqa: E402,F401
from pipeline.checks import terms as _terms  # noqa: E402,F401
from pipeline.checks import text as _text  # noqa: E402,F401
from pipeline.checks import meaning as _meaning  # noqa: E402,F401
from pipeline.checks import waivers as _waivers  # noqa: E402,F401
from pipeline.checks import consistency as _consistency  # noqa: E402,F401
# isort: on

is_blank_or_copy = _text.is_blank_or_copy
