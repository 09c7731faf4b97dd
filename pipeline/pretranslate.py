"""Pre-translation: fill empty catalog entries with drafts from the TM, then from MT.

For each target locale, every pending entry of every selected catalog is looked up in the
translation memory (exact, then fuzzy); what is left goes to machine translation in one
batched call for the whole locale pair, with glossary terms protected before and verified
after. Every draft is ``#, fuzzy`` and says where it came from in a ``#.`` comment::

    #. tm 100% ntrk-intro
    #. tm 87% ntrk-intro (numbers differ: 89.1 -> 90.8)
    #. mt argos zh→en 1.9
    #. mt missing: term “NTRK fusion gene”, number 90.8

Only empty entries are filled. ``overwrite=True`` also replaces earlier drafts of this
command (fuzzy entries carrying a ``tm``/``mt`` origin comment); a translator's work (any
entry without such a comment, or no longer fuzzy) is never touched. MT outputs are cached in
``<state>/mt-cache.sqlite`` by model, decoding settings, glossary version and source text, so
running again costs nothing. A catalog edited on disk while MT ran is re-read before writing,
and only entries still pending receive a draft.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.config import CONFIG_FILE, Config
from pipeline.errors import CatalogError, ConfigError, MTError, StateError, UsageError
from pipeline.locking import project_lock
from pipeline.mt.argos import MTSettings, MTUnavailable, load_translator
from pipeline.mt.engine import Progress, Translator
from pipeline.mt.protect import Protected, check_protection_mode, protect, verify
from pipeline.po.catalog import Catalog, Entry, is_origin_comment
from pipeline.tm import (
    DEFAULT_MIN_SCORE,
    ApprovalRule,
    Match,
    TranslationMemory,
    sync_catalogs,
    tm_path,
)

__all__ = [
    "ENGINES",
    "LocaleReport",
    "MTCache",
    "PretranslateOptions",
    "PretranslateReport",
    "ProgressFactory",
    "load_options",
    "pretranslate",
    "terminal_progress",
]

ENGINES = ("tm", "mt", "all")
ProgressFactory = Callable[[str, int], Progress]
"""Starts a progress display for ``total`` items described by a label; returns ``advance``."""
TranslatorFactory = Callable[[str, str], Translator]

#: The keys of [tool.pipeline.mt]: MTSettings' fields (the one list) and how terms are protected.
_MT_KEYS = frozenset({*(f.name for f in fields(MTSettings)), "glossary_protection"})
_TM_KEYS = {"min_score"}


@dataclass(frozen=True, kw_only=True)
class PretranslateOptions:
    """What to fill and how. ``engine``: ``tm``, ``mt`` or ``all`` (TM first, then MT)."""

    engine: str = "all"
    overwrite: bool = False
    min_score: int = DEFAULT_MIN_SCORE
    mt: MTSettings = field(default_factory=MTSettings)
    glossary_protection: str = "target"
    use_cache: bool = True

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise UsageError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if not 1 <= self.min_score <= 100:
            raise UsageError(f"min_score must be between 1 and 100, not {self.min_score}")
        check_protection_mode(self.glossary_protection)


@dataclass(frozen=True, kw_only=True)
class FileResult:
    path: str
    action: str  # created, updated, unchanged
    filled: int = 0
    flagged: tuple[tuple[int, str], ...] = ()  # (line, "mt missing: ...") for the reviewer


@dataclass(kw_only=True)
class LocaleReport:
    """What pre-translation did for one target locale."""

    locale: str
    pending: int = 0
    tm_exact: int = 0
    tm_fuzzy: int = 0
    tm_numbers_differ: int = 0
    mt: int = 0
    mt_cached: int = 0
    mt_flagged: int = 0
    mt_translated: int = 0
    plural_skipped: int = 0
    engine: str | None = None
    mt_unavailable: str | None = None
    files: list[FileResult] = field(default_factory=list)

    @property
    def filled(self) -> int:
        return self.tm_exact + self.tm_fuzzy + self.mt

    @property
    def left(self) -> int:
        return self.pending - self.filled

    def as_json(self) -> dict[str, object]:
        return {
            "locale": self.locale,
            "pending": self.pending,
            "filled": self.filled,
            "left": self.left,
            "tm_exact": self.tm_exact,
            "tm_fuzzy": self.tm_fuzzy,
            "tm_numbers_differ": self.tm_numbers_differ,
            "mt": self.mt,
            "mt_cached": self.mt_cached,
            "mt_translated": self.mt_translated,
            "mt_flagged": self.mt_flagged,
            "plural_skipped": self.plural_skipped,
            "engine": self.engine,
            "mt_unavailable": self.mt_unavailable,
            "files": [
                {
                    "path": f.path,
                    "action": f.action,
                    "filled": f.filled,
                    "flagged": [{"line": line, "hint": hint} for line, hint in f.flagged],
                }
                for f in self.files
            ],
        }


@dataclass(kw_only=True)
class PretranslateReport:
    locales: list[LocaleReport] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(f.action != "unchanged" for r in self.locales for f in r.files)

    @property
    def filled(self) -> int:
        return sum(r.filled for r in self.locales)

    @property
    def left(self) -> int:
        return sum(r.left for r in self.locales)

    def lines(self) -> list[str]:
        lines = []
        would = "would be " if self.dry_run else ""
        for report in self.locales:
            for result in report.files:
                if result.action != "unchanged":
                    lines.append(
                        f"{result.path}: {would}{result.action} ({result.filled} drafts)"
                    )
                lines.extend(f"{result.path}:{line}: {hint}" for line, hint in result.flagged)
        for report in self.locales:
            parts = [f"{report.tm_exact} tm 100%", f"{report.tm_fuzzy} tm fuzzy"]
            if report.tm_numbers_differ:
                parts[-1] += f" ({report.tm_numbers_differ} with changed numbers)"
            mt = f"{report.mt} mt"
            details = []
            if report.mt_cached:
                details.append(f"{report.mt_cached} from cache")
            if report.mt_flagged:
                details.append(f"{report.mt_flagged} with missing terms/numbers/markup")
            if details:
                mt += f" ({', '.join(details)})"
            parts.append(mt)
            verb = "would fill" if self.dry_run else "filled"
            lines.append(
                f"{report.locale}: {verb} {report.filled} of {report.pending} pending entries "
                f"({', '.join(parts)}); {report.left} left"
            )
            if report.mt_unavailable and report.left:
                lines.append(
                    f"{report.locale}: {report.left} entries left for machine translation: "
                    f"{report.mt_unavailable}"
                )
            if report.plural_skipped:
                lines.append(
                    f"{report.locale}: {report.plural_skipped} plural entries skipped "
                    "(translate them by hand)"
                )
        return lines

    def as_json(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "changed": self.changed,
            "filled": self.filled,
            "left": self.left,
            "locales": [report.as_json() for report in self.locales],
        }


# --- configuration ----------------------------------------------------------------------------


def load_options(config: Config, **overrides: Any) -> PretranslateOptions:
    """Options from ``[tool.pipeline.mt]`` and ``[tool.pipeline.tm]``, then ``overrides``.

    ``overrides`` whose value is ``None`` are ignored (a command-line option not given).
    """
    mt_table, tm_table = _config_tables(config)
    mt_values = {k: v for k, v in mt_table.items() if k != "glossary_protection"}
    protection = mt_table.get("glossary_protection", "target")
    min_score = tm_table.get("min_score", DEFAULT_MIN_SCORE)
    try:
        settings = MTSettings(**mt_values)
        check_protection_mode(protection)
    except TypeError as exc:  # a value of the wrong type
        raise ConfigError(f"[tool.pipeline.mt]: {exc}", path=CONFIG_FILE) from exc
    except UsageError as exc:
        # Each setting's message starts with (or names) its key: point at that line.
        key = next((key for key in mt_table if key in exc.message), None)
        raise ConfigError(
            f"[tool.pipeline.mt]: {exc.message}",
            path=CONFIG_FILE,
            line=None if key is None else config.key_line(key, table="tool.pipeline.mt"),
        ) from exc
    if isinstance(min_score, bool) or not isinstance(min_score, int) or not 1 <= min_score <= 100:
        raise ConfigError(
            f"min_score must be a whole number from 1 to 100 (the lowest fuzzy-match score "
            f"worth a draft, such as {DEFAULT_MIN_SCORE}), not {min_score!r}",
            path=CONFIG_FILE,
            line=config.key_line("min_score", table="tool.pipeline.tm"),
        )
    configured = PretranslateOptions(
        mt=settings, glossary_protection=protection, min_score=min_score
    )
    # Command-line values: a bad one is a usage error (exit 2), not the configuration's.
    mt_overrides = {
        key: overrides[key] for key in _MT_KEYS & set(overrides) if overrides[key] is not None
    }
    mt_overrides.pop("glossary_protection", None)
    options = {
        key: overrides[key]
        for key in ("engine", "overwrite", "min_score", "glossary_protection", "use_cache")
        if overrides.get(key) is not None
    }
    return replace(configured, mt=replace(settings, **mt_overrides), **options)


def _config_tables(config: Config) -> tuple[dict[str, Any], dict[str, Any]]:
    tables = []
    for name, known in (("mt", _MT_KEYS), ("tm", _TM_KEYS)):
        value = config.tables.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"[tool.pipeline.{name}] must be a table", path=CONFIG_FILE)
        unknown = sorted(set(value) - known)
        if unknown:
            raise ConfigError(
                f"unknown key {unknown[0]!r} in [tool.pipeline.{name}]; known keys: "
                + ", ".join(sorted(known)),
                path=CONFIG_FILE,
            )
        tables.append(value)
    return tables[0], tables[1]


# --- the MT cache -----------------------------------------------------------------------------


class MTCache:
    """MT outputs by key (model, settings, glossary version, input text), in SQLite."""

    def __init__(self, path: Path | str) -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(str(path), timeout=30)
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations "
                "(key TEXT PRIMARY KEY, output TEXT NOT NULL, created TEXT NOT NULL)"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS model_digests "
                "(stamp TEXT PRIMARY KEY, digest TEXT NOT NULL)"
            )
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            raise StateError(
                f"the MT cache cannot be opened ({exc}); delete the file (it is only a cache)",
                path=str(path),
            ) from exc

    @staticmethod
    def key(translator: Translator, *, glossary_version: str, mode: str, text: str) -> str:
        identity = json.dumps(
            [translator.name, translator.version, dict(translator.settings), glossary_version,
             mode, text],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(identity.encode("utf-8")).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            rows = self._db.execute(
                "SELECT key, output FROM translations WHERE key IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update(rows.fetchall())
        return found

    def put_many(self, items: dict[str, str]) -> None:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?)",
                [(key, output, now) for key, output in items.items()],
            )

    @property
    def model_digests(self) -> MutableMapping[str, str]:
        """Models' content digests by their files' paths, sizes and times (see
        :func:`pipeline.mt.argos.model_digest`), so an unchanged model is hashed once."""
        return _DigestTable(self._db)

    def close(self) -> None:
        self._db.close()


class _DigestTable(MutableMapping[str, str]):
    """The MT cache's ``model_digests`` table as a mapping from stamp to digest."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __getitem__(self, stamp: str) -> str:
        row = self._db.execute(
            "SELECT digest FROM model_digests WHERE stamp = ?", (stamp,)
        ).fetchone()
        if row is None:
            raise KeyError(stamp)
        return str(row[0])

    def __setitem__(self, stamp: str, digest: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO model_digests VALUES (?, ?)", (stamp, digest))

    def __delitem__(self, stamp: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM model_digests WHERE stamp = ?", (stamp,))

    def __iter__(self) -> Iterator[str]:
        rows = self._db.execute("SELECT stamp FROM model_digests").fetchall()
        return iter([str(row[0]) for row in rows])

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM model_digests").fetchone()[0])


# --- the run ----------------------------------------------------------------------------------


@dataclass
class _Catalog:
    slug: str
    path: Path
    catalog: Catalog
    digest: str
    #: The bytes the catalog was read from (the write replaces only these).
    data: bytes = field(default=b"", repr=False)
    fills: dict[tuple[str | None, str], Entry] = field(default_factory=dict)
    hints: dict[tuple[str | None, str], str] = field(default_factory=dict)


def pretranslate(
    config: Config,
    *,
    slugs: Sequence[str] = (),
    locales: Sequence[str] = (),
    options: PretranslateOptions | None = None,
    translator_factory: TranslatorFactory | None = None,
    progress: ProgressFactory | None = None,
    dry_run: bool = False,
    lock: bool = True,
    approval: ApprovalRule | None = None,
) -> PretranslateReport:
    """Fill pending entries of the selected catalogs (all, by default) for each locale.

    ``translator_factory(source_locale, target_locale)`` supplies the engine (default: the
    installed argostranslate package(s) for the pair). With ``dry_run`` nothing is written and
    MT does not run: the report says what the TM would fill and how many entries MT would get.
    ``lock=False`` is for a caller that already holds the project lock. ``approval`` is
    review's approval rule, handed to the TM so that approved units rank first.
    """
    from pipeline.glossary import load_glossary
    options = options or PretranslateOptions()
    targets = list(config.select_locales(locales))
    loaded: list[Any] = []

    def glossary() -> Any:
        # Only MT needs the glossary; a run with nothing left for MT never parses it.
        if not loaded:
            loaded.append(load_glossary(
                config.glossary_path,
                source_locale=config.source_locale,
                target_locales=config.target_locales,
            ))
        return loaded[0]

    report = PretranslateReport(dry_run=dry_run)
    with project_lock(config) if lock else nullcontext():
        memory = TranslationMemory(tm_path(config)) if options.engine != "mt" else None
        cache = MTCache(Path(config.state_dir) / "mt-cache.sqlite") if options.use_cache else None
        try:
            # Every draft is computed before any file is written: an error (a broken glossary,
            # MT asked for but missing) leaves every catalog as it was.
            planned: list[tuple[LocaleReport, list[_Catalog]]] = []
            for locale in targets:
                catalogs = [
                    _load(config, slug, path)
                    for slug, path in _select_catalogs(config, slugs, locale)
                ]
                locale_report = LocaleReport(locale=locale)
                planned.append((locale_report, catalogs))
                pending = _pending(catalogs, options, locale_report)
                if memory is not None and pending:
                    # The TM learns from the catalogs just read (each file is read once).
                    known = {item.path: (item.digest, item.catalog) for item in catalogs}
                    sync_catalogs(
                        memory, config, locales=[locale], loaded=known, approval=approval
                    )
                    pending = _fill_from_memory(
                        memory, config, locale, pending, options, locale_report
                    )
                if pending and options.engine != "tm":
                    _fill_from_mt(
                        config, locale, pending, options, locale_report,
                        glossary_loader=glossary, cache=cache, factory=translator_factory,
                        progress=progress, dry_run=dry_run,
                    )
            for locale_report, catalogs in planned:
                report.locales.append(locale_report)
                for item in catalogs:
                    locale_report.files.append(
                        _write(config, item, options, dry_run=dry_run)
                    )
        finally:
            if memory is not None:
                memory.close()
            if cache is not None:
                cache.close()
    return report


def _select_catalogs(config: Config, slugs: Sequence[str], locale: str) -> list[tuple[str, Path]]:
    if slugs:
        found = []
        for slug in dict.fromkeys(slugs):
            path = config.catalog_path(slug, locale)
            if not path.is_file():
                raise UsageError(
                    f"no catalog {config.relative(path)} for {slug!r}; run "
                    f"'pipeline segment {slug}' first"
                )
            found.append((slug, path))
        return found
    return [(path.stem, path) for path in config.catalog_files(locale)]


def _is_pending(entry: Entry, *, overwrite: bool) -> bool:
    if entry.obsolete or not entry.msgid:
        return False
    if not entry.is_translated:
        return True
    return overwrite and entry.is_fuzzy and any(
        is_origin_comment(comment) for comment in entry.extracted_comments
    )


@dataclass
class _Pending:
    item: _Catalog
    entry: Entry


def _pending(
    catalogs: Sequence[_Catalog], options: PretranslateOptions, report: LocaleReport
) -> list[_Pending]:
    pending = []
    for item in catalogs:
        for entry in item.catalog.active:
            if not _is_pending(entry, overwrite=options.overwrite):
                continue
            if entry.msgid_plural is not None:
                report.plural_skipped += 1
                continue
            pending.append(_Pending(item=item, entry=entry))
    report.pending = len(pending)
    return pending


def _fill_from_memory(
    memory: TranslationMemory,
    config: Config,
    locale: str,
    pending: list[_Pending],
    options: PretranslateOptions,
    report: LocaleReport,
) -> list[_Pending]:
    left = []
    for item in pending:
        match: Match | None = memory.best(
            item.entry.msgid,
            source_locale=config.source_locale,
            target_locale=locale,
            min_score=options.min_score,
        )
        if match is None:
            left.append(item)
            continue
        if match.score == 100:
            report.tm_exact += 1
        else:
            report.tm_fuzzy += 1
            report.tm_numbers_differ += match.numbers_differ
        item.item.fills[item.entry.key] = _draft(item.entry, match.unit.target, [match.comment])
    return left


def _fill_from_mt(
    config: Config,
    locale: str,
    pending: list[_Pending],
    options: PretranslateOptions,
    report: LocaleReport,
    *,
    glossary_loader: Callable[[], Any],
    cache: MTCache | None,
    factory: TranslatorFactory | None,
    progress: ProgressFactory | None,
    dry_run: bool,
) -> None:
    try:
        if factory is not None:
            translator = factory(config.source_locale, locale)
        else:
            translator = load_translator(
                config.source_locale,
                locale,
                options=options.mt,
                known_digests=cache.model_digests if cache is not None else None,
            )
    except MTUnavailable as exc:
        if options.engine == "mt":
            raise
        report.mt_unavailable = exc.message
        return
    report.engine = f"{translator.name} {translator.version}"
    if dry_run:
        return
    glossary = glossary_loader()
    mode = options.glossary_protection
    protected: list[Protected] = [
        protect(
            p.entry.msgid,
            glossary=glossary,
            locale=locale,
            mode=mode,
            source_locale=config.source_locale,
        )
        for p in pending
    ]
    inputs = list(dict.fromkeys(p.text for p in protected))
    version = getattr(glossary, "version", "") or ""
    keys = {
        text: MTCache.key(translator, glossary_version=version, mode=mode, text=text)
        for text in inputs
    }
    outputs = cache.get_many(list(keys.values())) if cache is not None else {}
    todo = [text for text in inputs if keys[text] not in outputs]
    from_cache = {text for text in inputs if keys[text] in outputs}
    if todo:
        advance = progress(f"mt {locale}", len(todo)) if progress is not None else None
        translated = translator.translate_batch(todo, progress=advance)
        if len(translated) != len(todo):
            raise MTError(
                f"the MT engine {translator.name} {translator.version} returned "
                f"{len(translated)} translations for {len(todo)} sentences; nothing was "
                "written (reinstall the model with 'pipeline models install')"
            )
        fresh = {keys[text]: output for text, output in zip(todo, translated, strict=True)}
        if cache is not None:
            cache.put_many(fresh)
        outputs.update(fresh)
        report.mt_translated = len(todo)
    origin = f"mt {translator.name} {translator.version}"
    for item, prepared in zip(pending, protected, strict=True):
        output = outputs[keys[prepared.text]]
        if not output.strip():
            continue
        draft = verify(prepared, output, glossary=glossary)
        comments = [origin] + ([draft.hint] if draft.hint else [])
        item.item.fills[item.entry.key] = _draft(item.entry, draft.text, comments)
        if draft.hint:
            item.item.hints[item.entry.key] = draft.hint
        report.mt += 1
        report.mt_cached += prepared.text in from_cache
        report.mt_flagged += bool(draft.missing)


def _draft(entry: Entry, text: str, origin: list[str]) -> Entry:
    kept = tuple(c for c in entry.extracted_comments if not is_origin_comment(c))
    return entry.replace(
        msgstr=text,
        extracted_comments=(*kept, *origin),
        previous_msgctxt=None,
        previous_msgid=None,
        previous_msgid_plural=None,
    ).with_flag("fuzzy")


def _write(
    config: Config,
    item: _Catalog,
    options: PretranslateOptions,
    *,
    dry_run: bool,
) -> FileResult:
    relative = config.relative(item.path)
    if not item.fills:
        return FileResult(path=relative, action="unchanged")
    from pipeline.errors import NotReady

    try:
        return _fill_and_write(config, item, item.catalog, item.data, options, dry_run=dry_run)
    except NotReady:
        # Someone saved the file while we worked (their save is in place, untouched): apply
        # our drafts to what is there now, and only to entries that still need one.
        current = _load(config, item.slug, item.path)
        return _fill_and_write(
            config, item, current.catalog, current.data, options, dry_run=dry_run
        )


def _fill_and_write(
    config: Config,
    item: _Catalog,
    catalog: Catalog,
    read: bytes,
    options: PretranslateOptions,
    *,
    dry_run: bool,
) -> FileResult:
    """Apply ``item``'s drafts to ``catalog`` (parsed from the bytes ``read``) and write it,
    only if the file still holds ``read`` (else :class:`NotReady`, nothing written)."""
    relative = config.relative(item.path)
    filled = 0
    entries = []
    for entry in catalog.entries:
        draft = item.fills.get(entry.key)
        if (
            draft is not None
            and entry.msgid_plural is None
            and _is_pending(entry, overwrite=options.overwrite)
        ):
            entries.append(draft.replace(lineno=entry.lineno))
            filled += 1
        else:
            entries.append(entry)
    if not filled:
        return FileResult(path=relative, action="unchanged")
    updated = catalog.with_entries(entries)
    if dry_run:
        return FileResult(path=relative, action="updated", filled=filled)
    # The msgid line of each draft as written (what `check` reports for it), without
    # reading the file back.
    from pipeline.po.write import write_po_file

    lines: dict[tuple[str | None, str], int] = {}
    changed = write_po_file(item.path, updated, msgid_lines=lines, expected=read)
    flagged: list[tuple[int, str]] = []
    for entry in updated.active:
        hint = item.hints.get(entry.key)
        if hint is not None and hint in entry.extracted_comments:
            flagged.append((lines[entry.key], hint))
    return FileResult(
        path=relative,
        action="updated" if changed else "unchanged",
        filled=filled,
        flagged=tuple(flagged),
    )


def _load(config: Config, slug: str, path: Path) -> _Catalog:
    """The catalog and the digest of its bytes, from one read of the file."""
    from pipeline.fsutil import read_bytes_file
    from pipeline.po.read import read_po_bytes

    shown = config.relative(path)
    data = read_bytes_file(path, shown=shown, error=CatalogError)
    catalog = read_po_bytes(data, path=shown)
    return _Catalog(
        slug=slug, path=path, catalog=catalog, digest=hashlib.sha256(data).hexdigest(), data=data
    )


# --- progress on a terminal -------------------------------------------------------------------


@contextmanager
def terminal_progress(stream: Any = None) -> Iterator[ProgressFactory | None]:
    """A rich progress bar factory when ``stream`` (stderr) is a terminal, else ``None``.

    CI logs get no bar and no carriage returns; the report's lines say what happened.
    """
    stream = stream or sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    )

    def start(description: str, total: int) -> Callable[[int], None]:
        task = bar.add_task(description, total=total)
        return lambda count: bar.advance(task, count)

    with bar:
        yield start
