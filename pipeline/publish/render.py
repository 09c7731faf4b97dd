"""Pure renderers: a source's text and its approved translations -> what a reader gets.

Nothing here opens a file. Each renderer re-reads the source with its reader (the same code
that made the catalog's msgids), puts every approved translation in place of its segment and
returns a :class:`RenderedArticle`: the translated file in the source's own format (Markdown
with its structure, subtitles with their timing, plain text with its paragraphs) and the
parts of an HTML page (title, metadata, a sanitised body).

Why the body is made from the *translated Markdown* and then sanitised: the Markdown renderer
already restores inline markup from the placeholders and backslash-escapes every character of
translator text that Markdown would read as markup (``<`` before a letter, ``/``, ``!`` or
``?``; ``&`` before an entity), so a msgstr holding ``<script>`` is text. Raw HTML that the
*source* article carries is markup, so the whole body then passes through nh3 with a short
allow-list: scripts, styles, event handlers, ``javascript:`` and ``data:`` URLs and unknown
tags are removed, never copied as they are.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from pipeline.errors import CatalogError
from pipeline.segments import Segment
from pipeline.tokens.tags import strip_tags

__all__ = [
    "ARTICLE_SUFFIXES",
    "RenderedArticle",
    "SubtitleCue",
    "missing_translations",
    "render_article",
    "sanitize_html",
]

#: What each kind of source publishes beside its HTML page.
ARTICLE_SUFFIXES = {".md": ".md", ".txt": ".txt", ".srt": ".srt", ".vtt": ".vtt"}

#: Tags a published body may hold; anything else (script, style, iframe, form, object,
#: unknown tags) is removed by nh3 with its content where that content is code.
_ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "del",
        "details",
        "div",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"style"},
    "th": {"style"},
    "ol": {"start"},
    "code": {"class"},
    "*": {"lang", "dir"},
}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Table alignment is the only inline style markdown-it writes; nh3 keeps nothing else of it.
_STYLE_PROPERTIES = frozenset({"text-align"})


@dataclass(frozen=True, kw_only=True)
class SubtitleCue:
    """A translated cue as an HTML page lists it: its times and its lines."""

    start: str
    end: str
    lines: tuple[str, ...]
    voice: str | None = None


@dataclass(frozen=True, kw_only=True)
class RenderedArticle:
    """One article in one locale, ready to be written.

    ``body_html`` is sanitised HTML (safe to insert as markup); every other string is text
    that the page template escapes. ``metadata`` holds the front matter fields the page does
    not show in their own places (speaker, source…): translated where the project translates
    them (``[tool.pipeline.markdown] front_matter``), else in the source's language, as
    (field, text, translated). ``date`` is the article's date when its front matter has one.
    ``document`` is the translated file in the source's format, published as
    ``<slug><suffix>``.
    """

    title: str
    description: str | None = None
    date: date | None = None
    metadata: tuple[tuple[str, str, bool], ...] = ()
    body_html: str = ""
    paragraphs: tuple[str, ...] = ()
    cues: tuple[SubtitleCue, ...] = ()
    document: str
    suffix: str
    extra: Mapping[str, Any] = field(default_factory=dict)


def missing_translations(
    segments: Sequence[Segment], translations: Mapping[str, str]
) -> list[Segment]:
    """The source's segments that have no translation: the catalog is older than the source
    (run ``pipeline segment``), so publishing would show source text in a translated page."""
    return [segment for segment in segments if not translations.get(segment.text)]


def render_article(
    text: str,
    *,
    suffix: str,
    translations: Mapping[str, str],
    source_language: str,
    path: str,
    slug: str,
    parsed: Any = None,
) -> RenderedArticle:
    """Render a source's text with its translations (msgid -> msgstr).

    An empty ``translations`` renders the source itself (the source-language page). Raises
    :class:`~pipeline.errors.CatalogError` when a translation's placeholders do not match its
    source (the checks stop such a catalog from being approved; this is the last guard).
    ``parsed`` is the Markdown source already read
    (:func:`~pipeline.readers.markdown.parse_markdown`), shared by every locale's page.
    """
    kind = suffix.lower()
    if kind == ".md":
        return _render_markdown_article(
            text,
            translations,
            source_language=source_language,
            path=path,
            slug=slug,
            parsed=parsed,
        )
    if kind in (".srt", ".vtt"):
        return _render_subtitle_article(
            text,
            translations,
            suffix=kind,
            source_language=source_language,
            path=path,
            slug=slug,
        )
    if kind == ".txt":
        return _render_text_article(
            text, translations, source_language=source_language, path=path, slug=slug
        )
    raise CatalogError(f"cannot publish a {suffix!r} source", path=path)


# --- Markdown ---------------------------------------------------------------------------------


@cache
def _html_parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # html=True so that a source's raw HTML reaches nh3 (which keeps what is safe) instead of
    # being shown as code; translator text never holds raw HTML (the Markdown renderer escapes
    # it), and markdown-it itself refuses javascript:/vbscript:/data: link targets.
    return MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)


#: Front matter fields the page shows in their own places; the others are listed as metadata
#: (translated when the project translates them, see ``[tool.pipeline.markdown]``).
_PAGE_FIELDS = ("title", "description", "date")


def _render_markdown_article(
    text: str,
    translations: Mapping[str, str],
    *,
    source_language: str,
    path: str,
    slug: str,
    parsed: Any = None,
) -> RenderedArticle:
    from pipeline.readers.markdown import parse_markdown

    if parsed is None:
        parsed = parse_markdown(text, language=source_language, path=path)
    document, fields = parsed.render(translations)
    tokens = _html_parser().parse(document)
    front: dict[str, Any] = {}
    if tokens and tokens[0].type == "front_matter":
        front = _translated_front(parsed.front_matter, fields, tokens[0].content, path=path)
    body = _html_parser().renderer.render(tokens, _html_parser().options, {})
    title = _text(front.get("title")) or _first_heading(tokens) or slug
    metadata = tuple(
        (str(key), _text(value), key in fields)
        for key, value in front.items()
        if key not in _PAGE_FIELDS and _text(value)
    )
    return RenderedArticle(
        title=title,
        description=_text(front.get("description")) or None,
        date=_date(front.get("date")),
        metadata=metadata,
        body_html=sanitize_html(body),
        document=document,
        suffix=".md",
    )


def _translated_front(
    source_yaml: str | None, fields: Mapping[str, str], yaml_text: str, *, path: str
) -> dict[str, Any]:
    """The translated copy's front matter, as YAML reads ``yaml_text``.

    The translated copy is the source's front matter with each translated field's value
    replaced by a JSON string (a YAML double-quoted scalar), so it reads as the source's
    fields (parsed once per source) with those values put in place. Where that might not
    hold (anchors or aliases in the source, a value with characters YAML folds or refuses),
    the translated copy itself is parsed."""
    if (
        source_yaml is not None
        and "&" not in source_yaml
        and "*" not in source_yaml
        and all(value.isprintable() for value in fields.values())
    ):
        source = _source_front(source_yaml)
        if source is not None and all(name in source for name in fields):
            return {**source, **fields}
    return _front_matter(yaml_text, path=path)


@lru_cache(maxsize=8)
def _source_front(yaml_text: str) -> dict[str, Any] | None:
    """A source's front matter (``None`` if it does not parse: then each copy is parsed and
    the error reported as usual). Shared by its pages: callers copy, never modify it."""
    from ruamel.yaml.error import YAMLError

    try:
        return _front_matter_of(yaml_text)
    except YAMLError:
        return None


def _front_matter(yaml_text: str, *, path: str) -> dict[str, Any]:
    from ruamel.yaml.error import YAMLError

    try:
        return _front_matter_of(yaml_text)
    except YAMLError as exc:  # the reader validated the source; this is the translated copy
        raise CatalogError(f"translated front matter is not valid YAML: {exc}", path=path) from exc


def _front_matter_of(yaml_text: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    loaded = YAML(typ="safe", pure=True).load(yaml_text)
    return dict(loaded) if isinstance(loaded, dict) else {}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _first_heading(tokens: Sequence[Any]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            inline = tokens[index + 1]
            return "".join(
                child.content
                for child in inline.children or ()
                if child.type in ("text", "code_inline")
            ).strip()
    return ""


def sanitize_html(fragment: str) -> str:
    """Keep only safe markup: allow-listed tags and attributes, http(s)/mailto or relative
    URLs, links marked ``rel="noopener noreferrer"``.

    >>> sanitize_html('<p onclick="x()">Hi<script>alert(1)</script></p>')
    '<p>Hi</p>'
    >>> sanitize_html('<a href="javascript:alert(1)">y</a><a href="https://a.org">z</a>')
    '<a rel="noopener noreferrer">y</a><a href="https://a.org" rel="noopener noreferrer">z</a>'
    """
    import nh3

    return nh3.clean(
        fragment,
        tags=set(_ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={key: set(value) for key, value in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        filter_style_properties=set(_STYLE_PROPERTIES),
    )


# --- subtitles --------------------------------------------------------------------------------


def _render_subtitle_article(
    text: str,
    translations: Mapping[str, str],
    *,
    suffix: str,
    source_language: str,
    path: str,
    slug: str,
) -> RenderedArticle:
    from pipeline.readers.subtitles import render_subtitles

    document = render_subtitles(
        text, suffix=suffix, translations=translations, language=source_language, path=path
    )
    cues = _parse_cues(document, suffix=suffix, path=path)
    first = " ".join(cues[0].lines) if cues else slug
    return RenderedArticle(
        title=_title_from(first, slug), cues=tuple(cues), document=document, suffix=suffix
    )


def _parse_cues(document: str, *, suffix: str, path: str) -> list[SubtitleCue]:
    """The cues of a rendered subtitle file, read back with the library a player would use
    (srt / webvtt-py): if it cannot be read back, it is not published."""
    if suffix == ".srt":
        import srt

        try:
            subtitles = list(srt.parse(document))
        except srt.SRTParseError as exc:
            raise CatalogError(f"rendered subtitles do not parse: {exc}", path=path) from exc
        return [
            SubtitleCue(
                start=srt.timedelta_to_srt_timestamp(item.start),
                end=srt.timedelta_to_srt_timestamp(item.end),
                lines=tuple(_plain_srt(item.content).splitlines()),
            )
            for item in subtitles
        ]
    import io

    import webvtt

    try:
        captions = webvtt.from_buffer(io.StringIO(document))
    except Exception as exc:  # webvtt-py raises several unrelated types
        raise CatalogError(f"rendered subtitles do not parse: {exc}", path=path) from exc
    return [
        SubtitleCue(
            start=caption.start,
            end=caption.end,
            lines=tuple(html.unescape(line) for line in _plain_vtt(caption.raw_text).splitlines()),
            voice=caption.voice,
        )
        for caption in captions.captions
    ]


def _plain_srt(content: str) -> str:
    import re

    return re.sub(r"</?(?:i|b|u|s|font)\b[^>]*>|\{\\[^}]*\}", "", content)


def _plain_vtt(content: str) -> str:
    import re

    return re.sub(r"</?[a-z]+(?:\.[^\s>]*)?(?:\s[^>]*)?>", "", content)


def _title_from(text: str, slug: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    if not text:
        return slug
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 20 else limit].rstrip(",;:") + "…"


# --- plain text -------------------------------------------------------------------------------


def _render_text_article(
    text: str,
    translations: Mapping[str, str],
    *,
    source_language: str,
    path: str,
    slug: str,
) -> RenderedArticle:
    """Paragraphs stay paragraphs (a blank line in the source); sentences are joined as the
    readers join lines (no space next to a Chinese character)."""
    from pipeline.readers.text import line_break_joiner, read_text

    segments = read_text(text, language=source_language, path=path)
    starts = _paragraph_starts(text)
    paragraphs: list[list[str]] = []
    last_paragraph = -1
    for segment in segments:
        translation = translations.get(segment.text) or segment.text
        if "<" in translation and strip_tags(translation) != translation:
            raise CatalogError(
                f"cannot render {segment.id}: a plain text translation holds placeholders",
                path=path,
            )
        paragraph = _paragraph_of(segment.line, starts)
        if paragraph != last_paragraph:
            paragraphs.append([])
            last_paragraph = paragraph
        paragraphs[-1].append(" ".join(strip_tags(translation).split()))
    joined = []
    for sentences in paragraphs:
        line = ""
        for sentence in sentences:
            if line:
                line += line_break_joiner(line[-1], sentence[:1])
            line += sentence
        joined.append(line)
    return RenderedArticle(
        title=_title_from(joined[0] if joined else "", slug),
        paragraphs=tuple(joined),
        document="\n\n".join(joined) + "\n",
        suffix=".txt",
    )


def _paragraph_starts(text: str) -> list[int]:
    """1-based first line of every paragraph (a run of non-blank lines)."""
    starts = []
    previous_blank = True
    for number, line in enumerate(text.splitlines(), start=1):
        blank = not line.strip()
        if not blank and previous_blank:
            starts.append(number)
        previous_blank = blank
    return starts


def _paragraph_of(line: int, starts: Sequence[int]) -> int:
    from bisect import bisect_right

    return max(bisect_right(starts, line) - 1, 0)
