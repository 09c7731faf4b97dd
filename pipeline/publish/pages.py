"""HTML pages from :class:`~pipeline.publish.render.RenderedArticle` records, via Jinja2.

Templates are package data (``pipeline/publish/templates/``). The environment autoescapes
every value and uses ``StrictUndefined``, so a template that names a missing field fails the
publish instead of printing an empty string; only the sanitised article body is inserted as
markup. ``lang`` and ``dir`` come from Babel; dates are formatted for the page's locale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date

from pipeline.publish.render import RenderedArticle

__all__ = [
    "Alternate",
    "IndexEntry",
    "PageContext",
    "bcp47",
    "language_name",
    "render_article_page",
    "render_locale_index",
    "render_root_index",
    "stylesheet",
    "templates_digest",
    "text_direction",
]

SITE_NAME = "Medical translations"


@dataclass(frozen=True, kw_only=True)
class Alternate:
    """The same article in another language: ``href`` absolute (for ``hreflang``),
    ``relative`` for links between pages that work from a file or any server path."""

    hreflang: str
    href: str
    relative: str
    name: str


@dataclass(frozen=True, kw_only=True)
class PageContext:
    """Where a page sits: its locale, its URL and the way back to the site's root."""

    locale: str
    canonical: str
    root: str  # relative path to the site root ("../" for a locale page)
    alternates: tuple[Alternate, ...] = ()
    locale_index: str | None = None


@dataclass(frozen=True, kw_only=True)
class IndexEntry:
    href: str
    title: str
    date: date | None = None


def bcp47(locale: str) -> str:
    """The ``lang``/``hreflang`` form of a Babel locale code.

    >>> bcp47("zh_Hans"), bcp47("en_NZ")
    ('zh-Hans', 'en-NZ')
    """
    return locale.replace("_", "-")


def language_name(locale: str, *, in_locale: str | None = None) -> str:
    """The locale's name, in its own language unless ``in_locale`` says otherwise.

    >>> language_name("zh_Hans"), language_name("zh_Hans", in_locale="en")
    ('中文 (简体)', 'Chinese (Simplified)')
    """
    return Locale.parse(locale).get_display_name(in_locale or locale) or locale


def text_direction(locale: str) -> str:
    """``ltr`` or ``rtl`` (``dir`` attribute), from CLDR.

    >>> text_direction("en"), text_direction("ar")
    ('ltr', 'rtl')
    """
    return Locale.parse(locale).text_direction


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


@cache
def templates_digest() -> str:
    """A digest of the templates and stylesheet: a change re-renders every page."""
    digest = hashlib.sha256()
    folder = resources.files("pipeline.publish") / "templates"
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


def stylesheet() -> str:
    return (resources.files("pipeline.publish") / "templates" / "style.css").read_text("utf-8")


def _page(context: PageContext, *, title: str, description: str | None = None) -> dict[str, Any]:
    return {
        "lang": bcp47(context.locale),
        "dir": text_direction(context.locale),
        "title": title,
        "description": description,
        "canonical": context.canonical,
        "alternates": context.alternates,
        "root": context.root,
        "locale_index": context.locale_index,
        "language_name": language_name(context.locale),
    }


def render_article_page(
    article: RenderedArticle,
    *,
    context: PageContext,
    source_locale: str,
    provenance: str,
    download: str,
    tool: Mapping[str, str],
) -> str:
    """One article's HTML page."""
    from markupsafe import Markup

    return str(
        _environment()
        .get_template("article.html")
        .render(
            page=_page(context, title=article.title, description=article.description),
            article=article,
            body=Markup(article.body_html),  # sanitised by render.sanitize_html
            date=format_date(article.date, format="long", locale=context.locale)
            if article.date
            else None,
            source={"lang": bcp47(source_locale)},
            provenance=provenance,
            download=download,
            tool=tool,
            site_name=SITE_NAME,
        )
    )


def render_locale_index(
    entries: Sequence[IndexEntry], *, context: PageContext, tool: Mapping[str, str]
) -> str:
    """The list of a locale's articles, newest first, then by title."""
    ordered = sorted(
        entries, key=lambda entry: (-(entry.date or date.min).toordinal(), entry.title)
    )
    rows = [
        {
            "href": entry.href,
            "title": entry.title,
            "date": format_date(entry.date, format="long", locale=context.locale)
            if entry.date
            else None,
            "iso_date": entry.date.isoformat() if entry.date else None,
        }
        for entry in ordered
    ]
    return str(
        _environment()
        .get_template("locale_index.html")
        .render(
            page=_page(context, title=language_name(context.locale)),
            entries=rows,
            tool=tool,
            site_name=SITE_NAME,
        )
    )


def render_root_index(
    counts: Mapping[str, int], *, context: PageContext, tool: Mapping[str, str]
) -> str:
    """The site's front page: every locale that has pages, named in its own language."""
    rows = [
        {
            "href": f"{locale}/index.html",
            "hreflang": bcp47(locale),
            "name": language_name(locale),
            "count": count,
        }
        for locale, count in counts.items()
    ]
    return str(
        _environment()
        .get_template("root_index.html")
        .render(page=_page(context, title=SITE_NAME), entries=rows, tool=tool, site_name=SITE_NAME)
    )
