"""The edge that touches files: sources in, templates and catalogs out.

Everything is computed in memory first and written only when every input was read without an
error, so a malformed source or catalog leaves the tree exactly as it was. Files are written
atomically and only when their bytes change; a project lock keeps two scheduled builds from
interleaving.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale

from pipeline.config import SLUG_PATTERN, Config, plural_forms
from pipeline.errors import CatalogError, InputError, NotReady, SourceError, UsageError
from pipeline.fsutil import read_bytes_file, read_text_file, write_text_file
from pipeline.locking import project_lock
from pipeline.po.catalog import Catalog, Entry
from pipeline.po.merge import update_catalog
from pipeline.po.read import read_po_bytes
from pipeline.po.write import generate_po
from pipeline.readers import SUPPORTED_SUFFIXES, read_segments
from pipeline.segments import Segment

__all__ = [
    "FileChange",
    "SourceFile",
    "WriteReport",
    "discover_sources",
    "project_lock",
    "segment_project",
]



@dataclass(frozen=True, kw_only=True)
class SourceFile:
    slug: str
    path: Path


@dataclass(frozen=True, kw_only=True)
class FileChange:
    """What a command did (or, with ``--check``, would do) to one file."""

    path: str
    action: str  # "created", "updated" or "unchanged"
    summary: str = ""


@dataclass(kw_only=True)
class WriteReport:
    changes: list[FileChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(change.action != "unchanged" for change in self.changes)

    def lines(self) -> list[str]:
        verb = {"created": "would create", "updated": "would update"} if self.dry_run else {}
        lines = []
        for change in self.changes:
            action = verb.get(change.action, change.action)
            detail = f" ({change.summary})" if change.summary else ""
            lines.append(f"{change.path}: {action}{detail}")
        lines.extend(self.notes)
        counts = {a: sum(c.action == a for c in self.changes) for a in ("created", "updated")}
        unchanged = len(self.changes) - counts["created"] - counts["updated"]
        prefix = "would change" if self.dry_run else "changed"
        lines.append(
            f"{prefix} {counts['created'] + counts['updated']} file(s): {counts['created']} "
            f"created, {counts['updated']} updated, {unchanged} unchanged"
        )
        return lines

    def as_json(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "changed": self.changed,
            "files": [
                {"path": c.path, "action": c.action, "summary": c.summary} for c in self.changes
            ],
            "notes": self.notes,
        }


def discover_sources(config: Config, slugs: Sequence[str] = ()) -> list[SourceFile]:
    """Source files of the project (all, or those named), validated and sorted by slug."""
    if not config.sources_dir.is_dir():
        raise UsageError(
            f"sources directory {config.relative(config.sources_dir)}/ does not exist; create "
            "it and add articles (.md, .txt, .srt, .vtt), or set 'sources' in [tool.pipeline]"
        )
    found: dict[str, SourceFile] = {}
    for path in sorted(config.sources_dir.iterdir()):
        if path.name.startswith(".") or path.suffix not in SUPPORTED_SUFFIXES:
            continue
        config.refuse_outside(path, error=SourceError)
        if not path.is_file():
            continue
        slug = path.stem
        relative = config.relative(path)
        if not SLUG_PATTERN.fullmatch(slug):
            raise SourceError(
                f"file name {slug!r} is not a valid slug; rename the file using only lowercase "
                "letters a-z, digits and hyphens (the slug becomes file names and URLs)",
                path=relative,
            )
        if slug in found:
            raise SourceError(
                f"slug {slug!r} is used by two sources ({found[slug].path.name} and {path.name}); "
                "rename one of them",
                path=relative,
            )
        found[slug] = SourceFile(slug=slug, path=path)
    if not slugs:
        return list(found.values())
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        available = ", ".join(found) or "none"
        raise UsageError(
            f"no source for {', '.join(repr(s) for s in missing)} in "
            f"{config.relative(config.sources_dir)}/ (available: {available})"
        )
    return [found[slug] for slug in dict.fromkeys(slugs)]


def read_source(config: Config, source: SourceFile) -> list[Segment]:
    """Read and segment one source file; errors name the file and line."""
    relative = config.relative(source.path)
    text = read_text_file(source.path, shown=relative, error=SourceError)
    if not text.strip():
        raise SourceError(
            "source is empty; add content or remove the file", path=relative, line=1
        )
    return read_segments(
        text,
        suffix=source.path.suffix,
        language=config.source_locale,
        path=relative,
        front_matter=config.front_matter,
    )


def segment_project(
    config: Config, *, slugs: Sequence[str] = (), dry_run: bool = False
) -> WriteReport:
    """Sources -> ``templates/<slug>.pot`` -> each locale's ``<slug>.po`` (merged)."""
    with project_lock(config):
        sources = discover_sources(config, slugs)
        hints_for = _glossary_hints(config)
        now = _creation_date()
        planned: list[_Planned] = []
        for source in sources:
            segments = read_source(config, source)
            template_path = config.template_path(source.slug)
            template = build_template(config, source, segments, hints=hints_for(None))
            template.metadata = _template_header(source.slug)
            old_template = _read_bytes(config, template_path)
            planned.append(
                _Planned(
                    path=template_path,
                    text=_po_text(
                        template, config.relative(template_path), old=old_template, now=now
                    ),
                    summary=_summarise(template),
                    old=old_template,
                )
            )
            for locale in config.target_locales:
                po_path = config.catalog_path(source.slug, locale)
                if len(config.target_locales) == 1:
                    localized = template  # one locale: the template's hints are its hints
                else:
                    localized = build_template(
                        config, source, segments, hints=hints_for(locale)
                    )
                    localized.metadata = template.metadata
                old_catalog = _read_bytes(config, po_path)
                if old_catalog is not None:
                    old = read_po_bytes(old_catalog, path=config.relative(po_path))
                    catalog = update_catalog(old, localized)
                    catalog.metadata = _localize_header(catalog.metadata, locale)
                else:
                    catalog = new_catalog(localized, locale, source=config.relative(source.path))
                planned.append(
                    _Planned(
                        path=po_path,
                        text=_po_text(catalog, config.relative(po_path)),
                        summary=_summarise(catalog),
                        old=old_catalog,
                    )
                )

        # Everything was read and merged without an error: only now touch the tree. A PO editor
        # does not take our lock: if a translator saved a catalog meanwhile, writing the merge
        # would throw their work away, so stop before writing anything.
        changed = [plan.path for plan in planned if _read_bytes(config, plan.path) != plan.old]
        if changed and not dry_run:
            raise NotReady(
                "the file changed while it was being merged (saved in an editor?); nothing "
                "was written: run the command again",
                path=config.relative(changed[0]),
            )
        report = WriteReport(dry_run=dry_run)
        for plan in planned:
            report.changes.append(_write(config, plan, dry_run=dry_run))
    report.notes.extend(_orphans(config, sources, all_sources=not slugs))
    return report


@dataclass(frozen=True, kw_only=True)
class _Planned:
    """A file segmentation will write: its new text, and its bytes when it was read."""

    path: Path
    text: str
    summary: str
    old: bytes | None


def build_template(
    config: Config,
    source: SourceFile,
    segments: Iterable[Segment],
    *,
    hints: Callable[[str], Sequence[str]],
) -> Catalog:
    """One entry per distinct segment; repeated sentences share an entry with all references."""
    relative = config.relative(source.path)
    entries: dict[str, Entry] = {}
    for segment in segments:
        reference = f"{relative}:{segment.line}"
        segment_id = segment.id
        existing = entries.get(segment_id)
        if existing is not None:
            if reference not in existing.references:
                entries[segment_id] = existing.replace(
                    references=(*existing.references, reference)
                )
            continue
        entries[segment_id] = Entry(
            msgctxt=segment_id,
            msgid=segment.text,
            extracted_comments=(segment.note, *hints(segment.text)),
            references=(reference,),
        )
    return Catalog(header_flags=("fuzzy",), entries=list(entries.values()))


def new_catalog(template: Catalog, locale: str, *, source: str) -> Catalog:
    """A fresh catalog for ``locale``, as ``msginit`` would make it."""
    language = Locale.parse(locale)
    return Catalog(
        metadata=_localize_header(
            {**template.metadata, "Language-Team": language.english_name or locale}, locale
        ),
        header_comments=(f"{language.english_name} translation of {source}.",),
        entries=[entry.replace(msgstr="") for entry in template.entries],
    )


def _template_header(slug: str) -> dict[str, str]:
    return {
        "Project-Id-Version": slug,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }


_CREATION_DATE = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


def _creation_date() -> str:
    """Now, as ``POT-Creation-Date`` writes it; ``SOURCE_DATE_EPOCH`` (the reproducible-builds
    convention) fixes it, so two builds of the same tree give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def _po_text(
    catalog: Catalog, shown: str, *, old: bytes | None = None, now: str | None = None
) -> str:
    """The catalog's PO text, with a template's creation date kept when ``now`` is given (see
    :func:`_with_creation_date`); a catalog no PO file can express is a
    :class:`~pipeline.errors.CatalogError` located at the file it was to be written to."""
    try:
        return generate_po(catalog) if now is None else _with_creation_date(catalog, old, now)
    except CatalogError as exc:
        raise CatalogError(exc.message, path=shown) from exc


def _with_creation_date(template: Catalog, old: bytes | None, now: str) -> str:
    """The template's text, dated ``now`` only if its content differs from the old file.

    Keeping the old date while nothing else changed is what lets a re-run on an unchanged
    tree rewrite nothing (and the catalogs, which copy the date, stay unchanged too).
    """
    old_text = old.decode("utf-8", errors="replace") if old is not None else None
    found = _CREATION_DATE.search(old_text) if old_text else None
    old_date = found.group(1) if found else now
    template.metadata["POT-Creation-Date"] = old_date
    text = generate_po(template)
    if text != old_text and old_date != now:
        # The date is the header's only line that differs: swap it rather than regenerate.
        template.metadata["POT-Creation-Date"] = now
        text = text.replace(
            f'"POT-Creation-Date: {old_date}\\n"', f'"POT-Creation-Date: {now}\\n"', 1
        )
    return text


def _localize_header(metadata: dict[str, str], locale: str) -> dict[str, str]:
    updated = dict(metadata)
    updated["Language"] = locale
    updated.setdefault("MIME-Version", "1.0")
    updated["Content-Type"] = "text/plain; charset=UTF-8"
    updated.setdefault("Content-Transfer-Encoding", "8bit")
    updated["Plural-Forms"] = plural_forms(locale)
    return updated


def _read_bytes(config: Config, path: Path) -> bytes | None:
    """The bytes of a file segmentation will write (None: absent); one reached through a link
    out of the project, or a folder in its place, is an error."""
    config.refuse_outside(path, error=CatalogError)
    if not path.exists() and not path.is_symlink():
        return None
    return read_bytes_file(path, shown=config.relative(path), error=CatalogError)


def _write(config: Config, plan: _Planned, *, dry_run: bool) -> FileChange:
    relative = config.relative(plan.path)
    data = plan.text.encode("utf-8")
    if plan.old == data:
        return FileChange(path=relative, action="unchanged", summary=plan.summary)
    action = "created" if plan.old is None else "updated"
    if not dry_run:
        try:
            write_text_file(plan.path, plan.text, expected=plan.old)
        except InputError as exc:
            raise CatalogError(exc.message, path=relative) from exc
    return FileChange(path=relative, action=action, summary=plan.summary)


def _summarise(catalog: Catalog) -> str:
    active = catalog.active
    fuzzy = sum(entry.is_fuzzy for entry in active)
    translated = sum(entry.is_translated and not entry.is_fuzzy for entry in active)
    untranslated = len(active) - fuzzy - translated
    parts = [f"{len(active)} entries"]
    if any(entry.is_translated for entry in catalog.entries):
        parts.append(f"{translated} translated, {fuzzy} fuzzy, {untranslated} untranslated")
    if catalog.obsolete:
        parts.append(f"{len(catalog.obsolete)} obsolete")
    return ", ".join(parts)


def _orphans(config: Config, sources: Sequence[SourceFile], *, all_sources: bool) -> list[str]:
    """Catalogs whose source is gone are kept (they hold translations) and reported."""
    if not all_sources:
        return []
    slugs = {source.slug for source in sources}
    notes = []
    for locale in config.target_locales:
        directory = config.locales_dir / locale / "LC_MESSAGES"
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.po")):
            if path.stem not in slugs:
                notes.append(
                    f"{config.relative(path)}: kept, but its source is gone; delete it yourself "
                    "if the article was withdrawn"
                )
    return notes


def _glossary_hints(config: Config) -> Callable[[str | None], Callable[[str], list[str]]]:
    """``hints_for(locale)(text)``: the glossary lines for a segment (locale ``None``: for a
    template, which serves every target locale and so lists each locale's hints once).

    Without a glossary file the glossary machinery is not even imported.
    """
    if not config.glossary_path.exists():
        return lambda locale: lambda text: []
    from pipeline.glossary import load_glossary

    glossary = load_glossary(
        config.glossary_path,
        source_locale=config.source_locale,
        target_locales=config.target_locales,
    )

    def template_hints(text: str) -> list[str]:
        lines: dict[str, None] = {}
        for target in config.target_locales:
            lines.update(dict.fromkeys(glossary.hints(text, target)))
        return list(lines)

    def hints_for(locale: str | None) -> Callable[[str], list[str]]:
        if locale is None:
            return template_hints
        return lambda text: glossary.hints(text, locale)

    return hints_for
