"""Glossary records: a term (one concept), where it occurs in a source text or a translation."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal, get_args

__all__ = [
    "FIELD_ORDER",
    "POS_VALUES",
    "SCALAR_FIELDS",
    "STATUSES",
    "TargetMatch",
    "Term",
    "TermMatch",
    "derived_term_id",
    "locale_fallbacks",
    "term_match",
]

Status = Literal["approved", "proposed", "deprecated"]
STATUSES: tuple[Status, ...] = get_args(Status)
#: Parts of speech, as TBX-Basic's ``partOfSpeech`` picklist.
PartOfSpeech = Literal["noun", "verb", "adjective", "adverb", "properNoun", "other"]
POS_VALUES: tuple[PartOfSpeech, ...] = get_args(PartOfSpeech)

#: A term's single-valued keys (neither a list nor a per-locale mapping), in FIELD_ORDER.
SCALAR_FIELDS = ("dnt", "case_sensitive", "status", "pos", "definition", "reference", "note")
#: The order of a term's keys in glossary.yaml, in exports and in JSON output.
FIELD_ORDER = ("id", "source", "variants", "target", "allowed", "forbidden", *SCALAR_FIELDS)

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def derived_term_id(source: str) -> str:
    """The id of a term that has no ``id:``: a digest of its preferred source form.

    >>> derived_term_id("血脑屏障")
    't-be92bc4a3a'
    """
    return "t-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:10]


def locale_fallbacks(locale: str) -> Iterator[str]:
    """``zh_Hant_TW``, then ``zh_Hant``, then ``zh``: where to look for a locale's rendering."""
    parts = locale.split("_")
    for size in range(len(parts), 0, -1):
        yield "_".join(parts[:size])


def _lookup(mapping: Mapping[str, Any], locale: str) -> Any:
    for candidate in locale_fallbacks(locale):
        if candidate in mapping:
            return mapping[candidate]
    return None


@dataclass(frozen=True, kw_only=True)
class Term:
    """One concept of the glossary: its source forms and its rendering in each locale.

    ``target`` is the approved rendering, ``allowed`` other renderings that checks accept (an
    abbreviation after first mention, an en dash instead of a hyphen...), ``forbidden``
    renderings that must never appear. A ``dnt`` term is kept verbatim in every locale.
    Only ``approved`` terms are enforced; ``proposed`` ones are hinted as proposals and
    ``deprecated`` ones are kept for the record but neither matched nor hinted.
    """

    id: str
    source: str
    variants: tuple[str, ...] = ()
    target: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    allowed: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)
    forbidden: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)
    dnt: bool = False
    case_sensitive: bool | None = None
    status: Status = "approved"
    pos: str | None = None
    definition: str | None = None
    reference: str | None = None
    note: str | None = None
    has_explicit_id: bool = field(default=False, compare=False)
    line: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Read-only mappings and tuples whatever the caller passed, so a term is a value.
        object.__setattr__(self, "variants", tuple(self.variants))
        object.__setattr__(self, "target", MappingProxyType(dict(self.target)))
        for key in ("allowed", "forbidden"):
            mapping = getattr(self, key)
            frozen = {locale: tuple(items) for locale, items in mapping.items()}
            object.__setattr__(self, key, MappingProxyType(frozen))

    def __hash__(self) -> int:
        return hash((self.id, self.source))

    def __reduce__(self) -> tuple[Any, ...]:
        # Read-only mappings cannot be pickled; process pools get plain dicts and rebuild.
        state = {item.name: getattr(self, item.name) for item in fields(self)}
        for key in ("target", "allowed", "forbidden"):
            state[key] = dict(state[key])
        return (_rebuild_term, (state,))

    @property
    def forms(self) -> tuple[str, ...]:
        """Every source form: the preferred one first, then the variants."""
        return (self.source, *self.variants)

    @property
    def is_case_sensitive(self) -> bool:
        """Latin letters match case-sensitively: by default for dnt symbols only."""
        return self.dnt if self.case_sensitive is None else self.case_sensitive

    @property
    def is_enforced(self) -> bool:
        """Checks require approved terms only."""
        return self.status == "approved"

    @property
    def is_matched(self) -> bool:
        """Deprecated terms stay in the file for the record but are never matched or hinted."""
        return self.status != "deprecated"

    def target_for(self, locale: str) -> str | None:
        """The approved rendering in ``locale`` (falling back from ``en_GB`` to ``en``)."""
        value: str | None = _lookup(self.target, locale)
        return value

    def allowed_for(self, locale: str) -> tuple[str, ...]:
        """Other renderings the checks accept in ``locale``."""
        value: tuple[str, ...] | None = _lookup(self.allowed, locale)
        return value or ()

    def forbidden_for(self, locale: str) -> tuple[str, ...]:
        """Renderings that must never appear in ``locale``."""
        value: tuple[str, ...] | None = _lookup(self.forbidden, locale)
        return value or ()

    def locales(self) -> tuple[str, ...]:
        """Every locale this term says something about, in first-mention order."""
        seen: dict[str, None] = {}
        for mapping in (self.target, self.allowed, self.forbidden):
            seen.update(dict.fromkeys(mapping))
        return tuple(seen)

    def as_dict(self) -> dict[str, Any]:
        """The term as glossary.yaml writes it: keys in canonical order, defaults left out."""
        document: dict[str, Any] = {}
        if self.has_explicit_id:
            document["id"] = self.id
        document["source"] = self.source
        if self.variants:
            document["variants"] = list(self.variants)
        if self.target:
            document["target"] = dict(self.target)
        if self.allowed:
            document["allowed"] = {locale: list(items) for locale, items in self.allowed.items()}
        if self.forbidden:
            document["forbidden"] = {
                locale: list(items) for locale, items in self.forbidden.items()
            }
        if self.dnt:
            document["dnt"] = True
        if self.case_sensitive is not None:
            document["case_sensitive"] = self.case_sensitive
        if self.status != "approved":
            document["status"] = self.status
        for key in ("pos", "definition", "reference", "note"):
            value = getattr(self, key)
            if value is not None:
                document[key] = value
        return document


def _rebuild_term(state: dict[str, Any]) -> Term:
    return Term(**state)


@dataclass(frozen=True, kw_only=True, slots=True)
class TermMatch:
    """A glossary term found in a source text; ``start``/``end`` index the original text."""

    start: int
    end: int
    text: str  # as written in the text (may be full-width or Traditional)
    form: str  # the glossary form that matched: the source or one of its variants
    term: Term


# The slots of TermMatch, set directly by term_match (a frozen dataclass's __init__ sets each
# field through object.__setattr__, after parsing keyword arguments: four times slower).
_TERM_MATCH_SLOTS = tuple(
    TermMatch.__dict__[name].__set__ for name in ("start", "end", "text", "form", "term")
)
assert not hasattr(TermMatch, "__post_init__"), "term_match would skip it"


def term_match(start: int, end: int, text: str, form: str, term: Term) -> TermMatch:
    """``TermMatch(start=start, end=end, text=text, form=form, term=term)``, made quickly:
    the source matcher makes one for every term occurrence of every sentence."""
    match: TermMatch = object.__new__(TermMatch)
    set_start, set_end, set_text, set_form, set_term = _TERM_MATCH_SLOTS
    set_start(match, start)
    set_end(match, end)
    set_text(match, text)
    set_form(match, form)
    set_term(match, term)
    return match


@dataclass(frozen=True, kw_only=True)
class TargetMatch:
    """A rendering of a term found in a translation.

    ``kind`` is ``target`` (the approved rendering), ``allowed``, ``verbatim`` (a dnt form)
    or ``forbidden``; ``rendering`` is the glossary string it matched, ``text`` what the
    translation says (``Adverse events`` for ``adverse event``).
    """

    start: int
    end: int
    text: str
    rendering: str
    kind: Literal["target", "allowed", "verbatim", "forbidden"]
