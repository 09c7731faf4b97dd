"""The edge that writes ``site/``: render every publishable article, swap the new site in.

Atomic publication. ``site`` is a symbolic link to a sibling folder ``.site.<token>``. A
publish builds the whole new site in a fresh sibling folder, then points a new link at it and
renames that link over ``site`` (one ``rename``, atomic on POSIX), and only then removes the
previous folder. A crash, a kill or a failed render at any moment before the rename leaves
``site`` pointing at the previous, complete site; the half-built folder is removed by the
next publish. A web server (``python -m http.server -d site``) follows the link.

Incremental. ``manifest.json`` records, per page, a fingerprint of everything the page is
made from (source and catalog bytes, approvals, alternates, templates, tool version). When
the manifest a publish would write equals the one in place, nothing is written at all (no
byte, no mtime); otherwise pages whose fingerprint is unchanged are hard-linked from the
previous folder and only the others are rendered.

What is published is decided by the caller (:class:`Candidate.publishable`: review's rule
and the checks); this module adds one guard of its own: an article whose source has a
sentence without a finished (non-fuzzy) translation in its catalog is withheld, because the
page would show source text (the catalog is older than the source).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date

from pipeline.config import SLUG_PATTERN, Config
from pipeline.errors import UsageError
from pipeline.po.catalog import Entry
from pipeline.publish.pages import (
    Alternate,
    IndexEntry,
    PageContext,
    bcp47,
    language_name,
    render_article_page,
    render_locale_index,
    render_root_index,
    stylesheet,
    templates_digest,
)
from pipeline.publish.render import RenderedArticle, missing_translations, render_article
from pipeline.segments import Segment

__all__ = [
    "Approval",
    "Candidate",
    "PublishReport",
    "PublishedPage",
    "Withheld",
    "publish_site",
    "site_options",
]

MANIFEST = "manifest.json"
DEFAULT_BASE_URL = "http://localhost:8000/"
_VERSION_DIR = re.compile(r"\.(?P<name>.+)\.(?P<token>[0-9a-f]{16})")


@dataclass(frozen=True, kw_only=True)
class Approval:
    """Who approved a catalog's entries and when (UTC, ISO 8601), from the audit log."""

    by: str
    at: str


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """One article in one target locale, with review's verdict on it."""

    slug: str
    locale: str
    source_path: Path
    catalog_path: Path
    publishable: bool
    reason: str = ""
    approvals: tuple[Approval, ...] = ()
    #: Its finished translations (msgid -> msgstr), when the caller already read the catalog.
    translations: Mapping[str, str] | None = None


@dataclass(frozen=True, kw_only=True)
class Withheld:
    slug: str
    locale: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"slug": self.slug, "locale": self.locale, "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class PublishedPage:
    slug: str
    locale: str
    files: tuple[str, ...]
    rendered: bool  # False when carried over unchanged from the previous site


@dataclass(frozen=True, kw_only=True)
class PublishReport:
    """What a publish did: the pages in the site, what was withheld and why."""

    site: str
    published: tuple[PublishedPage, ...] = ()
    withheld: tuple[Withheld, ...] = ()
    changed: bool = False
    rendered: int = 0
    removed: tuple[str, ...] = ()  # pages of the previous site that are gone now
    dry_run: bool = False

    def lines(self) -> list[str]:
        lines = []
        for page in self.published:
            if page.rendered:
                verb = "would publish" if self.dry_run else "published"
                lines.append(f"{self.site}/{page.files[0]}: {verb}")
        for path in self.removed:
            verb = "would remove" if self.dry_run else "removed"
            lines.append(f"{self.site}/{path}: {verb} (no longer publishable)")
        for item in self.withheld:
            lines.append(f"withheld {item.locale}/{item.slug}: {item.reason}")
        translated = sum(1 for page in self.published if page.locale != "" and page.rendered)
        state = "unchanged" if not self.changed else f"{translated} page(s) rendered"
        lines.append(
            f"{self.site}/: {len(self.published)} article page(s), {len(self.withheld)} "
            f"withheld, {state}"
        )
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "changed": self.changed,
            "dry_run": self.dry_run,
            "rendered": self.rendered,
            "published": [
                {"slug": p.slug, "locale": p.locale, "files": list(p.files), "rendered": p.rendered}
                for p in self.published
            ],
            "withheld": [item.as_json() for item in self.withheld],
            "removed": list(self.removed),
        }


@dataclass(frozen=True, kw_only=True)
class _Job:
    """A page to produce: its manifest record, and how to render it."""

    slug: str
    locale: str
    source_path: Path
    translations: Mapping[str, str]
    record: dict[str, Any]
    is_source: bool = False
    alternates: tuple[Alternate, ...] = ()
    files: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class _Options:
    base_url: str = DEFAULT_BASE_URL


def site_options(config: Config) -> _Options:
    """``[tool.pipeline.publish]``: ``base_url`` (absolute URLs in hreflang links and the
    sitemap; default ``http://localhost:8000/``, what ``python -m http.server`` serves)."""
    table = config.tables.get("publish", {})
    if not isinstance(table, dict):
        raise UsageError("[tool.pipeline.publish] must be a table")
    unknown = set(table) - {"base_url"}
    if unknown:
        raise UsageError(
            f"unknown key {sorted(unknown)[0]!r} in [tool.pipeline.publish]; known keys: base_url"
        )
    base_url = table.get("base_url", DEFAULT_BASE_URL)
    if not isinstance(base_url, str) or not re.match(r"https?://[^\s/]+", base_url):
        raise UsageError(
            "base_url in [tool.pipeline.publish] must be an http(s) URL such as "
            "'https://example.org/translations/'"
        )
    return _Options(base_url=base_url if base_url.endswith("/") else base_url + "/")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tool() -> dict[str, str]:
    from pipeline import __version__

    return {"name": "medical-translation-pipeline", "version": __version__}


def finished_translations(entries: Iterable[Entry]) -> dict[str, str]:
    """Finished translations (msgid -> msgstr) of a catalog's active entries, never a fuzzy
    or empty one."""
    return {
        entry.msgid: entry.msgstr
        for entry in entries
        if entry.msgstr and not entry.is_fuzzy and entry.msgid and not entry.obsolete
    }


def _translations(candidate: Candidate) -> tuple[Mapping[str, str], bytes]:
    """The candidate's finished translations (read from its catalog unless the caller, who
    already read it, passed them) and the catalog's bytes (for its hash in the manifest)."""
    from pipeline.po.read import read_po

    data = candidate.catalog_path.read_bytes()
    if candidate.translations is not None:
        return candidate.translations, data
    catalog = read_po(data.decode("utf-8"), path=candidate.catalog_path)
    return (
        finished_translations(catalog.active),
        data,
    )


@dataclass(frozen=True)
class _Source:
    text: str
    segments: tuple[Segment, ...]
    parsed: Any = None  # a Markdown source's MarkdownDocument: its blocks and front matter


@cache
def _source_cache() -> dict[tuple[Path, int, int], _Source]:
    return {}


def _read_source(config: Config, path: Path) -> _Source:
    """A source's text, segments and (Markdown) parsed document, read once per publish (and
    per process while the file stays the same): the check for missing translations and every
    locale's page share them."""
    from pipeline.project import SourceFile, read_source

    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    found = _source_cache().get(key)
    if found is None:
        segments = read_source(config, SourceFile(slug=path.stem, path=path))  # path:line errors
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        parsed = None
        if path.suffix.lower() == ".md":
            from pipeline.readers.markdown import parse_markdown

            # The reader just read this text: a cache hit, kept here for the rendering.
            parsed = parse_markdown(
                text,
                language=config.source_locale,
                path=config.relative(path),
                front_matter=config.front_matter,
            )
        found = _source_cache()[key] = _Source(text=text, segments=tuple(segments), parsed=parsed)
    return found


def _check_site_dir(config: Config, site: Path) -> None:
    """Refuse a site folder that would replace something that is not a site."""
    site = Path(os.path.abspath(site))
    protected = [config.root, config.sources_dir, config.locales_dir, config.state_dir]
    for folder in protected:
        folder = Path(os.path.abspath(folder))
        if site == folder or folder.is_relative_to(site):
            raise UsageError(
                f"the site folder {site} would replace {config.relative(folder) or '.'}; "
                "choose a folder of its own, such as 'site'"
            )
    if site.is_symlink() or not site.exists():
        return
    if not site.is_dir():
        raise UsageError(f"{site} exists and is not a folder; remove it or choose another --site")
    if any(site.iterdir()) and not (site / MANIFEST).is_file():
        raise UsageError(
            f"{site} holds files that pipeline publish did not write; move them away or choose "
            "another --site (publishing replaces the whole folder)"
        )


def _old_manifest(site: Path) -> dict[str, Any]:
    try:
        loaded = json.loads((site / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _inside(root: Path, relative: str) -> Path:
    """``root / relative``, refusing anything that would land outside ``root``."""
    target = Path(os.path.normpath(root / relative))
    if (
        not target.is_relative_to(root)
        or ".." in Path(relative).parts
        or Path(relative).is_absolute()
    ):
        raise UsageError(f"refusing to write {relative!r} outside the site folder")
    return target


def publish_site(
    config: Config,
    candidates: Sequence[Candidate],
    *,
    site: Path | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> PublishReport:
    """Render every publishable candidate (and its source page) into ``site`` atomically.

    The caller holds the project lock. ``progress(done, total)`` is called as pages render.
    Raises :class:`~pipeline.errors.PipelineError` (nothing swapped, the old site whole) when
    a source or catalog cannot be read or a page cannot be rendered.
    """
    site = Path(os.path.abspath(site or config.site_dir))
    _check_site_dir(config, site)
    options = site_options(config)
    tool = _tool()
    # The site is a link to its current version: show the name the user knows, not the target.
    parent = config.relative(site.parent)
    shown_site = site.name if parent in ("", ".") else f"{parent}/{site.name}"

    withheld: list[Withheld] = []
    accepted: list[tuple[Candidate, Mapping[str, str], bytes]] = []
    sources: dict[str, tuple[Path, str]] = {}
    for candidate in sorted(candidates, key=lambda c: (c.slug, c.locale)):
        if not SLUG_PATTERN.fullmatch(candidate.slug) or not re.fullmatch(
            r"[A-Za-z0-9_]+", candidate.locale
        ):
            raise UsageError(f"refusing to publish {candidate.locale}/{candidate.slug}: bad name")
        if not candidate.publishable:
            withheld.append(
                Withheld(slug=candidate.slug, locale=candidate.locale, reason=candidate.reason)
            )
            continue
        source = _read_source(config, candidate.source_path)
        segments = source.segments
        sources[candidate.slug] = (candidate.source_path, source.text)
        translations, catalog_bytes = _translations(candidate)
        missing = missing_translations(segments, translations)
        if missing:
            withheld.append(
                Withheld(
                    slug=candidate.slug,
                    locale=candidate.locale,
                    reason=f"{len(missing)} sentence(s) of the source have no finished "
                    f"translation in {config.relative(candidate.catalog_path)} (first: "
                    f"{config.relative(candidate.source_path)}:{missing[0].line}); run "
                    "pipeline segment, then translate and approve them",
                )
            )
            continue
        accepted.append((candidate, translations, catalog_bytes))

    jobs = _plan(config, accepted, sources, options=options)
    manifest = {
        "tool": tool,
        "base_url": options.base_url,
        "source_locale": config.source_locale,
        "templates_sha256": templates_digest(),
        "pages": [job.record for job in jobs],
        "withheld": [item.as_json() for item in withheld],
    }
    manifest_text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    old = _old_manifest(site)
    old_pages = {
        (page.get("slug"), page.get("locale")): page
        for page in old.get("pages", [])
        if isinstance(page, dict)
    }
    new_files = {name for job in jobs for name in job.files}
    removed = sorted(
        name
        for page in old_pages.values()
        for name in page.get("files", [])
        if isinstance(name, str) and name not in new_files
    )
    unchanged = _is_current(site, manifest_text, new_files)
    published = [
        PublishedPage(
            slug=job.slug,
            locale=job.locale,
            files=job.files,
            rendered=not unchanged
            and old_pages.get((job.slug, job.locale), {}).get("fingerprint")
            != job.record["fingerprint"],
        )
        for job in jobs
    ]
    report = PublishReport(
        site=shown_site,
        published=tuple(page for page in published if not _is_source(page, config)),
        withheld=tuple(withheld),
        changed=not unchanged,
        rendered=sum(page.rendered for page in published),
        removed=tuple(removed),
        dry_run=dry_run,
    )
    if unchanged or dry_run:
        return report
    _build_and_swap(
        config,
        site,
        jobs,
        manifest_text,
        old_pages=old_pages,
        options=options,
        tool=tool,
        progress=progress,
    )
    return report


def _is_source(page: PublishedPage, config: Config) -> bool:
    return page.locale == config.source_locale


def _is_current(site: Path, manifest_text: str, files: Iterable[str]) -> bool:
    try:
        if (site / MANIFEST).read_text("utf-8") != manifest_text:
            return False
    except OSError:
        return False
    return all((site / name).is_file() for name in files)


def _plan(
    config: Config,
    accepted: Sequence[tuple[Candidate, Mapping[str, str], bytes]],
    sources: Mapping[str, tuple[Path, str]],
    *,
    options: _Options,
) -> list[_Job]:
    """The pages to produce, with their manifest records (fingerprints included)."""
    by_slug: dict[str, list[tuple[Candidate, Mapping[str, str], bytes]]] = defaultdict(list)
    for item in accepted:
        by_slug[item[0].slug].append(item)
    jobs: list[_Job] = []
    templates = templates_digest()
    tool = _tool()
    for slug in sorted(by_slug):
        source_path, source_text = sources[slug]
        suffix = source_path.suffix.lower()
        locales = [config.source_locale, *(c.locale for c, _, _ in by_slug[slug])]
        alternates = tuple(
            Alternate(
                hreflang=bcp47(locale),
                href=f"{options.base_url}{locale}/{slug}.html",
                relative=f"../{locale}/{slug}.html",
                name=language_name(locale),
            )
            for locale in locales
        ) + (
            Alternate(
                hreflang="x-default",
                href=f"{options.base_url}{config.source_locale}/{slug}.html",
                relative=f"../{config.source_locale}/{slug}.html",
                name=language_name(config.source_locale),
            ),
        )
        source_sha = _sha256(source_text.encode("utf-8"))
        entries: list[tuple[str, Mapping[str, str], dict[str, Any], bool]] = [
            (
                config.source_locale,
                {},
                {
                    "catalog": None,
                    "catalog_sha256": None,
                    "approvals": [],
                },
                True,
            )
        ]
        for candidate, translations, catalog_bytes in by_slug[slug]:
            entries.append(
                (
                    candidate.locale,
                    translations,
                    {
                        "catalog": config.relative(candidate.catalog_path),
                        "catalog_sha256": _sha256(catalog_bytes),
                        "approvals": [
                            {"by": a.by, "at": a.at}
                            for a in sorted(candidate.approvals, key=lambda a: (a.at, a.by))
                        ],
                    },
                    False,
                )
            )
        for locale, translations, details, is_source in entries:
            files = (f"{locale}/{slug}.html", f"{locale}/{slug}{suffix}")
            record: dict[str, Any] = {
                "slug": slug,
                "locale": locale,
                "source": config.relative(source_path),
                "source_sha256": source_sha,
                **details,
                "files": list(files),
            }
            fingerprint_input = {
                **record,
                "alternates": [a.href for a in alternates],
                "base_url": options.base_url,
                "templates": templates,
                "tool": tool,
            }
            record["fingerprint"] = _sha256(
                json.dumps(fingerprint_input, sort_keys=True, ensure_ascii=False).encode()
            )
            jobs.append(
                _Job(
                    slug=slug,
                    locale=locale,
                    source_path=source_path,
                    translations=translations,
                    record=record,
                    is_source=is_source,
                    alternates=alternates,
                    files=files,
                )
            )
    return jobs


def _build_and_swap(
    config: Config,
    site: Path,
    jobs: Sequence[_Job],
    manifest_text: str,
    *,
    old_pages: Mapping[tuple[Any, Any], Mapping[str, Any]],
    options: _Options,
    tool: Mapping[str, str],
    progress: Callable[[int, int], None] | None,
) -> None:
    parent = site.parent
    parent.mkdir(parents=True, exist_ok=True)
    previous = site.resolve() if site.exists() else None
    # Named by its content (the manifest fingerprints every page), so that any schedule of
    # builds leaves the same tree as a serial one; a leftover of a killed publish of the same
    # content is built again from scratch.
    staging = parent / f".{site.name}.{_sha256(manifest_text.encode('utf-8'))[:16]}"
    if previous is not None and staging == previous:  # the same content, damaged: repair it
        staging = parent / f".{site.name}.{secrets.token_hex(8)}"
    if staging.is_symlink() or staging.is_file():
        staging.unlink()
    elif staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        _write_site(
            config,
            staging,
            jobs,
            manifest_text,
            previous=previous,
            old_pages=old_pages,
            options=options,
            tool=tool,
            progress=progress,
        )
        _sync()
        _swap(site, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_old_versions(site, keep=staging)


def _write_site(
    config: Config,
    root: Path,
    jobs: Sequence[_Job],
    manifest_text: str,
    *,
    previous: Path | None,
    old_pages: Mapping[tuple[Any, Any], Mapping[str, Any]],
    options: _Options,
    tool: Mapping[str, str],
    progress: Callable[[int, int], None] | None,
) -> None:
    sources: dict[Path, _Source] = {}
    index: dict[str, list[IndexEntry]] = defaultdict(list)
    sitemap: list[tuple[str, tuple[Alternate, ...]]] = []
    for locale in {job.locale for job in jobs}:
        _inside(root, locale).mkdir()
    for done, job in enumerate(jobs, start=1):
        title, article_date = _carry_over(job, previous, old_pages, root)
        if title is None:
            if job.source_path not in sources:
                sources[job.source_path] = _read_source(config, job.source_path)
            article = _render(config, job, sources[job.source_path])
            page = render_article_page(
                article,
                context=PageContext(
                    locale=job.locale,
                    canonical=f"{options.base_url}{job.files[0]}",
                    root="../",
                    alternates=job.alternates,
                    locale_index="index.html",
                ),
                source_locale=config.source_locale,
                provenance=_provenance(config, job),
                download=Path(job.files[1]).name,
                tool=tool,
            )
            _write(_inside(root, job.files[0]), page)
            _write(_inside(root, job.files[1]), article.document)
            _write(
                _inside(root, _meta_name(job)),
                json.dumps(
                    {
                        "title": article.title,
                        "date": article.date.isoformat() if article.date else None,
                    },
                    ensure_ascii=False,
                ),
            )
            title, article_date = article.title, article.date
        index[job.locale].append(
            IndexEntry(href=f"{job.slug}.html", title=title, date=article_date)
        )
        sitemap.append((job.files[0], job.alternates))
        if progress is not None:
            progress(done, len(jobs))
    counts: dict[str, int] = {}
    for locale in sorted(index, key=lambda code: (code != config.source_locale, code)):
        counts[locale] = len(index[locale])
        context = PageContext(
            locale=locale,
            canonical=f"{options.base_url}{locale}/index.html",
            root="../",
        )
        _write(
            _inside(root, f"{locale}/index.html"),
            render_locale_index(index[locale], context=context, tool=tool),
        )
    front_locale = config.target_locales[0] if config.target_locales else config.source_locale
    _write(
        root / "index.html",
        render_root_index(
            counts,
            context=PageContext(
                locale=front_locale, canonical=f"{options.base_url}index.html", root=""
            ),
            tool=tool,
        ),
    )
    _write(root / "style.css", stylesheet())
    _write(root / "sitemap.xml", _sitemap(sitemap, base_url=options.base_url))
    _write(root / MANIFEST, manifest_text)


def _meta_name(job: _Job) -> str:
    """A small record of the page's title and date, so that an unchanged page carried over
    from the previous site still appears in the indexes without being rendered again."""
    return f"{job.locale}/.{job.slug}.meta.json"


def _carry_over(
    job: _Job,
    previous: Path | None,
    old_pages: Mapping[tuple[Any, Any], Mapping[str, Any]],
    root: Path,
) -> tuple[str | None, Any]:
    """Hard-link an unchanged page's files from the previous site; its title and date."""
    from datetime import date

    if previous is None:
        return None, None
    old = old_pages.get((job.slug, job.locale))
    if not old or old.get("fingerprint") != job.record["fingerprint"]:
        return None, None
    names = [*job.files, _meta_name(job)]
    try:
        meta = json.loads((previous / _meta_name(job)).read_text("utf-8"))
        for name in names:
            _link_or_copy(previous / name, _inside(root, name))
    except (OSError, ValueError):
        for name in names:
            with contextlib.suppress(OSError):
                _inside(root, name).unlink()
        return None, None
    article_date = date.fromisoformat(meta["date"]) if meta.get("date") else None
    return str(meta.get("title") or job.slug), article_date


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _render(config: Config, job: _Job, source: _Source) -> RenderedArticle:
    return render_article(
        source.text,
        suffix=job.source_path.suffix,
        translations=job.translations,
        source_language=config.source_locale,
        path=config.relative(job.source_path),
        slug=job.slug,
        parsed=source.parsed,
    )


def _provenance(config: Config, job: _Job) -> str:
    """One line on the page: where the text comes from and when it was approved."""
    source = config.relative(job.source_path)
    if job.is_source:
        return f"Original ({language_name(config.source_locale, in_locale='en')}): {source}."
    source_language = language_name(config.source_locale, in_locale=job.locale)
    approvals = job.record.get("approvals") or []
    text = f"Translated from {source_language} ({source}) into {language_name(job.locale)}"
    if approvals:
        from datetime import datetime

        latest = max(a["at"] for a in approvals)
        when = datetime.fromisoformat(latest.replace("Z", "+00:00"))
        text += f"; approved on {format_date(when.date(), format='long', locale=job.locale)}"
    return text + "."


def _sitemap(pages: Sequence[tuple[str, tuple[Alternate, ...]]], *, base_url: str) -> str:
    """sitemap.xml with ``xhtml:link`` hreflang alternates (what search engines read)."""
    from xml.sax.saxutils import escape, quoteattr

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for name, alternates in sorted(pages):
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(base_url + name)}</loc>")
        for alternate in alternates:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(alternate.hreflang)} '
                f"href={quoteattr(alternate.href)}/>"
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")


def _sync() -> None:
    """Flush the new site to disk before it becomes visible (one call, not one per file)."""
    if hasattr(os, "sync"):
        os.sync()


def _swap(site: Path, staging: Path) -> None:
    """Point ``site`` at ``staging`` with one rename of a symbolic link."""
    link = staging.parent / f"{staging.name}.link"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(link)  # left by a publish killed between these two steps
    os.symlink(staging.name, link)
    try:
        if site.exists() and not site.is_symlink():
            # A site folder from before links were used: set it aside first (the only moment
            # at which the site is briefly absent, once).
            os.rename(site, site.parent / f".{site.name}.{secrets.token_hex(8)}")
        os.replace(link, site)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(link)
        raise
    with contextlib.suppress(OSError):
        fd = os.open(site.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_old_versions(site: Path, *, keep: Path) -> None:
    """Remove previous site folders and leftovers of interrupted publishes."""
    for entry in site.parent.iterdir():
        match = _VERSION_DIR.fullmatch(entry.name.removesuffix(".link"))
        if not match or match["name"] != site.name or entry == keep:
            continue
        if entry.is_symlink() or entry.is_file():
            with contextlib.suppress(OSError):
                entry.unlink()
        elif entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
