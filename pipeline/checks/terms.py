"""Glossary checks: ``glossary`` (approved renderings), ``forbidden`` and ``dnt``.

Source terms are found with the glossary's own matcher (leftmost-longest, Latin forms at word
boundaries, so ``TRK`` is not found inside ``TRKA``); renderings in the translation with its
target-side matcher (capitals and English plurals tolerated, ``allowed`` renderings accepted).
Only approved terms are enforced.

A forbidden rendering must never appear in the locale, with one exception: a rendering that
the glossary approves for *another* term (``selitrectinib`` is forbidden for 色瑞替尼,
ceritinib, but approved for 塞利替尼) is reported only when the source holds the term that
forbids it and not the term that approves it.

``dnt`` also protects identifiers that the glossary does not list: a source token such as
``G667C``, ``NTRK1`` or ``NCT02576431`` (a capital letter and a digit) must reach the
translation verbatim, so that a mutation name cannot silently change.
"""

from __future__ import annotations

import difflib
import functools
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

from pipeline.checks.registry import text_check
from pipeline.tokens.text import code_tokens, normalize

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext
    from pipeline.glossary import Glossary, Term

__all__ = ["dnt", "forbidden", "glossary"]

_LATIN_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9:-]*[A-Za-z0-9]|[A-Za-z0-9]")


def _is_word_char(char: str) -> bool:
    return char < "\u2e80" and char.isalnum()


def _occurs(rendering: str, text: str) -> bool:
    """``rendering`` exactly as written, not inside a longer Latin word.

    A fast sufficient test: whatever it accepts, the glossary's target matcher accepts too.
    """
    start = text.find(rendering)
    while start != -1:
        end = start + len(rendering)
        if not (start and _is_word_char(rendering[0]) and _is_word_char(text[start - 1])) and not (
            end < len(text) and _is_word_char(rendering[-1]) and _is_word_char(text[end])
        ):
            return True
        start = text.find(rendering, start + 1)
    return False


@functools.lru_cache(maxsize=4096)
def _renderings(term: Term, locale: str) -> tuple[str, ...]:
    """What renders ``term`` in ``locale`` as written: its dnt forms, or target and allowed."""
    if term.dnt:
        return term.forms
    target = term.target_for(locale)
    return (target, *term.allowed_for(locale)) if target else ()


def _is_rendered(glossary_: Glossary, term: Term, translation: str, locale: str) -> bool:
    """The translation renders ``term`` acceptably (approved, allowed or, for dnt, verbatim)."""
    if any(_occurs(rendering, translation) for rendering in _renderings(term, locale)):
        return True
    return bool(glossary_.target_matches(translation, term, locale))


@text_check("glossary", severity="error")
def glossary(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """A glossary term of the source is not rendered as approved (or as an allowed variant)."""
    glossary_ = ctx.glossary
    if glossary_ is None:
        return
    locale = ctx.target_locale
    seen: set[str] = set()
    for match in ctx.source_terms(source):
        term = match.term
        if term.dnt or not term.is_enforced or term.id in seen:
            continue
        seen.add(term.id)
        target = ctx.target_of(term)
        if target is None or _is_rendered(glossary_, term, translation, locale):
            continue
        also = term.allowed_for(locale)
        accepted = f'"{target}"'
        if also:
            accepted += " (or " + ", ".join(f'"{item}"' for item in also) + ")"
        yield f"source has {match.text}, translation lacks {accepted}"


@text_check("forbidden", severity="error")
def forbidden(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """The translation uses a rendering that the glossary forbids in this locale."""
    glossary_ = ctx.glossary
    if glossary_ is None:
        return
    locale = ctx.target_locale
    index = _forbidden_index(glossary_, locale)
    if index is None:
        return
    folded = " ".join(normalize(translation).lower().split())
    suspects = {term_id for _, ids in index.automaton.iter(folded) for term_id in ids}
    if not suspects:
        return
    in_source = {match.term.id for match in ctx.source_terms(source)}
    reported: set[tuple[int, int]] = set()
    # Terms of the source first: when two terms forbid the same rendering, the message names
    # (and advises the approved rendering of) the one the sentence is about.
    for term in sorted(
        (term for term in index.terms if term.id in suspects),
        key=lambda term: term.id not in in_source,
    ):
        for found in glossary_.forbidden_matches(translation, term, locale):
            owners = index.approved_by.get(found.rendering.lower(), set()) - {term.id}
            if owners and (term.id not in in_source or owners & in_source):
                continue  # another term's approved rendering, used for that term
            if (found.start, found.end) in reported:
                continue
            reported.add((found.start, found.end))
            target = ctx.target_of(term)
            advice = f'; use "{target}"' if target else ""
            yield f'translation uses "{found.text}", forbidden for {term.source}{advice}'


@dataclass(frozen=True)
class _ForbiddenIndex:
    """Every forbidden rendering of a locale in one automaton: a cheap first pass per entry.

    Keys are lower-case renderings without their last letter, so that plurals and capitals,
    which the glossary's matcher tolerates, are found too; hits are confirmed by the matcher.
    """

    automaton: ahocorasick.Automaton
    terms: tuple[Term, ...]
    approved_by: dict[str, set[str]]  # lower-case approved/allowed rendering -> term ids


# Per glossary object (not per id(): a freed glossary's id is reused by the next one, whose
# forbidden renderings would then be looked up in the old index), then per locale.
_INDEXES: weakref.WeakKeyDictionary[Glossary, dict[str, _ForbiddenIndex | None]] = (
    weakref.WeakKeyDictionary()
)


def _forbidden_index(glossary_: Glossary, locale: str) -> _ForbiddenIndex | None:
    by_locale = _INDEXES.get(glossary_)
    if by_locale is None:
        by_locale = _INDEXES[glossary_] = {}
    if locale in by_locale:
        return by_locale[locale]
    terms = tuple(
        term for term in glossary_.terms if term.is_enforced and term.forbidden_for(locale)
    )
    index = None
    if terms:
        keys: dict[str, set[str]] = {}
        for term in terms:
            for rendering in term.forbidden_for(locale):
                folded = " ".join(normalize(rendering).lower().split())
                keys.setdefault(folded[:-1] if len(folded) > 3 else folded, set()).add(term.id)
        automaton = ahocorasick.Automaton()
        for word, ids in keys.items():
            automaton.add_word(word, tuple(sorted(ids)))
        automaton.make_automaton()
        approved_by: dict[str, set[str]] = {}
        for term in glossary_.terms:
            if term.dnt or not term.is_matched:
                continue
            for approved in _renderings(term, locale):
                approved_by.setdefault(approved.lower(), set()).add(term.id)
        index = _ForbiddenIndex(automaton=automaton, terms=terms, approved_by=approved_by)
    by_locale[locale] = index
    return index


@text_check("dnt", severity="error")
def dnt(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
    """A do-not-translate token of the source (glossary dnt term, gene, mutation or trial
    code such as G595R) is missing from the translation or altered."""
    glossary_ = ctx.glossary
    expected: dict[str, bool] = {}  # token -> present in the translation
    covered: set[str] = set()
    normalized = normalize(translation)
    if glossary_ is not None:
        for match in ctx.source_terms(source):
            term = match.term
            if not term.dnt or not term.is_enforced or match.text in expected:
                continue
            covered.update(term.forms)
            covered.add(match.text)
            expected[match.text] = _is_rendered(glossary_, term, normalized, ctx.target_locale)
    for token in code_tokens(normalize(source)):
        if token not in covered and token not in expected:
            expected[token] = _occurs(token, normalized)
    for token, present in expected.items():
        if present:
            continue
        altered = _closest_token(token, normalized, exclude=set(expected))
        if altered:
            yield f"source has {token}, translation has {altered}; keep it verbatim"
        else:
            yield f"source has {token}, missing from the translation; keep it verbatim"


def _closest_token(token: str, translation: str, *, exclude: set[str]) -> str | None:
    """The translation's Latin token most like ``token`` (``G959R`` for ``G595R``), if any."""
    best: tuple[float, str] | None = None
    lowered = token.lower()
    for candidate in _LATIN_TOKEN_RE.findall(translation):
        if candidate in exclude or abs(len(candidate) - len(token)) > 2:
            continue
        matcher = difflib.SequenceMatcher(None, lowered, candidate.lower())
        # quick_ratio() bounds ratio() from above, cheaply (shared letters, in any order): a
        # candidate that cannot reach 0.6, or beat the best so far, is not compared in full.
        bound = matcher.quick_ratio()
        if bound < 0.6 or (best is not None and bound <= best[0]):
            continue
        ratio = matcher.ratio()
        if ratio >= 0.6 and (best is None or ratio > best[0]):
            best = (ratio, candidate)
    return best[1] if best else None
