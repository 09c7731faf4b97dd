"""The glossary as the rest of the pipeline sees it: terms, matching, hints, a version.

>>> glossary = parse_glossary(
...     "terms:\\n"
...     "  - source: 不良事件\\n"
...     "    target: {en: adverse event}\\n"
...     "    forbidden: {en: [side effect]}\\n"
...     "  - source: G595R\\n"
...     "    dnt: true\\n",
...     path="glossary.yaml", source_locale="zh_Hans", target_locales=["en"])
>>> glossary.hints("TRKA Ｇ５９５Ｒ突变相关不良事件", "en")
['glossary: G595R (keep verbatim)', 'glossary: 不良事件 = adverse event (never: side effect)']
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import GlossaryError
from pipeline.glossary.matcher import SourceMatcher, compile_rendering, find_renderings
from pipeline.glossary.normalize import TextFolder
from pipeline.glossary.schema import parse_yaml, validate_document
from pipeline.glossary.terms import TargetMatch, Term, TermMatch

__all__ = [
    "Glossary",
    "display_path",
    "glossary_from_document",
    "hint_line",
    "load_glossary",
    "parse_glossary",
]

# How many (term, locale) pattern lists a glossary keeps: every term in a few locales.
_TERM_PATTERNS_SIZE = 65_536


class Glossary:
    """A validated glossary: an immutable sequence of terms plus the matchers built on them."""

    def __init__(
        self,
        terms: Sequence[Term] = (),
        *,
        source_locale: str = "zh_Hans",
        match_traditional: bool = False,
        path: str | None = None,
    ) -> None:
        self._terms = tuple(terms)
        self.source_locale = source_locale
        self.match_traditional = match_traditional
        self.path = path
        self._patterns: dict[tuple[str, str, bool], re.Pattern[str]] = {}
        self._term_patterns: dict[tuple[Term, str], tuple[tuple[re.Pattern[str], str, str], ...]]
        self._term_patterns = {}

    def __repr__(self) -> str:
        return f"<Glossary {len(self._terms)} terms, version {self.version}>"

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms)

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term, in file order (deprecated ones included)."""
        return self._terms

    @cached_property
    def version(self) -> str:
        """A stable digest of the content: changes when a term or a matching option changes,
        not when comments or formatting do (a cache key for machine translation)."""
        content = {
            "source_locale": self.source_locale,
            "match_traditional": self.match_traditional,
            "terms": [{"id": term.id, **term.as_dict()} for term in self._terms],
        }
        encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]

    @cached_property
    def locales(self) -> tuple[str, ...]:
        """Every target locale the glossary mentions, in first-mention order."""
        seen: dict[str, None] = {}
        for term in self._terms:
            seen.update(dict.fromkeys(term.locales()))
        return tuple(seen)

    @cached_property
    def matcher(self) -> SourceMatcher:
        """The Aho-Corasick matcher over every non-deprecated source form (built on first use)."""
        return SourceMatcher(self._terms, folder=TextFolder(traditional=self.match_traditional))

    def term(self, term_id: str) -> Term | None:
        """The term with this id, if any."""
        return next((term for term in self._terms if term.id == term_id), None)

    def find(self, text: str) -> list[TermMatch]:
        """Source-side matches in ``text``: leftmost-longest, Latin forms at word boundaries."""
        return self.matcher.find(text)

    def hints(self, text: str, locale: str) -> list[str]:
        """The ``#.`` lines for a segment: one per term it contains, in order of appearance.

        See :func:`hint_line` for the wording.
        """
        lines: list[str] = []
        seen: set[str] = set()
        for match in self.find(text):
            if match.term.id not in seen:
                seen.add(match.term.id)
                lines.append(hint_line(match.term, locale, form=match.form))
        return lines

    def target_matches(self, translation: str, term: Term, locale: str) -> list[TargetMatch]:
        """Where ``translation`` renders ``term`` acceptably in ``locale`` (empty: nowhere).

        The approved target and the ``allowed`` renderings count, tolerant of a capital at the
        start of a word and, in English, a regular plural; dnt terms count only verbatim.
        A rendering inside a longer forbidden one (``NTRK gene fusion`` inside ``NTRK gene
        fusion protein``) does not count.
        """
        return [
            match
            for match in self._renderings(translation, term, locale)
            if match.kind != "forbidden"
        ]

    def forbidden_matches(self, translation: str, term: Term, locale: str) -> list[TargetMatch]:
        """Where ``translation`` uses a forbidden rendering of ``term`` in ``locale``.

        A forbidden rendering inside a longer approved one (``fusion gene`` inside ``NTRK
        fusion gene``) is not reported.
        """
        return [
            match
            for match in self._renderings(translation, term, locale)
            if match.kind == "forbidden"
        ]

    def _renderings(self, translation: str, term: Term, locale: str) -> list[TargetMatch]:
        """Approved and forbidden renderings together, resolved leftmost-longest."""
        key = (term, locale)  # a term compares by value: equal terms have the same patterns
        patterns = self._term_patterns.get(key)
        if patterns is None:
            patterns = tuple(
                self._approved_patterns(term, locale)
                + [
                    (self._pattern(rendering, locale, exact=False), rendering, "forbidden")
                    for rendering in term.forbidden_for(locale)
                ]
            )
            if len(self._term_patterns) >= _TERM_PATTERNS_SIZE:
                self._term_patterns.clear()
            self._term_patterns[key] = patterns
        return find_renderings(translation, patterns)

    def _approved_patterns(self, term: Term, locale: str) -> list[tuple[re.Pattern[str], str, str]]:
        if term.dnt:
            return [
                (self._pattern(form, locale, exact=True), form, "verbatim") for form in term.forms
            ]
        patterns = []
        target = term.target_for(locale)
        if target is not None:
            patterns.append((self._pattern(target, locale, exact=False), target, "target"))
        for rendering in term.allowed_for(locale):
            patterns.append((self._pattern(rendering, locale, exact=False), rendering, "allowed"))
        return patterns

    def _pattern(self, rendering: str, locale: str, *, exact: bool) -> re.Pattern[str]:
        language = locale.split("_")[0]
        key = (rendering, language, exact)
        pattern = self._patterns.get(key)
        if pattern is None:
            pattern = compile_rendering(rendering, language=language, exact=exact)
            self._patterns[key] = pattern
        return pattern


def hint_line(term: Term, locale: str, *, form: str | None = None) -> str:
    """The one-line hint for ``term`` in ``locale``.

    ``glossary: FORM = TARGET`` or ``glossary: FORM (keep verbatim)``, followed by the
    qualifiers that apply, in this order, in one pair of parentheses separated by ``; ``:
    ``proposed``, ``also: ALLOWED, ...``, ``never: FORBIDDEN, ...``; then the term's note
    after `` — ``. FORM is the glossary form found in the text (the source or a variant).

    >>> hint_line(Term(id="x", source="血脑屏障", target={"en": "blood-brain barrier"},
    ...                allowed={"en": ("BBB",)}), "en")
    'glossary: 血脑屏障 = blood-brain barrier (also: BBB)'
    """
    shown = form or term.source
    qualifiers: list[str] = []
    if term.dnt:
        head = f"glossary: {shown}"
        qualifiers.append("keep verbatim")
    else:
        target = term.target_for(locale)
        if target is None:
            head = f"glossary: {shown}"
            qualifiers.append(f"no approved {locale} rendering yet")
        else:
            head = f"glossary: {shown} = {target}"
    if term.status == "proposed":
        qualifiers.append("proposed")
    allowed = term.allowed_for(locale)
    if allowed and not term.dnt:
        qualifiers.append("also: " + ", ".join(allowed))
    forbidden = term.forbidden_for(locale)
    if forbidden:
        qualifiers.append("never: " + ", ".join(forbidden))
    line = f"{head} ({'; '.join(qualifiers)})" if qualifiers else head
    if term.note:
        line += " — " + " ".join(term.note.split())
    return line


def display_path(path: Path) -> str:
    """``path`` as shown in messages: relative to the working directory when under it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and _is_under_cwd(path) else str(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _is_under_cwd(path: Path) -> bool:
    try:
        path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return False
    return True


def parse_glossary(
    text: str,
    *,
    path: str | Path | None,
    source_locale: str,
    target_locales: Sequence[str],
) -> Glossary:
    """Validate the text of a glossary file (pure: reads nothing)."""
    return glossary_from_document(
        parse_yaml(text, path=path),
        path=path,
        source_locale=source_locale,
        target_locales=target_locales,
    )


def glossary_from_document(
    loaded: Any,
    *,
    path: str | Path | None,
    source_locale: str,
    target_locales: Sequence[str],
) -> Glossary:
    """Validate an already parsed (round-trip) YAML document: :func:`parse_glossary` without
    the parse, for callers that hold the document anyway."""
    document = validate_document(
        loaded, path=path, source_locale=source_locale, target_locales=target_locales
    )
    return Glossary(
        document.terms,
        source_locale=document.source_locale,
        match_traditional=document.match_traditional,
        path=None if path is None else str(path),
    )


def load_glossary(path: Path, *, source_locale: str, target_locales: Sequence[str]) -> Glossary:
    """Read and validate glossary.yaml; a missing file is an empty glossary.

    Raises :class:`~pipeline.errors.GlossaryError` (an ``InvalidGlossary`` listing every
    problem, for validation) with the file and line of the first problem.
    """
    from pipeline.fsutil import read_text_file

    path = Path(path)
    shown = display_path(path)
    if not path.exists() and not path.is_symlink():
        return Glossary(source_locale=source_locale, path=shown)
    text = read_text_file(path, shown=shown, error=GlossaryError)
    return _parsed(text, shown, source_locale, tuple(target_locales))


@lru_cache(maxsize=4)
def _parsed(
    text: str, shown: str, source_locale: str, target_locales: tuple[str, ...]
) -> Glossary:
    """:func:`parse_glossary`, once per text: a command that checks and then renders pages
    (``review``, ``build``) loads the same file twice, and a glossary is immutable."""
    return parse_glossary(
        text, path=shown, source_locale=source_locale, target_locales=target_locales
    )
