"""``pipeline review``: static HTML for people who would rather look than read PO files.

A bilingual review sheet per article and locale (source and translation side by side in
document order, each entry's state, glossary terms and numbers highlighted in both columns,
findings on their entry, the previous source of changed entries, and the dictionary hints of
:mod:`pipeline.review.hints`, never findings) and a dashboard (articles × locales, progress by
state, errors, publishable or the blocking reason).

The pages hold unapproved text, so they are written under the state folder
(``.pipeline/review/`` by default), never into the published site. Templates are package
data (``pipeline/review/templates/``), rendered by Jinja2 with autoescape and StrictUndefined:
text from a catalog is always text, never markup. Highlighting is computed here as a list of
(text, kind) parts, so the templates never mark up translator text themselves. The pages
carry no script and a Content-Security-Policy that forbids any.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.fsutil import write_text_file
from pipeline.review.hints import EntryHints, entry_hints
from pipeline.review.project import ProjectReview, load_review
from pipeline.review.state import EntryState
from pipeline.review.status import (
    CatalogReview,
    CatalogStatus,
    EntryRow,
    catalog_status,
    counted,
)

__all__ = [
    "PagesReport",
    "highlight",
    "render_dashboard",
    "render_sheet",
    "reveal",
    "write_review_pages",
]

Part = tuple[str, str]  # (text, kind): kind "" for plain text, "term" or "number"


@dataclass(frozen=True, kw_only=True)
class PagesReport:
    """Where the pages went."""

    dashboard: str
    sheets: tuple[str, ...]

    def lines(self) -> list[str]:
        return [
            *(f"wrote {sheet}" for sheet in self.sheets),
            f"wrote {self.dashboard} (dashboard of {counted(len(self.sheets), 'review sheet')}); "
            "open it "
            "in a browser",
        ]


# Characters a reader cannot see: bidi embeddings, overrides, isolates and marks, zero-width
# characters and the BOM. The sheet shows each as a visible ``U+200B``-style tag so that a reviser
# never approves text that displays in another order than it reads.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def reveal(parts: list[Part]) -> list[Part]:
    r"""Split every invisible character out of ``parts`` as a visible ``U+200B``-style part.

    >>> reveal([("ab\u202ecd", ""), ("89.1", "number")])
    [('ab', ''), ('U+202E', 'invisible'), ('cd', ''), ('89.1', 'number')]
    """
    shown: list[Part] = []
    for text, kind in parts:
        cursor = 0
        for found in _INVISIBLE.finditer(text):
            if found.start() > cursor:
                shown.append((text[cursor : found.start()], kind))
            shown.append((f"U+{ord(found.group()):04X}", "invisible"))
            cursor = found.end()
        if cursor < len(text) or not text:
            shown.append((text[cursor:], kind))
    return shown


def highlight(text: str, spans: Sequence[tuple[int, int, str]]) -> list[Part]:
    """Split ``text`` into plain and highlighted parts; overlapping spans: the first wins.

    >>> highlight("ORR 89.1% with larotrectinib", [(4, 9, "number"), (15, 28, "term")])
    [('ORR ', ''), ('89.1%', 'number'), (' with ', ''), ('larotrectinib', 'term')]
    """
    parts: list[Part] = []
    cursor = 0
    for start, end, kind in sorted(spans, key=lambda span: (span[0], -span[1])):
        if start < cursor or end <= start:
            continue
        if start > cursor:
            parts.append((text[cursor:start], ""))
        parts.append((text[start:end], kind))
        cursor = end
    if cursor < len(text) or not parts:
        parts.append((text[cursor:], ""))
    return parts


class _Highlighter:
    """Glossary terms (source forms and target renderings) and numbers, as spans; and the
    dictionary hints of the source words no check reads."""

    def __init__(self, glossary: Any, source_locale: str, lexicon: Any = None) -> None:
        self.glossary = glossary
        self.source_locale = source_locale
        self.lexicon = lexicon

    def source(
        self, text: str, translations: Sequence[str] = ()
    ) -> tuple[list[Part], list[Any], EntryHints]:
        terms = self.glossary.find(text) if self.glossary is not None else []
        spans = [(match.start, match.end, "term") for match in terms]
        spans += _number_spans(text, self.source_locale)
        hints = EntryHints()
        if any(translations):
            read = [(start, end) for start, end, _ in spans]
            read += _quantity_spans(text, self.source_locale)
            if self.lexicon is not None:
                read += [(match.start, match.end) for match in self.lexicon.find(text)]
            hints = entry_hints(text, translations, skip=read)
            spans += [(hint.start, hint.end, "hint") for hint in hints.hints]
        return reveal(highlight(text, spans)), [match.term for match in terms], hints

    def target(self, text: str, terms: Sequence[Any], locale: str) -> list[Part]:
        spans: list[tuple[int, int, str]] = []
        if self.glossary is not None:
            for term in {term.id: term for term in terms}.values():
                spans += [
                    (found.start, found.end, "term")
                    for found in self.glossary.target_matches(text, term, locale)
                ]
        spans += _number_spans(text, locale)
        return reveal(highlight(text, spans))


def _quantity_spans(text: str, locale: str) -> list[tuple[int, int]]:
    """Where the quantities the quantities check reads are written, with their qualifier and
    unit (``大约0.3%``, ``3个月以上``)."""
    from pipeline.tokens.quantities import read_quantities

    spans: list[tuple[int, int]] = []
    for quantity in read_quantities(text, locale):
        start = quantity.end - len(quantity.written)
        if not quantity.written or text[start : quantity.end] != quantity.written:
            start = quantity.start
        spans.append((start, quantity.end))
    return spans


def _number_spans(text: str, locale: str) -> list[tuple[int, int, str]]:
    """Where the numbers the numbers check reads (its one reader) are written in ``text``."""
    from pipeline.tokens.numbers import extract_numbers

    spans: list[tuple[int, int, str]] = []
    cursor = 0
    for number in extract_numbers(text, locale, words=False):
        if not number.required:
            continue  # 第二代, "one of": read as numbers but not checked, so not marked
        written = number.text.strip()
        start = text.find(written, cursor) if written else -1
        if start >= 0:
            spans.append((start, start + len(written), "number"))
            cursor = start + len(written)
    return spans


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("pipeline.review", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _row_view(row: EntryRow, highlighter: _Highlighter, locale: str) -> dict[str, Any]:
    entry = row.entry
    texts = [entry.msgstr] if entry.msgid_plural is None else list(entry.msgstr_plural)
    source, terms, hints = highlighter.source(entry.msgid, texts)
    shown = texts if entry.msgid_plural is not None else [text for text in texts if text]
    translations = [highlighter.target(form, terms, locale) for form in shown]
    approval = row.review.approval
    return {
        "id": row.id,
        "line": row.line,
        "state": str(row.state),
        "changed": row.review.changed_since_approval,
        "source": source,
        "source_plural": None if entry.msgid_plural is None else entry.msgid_plural,
        "translations": translations,
        "previous": entry.previous_msgid,
        "approval": None if approval is None else {"by": approval.by, "at": approval.at},
        "origin": [c for c in entry.extracted_comments if c.startswith(("tm ", "mt "))],
        "findings": [
            {
                "severity": f.severity,
                "check": f.check,
                "message": f.message,
                "waived": f.waived,
                "note": f.waiver_note,
            }
            for f in row.findings
        ],
        "hints": [{"word": hint.word, "senses": "; ".join(hint.senses)} for hint in hints.shown],
        "more_hints": hints.more,
    }


def _status_view(status: CatalogStatus, link: str) -> dict[str, Any]:
    total = max(status.entries, 1)
    bars = [
        (state, count, round(100 * count / total, 2))
        for state, count in (
            ("approved", status.approved),
            ("translated", status.translated),
            ("draft", status.draft),
            ("untranslated", status.untranslated),
        )
    ]
    return {
        "slug": status.slug,
        "locale": status.locale,
        "path": status.path,
        "link": link,
        "entries": status.entries,
        "bars": bars,
        "errors": status.error_count,
        "changed": status.changed_since_approval,
        "forged": status.forged + status.malformed,
        "publishable": status.is_publishable,
        "reason": status.blocking_reason,
    }


def render_sheet(review: CatalogReview, *, glossary: Any = None, lexicon: Any = None,
                 source_locale: str, generated: str = "") -> str:
    """The bilingual review sheet of one catalog, as HTML text; ``lexicon``: the contrast
    lexicon, whose words get no dictionary hint (the meaning checks read them)."""
    highlighter = _Highlighter(glossary, source_locale, lexicon)
    status = catalog_status(review)
    return str(_environment().get_template("sheet.html").render(
        review=review,
        status=_status_view(status, ""),
        rows=[_row_view(row, highlighter, review.locale) for row in review.rows],
        issues=[issue.text() for issue in review.issues],
        states=[str(state) for state in EntryState],
        generated=generated,
        source_locale=source_locale,
    ))


def render_dashboard(project: ProjectReview, *, links: dict[tuple[str, str], str],
                     generated: str = "") -> str:
    """The dashboard of every catalog in ``project``, as HTML text."""
    statuses = project.statuses()
    return str(_environment().get_template("dashboard.html").render(
        statuses=[_status_view(s, links[(s.slug, s.locale)]) for s in statuses],
        relaxed=not project.settings.require_second_person,
        logs=[
            {"locale": locale, "records": len(log.records), "intact": log.is_intact}
            for locale, log in sorted(project.logs.items())
        ],
        generated=generated,
    ))


def write_review_pages(
    config: Config,
    *,
    slugs: Sequence[str] = (),
    locales: Sequence[str] = (),
    output_dir: Path | None = None,
) -> PagesReport:
    """Render the sheets and the dashboard of the selected catalogs into ``output_dir``
    (default ``<state>/review``); refuses a folder inside the published site."""
    from datetime import UTC, datetime

    out = (output_dir if output_dir is not None else config.state_dir / "review").resolve()
    site = config.site_dir.resolve()
    if out == site or site in out.parents:
        raise UsageError(
            f"review pages hold unapproved text and must not go into the published site "
            f"({config.relative(site)}); choose another --output folder"
        )
    project = load_review(config, slugs=slugs, locales=locales)
    glossary = None
    if config.glossary_path.is_file():
        from pipeline.glossary import load_glossary

        glossary = load_glossary(
            config.glossary_path,
            source_locale=config.source_locale,
            target_locales=config.target_locales,
        )
    from pipeline.checks.lexicon import load_lexicon

    lexicon = load_lexicon(  # the one the checks loaded (cached) unless the project has its own
        config.contrast_path,
        shown=None if config.contrast_path is None else config.relative(config.contrast_path),
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    links: dict[tuple[str, str], str] = {}
    sheets: list[str] = []
    for review in project.catalogs:
        link = f"{review.locale}/{review.slug}.html"
        links[(review.slug, review.locale)] = link
        html = render_sheet(
            review,
            glossary=glossary,
            lexicon=lexicon,
            source_locale=config.source_locale,
            generated=generated,
        )
        write_text_file(out / link, html)
        sheets.append(config.relative(out / link))
    dashboard = out / "index.html"
    write_text_file(dashboard, render_dashboard(project, links=links, generated=generated))
    return PagesReport(dashboard=config.relative(dashboard), sheets=tuple(sheets))
