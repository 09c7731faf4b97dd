"""What a check may know beyond the texts it compares: :class:`CheckContext`.

One context serves every entry of one locale; it holds the language pair and the glossary,
and memoises the per-text analyses that several checks share. It imports no check module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.tokens.text import code_tokens, normalize

if TYPE_CHECKING:
    from pipeline.checks.lexicon import ContrastLexicon
    from pipeline.glossary import Glossary
    from pipeline.glossary.terms import Term, TermMatch

__all__ = ["CheckContext"]

# How many analyses (kind, text) and check results (source, translation) a context keeps
# before it starts afresh: enough for a project of 100,000 entries, a few tens of MB at most.
_MEMO_SIZE = 200_000
_RESULTS_SIZE = 100_000
_MISSING = object()


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
    _pair: dict[str, tuple[str, str, Any]] = field(default_factory=dict, init=False, repr=False)
    _by_term: dict[tuple[str, str, str], Any] = field(
        default_factory=dict, init=False, repr=False
    )

    def memo(self, kind: str, text: str, compute: Callable[[str], Any]) -> Any:
        """``compute(text)``, remembered: the same source sentence recurs across the catalogs
        of a project (a context serves a whole ``pipeline check``), and each of its analyses
        is asked for by several checks."""
        key = (kind, text)
        # (get, not try/except: a raised KeyError costs more, and most sources are new.)
        value = self._memo.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        value = self._memo[key] = compute(text)
        return value

    def term_memo(self, kind: str, match: TermMatch, compute: Callable[[TermMatch], Any]) -> Any:
        """``compute(match)`` for one glossary term as found in a source (its id and the text
        found), remembered: a term recurs in many sentences, and what a check derives from it
        alone is the same each time (the context's glossary, hence the term, is fixed)."""
        key = (kind, match.term.id, match.text)
        try:
            return self._by_term[key]
        except KeyError:
            pass
        if len(self._by_term) >= _MEMO_SIZE:
            self._by_term.clear()
        value = self._by_term[key] = compute(match)
        return value

    def pair_memo(
        self, kind: str, source: str, translation: str, compute: Callable[[], Any]
    ) -> Any:
        """``compute()`` for one source/translation pair, remembered while that pair is
        being checked: the checks of one entry share it (``numbers`` and ``quantities``,
        ``contrast`` and ``coverage``), and it is not kept afterwards, so that a project's
        pair analyses do not pile up in memory (and in the garbage collector's passes)."""
        last = self._pair.get(kind)
        if last is not None and last[0] == source and last[1] == translation:
            return last[2]
        value = compute()
        self._pair[kind] = (source, translation, value)
        return value

    def remembered_results(
        self,
        source: str,
        translation: str,
        compute: Callable[[str, str], tuple[tuple[str, str], ...]],
    ) -> tuple[tuple[str, str], ...]:
        """``compute(source, translation)``, remembered: the same pair often recurs (a
        disclaimer in every article), and text checks are pure functions."""
        key = (source, translation)
        found = self._results.get(key)
        if found is None:
            if len(self._results) >= _RESULTS_SIZE:
                self._results.clear()
            found = self._results[key] = compute(source, translation)
        return found

    def source_terms(self, source: str) -> tuple[TermMatch, ...]:
        """Glossary terms found in the source text (none without a glossary)."""
        glossary = self.glossary
        if glossary is None:
            return ()
        terms: tuple[TermMatch, ...] = self.memo(
            "terms", source, lambda text: tuple(glossary.find(text))
        )
        return terms

    def target_of(self, term: Term) -> str | None:
        """The approved rendering of a (non-dnt) glossary term in the target locale."""
        try:
            return self._targets[term.id]
        except KeyError:
            target = None if term.dnt else term.target_for(self.target_locale)
            self._targets[term.id] = target
            return target

    def protected_tokens(self, source: str) -> tuple[str, ...]:
        """Tokens of the source that must reach the translation verbatim: the glossary's
        do-not-translate forms found in it (every form of each), then identifiers such as
        ``G595R`` or ``NTRK1``."""
        tokens: tuple[str, ...] = self.memo("protected", source, self._protected_tokens)
        return tokens

    def _protected_tokens(self, source: str) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for match in self.source_terms(source):
            term = match.term
            if term.dnt and term.is_enforced:
                found[match.text] = None
                found.update(dict.fromkeys(term.forms))
        found.update(dict.fromkeys(code_tokens(normalize(source))))
        return tuple(found)
