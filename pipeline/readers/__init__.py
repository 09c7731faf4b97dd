"""Readers turn the text of a source file into segments; they are pure (no file access).

One reader per kind of source, chosen by the file's suffix:

- ``.md``: :func:`~pipeline.readers.markdown.read_markdown` (articles; inline markup becomes
  numbered placeholders, see :mod:`pipeline.tokens.tags`);
- ``.txt``: :func:`~pipeline.readers.text.read_text` (articles or raw ASR transcripts);
- ``.srt``, ``.vtt``: :func:`~pipeline.readers.subtitles.read_subtitles` (sentences that span
  cues become one segment that remembers its cues).

The caller reads and decodes the file; ``path`` is only used in error messages, so that every
:class:`~pipeline.errors.SourceError` reads ``path:line: what is wrong; how to fix it``.
Renderers (:func:`~pipeline.readers.markdown.render_markdown`,
:func:`~pipeline.readers.subtitles.render_subtitles`) re-read the source and put translations
in place of its segments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from pipeline.errors import SourceError
from pipeline.segments import Segment

if TYPE_CHECKING:
    from pipeline.readers.markdown import read_markdown, render_markdown
    from pipeline.readers.subtitles import read_subtitles, render_subtitles
    from pipeline.readers.text import read_text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "TRANSLATABLE_FIELDS",
    "read_markdown",
    "read_segments",
    "read_subtitles",
    "read_text",
    "render_markdown",
    "render_subtitles",
]

SUPPORTED_SUFFIXES = (".md", ".txt", ".srt", ".vtt")

#: The front matter fields of a Markdown source that are translated unless the project names
#: its own (``[tool.pipeline.markdown] front_matter``); the others are metadata.
TRANSLATABLE_FIELDS = ("title", "subtitle", "description", "summary")

# Each reader pulls in its parsing library (markdown-it, srt, webvtt); import only the one a
# file needs, so segmenting a folder of transcripts does not pay for the Markdown parser.
_LAZY = {
    "read_markdown": "pipeline.readers.markdown",
    "render_markdown": "pipeline.readers.markdown",
    "read_subtitles": "pipeline.readers.subtitles",
    "render_subtitles": "pipeline.readers.subtitles",
    "read_text": "pipeline.readers.text",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_segments(
    text: str,
    *,
    suffix: str,
    language: str,
    path: str,
    front_matter: Sequence[str] = TRANSLATABLE_FIELDS,
) -> list[Segment]:
    """Segments of a source file's text, chosen by its suffix (``.md``, ``.txt``, ``.srt``,
    ``.vtt``; case does not matter), in document order.

    ``language`` is the source locale (a Babel code such as ``zh_Hans``); it decides sentence
    boundaries; ``front_matter`` names the front matter fields of a Markdown source that are
    translated. Raises :class:`~pipeline.errors.SourceError` for a malformed source or one
    with nothing to translate.

    >>> [s.text for s in read_segments("# 标题\\n\\n正文。", suffix=".md", language="zh_Hans",
    ...                                path="sources/a.md")]
    ['标题', '正文。']
    """
    _refuse_unstorable_characters(text, path)
    kind = suffix.lower()
    if kind == ".md":
        from pipeline.readers.markdown import read_markdown

        return read_markdown(text, language=language, path=path, front_matter=front_matter)
    if kind == ".txt":
        from pipeline.readers.text import read_text

        return read_text(text, language=language, path=path)
    if kind in (".srt", ".vtt"):
        from pipeline.readers.subtitles import read_subtitles

        return read_subtitles(text, suffix=kind, language=language, path=path)
    raise SourceError(
        f"unsupported source type {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}",
        path=path,
    )


# NUL cannot be stored by gettext, and EOT separates msgctxt from msgid in MO files.
_UNSTORABLE = re.compile("[\x00\x04]")


def _refuse_unstorable_characters(text: str, path: str) -> None:
    """Raise a located :class:`~pipeline.errors.SourceError` for a character no catalog can
    hold, rather than failing later while the catalog is written."""
    found = _UNSTORABLE.search(text)
    if found is not None:
        raise SourceError(
            f"the control character U+{ord(found.group()):04X} cannot go into a catalog;"
            " remove it from the source",
            path=path,
            line=text.count("\n", 0, found.start()) + 1,
        )
    found = BIDI_CONTROLS.search(text)
    if found is not None:
        import unicodedata

        character = found.group()
        raise SourceError(
            f"invisible bidirectional control U+{ord(character):04X} "
            f"({unicodedata.name(character)}): it makes text display in another order than "
            "it reads, so a translator or reviser can approve what they did not see; delete it",
            path=path,
            line=text.count("\n", 0, found.start()) + 1,
        )


# Embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574); the plain direction
# marks U+200E/U+200F, which right-to-left text needs, stay allowed.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
