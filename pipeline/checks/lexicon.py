"""The contrast lexicon: content words whose loss or reversal changes what a medical text says.

A YAML file the team extends like the glossary (``contrast.yaml`` at the project root, or the
path in ``[tool.pipeline] contrast``), on top of the packaged default
``pipeline/checks/data/contrast.yaml``. Each entry is one meaning: its source forms, its
renderings per target locale (English as lemmas: ``increase`` also finds ``increased``), the
entries that mean the opposite, and a class (direction, frequency, population…)::

    entries:
      - id: children
        class: population
        source: [儿童, 小儿, 患儿]
        target: {en: [child, paediatric, pediatric]}
        opposite: [adults]

The file is validated like glossary.yaml (YAML 1.2 with line numbers, pydantic strict): a
problem is reported as ``contrast.yaml:12: message`` and stops the command (exit 2).

Matching is flat in the size of the lexicon: the source forms sit in one Aho-Corasick
automaton (the glossary's :class:`~pipeline.glossary.matcher.SourceMatcher`); a translation is
tokenised once, its words reduced to lemmas, and the lemma string scanned by a second
automaton that holds every rendering.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import GlossaryError, LexiconError

__all__ = [
    "CLASSES",
    "ContrastEntry",
    "ContrastLexicon",
    "DEFAULT_LEXICON_PATH",
    "LexiconMatch",
    "default_lexicon",
    "english_lemmas",
    "load_lexicon",
    "parse_lexicon",
]

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parent / "data" / "contrast.yaml"

Class = Literal[
    "direction",
    "comparison",
    "frequency",
    "certainty",
    "population",
    "site",
    "cancer",
    "drug-action",
    "route",
    "treatment",
    "cost",
    "role",
    "counted",
]
CLASSES: tuple[str, ...] = get_args(Class)
When = Literal["always", "counted"]
_ENTRY_KEYS = ("id", "class", "source", "target", "opposite", "when", "note")
_TOP_KEYS = ("source_locale", "include_default", "entries")
_ID_PATTERN = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True, kw_only=True)
class ContrastEntry:
    """One meaning: its source forms, renderings per locale and opposite entries."""

    id: str
    kind: str
    source: tuple[str, ...]
    target: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    opposite: tuple[str, ...] = ()
    when: When = "always"
    note: str | None = None
    line: int | None = field(default=None, compare=False)

    def renderings(self, locale: str) -> tuple[str, ...]:
        """The renderings in ``locale`` (``en_GB`` falls back to ``en``); () if none."""
        for candidate in _fallbacks(locale):
            if candidate in self.target:
                return self.target[candidate]
        return ()


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    """A lexicon entry found in a source text."""

    start: int
    end: int
    text: str
    entry: ContrastEntry


class _EntrySchema(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)

    id: str
    kind: Class = Field(alias="class")
    source: list[str]
    target: dict[str, list[str]]
    opposite: list[str] = []
    when: When = "always"
    note: str | None = None


class _TopSchema(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    source_locale: str | None = None
    include_default: bool = True
    entries: list[Any] = []


def _fallbacks(locale: str) -> Iterable[str]:
    parts = locale.replace("-", "_").split("_")
    for size in range(len(parts), 0, -1):
        yield "_".join(parts[:size])


# --- English lemmas --------------------------------------------------------------------------

_EN_WORD_RE = re.compile(r"[a-z]+")
_IRREGULAR = {
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "grew": "grow",
    "grown": "grow",
    "cut": "cut",
    "kept": "keep",
    "quit": "quit",
    "children": "child",
    "women": "woman",
    "men": "man",
    "people": "person",
    "better": "better",
    "worse": "worse",
    "analyses": "analysis",
    "metastases": "metastasis",
    "was": "be",
    "were": "be",
    "is": "be",
    "are": "be",
    "been": "be",
    "did": "do",
    "does": "do",
    "done": "do",
    "paid": "pay",
    "fewer": "fewer",
    "less": "less",
    "lesser": "less",
    "shrank": "shrink",
    "shrunk": "shrink",
    "has": "have",
    "had": "have",
    "took": "take",
    "taken": "take",
    "led": "lead",
    "went": "go",
    "gone": "go",
}


@functools.lru_cache(maxsize=65536)
def english_lemmas(word: str) -> tuple[str, ...]:
    """The word and the lemmas it may be an inflection of, most likely first.

    >>> english_lemmas("increased")
    ('increased', 'increase', 'increas')
    >>> english_lemmas("therapies")[:2]
    ('therapies', 'therapy')
    >>> english_lemmas("stopped")[:3]
    ('stopped', 'stop', 'stoppe')
    """
    word = word.lower()
    candidates = [word]
    if word in _IRREGULAR:
        candidates.append(_IRREGULAR[word])
    for suffix, replacements in (
        ("ies", ("y",)),
        ("ied", ("y",)),
        ("ing", ("e", "")),
        ("ed", ("e", "")),
        ("es", ("", "e")),
        ("s", ("",)),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(stem) > 2 and stem[-1] == stem[-2]:
                candidates.append(stem[:-1])  # stopped, stopping
            candidates.extend(stem + ending for ending in replacements)
            break
    return tuple(dict.fromkeys(candidates))


def _target_words(text: str) -> list[str]:
    return _EN_WORD_RE.findall(text.lower().replace("’", "'"))


# --- the lexicon ------------------------------------------------------------------------------


class ContrastLexicon:
    """The loaded lexicon: entries by id, a source automaton, per-locale rendering automata."""

    def __init__(self, entries: Sequence[ContrastEntry]) -> None:
        from pipeline.glossary.matcher import SourceMatcher
        from pipeline.glossary.terms import Term

        self.entries: dict[str, ContrastEntry] = {entry.id: entry for entry in entries}
        self._matcher = SourceMatcher(
            Term(id=entry.id, source=entry.source[0], variants=entry.source[1:])
            for entry in entries
        )
        self._targets: dict[str, _TargetIndex] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, source: str) -> list[LexiconMatch]:
        """Every lexicon word of a source text, leftmost-longest."""
        return [
            LexiconMatch(start, end, source[start:end], entry)
            for start, end, entry in self.spans(source)
        ]

    def spans(self, source: str) -> list[tuple[int, int, ContrastEntry]]:
        """:meth:`find` as (start, end, entry) tuples, for callers that keep few of them."""
        entries = self.entries
        return [
            (start, end, entries[term.id]) for start, end, _, term in self._matcher.spans(source)
        ]

    def found_in(self, translation: str, locale: str) -> dict[str, str]:
        """The entries whose renderings occur in a translation: id -> the text found."""
        index = self._targets.get(locale)
        if index is None:
            index = self._targets[locale] = _TargetIndex(self.entries.values(), locale)
        return index.find(translation)


class _TargetIndex:
    """Every rendering of one locale as a lemma sequence in one automaton.

    A translation is reduced to its words; each word is replaced by the first of its lemma
    candidates that some rendering uses (or kept as it is), and the resulting space-separated
    string is scanned once.
    """

    def __init__(self, entries: Iterable[ContrastEntry], locale: str) -> None:
        self.vocabulary: set[str] = set()
        phrases: dict[str, list[tuple[str, str]]] = {}
        for entry in entries:
            for rendering in entry.renderings(locale):
                words = _target_words(rendering)
                self.vocabulary.update(words)
                if words:
                    key = " " + " ".join(words) + " "
                    phrases.setdefault(key, []).append((entry.id, rendering))
        self._lemmas: dict[str, str] = {}  # word -> the lemma a rendering uses (or itself)
        self._automaton = ahocorasick.Automaton()
        for key, owners in phrases.items():
            self._automaton.add_word(key, tuple(owners))
        self._size = len(phrases)
        if self._size:
            self._automaton.make_automaton()

    def lemma(self, word: str) -> str:
        try:
            return self._lemmas[word]
        except KeyError:
            pass
        found = word
        if word not in self.vocabulary:
            for candidate in english_lemmas(word):
                if candidate in self.vocabulary:
                    found = candidate
                    break
        if len(self._lemmas) > 100_000:
            self._lemmas.clear()
        self._lemmas[word] = found
        return found

    def find(self, translation: str) -> dict[str, str]:
        if not self._size:
            return {}
        lemmas = self._lemmas
        text = (
            " "
            + " ".join(
                [lemmas.get(word) or self.lemma(word) for word in _target_words(translation)]
            )
            + " "
        )
        found: dict[str, str] = {}
        for _, owners in self._automaton.iter(text):
            for entry_id, rendering in owners:
                found.setdefault(entry_id, rendering)
        return found


# --- loading ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def default_lexicon() -> ContrastLexicon:
    """The packaged lexicon, loaded once per process."""
    return ContrastLexicon(
        parse_lexicon(DEFAULT_LEXICON_PATH.read_text("utf-8"), path=DEFAULT_LEXICON_PATH)[0]
    )


def load_lexicon(path: Path | None, *, shown: str | None = None) -> ContrastLexicon:
    """The packaged lexicon extended by the project's file at ``path`` (if it exists).

    A project file with ``include_default: false`` replaces the packaged entries instead.
    Raises :class:`~pipeline.errors.LexiconError` (``path:line: message``) for a bad file.
    """
    if path is None or not path.is_file():
        return default_lexicon()
    where = shown or path
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LexiconError("not UTF-8 text; save the file as UTF-8", path=where) from exc
    except OSError as exc:
        raise LexiconError(f"cannot read the file ({exc.strerror})", path=where) from exc
    entries, include_default = parse_lexicon(text, path=shown or path)
    if not include_default:
        return ContrastLexicon(entries)
    base = parse_lexicon(DEFAULT_LEXICON_PATH.read_text("utf-8"), path=DEFAULT_LEXICON_PATH)[0]
    own = {entry.id for entry in entries}
    merged = [entry for entry in base if entry.id not in own] + list(entries)
    _check_opposites(merged, path=shown or path)
    _check_forms(base, entries, own, path=shown or path)
    return ContrastLexicon(merged)


def parse_lexicon(text: str, *, path: str | Path | None) -> tuple[tuple[ContrastEntry, ...], bool]:
    """Validate a lexicon file; return its entries and whether it extends the default."""
    from pipeline.glossary.schema import parse_yaml

    try:
        document = parse_yaml(text, path=path)
    except GlossaryError as exc:
        raise LexiconError(exc.message, path=exc.path, line=exc.line) from exc
    validator = _Validator(document, path=path)
    entries, include_default = validator.validate()
    if validator.problems:
        line, message = min(validator.problems, key=lambda problem: problem[0] or 0)
        raise LexiconError(message, path=path, line=line)
    return entries, include_default


def _check_opposites(entries: Sequence[ContrastEntry], *, path: str | Path | None) -> None:
    ids = {entry.id for entry in entries}
    for entry in entries:
        for other in entry.opposite:
            if other not in ids:
                raise LexiconError(
                    f"entry {entry.id!r}: opposite {other!r} is not an entry id; "
                    "add that entry or remove it from opposite",
                    path=path,
                    line=entry.line,
                )


def _check_forms(
    base: Sequence[ContrastEntry],
    entries: Sequence[ContrastEntry],
    own: set[str],
    *,
    path: str | Path | None,
) -> None:
    """A project entry may not take a source form of a packaged entry it does not replace."""
    packaged = {form: entry for entry in base if entry.id not in own for form in entry.source}
    for entry in entries:
        for form in entry.source:
            other = packaged.get(form)
            if other is not None:
                raise LexiconError(
                    f"entry {entry.id!r}: source form {form!r} already belongs to the packaged "
                    f"entry {other.id!r}; use id: {other.id} to replace that entry",
                    path=path,
                    line=entry.line,
                )


class _Validator:
    """Collects the problems of one lexicon document, each with its line."""

    def __init__(self, document: Any, *, path: str | Path | None) -> None:
        from pipeline.glossary.schema import _Validator as GlossaryValidator

        self.document = document
        self.path = path
        # The glossary's validator knows how to find the line of any key or item.
        self._lines = GlossaryValidator(source_locale="zh_Hans", target_locales=())
        self._lines.root = document
        self.problems: list[tuple[int | None, str]] = []

    def report(self, where: tuple[str | int, ...], message: str) -> None:
        self.problems.append((self._lines.line_of(where), message))

    def validate(self) -> tuple[tuple[ContrastEntry, ...], bool]:
        from pipeline.glossary.schema import _plain

        if self.document is None:
            self.report((), "the lexicon is empty; add entries: with at least one entry")
            return (), True
        if not isinstance(self.document, Mapping):
            self.report((), "the lexicon must be a mapping with an entries: list")
            return (), True
        plain = _plain(self.document)
        try:
            top = _TopSchema.model_validate(plain)
        except ValidationError as exc:
            for error in exc.errors():
                self.report(tuple(error["loc"][:1]), _message(error, label=None))
            return (), True
        entries: list[ContrastEntry] = []
        for index, raw in enumerate(top.entries):
            entry = self.validate_entry(index, raw)
            if entry is not None:
                entries.append(entry)
        self.check_unique(entries)
        if not self.problems:
            ids = {entry.id for entry in entries}
            for number, entry in enumerate(entries):
                for other in entry.opposite:
                    if other not in ids and not top.include_default:
                        self.report(
                            ("entries", number, "opposite"),
                            f"entry {entry.id!r}: opposite {other!r} is not an entry id; "
                            "add that entry or remove it from opposite",
                        )
        return tuple(entries), top.include_default

    def validate_entry(self, index: int, raw: Any) -> ContrastEntry | None:
        where: tuple[str | int, ...] = ("entries", index)
        label = f"entry {index + 1}"
        if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
            label = f"entry {raw['id']!r}"
        try:
            schema = _EntrySchema.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                self.report(where + tuple(error["loc"][:1]), _message(error, label=label))
            return None
        if not _ID_PATTERN.fullmatch(schema.id):
            self.report(
                where + ("id",),
                f"{label}: id must be lower-case letters, digits and '-', such as 'stop-drug'",
            )
        for key, values in (("source", schema.source), ("opposite", schema.opposite)):
            if key == "source" and not values:
                self.report(where + (key,), f"{label}: source needs at least one form")
            for value in values:
                if not value.strip() or value != value.strip():
                    self.report(where + (key,), f"{label}: {key} {value!r} must be trimmed text")
        for locale, renderings in schema.target.items():
            if not renderings or any(not rendering.strip() for rendering in renderings):
                self.report(
                    where + ("target",),
                    f"{label}: target for {locale!r} needs at least one non-empty rendering",
                )
        if schema.id in schema.opposite:
            self.report(where + ("opposite",), f"{label}: an entry cannot be its own opposite")
        return ContrastEntry(
            id=schema.id,
            kind=schema.kind,
            source=tuple(schema.source),
            target={locale: tuple(values) for locale, values in schema.target.items()},
            opposite=tuple(schema.opposite),
            when=schema.when,
            note=schema.note,
            line=self._lines.line_of(where),
        )

    def check_unique(self, entries: Sequence[ContrastEntry]) -> None:
        seen_ids: dict[str, ContrastEntry] = {}
        seen_forms: dict[str, ContrastEntry] = {}
        for number, entry in enumerate(entries):
            if entry.id in seen_ids:
                self.problems.append(
                    (
                        entry.line,
                        f"entry {entry.id!r} is defined twice (first on line "
                        f"{seen_ids[entry.id].line}); ids must be unique",
                    )
                )
            seen_ids.setdefault(entry.id, entry)
            for form in entry.source:
                other = seen_forms.get(form)
                if other is not None and other.id != entry.id:
                    self.report(
                        ("entries", number, "source"),
                        f"entry {entry.id!r}: source form {form!r} already belongs to entry "
                        f"{other.id!r} (line {other.line}); a form has one meaning",
                    )
                seen_forms.setdefault(form, entry)


def _message(error: Mapping[str, Any], *, label: str | None) -> str:
    """A pydantic error as a sentence that says how to fix it."""
    from pipeline.glossary.schema import _describe_value

    kind = error["type"]
    location = error["loc"]
    value = error["input"]
    prefix = f"{label}: " if label else ""
    name = str(location[0]) if location else "value"
    known = _ENTRY_KEYS if label else _TOP_KEYS
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(known)
        return f"{prefix}unknown key {name!r}; {hint}"
    if kind == "missing":
        return f"{prefix}{name} is required"
    if kind == "literal_error":
        choices = CLASSES if name == "class" else get_args(When)
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return (
            f"{prefix}{name} must be one of {', '.join(choices)}, "
            f"not {_describe_value(value)}{hint}"
        )
    if kind == "bool_type":
        return f"{prefix}{name} must be true or false, not {_describe_value(value)}"
    if kind == "string_type":
        return f"{prefix}{name} must be text, not {_describe_value(value)}; put it in quotes"
    if kind == "list_type":
        return (
            f"{prefix}{name} must be a list such as [first, second], not {_describe_value(value)}"
        )
    if kind == "dict_type":
        return (
            f"{prefix}{name} must be a mapping of locale to a list such as {{en: [...]}}, "
            f"not {_describe_value(value)}"
        )
    if kind == "model_type":
        return f"{prefix}must be a mapping with id, class, source and target"
    return f"{prefix}{name}: {error['msg']}"
