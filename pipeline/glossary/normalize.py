"""Length-preserving text folding for term matching.

Every fold here maps one code point to exactly one code point, so an offset in the folded
text *is* the offset in the original text: matches are reported on the original without an
offset table. What is folded:

- full-width ASCII (``Ｇ５９５Ｒ``, ``（``) to half-width, the ideographic space and no-break
  spaces to a plain space, and the Unicode hyphens U+2010-U+2012 to ``-``;
- optionally, Traditional Chinese characters to Simplified, one character at a time with
  OpenCC's ``t2s`` tables (phrase-level conversion would fold a term differently from the
  same characters inside a sentence, so it is deliberately not used);
- for case-insensitive matching, letters to lower case (``str.lower`` where it keeps the
  length; the rare letters that expand, such as ``İ``, are kept as they are).

>>> TextFolder().fold("Ｇ５９５Ｒ突变")
'G595R突变'
>>> TextFolder(traditional=True).fold("血腦屏障")
'血脑屏障'
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

__all__ = ["TextFolder", "is_word_char", "lower_same_length", "WORD_CHAR_CLASS"]

#: ``re`` construct matching one character that makes up a Latin "word" for boundary tests:
#: a letter or digit below the CJK blocks (Latin, Greek, Cyrillic...). CJK characters are not
#: word characters, so ``TRK抑制剂`` contains the word ``TRK``. It is one character wide, so it
#: may stand in a lookbehind. (Written as a lookahead on a small range plus ``[^\W_]`` rather
#: than as the class ``[^\W_\u2e80-\U0010ffff]``, which means the same but takes ``re``
#: milliseconds to compile: a glossary has hundreds of renderings, compiled in every process.)
WORD_CHAR_CLASS = r"(?=[\x00-\u2e7f])[^\W_]"

_BASE_TABLE: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_BASE_TABLE.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0x202F: 0x20,  # narrow no-break space
        0x2010: 0x2D,  # hyphen
        0x2011: 0x2D,  # non-breaking hyphen
        0x2012: 0x2D,  # figure dash
    }
)
_FIRST_CJK = "\u2e80"


def is_word_char(char: str) -> bool:
    """True for a letter or digit that takes part in Latin word boundaries (not CJK).

    >>> is_word_char("C"), is_word_char("1"), is_word_char("抑"), is_word_char("-")
    (True, True, False, False)
    """
    return char < _FIRST_CJK and char.isalnum()


def lower_same_length(text: str) -> str:
    """``text.lower()``, except letters whose lower case is longer stay unchanged."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@functools.cache
def _t2s_converter() -> _Converter:
    import opencc  # imported lazily: only glossaries that ask for Traditional folding need it

    return opencc.OpenCC("t2s")  # type: ignore[no-any-return]


class _LearningTable(dict[int, int]):
    """The fold table, completed on demand with the t2s mapping of each character met.

    ``str.translate`` looks every character up; a character not yet in the table is looked
    up once in OpenCC's tables (CJK) or mapped to itself (anything else) and remembered, so
    that the next texts are folded by ``str.translate`` alone, in C.
    """

    def __missing__(self, code: int) -> int:
        value = code
        char = chr(code)
        if char >= _FIRST_CJK:
            simplified = _t2s_converter().convert(char)
            if len(simplified) == 1 and simplified != char:
                value = ord(simplified)
        self[code] = value
        return value


class TextFolder:
    """Folds text for matching; the same folder must be used for terms and for text."""

    def __init__(self, *, traditional: bool = False) -> None:
        self.traditional = traditional
        self._table: dict[int, int] = (
            _LearningTable(_BASE_TABLE) if traditional else dict(_BASE_TABLE)
        )
        characters = "".join(re.escape(chr(code)) for code in sorted(_BASE_TABLE))
        self._pattern = re.compile(f"[{characters}]")
        self._replacements = {chr(code): chr(value) for code, value in _BASE_TABLE.items()}

    def fold(self, text: str) -> str:
        """Fold ``text`` (same length, same offsets)."""
        if self.traditional:
            # Any CJK character may need folding: translate it all (and learn as we go).
            return text.translate(self._table)
        # A text without anything to fold (one regex search, in C) is returned as it is. In
        # the others (Chinese text nearly always has a full-width comma or two) each distinct
        # character to fold is replaced: ``str.translate`` would look every character up in
        # the table, and each character missing from it costs a KeyError in C. The same
        # result: every replacement is ASCII, which the table never folds further.
        found = self._pattern.findall(text)
        if not found:
            return text
        replacements = self._replacements
        for char in set(found):
            text = text.replace(char, replacements[char])
        return text
