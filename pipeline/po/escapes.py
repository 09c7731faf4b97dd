"""The escape sequences gettext writes and reads inside PO strings (shared by reader and writer)."""

from __future__ import annotations

import re

__all__ = ["C_ESCAPES", "ESCAPES", "NO_LIMIT", "SPECIAL_CHARACTER", "escape"]

# The escapes gettext writes and reads: the character after the backslash -> the character.
C_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    '"': '"',
}
ESCAPES = str.maketrans({char: "\\" + letter for letter, char in C_ESCAPES.items()})
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')
# What a msgctxt/msgid/msgstr must not contain (NUL; EOT separates msgctxt from msgid in MO
# files) or must have escaped.
SPECIAL_CHARACTER = re.compile(r'[\0\x04\a\b\f\n\r\t\v\\"]')
NO_LIMIT = 1 << 30


def escape(text: str) -> str:
    """The string as it appears between quotes (only the escapes gettext itself writes)."""
    return text if _NEEDS_ESCAPE.search(text) is None else text.translate(ESCAPES)
