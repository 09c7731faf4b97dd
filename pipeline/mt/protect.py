"""Glossary protection before machine translation, and verification after it.

Before MT, each glossary term in the source is replaced by its approved rendering for the
target locale (``mode="target"``: NMT models copy a Latin-script span through), or by a
numbered token restored afterwards (``mode="placeholder"``); do-not-translate terms stay
verbatim. After MT, the draft is checked for everything that must survive: approved terms,
dnt tokens, numbers and inline-markup placeholders (``<1>…</1>``, ``<2/>``). A draft that lost
any of them is still a draft worth writing, with a hint naming what is missing.

>>> protected = protect("颅内客观缓解率为<1>90.8%</1>。", glossary=None, locale="en")
>>> draft = verify(protected, "The intracranial response rate was <1>90.8 %</1>.")
>>> draft.missing
()
>>> verify(protected, "The rate was 90 %.").hint
'mt missing: number 90.8, markup <1>, markup </1>'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.tokens.tags import TAG_RE, find_tags

__all__ = [
    "Draft",
    "Expectation",
    "Protected",
    "extract_markup",
    "extract_numbers",
    "missing_hint",
    "protect",
    "verify",
]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLACEHOLDER = "TERM{}"


@dataclass(frozen=True, kw_only=True)
class Expectation:
    """Something the translation must contain: ``kind`` is term, dnt, number or markup."""

    kind: str
    text: str
    term: Any = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        if self.kind in ("term", "dnt"):
            return f"{self.kind} “{self.text}”"
        return f"{self.kind} {self.text}"


@dataclass(frozen=True, kw_only=True)
class Protected:
    """A source prepared for MT: ``text`` goes to the engine, ``tokens`` come back out."""

    source: str
    text: str
    locale: str = ""
    tokens: tuple[tuple[str, str], ...] = ()
    expected: tuple[Expectation, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Draft:
    text: str
    missing: tuple[Expectation, ...] = ()

    @property
    def hint(self) -> str | None:
        return missing_hint(self.missing)


def protect(source: str, *, glossary: Any, locale: str, mode: str = "target") -> Protected:
    """Replace glossary terms in ``source`` for MT and list what the output must contain."""
    if mode not in ("target", "placeholder"):
        raise ValueError(f"unknown protection mode {mode!r}")
    pieces: list[str] = []
    tokens: list[tuple[str, str]] = []
    expected: list[Expectation] = []
    protected_spans: list[tuple[int, int]] = []
    position = 0
    for start, end, rendering, term in _term_renderings(source, glossary, locale):
        pieces.append(source[position:start])
        if term is not None and getattr(term, "dnt", False):
            pieces.append(rendering)
            expected.append(Expectation(kind="dnt", text=rendering, term=term))
        elif mode == "placeholder":
            token = _PLACEHOLDER.format(len(tokens) + 1)
            tokens.append((token, rendering))
            pieces.append(token)
            expected.append(Expectation(kind="term", text=rendering, term=term))
        else:
            pieces.append(rendering)
            expected.append(Expectation(kind="term", text=rendering, term=term))
        protected_spans.append((start, end))
        position = end
    pieces.append(source[position:])
    unprotected = _blank_spans(source, protected_spans)
    numbers = _unique(extract_numbers(unprotected))
    expected.extend(Expectation(kind="number", text=number) for number in numbers)
    expected.extend(Expectation(kind="markup", text=m) for m in extract_markup(source))
    return Protected(
        source=source,
        text="".join(pieces),
        locale=locale,
        tokens=tuple(tokens),
        expected=tuple(_dedupe(expected)),
    )


def verify(protected: Protected, output: str, *, glossary: Any = None) -> Draft:
    """Restore placeholder tokens in an MT output and report what did not survive.

    With the ``glossary``, a term counts as present in any rendering its checks accept (a
    capital at the start, an English plural, an ``allowed`` form); without it, the approved
    rendering must appear, ignoring case.
    """
    text = output
    for number, (_token, rendering) in enumerate(protected.tokens, start=1):
        # Models may re-case or space the token ("Term 1"); \b keeps TERM1 apart from TERM10.
        text = re.sub(rf"(?i)\bTERM\s*{number}\b", rendering.replace("\\", "\\\\"), text)
    numbers = set(extract_numbers(TAG_RE.sub(" ", text)))
    markup = Counter(extract_markup(text))
    folded = text.casefold()
    missing = []
    for item in protected.expected:
        if item.kind in ("term", "dnt") and glossary is not None and item.term is not None:
            ok = bool(glossary.target_matches(text, item.term, protected.locale))
        elif item.kind == "term":
            ok = item.text.casefold() in folded
        elif item.kind == "dnt":
            ok = item.text in text
        elif item.kind == "number":
            ok = item.text in numbers
        else:
            ok = markup[item.text] > 0
            if ok:
                markup[item.text] -= 1
        if not ok:
            missing.append(item)
    return Draft(text=text, missing=tuple(missing))


def missing_hint(missing: Sequence[Expectation]) -> str | None:
    """The ``#.`` line a reviewer reads first, or ``None`` when nothing is missing."""
    if not missing:
        return None
    return "mt missing: " + ", ".join(item.describe() for item in missing)


def extract_numbers(text: str) -> list[str]:
    """Numbers as written, normalised: full-width digits folded, thousands commas removed.

    >>> extract_numbers("ORR 89.1%，共１,２００例，1-2级")
    ['89.1', '1200', '1', '2']
    """
    folded = unicodedata.normalize("NFKC", text)
    numbers: list[str] = []
    for match in _NUMBER.finditer(folded):
        value = match.group()
        if _THOUSANDS.match(value):
            value = value.replace(",", "")
        elif "," in value:  # "1,2" is a list, not a number: keep each
            numbers.extend(part for part in re.split(r",", value) if part)
            continue
        numbers.append(value)
    return numbers


def extract_markup(text: str) -> list[str]:
    """Inline-markup placeholders in order: ``<1>``, ``</1>``, ``<2/>``."""
    return [tag.text for tag in find_tags(text)]


def _term_renderings(source: str, glossary: Any, locale: str) -> list[tuple[int, int, str, Any]]:
    """Non-overlapping (start, end, rendering, term) for the enforced terms in ``source``.

    Only approved terms are imposed on MT: a proposed rendering is not yet the rule.
    """
    if glossary is None or not source:
        return []
    found = []
    last_end = 0
    matches = sorted(glossary.find(source), key=lambda m: (m.start, -(m.end - m.start)))
    for match in matches:
        if match.start < last_end:
            continue
        term = match.term
        if not getattr(term, "is_enforced", True):
            continue
        if getattr(term, "dnt", False):
            # Verbatim means the glossary's form (a full-width Ｇ５９５Ｒ in the source still
            # must come out as G595R).
            form = getattr(match, "form", None) or source[match.start : match.end]
            found.append((match.start, match.end, form, term))
        else:
            rendering = _target_of(term, locale)
            if not rendering:
                continue
            found.append((match.start, match.end, rendering, term))
        last_end = match.end
    return found


def _target_of(term: Any, locale: str) -> str | None:
    if hasattr(term, "target_for"):
        return term.target_for(locale)
    targets = getattr(term, "target", None) or getattr(term, "targets", None) or {}
    if isinstance(targets, str):
        return targets
    if locale in targets:
        return targets[locale]
    language = locale.split("_")[0]
    return targets.get(language)


def _blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each span (and each markup placeholder) replaced by spaces."""
    characters = list(text)
    for start, end in spans:
        characters[start:end] = " " * (end - start)
    return TAG_RE.sub(lambda m: " " * len(m.group()), "".join(characters))


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _dedupe(items: list[Expectation]) -> list[Expectation]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for item in items:
        key = (item.kind, item.text)
        if item.kind != "markup" and key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept
