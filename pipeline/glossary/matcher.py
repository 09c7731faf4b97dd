"""Finding glossary terms: in Chinese source text (Aho-Corasick) and in translations (regex).

Source side. One Aho-Corasick automaton holds every source form of every matched term, folded
(:mod:`pipeline.glossary.normalize`) and lower-cased. A text is folded once and scanned once,
so the cost grows with the text, not with the glossary. Each raw hit is then kept only if

- a Latin edge of the form sits at a word boundary (``TRK`` is not found in ``TRKC``,
  ``NTRK1`` or ``TRKs``, but is found in ``TRK抑制剂`` and ``(TRK)``);
- a case-sensitive form matches the case of the text exactly;

and the survivors are resolved leftmost-longest: at the leftmost position the longest form
wins, and nothing is found inside or across a match already taken (``客观缓解率`` is not
reported inside ``颅内客观缓解率``). The resolution is ours, over every raw hit of
``Automaton.iter``: pyahocorasick's own ``iter_long`` has missed valid matches in several
releases (its issues #133 and #185), and it could not skip a hit that fails the checks above.

Target side. A rendering becomes a regular expression that tolerates what English editing
does to a term: a capital at the start of a word (sentence start, title case), a regular plural
on the last word (``adverse events``, ``metastases``, ``therapies``), any run of spaces
or a line break where the rendering has a space, and Unicode hyphens. Anything else (an
abbreviation, ``blood brain barrier`` without its hyphen, an en dash) must be listed under
``allowed`` in the glossary. dnt forms must appear verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick

from pipeline.glossary.normalize import (
    _FIRST_CJK,
    WORD_CHAR_CLASS,
    TextFolder,
    is_word_char,
    lower_same_length,
)
from pipeline.glossary.terms import TargetMatch, Term, TermMatch, term_match

__all__ = ["SourceMatcher", "compile_rendering", "find_renderings"]


@dataclass(frozen=True, slots=True)
class _Form:
    """One source form in the automaton."""

    term: Term
    form: str
    exact: str | None  # the folded form, compared with the text when case-sensitive


class SourceMatcher:
    """Finds the terms of a glossary in source text, leftmost-longest.

    >>> from pipeline.glossary.terms import Term
    >>> matcher = SourceMatcher([Term(id="a", source="客观缓解率"),
    ...                          Term(id="b", source="颅内客观缓解率"),
    ...                          Term(id="c", source="TRK", dnt=True)])
    >>> [(m.start, m.end, m.term.id) for m in matcher.find("颅内客观缓解率，TRKC与TRK抑制剂")]
    [(0, 7, 'b'), (13, 16, 'c')]
    """

    def __init__(self, terms: Iterable[Term], *, folder: TextFolder | None = None) -> None:
        self.folder = folder or TextFolder()
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[_Form]] = {}
        for term in terms:
            if not term.is_matched:
                continue
            for form in term.forms:
                folded = self.folder.fold(form)
                key = lower_same_length(folded)
                has_case = folded.swapcase() != folded
                exact = folded if term.is_case_sensitive and has_case else None
                entries.setdefault(key, []).append(_Form(term=term, form=form, exact=exact))
        for key, forms in entries.items():
            # Case-sensitive forms are tried first, so `TRK` (dnt) wins over an
            # insensitive `trk` on the text "TRK"; the validator rejects such pairs anyway.
            forms.sort(key=lambda item: item.exact is None)
            left_word, right_word = is_word_char(key[0]), is_word_char(key[-1])
            needs_checks = left_word or right_word or forms[0].exact is not None
            payload = (len(key), needs_checks, left_word, right_word, tuple(forms))
            self._automaton.add_word(key, payload)
        self._size = len(entries)
        if self._size:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        """Number of distinct (folded) source forms."""
        return self._size

    def find(self, text: str) -> list[TermMatch]:
        """Every term occurrence in ``text``, leftmost-longest, in text order."""
        return [
            term_match(start, end, text[start:end], form, term)
            for start, end, form, term in self.spans(text)
        ]

    def spans(self, text: str) -> list[tuple[int, int, str, Term]]:
        """:meth:`find` as (start, end, form, term) tuples, for callers that build their own
        records (the contrast lexicon) and need no :class:`TermMatch` on the way."""
        if not self._size or not text:
            return []
        folded = self.folder.fold(text)
        lowered = folded.lower()
        if len(lowered) != len(folded):
            lowered = lower_same_length(folded)
        size = len(folded)
        # Hits arrive in order of their end, so a later hit with the same start is longer:
        # plain assignment keeps the longest accepted form per start position.
        # (``is_word_char`` is inlined: this loop runs for every hit of every text.)
        longest: dict[int, tuple[int, _Form]] = {}
        for last, (length, needs_checks, left_word, right_word, forms) in self._automaton.iter(
            lowered
        ):
            end = last + 1
            start = end - length
            if not needs_checks:
                longest[start] = (end, forms[0])
                continue
            if left_word and start:
                before = folded[start - 1]
                if before < _FIRST_CJK and before.isalnum():
                    continue
            if right_word and end < size:
                after = folded[end]
                if after < _FIRST_CJK and after.isalnum():
                    continue
            for form in forms:
                if form.exact is None or folded[start:end] == form.exact:
                    longest[start] = (end, form)
                    break
        if not longest:
            return []
        spans: list[tuple[int, int, str, Term]] = []
        taken_until = 0
        for start in sorted(longest):
            if start < taken_until:
                continue  # inside or across a match already taken
            end, form = longest[start]
            spans.append((start, end, form.form, form.term))
            taken_until = end
        return spans


_TARGET_FOLDER = TextFolder()
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
_VOWELS = "aeiou"


def compile_rendering(rendering: str, *, language: str, exact: bool = False) -> re.Pattern[str]:
    """A pattern that finds ``rendering`` in a translation, with English editing tolerated.

    With ``exact`` (dnt forms) only spaces and Unicode hyphens are tolerated.

    >>> pattern = compile_rendering("adverse event", language="en")
    >>> [m.group() for m in pattern.finditer("Adverse events and adverse eventing")]
    ['Adverse events']
    >>> bool(compile_rendering("TRK", language="en", exact=True).search("TRKC"))
    False
    """
    folded = _TARGET_FOLDER.fold(rendering)
    pieces: list[str] = []
    previous = " "
    for char in folded:
        if char.isspace():
            if not previous.isspace():
                pieces.append(r"\s+")
        elif (
            not exact
            and char.islower()
            and not is_word_char(previous)
            and len(upper := char.upper()) == 1
        ):
            pieces.append(f"[{re.escape(char)}{re.escape(upper)}]")
        else:
            pieces.append(re.escape(char))
        previous = char
    if not exact and language == "en" and folded[-1:].isascii() and folded[-1:].islower():
        pieces[-len(_plural_stem(folded)) :] = [_plural_suffix(folded)]
    if is_word_char(folded[0]):
        if len(pieces) > 1:
            # "Not after a word character", tested after the first character (a lookbehind
            # two characters wide) rather than before it: a pattern that starts with its
            # first character lets ``re`` skip in C to where that character occurs, instead
            # of testing the lookbehind at every position of the translation.
            pieces[1:1] = [rf"(?<!{WORD_CHAR_CLASS}[\s\S])"]
        else:
            pieces.insert(0, f"(?<!{WORD_CHAR_CLASS})")
    body = "".join(pieces)
    if is_word_char(folded[-1]):
        body += f"(?!{WORD_CHAR_CLASS})"
    return re.compile(body)


def _plural_stem(word: str) -> str:
    """The ending of ``word`` that the plural replaces (``y`` of ``therapy``, ``is``...)."""
    if word.endswith("is") and len(word) > 3:
        return "is"
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        return "y"
    return word[-1]


def _plural_suffix(word: str) -> str:
    """Regex replacing the stem from :func:`_plural_stem` with singular-or-plural endings."""
    stem = _plural_stem(word)
    if stem == "is":
        return "(?:is|es)"  # metastasis / metastases
    if stem == "y":
        return "(?:y|ies)"  # therapy / therapies
    last = re.escape(word[-1])
    if word.endswith(_SIBILANT_ENDINGS):
        return f"{last}(?:es)?"
    return f"{last}s?"


def find_renderings(
    translation: str,
    renderings: Sequence[tuple[re.Pattern[str], str, str]],
) -> list[TargetMatch]:
    """Every occurrence of the given (pattern, rendering, kind) triples, longest first.

    Overlapping hits are resolved leftmost-longest, like source matches.
    """
    folded = _TARGET_FOLDER.fold(translation)
    hits: list[tuple[int, int, str, str]] = []
    for pattern, rendering, kind in renderings:
        for found in pattern.finditer(folded):
            if found.end() > found.start():
                hits.append((found.start(), -found.end(), rendering, kind))
    hits.sort(key=lambda item: (item[0], item[1]))
    matches: list[TargetMatch] = []
    taken_until = 0
    for start, negative_end, rendering, kind in hits:
        if start < taken_until:
            continue
        end = -negative_end
        matches.append(
            TargetMatch(
                start=start,
                end=end,
                text=translation[start:end],
                rendering=rendering,
                kind=kind,  # type: ignore[arg-type]
            )
        )
        taken_until = end
    return matches
