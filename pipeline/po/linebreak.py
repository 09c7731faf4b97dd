"""UAX #14 line breaking and column widths, ported from libunistring 1.0 as gettext 0.21 uses it.

gettext's ``wrap()`` (see ``pipeline.po.wrap``) asks libunistring where a line may break
(``u8_possible_linebreaks``) and how wide each character is (``uc_width``: East Asian wide
characters count as two columns). The line-break classes are a compact range table (below) on
top of defaults derived from ``unicodedata``; the table was checked code point by code point
against libunistring 1.0, and the tests compare whole files with ``msgcat`` byte for byte.

Version note: the rules are those of libunistring 1.0 as linked by gettext 0.21 (Debian 12,
Unicode 14 like Python 3.11's ``unicodedata``). libunistring 1.1 and later implement more of
UAX #14, so a newer gettext may wrap a few lines differently; the libunistring test in
tests/test_po.py fails loudly when that happens.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from itertools import accumulate

__all__ = ["NO_OVERRIDES", "Prepared", "fill", "line_starts", "prepare", "text_width"]

# Line-break classes. The first 30 index the pair table; OPW is an opening punctuation that is
# East Asian wide (UAX #14 LB30 lets a line break between a letter or digit and it).
_CLASS_NAMES = (
    *("WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP", "EX", "IN", "NS", "OP", "OPW", "QU", "IS"),
    *("NU", "PO", "PR", "SY", "AL", "H2", "H3", "ID", "JL", "JV", "JT", "HL", "RI", "EB", "EM"),
    *("BK", "CM", "ZWJ", "SP", "ZW"),
)
_CLS = {name: index for index, name in enumerate(_CLASS_NAMES)}
_BA, _HY, _NU, _AL = _CLS["BA"], _CLS["HY"], _CLS["NU"], _CLS["AL"]
_H2, _H3, _ID, _HL, _RI = _CLS["H2"], _CLS["H3"], _CLS["ID"], _CLS["HL"], _CLS["RI"]
_BK, _CM, _ZWJ, _SP, _ZW = _CLS["BK"], _CLS["CM"], _CLS["ZWJ"], _CLS["SP"], _CLS["ZW"]
_HL_BA = len(_CLASS_NAMES)  # pseudo class: a Hebrew letter followed by a hyphen (UAX #14 LB21a)

# Pair table (UAX #14 table 7.3 as libunistring 1.0 implements it), row = class before the
# break, column = class after it: D = direct break allowed, I = allowed only after spaces,
# P = prohibited. Columns follow the same order as the rows.
_PAIR_ROWS = (
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # WJ
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # GL
    "PIPIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # B2
    "PDDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # BA
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # BB
    "PDDIDIPPPIIDDIPIDDPDDDDDDDDDDD",  # HY
    "PIDIDIPPPIPDDIPDIIPDDDDDDDDDDD",  # CL
    "PIDIDIPPPIIDDIPIIIPIDDDDDDIDDD",  # CP
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # EX
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # IN
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # NS
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OPW
    "PIIIIIPPPIIPPIPIIIPIIIIIIIIIII",  # QU
    "PIDIDIPPPIIDDIPIDDPDDDDDDDDDDD",  # IS
    "PIDIDIPPPIIIDIPIIIPIDDDDDDIDDD",  # NU
    "PIDIDIPPPIIIIIPIDDPIDDDDDDIDDD",  # PO
    "PIDIDIPPPIIIIIPIDDPIIIIIIIIDII",  # PR
    "PIDIDIPPPIIDDIPIDDPDDDDDDDIDDD",  # SY
    "PIDIDIPPPIIIDIPIIIPIDDDDDDIDDD",  # AL
    "PIDIDIPPPIIDDIPDIDPDDDDDIIDDDD",  # H2
    "PIDIDIPPPIIDDIPDIDPDDDDDDIDDDD",  # H3
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDDD",  # ID
    "PIDIDIPPPIIDDIPDIDPDIIDIIDDDDD",  # JL
    "PIDIDIPPPIIDDIPDIDPDDDDDIIDDDD",  # JV
    "PIDIDIPPPIIDDIPDIDPDDDDDDIDDDD",  # JT
    "PIDIDIPPPIIIDIPIIIPIDDDDDDIDDD",  # HL
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDIDD",  # RI
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDDI",  # EB
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDDD",  # EM
)
_PAIRS = tuple(tuple("PID".index(c) for c in row) for row in _PAIR_ROWS)

# Code points whose line-break class differs from the default computed by ``_default_class``.
# "CLASS:" starts a class; then hexadecimal code points or ranges.
_LB_TABLE = """
BA: 9 7C AD 58A 5BE 964-965 E5A-E5B F0B F34 F7F F85 FBE-FBF FD2 104A-104B 1361 1400 1680
16EB-16ED 1735-1736 17D4-17D5 17D8 17DA 1804-1805 1B5A-1B5B 1B5D-1B60 1B7D-1B7E 1C3B-1C3F
1C7E-1C7F 2000-2006 2008-200A 2010 2012-2013 2027 2056 2058-205B 205D-205F 2CFA-2CFC 2CFF 2D70
2E0E-2E15 2E17 2E19 2E2A-2E2D 2E30-2E31 2E33-2E34 2E3C-2E3E 2E40-2E41 2E43-2E4A 2E4C 2E4E-2E4F
2E5D 3000 A4FE-A4FF A60D A60F A6F3-A6F7 A8CE-A8CF A92E-A92F A9C7-A9C9 AA5D-AA5F AAF0-AAF1 ABEB
10100-10102 1039F 103D0 10857 1091F 10A50-10A57 10AF0-10AF5 10B39-10B3F 10EAD 11047-11048
110BE-110C1 11140-11143 111C5-111C6 111C8 111DD-111DF 11238-11239 1123B-1123C 112A9
1144B-1144E 1145A-1145B 115C2-115C3 115C9-115D7 11641-11642 1173C-1173E 11944-11946
11A41-11A44 11A9A-11A9C 11AA1-11AA2 11C41-11C45 11FFF 12470-12474 16A6E-16A6F 16AF5
16B37-16B39 16B44 16E97-16E98 1BC9F 1DA87-1DA8A
CL: 7D F3B F3D 169C 2046 207E 208E 2309 230B 232A 2769 276B 276D 276F 2771 2773 2775 27C6 27E7
27E9 27EB 27ED 27EF 2984 2986 2988 298A 298C 298E 2990 2992 2994 2996 2998 29D9 29DB 29FD 2E23
2E25 2E27 2E29 2E56 2E58 2E5A 2E5C 3001-3002 3009 300B 300D 300F 3011 3015 3017 3019 301B
301E-301F FD3E FE11-FE12 FE18 FE36 FE38 FE3A FE3C FE3E FE40 FE42 FE44 FE48 FE50 FE52 FE5A FE5C
FE5E FF09 FF0C FF0E FF3D FF5D FF60-FF61 FF63-FF64 1325B-1325D 13282 13287 13289 1337A-1337B
13438 145CF
EB: 261D 26F9 270A-270D 1F02C-1F02F 1F094-1F09F 1F0AF-1F0B0 1F0C0 1F0D0 1F0F6-1F0FF
1F1AE-1F1E5 1F203-1F20F 1F23C-1F23F 1F249-1F24F 1F252-1F25F 1F266-1F2FF 1F385 1F3C2-1F3C4
1F3C7 1F3CA-1F3CC 1F442-1F443 1F446-1F450 1F466-1F478 1F47C 1F481-1F483 1F485-1F487 1F48F
1F491 1F4AA 1F574-1F575 1F57A 1F590 1F595-1F596 1F645-1F647 1F64B-1F64F 1F6A3 1F6B4-1F6B6
1F6C0 1F6CC 1F6D8-1F6DC 1F6ED-1F6EF 1F6FD-1F6FF 1F774-1F77F 1F7D9-1F7DF 1F7EC-1F7EF
1F7F1-1F7FF 1F80C-1F80F 1F848-1F84F 1F85A-1F85F 1F888-1F88F 1F8AE-1F8AF 1F8B2-1F8FF 1F90C
1F90F 1F918-1F91F 1F926 1F930-1F939 1F93C-1F93E 1F977 1F9B5-1F9B6 1F9B8-1F9B9 1F9BB
1F9CD-1F9CF 1F9D1-1F9DD 1FA54-1FA5F 1FA6E-1FA6F 1FA75-1FA77 1FA7D-1FA7F 1FA87-1FA8F
1FAAD-1FAAF 1FABB-1FABF 1FAC3-1FACF 1FADA-1FADF 1FAE8-1FAFF 1FC00-1FFFD
ID: 23F0-23F3 2600-2603 2618 261A-261C 261E-261F 2639-263B 2668 26BD-26C8 26CD 26CF-26D1
26D3-26D4 26D8-26D9 26DC 26DF-26E1 26F1-26F5 26F7-26F8 26FD-2704 2708-2709 2764 303D-303F
F900-FAFF FF0F-FF19 FF66 FF71-FF9D FFA0-FFBE FFC2-FFC7 FFCA-FFCF FFD2-FFD7 FFDA-FFDC FFFC
1F000-1F02B 1F030-1F093 1F0A0-1F0AE 1F0B1-1F0BF 1F0C1-1F0CF 1F0D1-1F0F5 1F10D-1F10F
1F16D-1F16F 1F1AD 1F300-1F384 1F386-1F39B 1F39E-1F3B4 1F3CD-1F3FA 1F400-1F441 1F4B3-1F4FF
1F54A-1F573 1F576-1F579 1F57B-1F58F 1F591-1F594 1F597-1F5D3 1F5DC-1F5F3 1F5FA-1F644
1F6C1-1F6CB 1F6CD-1F6D7 1F6DD-1F6EC 1F6F0-1F6FC 1F7D5-1F7D8 1F8B0-1F8B1 1F93A-1F93B
1F93F-1F976 1FA60-1FA6D 20000-2FFFD 30000-3FFFD
OP: 28 5B 7B A1 BF F3A F3C 169B 201A 201E 2045 207D 208D 2308 230A 2768 276A 276C 276E 2770
2772 2774 27C5 27E6 27E8 27EA 27EC 27EE 2983 2985 2987 2989 298B 298D 298F 2991 2993 2995 2997
29D8 29DA 29FC 2E18 2E22 2E24 2E26 2E28 2E42 2E55 2E57 2E59 2E5B FD3F 13258-1325A 13286 13288
13379 13437 145CE 1E95E-1E95F
NS: 17D6 203C-203D 2047-2049 3005 301C 303B-303C 3041 3043 3045 3047 3049 3063 3083 3085 3087
308E 3095-3096 309B-309E 30A0-30A1 30A3 30A5 30A7 30A9 30C3 30E3 30E5 30E7 30EE 30F5-30F6
30FB-30FE 31F0-31FF A015 FE54-FE55 FF1A-FF1B FF65 FF67-FF70 FF9E-FF9F 16FE0-16FE3 1B150-1B152
1B164-1B167 1F679-1F67B
AL: DF4-E3E E40-E4F E5C-ECF FDB-103F 104C-108F 109A-10FF 1774-17D3 17DC-17DF 1A1C-1A7E
232B-23EF 23F4-25FF 263C-2667 2680-26BC 26CE 2705-2707 270E-275A 2776-27C4 29FE-2CEE A9DA-A9EF
AA60-AAEA 116CA-1172F 18B00-18CFF 18D09-1AFFF 1F170-1F1AC 1F3B5-1F3B6 1F3BC 1F4A0 1F4A2 1F4A4
1F4AF 1F4B1-1F4B2 1F500-1F506 1F517-1F524 1F532-1F549
OPW: 2329 3008 300A 300C 300E 3010 3014 3016 3018 301A 301D FE17 FE35 FE37 FE39 FE3B FE3D FE3F
FE41 FE43 FE47 FE59 FE5B FE5D FF08 FF3B FF5B FF5F FF62
EX: 21 3F 5C6 61B 61D-61F 6D4 7F9 F0D-F11 F14 1802-1803 1808-1809 1944-1945 2762-2763 2CF9
2CFE 2E2E 2E53-2E54 A60E A876-A877 FE15-FE16 FE56-FE57 FF01 FF1F 115C4-115C5 11C71
PR: 24 2B 5C A3-A5 B1 58F 7FE-7FF 9FB AF1 BF9 E3F 17DB 20A0-20A6 20A8-20B5 20B7-20BA 20BC-20BD
20BF 20C1-20CF 2116 2212-2213 FE69 FF04 FFE1 FFE5-FFE6 1E2FF
PO: 25 A2 B0 609-60B 66A 9F2-9F3 9F9 D79 2030-2037 20A7 20B6 20BB 20BE 20C0 2103 2109 A838
FDFC FE6A FF05 FFE0 11FDD-11FE0 1ECAC 1ECB0
BB: B4 2C8 2CC 2DF C77 C84 F01-F04 F06-F07 F09-F0A FD0-FD1 FD3 1806 1FFD A874-A875 A8FC 11175
111DB 115C1 11660-1166C 119E2 11A3F 11A45 11A9E-11AA0 11C70
CM: 0-8 E-1F 7F-84 86-9F 61C 200C 200E-200F 202A-202E 2066-206F 3035 FFF9-FFFB 1BCA0-1BCA3
1D16D-1D182 E0001 E0020-E007F
QU: 22 27 AB BB 2018-2019 201B-201D 201F 2039-203A 275B-2760 2E00-2E0D 2E1C-2E1D 2E20-2E21
1F676-1F678
GL: A0 34F 35C-362 F08 F0C F12 FD9-FDA 180E 2007 2011 202F 13430-13436 16FE4
IS: 2C 2E 3A-3B 37E 589 60C-60D 7F8 2044 FE10 FE13-FE14
HL: 5D0-5EA 5EF-5F2 FB1D FB1F-FB28 FB2A-FB36 FB38-FB3C FB3E FB40-FB41 FB43-FB44 FB46-FB4F
IN: 2024-2026 22EF FE19 10AF6
BK: A-D 85 2028-2029
CP: 29 5D
JL: 1100-115F A960-A97C
JV: 1160-11A7 D7B0-D7C6
JT: 11A8-11FF D7CB-D7FB
B2: 2014 2E3A-2E3B
WJ: 2060 FEFF
SP: 20
HY: 2D
SY: 2F
NU: 66B-66C
ZW: 200B
ZWJ: 200D
RI: 1F1E6-1F1FF
EM: 1F3FB-1F3FF
"""


def _parse_lb_table(text: str) -> tuple[list[int], list[int], list[int]]:
    """Sorted (starts, ends, classes) for bisecting ``_LB_TABLE``."""
    ranges: list[tuple[int, int, int]] = []
    current = -1
    for token in text.split():
        if token.endswith(":"):
            current = _CLS[token[:-1]]
            continue
        first, _, last = token.partition("-")
        ranges.append((int(first, 16), int(last or first, 16), current))
    ranges.sort()
    return [r[0] for r in ranges], [r[1] for r in ranges], [r[2] for r in ranges]


_LB_STARTS, _LB_ENDS, _LB_VALUES = _parse_lb_table(_LB_TABLE)


def _default_class(cp: int) -> int:
    """The line-break class most code points of each general category have."""
    if 0xAC00 <= cp <= 0xD7A3:  # Hangul syllables: LV or LVT
        return _H2 if (cp - 0xAC00) % 28 == 0 else _H3
    ch = chr(cp)
    category = unicodedata.category(ch)
    if category == "Cn":
        return _AL
    if category in ("Mn", "Mc", "Me"):
        return _CM
    if category == "Nd":
        return _NU
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return _ID
    return _AL


def _line_break_class(cp: int) -> int:
    """UAX #14 class as libunistring 1.0 resolves it for UTF-8 (AI, SA, XX -> AL; CB -> ID)."""
    index = bisect.bisect_right(_LB_STARTS, cp) - 1
    if index >= 0 and cp <= _LB_ENDS[index]:
        return _LB_VALUES[index]
    return _default_class(cp)


# uc_width() exceptions to the unicodedata-based rule below.
_ZERO_WIDTH = ((0x1160, 0x11FF), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB))  # Hangul medial/final jamo
_SPACING_MARKS = frozenset((0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F))
_WIDE_UNASSIGNED = (
    (0x2E80, 0xA4CF),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60),
    (0x1F200, 0x1F2FF),
    (0x20000, 0x3FFFF),
)


def _column_width(cp: int) -> int:
    """Columns of one character as libunistring's uc_width() counts them (controls: 0)."""
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return 0
    if any(low <= cp <= high for low, high in _ZERO_WIDTH):
        return 0
    if cp in _SPACING_MARKS:
        return 1
    ch = chr(cp)
    category = unicodedata.category(ch)
    if category == "Cn":
        return 2 if any(low <= cp <= high for low, high in _WIDE_UNASSIGNED) else 1
    if category in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class _CharInfo(dict[str, tuple[int, int]]):
    """char -> (line-break class, columns), computed once per distinct character."""

    def __missing__(self, ch: str) -> tuple[int, int]:
        info = (_line_break_class(ord(ch)), _column_width(ord(ch)))
        self[ch] = info
        return info


_CHAR_INFO = _CharInfo()


class _CharCodes(dict[int, str]):
    """code point -> line-break class letter + chr(columns), for one ``str.translate`` call."""

    def __missing__(self, cp: int) -> str:
        codes = chr(0x40 + _line_break_class(cp)) + chr(_column_width(cp))
        self[cp] = codes
        return codes


_CHAR_CODES = _CharCodes()


def text_width(text: str) -> int:
    """Columns of ``text`` (ASCII controls count 1 here: an overestimate, checked later)."""
    if text.isascii():
        return len(text)
    return sum(text.translate(_CHAR_CODES)[1::2].encode("latin-1"))


_LETTER = {name: chr(0x40 + index) for index, name in enumerate(_CLASS_NAMES)}
_SP_LETTER = _LETTER["SP"]
# Classes whose rules need more context than "the last non-space class": texts containing one
# take the general state machine.
_NEEDS_STATE = re.compile(
    "[" + "".join(re.escape(_LETTER[n]) for n in ("BK", "CM", "ZWJ", "ZW", "RI", "HL")) + "]"
)
_TABLE_LETTERS = [_LETTER[name] for name in _CLASS_NAMES[: len(_PAIR_ROWS)]]
# Two-letter strings "before+after": a break between them (D), or after spaces between them.
_DIRECT_BREAKS = frozenset(
    a + b
    for i, a in enumerate(_TABLE_LETTERS)
    for j, b in enumerate(_TABLE_LETTERS)
    if _PAIRS[i][j] == 2
)
_SPACE_BREAKS = frozenset(
    a + b
    for i, a in enumerate(_TABLE_LETTERS)
    for j, b in enumerate(_TABLE_LETTERS)
    if _PAIRS[i][j] != 0
)
NO_OVERRIDES: frozenset[int] = frozenset()
Prepared = tuple[str, Sequence[int]] | None


#: code point -> line-break class letter (see ``_LETTER``) of the characters of simple texts
#: met so far; a plain dict, which ``str.translate`` reads faster than a dict subclass.
_SIMPLE_CLASSES: dict[int, str] = {}


def _simple_classes(text: str) -> str:
    """The class letters of a simple text (see ``SIMPLE_WIDE_RANGES``).

    Printable ASCII is always in ``_SIMPLE_CLASSES``, so a character ``str.translate`` leaves
    as it was (not looked up yet) is a wide one, and the letters are not all ASCII.
    """
    classes = _SIMPLE_CLASSES
    if not classes:
        classes.update((cp, _CHAR_CODES[cp][0]) for cp in range(0x20, 0x7F))
    letters = text.translate(classes)
    if not letters.isascii():
        classes.update((ord(ch), _CHAR_CODES[ord(ch)][0]) for ch in set(text))
        letters = text.translate(classes)
    return letters

# Texts made of printable ASCII (1 column, 1 byte of UTF-8) and of East Asian wide characters
# (2 columns, 3 bytes of UTF-8) in no class that needs the state machine: Chinese, Japanese
# and Korean text with Latin letters, digits and punctuation, the bulk of this pipeline's
# strings. Their running column sums come from the UTF-8 bytes (continuation bytes deleted,
# lead bytes counted 2) without a per-character lookup, and their classes are looked up only
# when ``fill`` needs them (a text that fits on its line needs none). The ranges come from
# ``_column_width`` and ``_line_break_class``; tests/test_po.py checks every code point in
# them against both.
SIMPLE_WIDE_RANGES = (
    (0x2E80, 0x3029), (0x3036, 0x303E), (0x3040, 0x3098), (0x309B, 0x3247), (0x3250, 0x4DBF),
    (0x4E00, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60), (0xFFE0, 0xFFE6),
)


@functools.cache
def _simple_text() -> re.Pattern[str]:
    """The regular expression of simple texts, compiled on first use: a class of wide ranges
    takes the ``re`` module over a millisecond to compile, which ASCII-only runs never pay."""
    return re.compile(
        "[ -~" + "".join(f"{chr(low)}-{chr(high)}" for low, high in SIMPLE_WIDE_RANGES) + "]*"
    )

_UTF8_COLUMNS = bytes(1 if byte < 0x80 else 2 if 0xE0 <= byte < 0xF0 else 0 for byte in range(256))
_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))


def prepare(text: str) -> Prepared:
    """Class letters and running column sums of ``text``; None if it needs the state machine.

    The letters are "" where ``fill`` is to look them up itself, once it finds the text does not
    fit (see ``SIMPLE_WIDE_RANGES``).
    """
    if text.isascii():
        if text.isprintable():
            return "", range(len(text) + 1)
    elif _simple_text().fullmatch(text) is not None:
        widths = text.encode("utf-8").translate(_UTF8_COLUMNS, _UTF8_CONTINUATION)
        return "", list(accumulate(widths, initial=0))
    codes = text.translate(_CHAR_CODES)
    classes = codes[0::2]
    if _NEEDS_STATE.search(classes) is not None:
        return None
    return classes, list(accumulate(codes[1::2].encode("latin-1"), initial=0))


def line_starts(
    text: str, width: int, start_column: int, no_break: frozenset[int] | set[int] = NO_OVERRIDES
) -> list[int]:
    """Indices in ``text`` where gettext starts a new line; see ``line_starts_general``."""
    return fill(text, prepare(text), width, start_column, no_break)


def fill(
    text: str,
    prepared: Prepared,
    width: int,
    start_column: int,
    no_break: frozenset[int] | set[int],
) -> list[int]:
    """The fast path of ``line_starts`` for texts that ``prepare`` accepted (nearly all).

    Without combining marks, joiners, regional indicators, Hebrew or mandatory breaks, a break
    opportunity depends only on the character before it (or, after spaces, on the last
    non-space one). So instead of walking every character this jumps, with the running column
    sums, to where each line overflows and looks for the nearest opportunities around it.
    """
    if prepared is None:
        return line_starts_general(text, width, start_column, no_break)
    classes, columns = prepared
    length = len(text)
    space = _SP_LETTER
    direct = _DIRECT_BREAKS
    after_space = _SPACE_BREAKS

    def opportunity(index: int) -> bool:
        if index in no_break:
            return False
        after = classes[index]
        if after == space:
            return False
        before = index - 1
        if classes[before] != space:
            return classes[before] + after in direct
        while before >= 0 and classes[before] == space:
            before -= 1
        return before >= 0 and classes[before] + after in after_space

    starts: list[int] = []
    line = 0
    threshold = width - start_column
    while True:
        # First position whose column exceeds the width; nothing to do if the rest fits.
        overflow = bisect.bisect_right(columns, threshold + columns[line], line + 1)
        if overflow > length:
            return starts
        if not classes:
            classes = _simple_classes(text)
        # The first break opportunity there (gettext checks at opportunities)...
        first = overflow
        while first < length and not (
            classes[first - 1 : first + 1] in direct and first not in no_break
        ):
            if classes[first - 1] == space and opportunity(first):
                break
            first += 1
        # ...and the one before it, still on this line.
        last = first - 1
        while last > line and not (classes[last - 1 : last + 1] in direct and last not in no_break):
            if classes[last - 1] == space and opportunity(last):
                break
            last -= 1
        if last > line:
            line = last
        elif first < length:
            line = first  # a single piece longer than the line: it gets a line of its own
        else:
            return starts
        starts.append(line)
        threshold = width


def line_starts_general(
    text: str, width: int, start_column: int, no_break: frozenset[int] | set[int] = frozenset()
) -> list[int]:
    """Indices in ``text`` where gettext starts a new line.

    A fused port of u8_possible_linebreaks_v2 (UAX #14 opportunities) and
    u8_width_linebreaks_v2 (greedy filling up to ``width`` columns, the first line starting at
    ``start_column``). ``no_break`` holds indices where gettext forbids a break: inside escape
    sequences (UAX #14 allows one between the two backslashes of ``\\\\``) and before the
    ``\\n`` that ends a portion.
    """
    info = _CHAR_INFO
    pairs = _PAIRS
    starts: list[int] = []
    prev = last = _BK
    seen_space = False
    ri_count = 0
    last_break = -1
    last_column = start_column
    piece = 0
    for index, ch in enumerate(text):
        cls, columns = info[ch]
        # 0 prohibited, 1 possible, 2 mandatory
        if cls == _BK:
            brk = 2
            prev = last = _BK
            seen_space = False
        else:
            brk = 0
            if cls == _SP:
                seen_space = True
            elif cls == _ZW:
                last = _ZW
                seen_space = False
            elif cls in (_CM, _ZWJ):
                if last == _BK:
                    last = _AL
                    seen_space = False
                elif last == _ZW or seen_space:
                    brk = 1
                    last = _AL
                    seen_space = False
            else:
                if last == _BK or prev == _ZWJ:
                    pass
                elif last == _ZW:
                    brk = 1
                elif last == _RI and cls == _RI:
                    if seen_space or ri_count % 2 == 0:
                        brk = 1
                elif prev == _HL_BA:
                    pass
                else:
                    rule = pairs[last][cls]
                    if rule == 2 or (rule == 1 and seen_space):
                        brk = 1
                last = cls
                seen_space = False
            prev = _HL_BA if (prev == _HL and cls in (_HY, _BA)) else cls
        ri_count = ri_count + 1 if cls == _RI else 0
        if brk and index in no_break:
            brk = 0
        if brk:
            if last_break >= 0 and last_column + piece > width:
                starts.append(last_break)
                last_column = 0
            if brk == 2:
                last_break = -1
                last_column = 0
                piece = 0
                continue
            last_break = index
            last_column += piece
            piece = 0
        piece += columns
    if last_break >= 0 and last_column + piece > width:
        starts.append(last_break)
    return starts


