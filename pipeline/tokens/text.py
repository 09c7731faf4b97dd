"""Lexical helpers shared by the checks: normalisation, identifiers, scripts (placeholder
tags live in :mod:`pipeline.tokens.tags`).

An *identifier* is a Latin token that names something and holds digits that are not
quantities: gene and protein symbols (``NTRK1``, ``ETV6-NTRK3``, ``PD-L1``), mutations
(``G595R``, ``T790M``), trial and drug codes (``NCT02576431``, ``LOXO-195``), ``IC50``. The
numbers check ignores them; the ``dnt`` check requires them verbatim.

>>> identifier_spans("TRKA G595R突变与NTRK1/2/3融合，1-2级")
((5, 10), (13, 22))
>>> code_tokens("ETV6-NTRK3融合与G595R、G667C突变，1-2级，PD-L1")
('ETV6-NTRK3', 'G595R', 'G667C', 'PD-L1')
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "CJK_RE",
    "acronyms",
    "code_tokens",
    "has_identifier",
    "identifier_spans",
    "is_cjk_language",
    "normalize",
]

#: Han ideographs, kana and hangul: the scripts that must not survive into a Latin target.
CJK_RE = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]+"
)

_CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "wuu", "hak", "nan", "gan", "hsn"})

_ROMAN_CHARS = {
    0x2160: "I", 0x2161: "II", 0x2162: "III", 0x2163: "IV", 0x2164: "V", 0x2165: "VI",
    0x2166: "VII", 0x2167: "VIII", 0x2168: "IX", 0x2169: "X", 0x216A: "XI", 0x216B: "XII",
    0x2170: "i", 0x2171: "ii", 0x2172: "iii", 0x2173: "iv", 0x2174: "v", 0x2175: "vi",
    0x2176: "vii", 0x2177: "viii", 0x2178: "ix", 0x2179: "x",
}  # fmt: skip

# Decimal digits of the scripts a target locale may use (Arabic-Indic, Persian, Devanagari,
# Bengali, Thai); full-width digits are in the full-width block below.
_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50)


def _normalisation_table() -> dict[int, str]:
    table: dict[int, str] = {
        code: chr(code - 0xFEE0)
        for code in range(0xFF01, 0xFF5F)
        # The full-width comma separates clauses in Chinese; as ASCII it would read as a
        # thousands separator ("1，200例" is one number only by accident).
        if code != 0xFF0C
    }
    table.update({code: letters for code, letters in _ROMAN_CHARS.items()})
    for first in _DIGIT_BLOCKS:
        table.update({first + digit: str(digit) for digit in range(10)})
    table.update(
        {
            0x3000: " ",  # ideographic space
            0x2010: "-",
            0x2011: "-",
            0x2012: "-",
            0x2212: "-",  # minus sign
            0x066B: ".",  # Arabic decimal separator
            0x066C: ",",  # Arabic thousands separator
            0x066A: "%",  # Arabic percent sign
        }
    )
    return table


_NORMALISATION = _normalisation_table()
# Any character that the table changes: most texts have none (Chinese text keeps its
# full-width comma), and one regex search in C costs less than translating every character
# (``str.translate`` pays for a KeyError on each character missing from the table). Each
# distinct character found is replaced instead: the same result, since every replacement is
# ASCII, which the table never changes.
_NORMALISED_CHAR_RE = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted(_NORMALISATION)) + "]"
)
_REPLACEMENTS = {chr(code): value for code, value in _NORMALISATION.items()}


@functools.lru_cache(maxsize=1024)
def normalize(text: str) -> str:
    """Full-width ASCII to ASCII (except ``，``), other scripts' digits to ASCII digits,
    Unicode Roman numerals (``Ⅲ``) to Latin letters; NFC first.

    >>> normalize("３．０４％，Ⅲ期")
    '3.04%，III期'
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    for char in set(_NORMALISED_CHAR_RE.findall(text)):
        text = text.replace(char, _REPLACEMENTS[char])
    return text


@functools.lru_cache(maxsize=64)
def is_cjk_language(locale: str) -> bool:
    """Chinese, Japanese, Korean (and Chinese languages): targets where CJK text belongs."""
    return locale.split("_")[0] in _CJK_LANGUAGES


_ACRONYM_RE = re.compile(r"[A-Z][A-Za-z]*[A-Z]")  # two capitals or more: NTRK, PD, IL, COVID
_CODE_RE = re.compile(
    r"(?P<letters>[A-Za-z]{2,})\d[A-Za-z0-9]*"  # NTRK1, IC50, Her2
    r"|[A-Za-z]\d+[A-Za-z][A-Za-z0-9]*"  # G595R, T790M, HbA1c, T2N0M0
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Words that count what follows them: "Grade3", "Phase-3" are quantities, not identifiers.
_COUNTING_WORDS = frozenset(
    _words(
        "phase grade stage type class level tier cohort arm part cycle step line day "
        "week month year dose case patient figure fig table group version"
    )
)


def _is_code(part: str) -> bool:
    match = _CODE_RE.fullmatch(part)
    if match is None:
        return False
    letters = match.group("letters")
    return letters is None or letters.lower() not in _COUNTING_WORDS


_DIGIT_RE = re.compile(r"\d")
_PART_SEPARATOR_RE = re.compile(r"[-/]")


def _is_identifier(compound: str) -> bool:
    if not _DIGIT_RE.search(compound):
        return False
    parts = _PART_SEPARATOR_RE.split(compound)
    if parts[0].lower() in _COUNTING_WORDS:
        return False
    return any(_is_code(part) or _ACRONYM_RE.search(part) for part in parts)


# An identifier mixes letters and digits in one compound, so some digit of it touches a
# Latin letter, directly or across one hyphen or slash (NTRK1, PD-L1, COVID-19, 5-FU): most
# sentences have no such digit and are dismissed at once, by one regex search in C.
_DIGITS_RE = re.compile(r"\d+")
# It starts with ``\d`` so that ``re`` skips from digit to digit in C (a pattern starting with
# a letter would be tried at every letter of an English sentence).
_LETTER_TOUCHES_DIGIT_RE = re.compile(r"\d(?:[-/]?[A-Za-z]|(?<=[A-Za-z]\d)|(?<=[A-Za-z][-/]\d))")


def has_identifier(text: str) -> bool:
    """A quick, exact pre-test: does a digit of ``text`` touch a Latin letter?

    >>> [has_identifier(text) for text in ("G595R", "PD-L1", "1-2级", "5-FU", "3/a")]
    [True, True, False, True, True]
    """
    return _LETTER_TOUCHES_DIGIT_RE.search(text) is not None


@functools.lru_cache(maxsize=1024)
def identifier_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Start and end of every identifier in ``text`` (which should be normalised)."""
    if not has_identifier(text):
        return ()
    spans: list[tuple[int, int]] = []
    done = 0
    # Only compounds with a digit can be identifiers: grow one around each run of digits.
    size = len(text)
    for digits in _DIGITS_RE.finditer(text):
        start, end = digits.span()
        if start < done:
            continue
        before = text[start - 1] if start else ""
        after = text[end] if end < size else ""
        if (not before or not (_is_latin_alnum(before) or before in "-/")) and (
            not after or not (_is_latin_alnum(after) or after in "-/")
        ):
            # A bare number (most digits): its compound is itself, and digits alone are no
            # identifier (no letter for a code or an acronym).
            done = end
            continue
        start, end = _compound_around(text, start, end)
        done = end
        if _is_identifier(text[start:end]):
            spans.append((start, end))
    return tuple(spans)


def _is_latin_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _compound_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The Latin compound (``ETV6-NTRK3``, ``NTRK1/2/3``) that holds ``text[start:end]``."""
    while start and (
        _is_latin_alnum(text[start - 1])
        or (text[start - 1] in "-/" and start > 1 and _is_latin_alnum(text[start - 2]))
    ):
        start -= 1
    size = len(text)
    while end < size and (
        _is_latin_alnum(text[end])
        or (text[end] in "-/" and end + 1 < size and _is_latin_alnum(text[end + 1]))
    ):
        end += 1
    return start, end


@functools.lru_cache(maxsize=1024)
def code_tokens(text: str) -> tuple[str, ...]:
    """The identifiers of ``text`` that must be kept verbatim, in order, without repeats.

    A slash lists alternatives (``NTRK1/2/3``), so each part is its own token; a part
    needs a capital letter and a digit (``G595R``, ``NTRK1``, ``COVID-19``). Lower-case
    unit-like parts (``m2``) and counted numbers (``Grade3``) are not tokens.
    """
    found: dict[str, None] = {}
    for start, end in identifier_spans(text):
        for part in text[start:end].split("/"):
            if (
                _DIGIT_RE.search(part)
                and not part.islower()
                and part[0].isalpha()
                and _is_identifier(part)
            ):
                found[part] = None
    return tuple(found)


# An acronym: two capitals or more, alone as a Latin word (CT, RNA, FDA), maybe after one
# lower-case letter (mRNA, xDFG).
# (Written to start with a letter, the "not after a letter or digit" test coming after it, so
# that ``re`` skips in C over the Chinese characters of a source instead of testing a
# lookbehind at each of them; it matches what "(?<![A-Za-z0-9])[a-z]?[A-Z]..." matches.)
_ACRONYM_WORD_RE = re.compile(
    r"(?:[a-z](?<![A-Za-z0-9][a-z])[A-Z]|[A-Z](?<![A-Za-z0-9][A-Z]))[A-Za-z]*[A-Z](?![A-Za-z0-9])"
)
_ROMAN_NUMERAL_RE = re.compile(r"[IVX]+")


@functools.lru_cache(maxsize=1024)
def acronyms(text: str) -> tuple[str, ...]:
    """The acronyms of ``text`` (which should be normalised), in order, without repeats:
    Latin words of two capitals or more, without the identifiers (:func:`code_tokens`) and
    the Roman numerals (``III期`` is a number).

    >>> acronyms("检测方法包括DNA和mRNA测序，CT随访，III期，PD-L1与NTRK1")
    ('DNA', 'mRNA', 'CT')
    """
    found: dict[str, None] = {}
    spans = identifier_spans(text)
    for match in _ACRONYM_WORD_RE.finditer(text):
        word = match.group()
        if _ROMAN_NUMERAL_RE.fullmatch(word):
            continue
        if any(start <= match.start() < end for start, end in spans):
            continue
        found[word] = None
    return tuple(found)
