"""Glossary protection before machine translation, and verification after it.

Before MT, each glossary term in the source is replaced by its approved rendering for the
target locale (``mode="target"``: NMT models copy a Latin-script span through), or by a
numbered token restored afterwards (``mode="placeholder"``); do-not-translate terms stay
verbatim. After MT, the draft is checked for everything that must survive: approved terms,
dnt tokens, numbers and inline-markup placeholders (``<1>…</1>``, ``<2/>``). A draft that lost
any of them is still a draft worth writing, with a hint naming what is missing. Numbers are
compared by value with :func:`pipeline.tokens.numbers.number_differences`, the comparison the
``numbers`` check makes, so a draft gets a hint exactly when ``pipeline check`` would report
its numbers (``1.2万例`` is 12,000 patients; ``1.2 patients`` is missing 12,000 and adds 1.2).

>>> protected = protect("颅内客观缓解率为<1>90.8%</1>。", glossary=None, locale="en")
>>> draft = verify(protected, "The intracranial response rate was <1>90.8 %</1>.")
>>> draft.missing
()
>>> verify(protected, "The rate was 90 %.").hint
'mt missing: number 90.8, markup <1>, markup </1>; added: number 90'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import UsageError
from pipeline.tokens.numbers import (
    Number,
    TermReading,
    lost_percent_sign,
    not_quantities,
    number_differences,
)
from pipeline.tokens.tags import find_tags

__all__ = [
    "PROTECTION_MODES",
    "Draft",
    "Expectation",
    "Protected",
    "check_protection_mode",
    "extract_markup",
    "missing_hint",
    "protect",
    "verify",
]

#: How glossary terms are protected: ``target`` puts the approved rendering into the source,
#: ``placeholder`` a numbered token restored after MT.
PROTECTION_MODES = ("target", "placeholder")

_PLACEHOLDER = "TERM{}"


@dataclass(frozen=True, kw_only=True)
class Expectation:
    """Something the translation must contain: ``kind`` is term, dnt, number, percent (the
    sign or word of a percentage) or markup."""

    kind: str
    text: str
    term: Any = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        if self.kind in ("term", "dnt"):
            return f"{self.kind} “{self.text}”"
        if self.kind == "percent":
            return f"percent sign of {self.text}"
        return f"{self.kind} {self.text}"


@dataclass(frozen=True, kw_only=True)
class Protected:
    """A source prepared for MT: ``text`` goes to the engine, ``tokens`` come back out."""

    source: str
    text: str
    locale: str = ""
    source_locale: str = "zh_Hans"
    tokens: tuple[tuple[str, str], ...] = ()
    expected: tuple[Expectation, ...] = ()
    not_numbers: tuple[str, ...] = ()  # glossary terms whose digits are not quantities


@dataclass(frozen=True, kw_only=True)
class Draft:
    text: str
    missing: tuple[Expectation, ...] = ()
    added: tuple[Expectation, ...] = ()  # numbers the source does not have

    @property
    def hint(self) -> str | None:
        return missing_hint(self.missing, self.added)


def check_protection_mode(mode: str) -> None:
    """Raise :class:`~pipeline.errors.UsageError` unless ``mode`` is one of
    :data:`PROTECTION_MODES`."""
    if mode not in PROTECTION_MODES:
        raise UsageError(
            "glossary_protection must be 'target' (approved rendering in the source) or "
            f"'placeholder' (numbered tokens), not {mode!r}"
        )


def protect(
    source: str,
    *,
    glossary: Any,
    locale: str,
    mode: str = "target",
    source_locale: str = "zh_Hans",
) -> Protected:
    """Replace glossary terms in ``source`` for MT and list what the output must contain
    (its numbers are compared as a whole by :func:`verify`)."""
    check_protection_mode(mode)
    pieces: list[str] = []
    tokens: list[tuple[str, str]] = []
    expected: list[Expectation] = []
    readings: list[TermReading] = []
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
        readings.append(_reading(source[start:end], rendering, term))
        position = end
    pieces.append(source[position:])
    expected.extend(Expectation(kind="markup", text=m) for m in extract_markup(source))
    return Protected(
        source=source,
        text="".join(pieces),
        locale=locale,
        source_locale=source_locale,
        tokens=tuple(tokens),
        expected=tuple(_dedupe(expected)),
        not_numbers=not_quantities(readings, source_locale, locale),
    )


def _reading(found: str, rendering: str, term: Any) -> TermReading:
    dnt = bool(getattr(term, "dnt", False))
    forms = tuple(getattr(term, "forms", ())) if dnt else ()
    return TermReading(text=found, dnt=dnt, forms=forms, target=None if dnt else rendering)


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
        else:
            ok = markup[item.text] > 0
            if ok:
                markup[item.text] -= 1
        if not ok:
            missing.append(item)
    numbers = number_differences(
        protected.source,
        text,
        protected.source_locale,
        protected.locale or "en",
        protected=protected.not_numbers,
    )
    # Numbers go after terms and before markup, as reviewers read them.
    markup_at = next((i for i, item in enumerate(missing) if item.kind == "markup"), len(missing))
    number_items = _number_items(numbers.missing)
    # "89.1% of patients" -> "89.1 patients": the value is there, the unit is not (when a
    # value is missing, naming it says enough).
    lost = None if numbers.missing else lost_percent_sign(protected.source, text)
    if lost is not None:
        number_items.append(Expectation(kind="percent", text=lost))
    missing[markup_at:markup_at] = number_items
    return Draft(text=text, missing=tuple(missing), added=tuple(_number_items(numbers.extra)))


def _number_items(numbers: Sequence[Number]) -> list[Expectation]:
    return [
        Expectation(kind="number", text=shown)
        for shown in dict.fromkeys(number.display() for number in numbers)
    ]


def missing_hint(missing: Sequence[Expectation], added: Sequence[Expectation] = ()) -> str | None:
    """The ``#.`` line a reviewer reads first, or ``None`` when nothing is wrong:
    ``mt missing: term “…”, number 89.1; added: number 98.1``."""
    if not missing and not added:
        return None
    parts = []
    if missing:
        parts.append("missing: " + _listed(missing))
    if added:
        parts.append("added: " + _listed(added))
    return "mt " + "; ".join(parts)


# A draft from a broken model can hold dozens of stray numbers: a hint names a few.
_LISTED = 8


def _listed(items: Sequence[Expectation]) -> str:
    shown = ", ".join(item.describe() for item in items[:_LISTED])
    more = len(items) - _LISTED
    return f"{shown} and {more} more" if more > 0 else shown


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
