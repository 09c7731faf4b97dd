"""Translation memory: approved translations, reused as drafts for new sentences.

An SQLite file (default ``.pipeline/tm.sqlite``, git-ignored) holds translation units per
locale pair. It is fed from the catalogs (approved entries rank above translated-but-unapproved
ones; drafts and untranslated entries never enter) and from TMX files; deleting it loses
nothing but TMX imports, because :func:`sync_catalogs` rebuilds it from the catalogs.

Lookups: an exact match on the source text (100%), else a fuzzy match scored with rapidfuzz's
character-level ratio, which suits Chinese (no word boundaries). Candidates come from an FTS5
trigram index (3+ characters), and for 1-2 character segments, which trigrams cannot find,
from ``instr()`` over the few short units (an index on length keeps that small). A fuzzy match
whose translation's numbers differ from the new source says so (by value, with
:func:`pipeline.tokens.numbers.number_differences`: exactly what the ``numbers`` check would
report if the suggestion were kept), because its translation carries the old numbers.

>>> memory = TranslationMemory(":memory:")
>>> memory.add([Unit(source="颅内客观缓解率为90.8%。", target="The intracranial ORR was 90.8%.",
...     source_locale="zh_Hans", target_locale="en", status="approved", origin="ntrk")])
1
>>> match = memory.best("颅内客观缓解率为89.1%。", source_locale="zh_Hans", target_locale="en")
>>> match.comment
'tm 85% ntrk (numbers differ: 90.8 -> 89.1)'
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import sqlite3
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipeline.errors import InputError, StateError
from pipeline.fsutil import write_text_file
from pipeline.po.catalog import Catalog, Entry
from pipeline.tokens.numbers import number_differences

if TYPE_CHECKING:
    from pipeline.config import Config

__all__ = [
    "DEFAULT_MIN_SCORE",
    "ApprovalRule",
    "Match",
    "TmxImport",
    "TranslationMemory",
    "Unit",
    "bcp47",
    "open_memory",
    "rebuild_from_catalogs",
    "sync_catalogs",
    "tm_path",
]

class ApprovalRule(Protocol):
    """Whether an entry of a catalog is approved: ``rule(slug, locale, entry)``.

    The memory never decides this itself (it must not depend on the review stage): whoever
    feeds it (a command, the build) passes review's one rule,
    :func:`pipeline.review.approval_rule`. Without a rule, every finished entry is fed as
    merely ``translated``.
    """

    def __call__(self, slug: str, locale: str, entry: Entry, /) -> bool: ...

    def evidence(self, locale: str, /) -> str:
        """A digest of what the verdicts for ``locale`` rest on besides the catalog."""
        ...

DEFAULT_MIN_SCORE = 75
SCHEMA_VERSION = "1"
RANKS = {"approved": 2, "translated": 1, "imported": 1}
_CANDIDATES = 60
_SHORT = 6  # up to this many characters, a fuzzy lookup may fall back to instr()
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TMX_INLINE_CODES = {"bpt", "ept", "ph", "it", "ut"}

# Candidates for a fuzzy match: the units sharing the most (rarest) trigrams, by bm25.
# CROSS JOIN keeps SQLite from walking the length index and probing the FTS index per row.
FUZZY_QUERY = (
    "SELECT u.* FROM units_fts CROSS JOIN units AS u ON u.id = units_fts.rowid "
    "WHERE units_fts MATCH ? AND u.source_locale = ? AND u.target_locale = ? "
    "AND u.length BETWEEN ? AND ? ORDER BY units_fts.rank, u.source, u.origin, u.target LIMIT ?"
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    source_locale TEXT NOT NULL,
    target_locale TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    status TEXT NOT NULL,
    rank INTEGER NOT NULL,
    origin TEXT NOT NULL,
    context TEXT,
    length INTEGER NOT NULL,
    changed TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS units_exact ON units (source_locale, target_locale, source);
CREATE INDEX IF NOT EXISTS units_length ON units (source_locale, target_locale, length);
CREATE INDEX IF NOT EXISTS units_origin ON units (origin, source_locale, target_locale);
CREATE VIRTUAL TABLE IF NOT EXISTS units_fts USING fts5(
    source, content='units', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS units_ai AFTER INSERT ON units BEGIN
    INSERT INTO units_fts (rowid, source) VALUES (new.id, new.source);
END;
CREATE TRIGGER IF NOT EXISTS units_ad AFTER DELETE ON units BEGIN
    INSERT INTO units_fts (units_fts, rowid, source) VALUES ('delete', old.id, old.source);
END;
CREATE TRIGGER IF NOT EXISTS units_au AFTER UPDATE ON units BEGIN
    INSERT INTO units_fts (units_fts, rowid, source) VALUES ('delete', old.id, old.source);
    INSERT INTO units_fts (rowid, source) VALUES (new.id, new.source);
END;
CREATE TABLE IF NOT EXISTS feeds (
    origin TEXT NOT NULL,
    source_locale TEXT NOT NULL,
    target_locale TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (origin, source_locale, target_locale)
);
"""


@dataclass(frozen=True, kw_only=True)
class Unit:
    """One translation unit. ``origin`` is the catalog's slug, or ``tmx:<file name>``."""

    source: str
    target: str
    source_locale: str
    target_locale: str
    status: str = "approved"
    origin: str = ""
    context: str | None = None
    changed: str = ""

    @property
    def rank(self) -> int:
        return RANKS.get(self.status, 1)


@dataclass(frozen=True, kw_only=True)
class Match:
    """A unit found for a new source, with its score (100 = same source text)."""

    unit: Unit
    score: int
    old_numbers: tuple[str, ...] = ()  # in the unit's translation, not in the new source
    new_numbers: tuple[str, ...] = ()  # in the new source, not in the unit's translation

    @property
    def numbers_differ(self) -> bool:
        return bool(self.old_numbers or self.new_numbers)

    @property
    def comment(self) -> str:
        """The ``#.`` origin line: ``tm 87% ntrk (numbers differ: 89.1 -> 90.8)``."""
        text = f"tm {self.score}% {self.unit.origin}"
        notes = []
        if self.unit.status != "approved":
            notes.append("not approved")
        if self.numbers_differ:
            old = ", ".join(self.old_numbers) or "none"
            new = ", ".join(self.new_numbers) or "none"
            notes.append(f"numbers differ: {old} -> {new}")
        return f"{text} ({'; '.join(notes)})" if notes else text


@dataclass(kw_only=True)
class TmxImport:
    """What :meth:`TranslationMemory.import_tmx` did."""

    added: Counter[str] = field(default_factory=Counter)
    skipped: int = 0

    @property
    def total(self) -> int:
        return sum(self.added.values())


class TranslationMemory:
    """An open translation-memory database (use as a context manager, or call ``close``)."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            if path != ":memory:":
                # A rebuildable cache: WAL without a sync per commit is durable enough.
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            version = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if version is None:
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif version[0] != SCHEMA_VERSION:
                raise StateError(
                    f"translation memory schema {version[0]} is not {SCHEMA_VERSION}; delete "
                    "the file and run 'pipeline tm rebuild'",
                    path=str(path),
                )
        except sqlite3.DatabaseError as exc:
            raise StateError(
                f"the translation memory cannot be opened ({exc}); delete the file and run "
                "'pipeline tm rebuild' (it is rebuilt from the catalogs)",
                path=str(path),
            ) from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def add(self, units: Iterable[Unit]) -> int:
        """Insert units; returns how many."""
        kept = [u for u in units if u.source and u.target]
        with self._transaction():
            self._insert_in_transaction(kept)
        return len(kept)

    def remove_origin(
        self, origin: str, *, source_locale: str, target_locale: str | None = None
    ) -> int:
        """Delete every unit that came from ``origin`` (a slug or ``tmx:<name>``)."""
        query = "DELETE FROM units WHERE origin = ? AND source_locale = ?"
        params: list[str] = [origin, source_locale]
        if target_locale is not None:
            query += " AND target_locale = ?"
            params.append(target_locale)
        with self._transaction():
            removed = self._db.execute(query, params).rowcount
            self._db.execute(
                "DELETE FROM feeds WHERE origin = ? AND source_locale = ?"
                + (" AND target_locale = ?" if target_locale is not None else ""),
                params,
            )
        return removed

    def feed_catalog(
        self,
        catalog: Catalog,
        *,
        origin: str,
        source_locale: str,
        target_locale: str,
        digest: str = "",
        is_approved: Callable[[Entry], bool] | None = None,
    ) -> int:
        """Replace the units of one catalog with its approved and translated entries
        (``is_approved`` tells which are approved; see :data:`ApprovalRule`)."""
        units = list(catalog_units(catalog, origin=origin, source_locale=source_locale,
                                   target_locale=target_locale, is_approved=is_approved))
        with self._transaction():
            self._db.execute(
                "DELETE FROM units WHERE origin = ? AND source_locale = ? AND target_locale = ?",
                (origin, source_locale, target_locale),
            )
            self._db.execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
                (origin, source_locale, target_locale, digest),
            )
            self._insert_in_transaction(units)
        return len(units)

    def fed_digest(self, origin: str, *, source_locale: str, target_locale: str) -> str | None:
        row = self._db.execute(
            "SELECT digest FROM feeds WHERE origin = ? AND source_locale = ? AND target_locale = ?",
            (origin, source_locale, target_locale),
        ).fetchone()
        return None if row is None else row[0]

    def fed_origins(self, *, source_locale: str, target_locale: str) -> list[str]:
        rows = self._db.execute(
            "SELECT origin FROM feeds WHERE source_locale = ? AND target_locale = ? "
            "ORDER BY origin",
            (source_locale, target_locale),
        )
        return [row[0] for row in rows]

    def replace_catalogs(
        self, feeds: Sequence[tuple[str, str, str, Sequence[Unit]]], *, source_locale: str
    ) -> None:
        """Replace every catalog unit with ``feeds`` (origin, target locale, digest, units),
        in one transaction: readers see the old memory or the new one, never an empty one."""
        with self._transaction():
            self._db.execute("DELETE FROM units WHERE origin NOT LIKE 'tmx:%'")
            self._db.execute("DELETE FROM feeds")
            for origin, target_locale, digest, units in feeds:
                self._db.execute(
                    "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
                    (origin, source_locale, target_locale, digest),
                )
                self._insert_in_transaction([u for u in units if u.source and u.target])

    # --- reading ---------------------------------------------------------------------------

    def best(
        self,
        source: str,
        *,
        source_locale: str,
        target_locale: str,
        min_score: int = DEFAULT_MIN_SCORE,
    ) -> Match | None:
        """The best match for ``source`` at or above ``min_score``, or ``None``."""
        matches = self.lookup(
            source,
            source_locale=source_locale,
            target_locale=target_locale,
            min_score=min_score,
            limit=1,
        )
        return matches[0] if matches else None

    def lookup(
        self,
        source: str,
        *,
        source_locale: str,
        target_locale: str,
        min_score: int = DEFAULT_MIN_SCORE,
        limit: int = 5,
    ) -> list[Match]:
        """Matches best first: exact ones (100), then fuzzy ones scored 0-99; one per target.

        Among equal scores an approved unit wins over an unapproved one; remaining ties break
        on the units' content (origin, source, target, context), never on when or in which
        order catalogs were fed, so every schedule of runs drafts the same text.
        """
        if not source.strip():
            return []
        matches = [
            Match(unit=unit, score=100)
            for unit in self._exact(source, source_locale, target_locale)
        ]
        if len({match.unit.target for match in matches}) < limit:
            matches.extend(self._fuzzy(source, source_locale, target_locale, min_score))
        matches.sort(key=_match_order)
        found: dict[str, Match] = {}
        for match in matches:
            found.setdefault(match.unit.target, match)
        # Numbers are read only for the fuzzy matches returned (a full reading costs ~0.1 ms,
        # and up to 60 candidates are scored per lookup).
        return [
            match if match.score == 100 else _with_numbers(match, source, target_locale)
            for match in list(found.values())[:limit]
        ]

    def units(
        self, *, source_locale: str | None = None, target_locale: str | None = None
    ) -> Iterator[Unit]:
        """Every unit, in a stable order (pair, origin, source)."""
        query = "SELECT * FROM units"
        conditions, params = [], []
        if source_locale is not None:
            conditions.append("source_locale = ?")
            params.append(source_locale)
        if target_locale is not None:
            conditions.append("target_locale = ?")
            params.append(target_locale)
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += " ORDER BY source_locale, target_locale, origin, source, target, id"
        for row in self._db.execute(query, params):
            yield _unit(row)

    def stats(self) -> list[dict[str, object]]:
        """Unit counts per locale pair and status."""
        rows = self._db.execute(
            "SELECT source_locale, target_locale, status, count(*) AS units, "
            "count(DISTINCT origin) AS origins FROM units "
            "GROUP BY source_locale, target_locale, status ORDER BY 1, 2, 3"
        )
        return [dict(row) for row in rows]

    def _exact(self, source: str, source_locale: str, target_locale: str) -> list[Unit]:
        rows = self._db.execute(
            "SELECT * FROM units WHERE source_locale = ? AND target_locale = ? AND source = ? "
            "ORDER BY rank DESC, origin, target, context, id",
            (source_locale, target_locale, source),
        )
        return [_unit(row) for row in rows]

    def _fuzzy(
        self, source: str, source_locale: str, target_locale: str, min_score: int
    ) -> list[Match]:
        from rapidfuzz import fuzz

        threshold = max(1, min(min_score, 99)) / 100
        shortest = math.ceil(len(source) * threshold / (2 - threshold))
        longest = math.floor(len(source) * (2 - threshold) / threshold)
        pair = (source_locale, target_locale)
        rows: list[sqlite3.Row] = []
        if len(source) >= 3:
            rows = self._db.execute(
                FUZZY_QUERY, (_trigram_query(source), *pair, shortest, longest, _CANDIDATES)
            ).fetchall()
        if not rows and len(source) <= _SHORT:
            # Trigrams cannot find 1-2 character segments, and miss short ones that differ in
            # every trigram (每天一次 / 每天两次): look for shared characters or bigrams among
            # the few units of a similar, short length.
            size = 1 if len(source) < 3 else 2
            grams = sorted({source[i : i + size] for i in range(len(source) - size + 1)})
            rows = self._db.execute(
                "SELECT * FROM units WHERE source_locale = ? AND target_locale = ? "
                "AND length BETWEEN ? AND ? AND ("
                + " OR ".join("instr(source, ?) > 0" for _ in grams)
                + f") ORDER BY source, origin, target LIMIT {_CANDIDATES * 10}",
                (*pair, shortest, longest, *grams),
            ).fetchall()
        matches = []
        for row in rows:
            unit = _unit(row)
            if unit.source == source:
                continue
            score = min(99, math.floor(fuzz.ratio(source, unit.source)))
            if score < min_score:
                continue
            matches.append(Match(unit=unit, score=score))
        return matches

    # --- TMX -------------------------------------------------------------------------------

    def export_tmx(
        self,
        path: Path,
        *,
        source_locale: str,
        target_locales: Sequence[str] | None = None,
        tool_version: str = "",
    ) -> int:
        """Write the units of the given pairs as TMX 1.4 (BCP-47 ``xml:lang``); returns count."""
        root = ET.Element("tmx", version="1.4")
        ET.SubElement(
            root,
            "header",
            {
                "creationtool": "medical-translation-pipeline",
                "creationtoolversion": tool_version or "0",
                "segtype": "sentence",
                "o-tmf": "sqlite",
                "adminlang": "en",
                "srclang": bcp47(source_locale),
                "datatype": "plaintext",
            },
        )
        body = ET.SubElement(root, "body")
        count = 0
        wanted = None if target_locales is None else set(target_locales)
        for unit in self.units(source_locale=source_locale):
            if wanted is not None and unit.target_locale not in wanted:
                continue
            stamp = _tmx_date(unit.changed)
            tu = ET.SubElement(body, "tu", {"creationdate": stamp, "changedate": stamp})
            for kind, value in (
                ("x-origin", unit.origin),
                ("x-status", unit.status),
                ("x-context", unit.context),
            ):
                if value:
                    ET.SubElement(tu, "prop", type=kind).text = value
            for locale, text in (
                (unit.source_locale, unit.source),
                (unit.target_locale, unit.target),
            ):
                tuv = ET.SubElement(tu, "tuv", {_XML_LANG: bcp47(locale)})
                ET.SubElement(tuv, "seg").text = text
            count += 1
        ET.indent(root, space="  ")
        data = ET.tostring(root, encoding="unicode", xml_declaration=False)
        write_text_file(Path(path), '<?xml version="1.0" encoding="UTF-8"?>\n' + data + "\n")
        return count

    def import_tmx(
        self, path: Path, *, source_locale: str, target_locales: Sequence[str]
    ) -> TmxImport:
        """Add the units of a TMX file for the configured pairs; re-importing replaces them.

        A ``<tuv>`` matches a locale when its language, and any script or region the locale
        names, agree (``en-US`` fills ``en``; ``zh-CN`` fills ``zh_Hans``).
        """
        from pipeline.fsutil import read_bytes_file
        from pipeline.xmlsafe import parse_tree

        path = Path(path)
        root = parse_tree(read_bytes_file(path), path=str(path), fix="export the TMX again")
        if root.tag != "tmx" or root.find("body") is None:
            raise InputError("not a TMX file (no <tmx><body>)", path=str(path))
        origin = f"tmx:{path.name}"
        result = TmxImport()
        units = []
        for tu in root.iter("tu"):
            props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
            variants = [
                (tuv.get(_XML_LANG) or tuv.get("lang") or "", tuv) for tuv in tu.findall("tuv")
            ]

            def text_for(locale: str, variants: list = variants) -> str | None:
                return next(
                    (_seg_text(t) for lang, t in variants if _lang_matches(lang, locale)), None
                )

            source = text_for(source_locale)
            if not source:
                result.skipped += 1
                continue
            status = props.get("x-status", "imported")
            found = False
            for locale in target_locales:
                target = text_for(locale)
                if not target:
                    continue
                found = True
                units.append(
                    Unit(
                        source=source,
                        target=target,
                        source_locale=source_locale,
                        target_locale=locale,
                        status=status if status in RANKS else "imported",
                        origin=origin,
                        context=props.get("x-context") or None,
                        changed=_from_tmx_date(tu.get("changedate") or tu.get("creationdate")),
                    )
                )
                result.added[locale] += 1
            if not found:
                result.skipped += 1
        with self._transaction():
            self._db.execute(
                "DELETE FROM units WHERE origin = ? AND source_locale = ?", (origin, source_locale)
            )
            self._insert_in_transaction(units)
        return result

    # --- plumbing --------------------------------------------------------------------------

    def _insert_in_transaction(self, units: Sequence[Unit]) -> None:
        now = _now()
        self._db.executemany(
            "INSERT INTO units (source_locale, target_locale, source, target, status, rank,"
            " origin, context, length, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    u.source_locale,
                    u.target_locale,
                    u.source,
                    u.target,
                    u.status,
                    u.rank,
                    u.origin,
                    u.context,
                    len(u.source),
                    u.changed or now,
                )
                for u in units
            ],
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def catalog_units(
    catalog: Catalog,
    *,
    origin: str,
    source_locale: str,
    target_locale: str,
    is_approved: Callable[[Entry], bool] | None = None,
) -> Iterator[Unit]:
    """Approved and translated (not fuzzy) singular entries of a catalog, as units; an entry
    is ``approved`` only when ``is_approved`` says so (review's rule, passed in)."""
    for entry in catalog.active:
        if entry.is_fuzzy or entry.msgid_plural is not None or not entry.msgstr.strip():
            continue
        yield Unit(
            source=entry.msgid,
            target=entry.msgstr,
            source_locale=source_locale,
            target_locale=target_locale,
            status="approved" if is_approved is not None and is_approved(entry) else "translated",
            origin=origin,
            context=entry.msgctxt,
        )


def tm_path(config: Config) -> Path:
    """Where the project's translation memory lives: ``<state>/tm.sqlite``."""
    return Path(config.state_dir) / "tm.sqlite"


def open_memory(config: Config) -> TranslationMemory:
    return TranslationMemory(tm_path(config))


def sync_catalogs(
    memory: TranslationMemory,
    config: Config,
    *,
    locales: Sequence[str] | None = None,
    read_catalog: Callable[[Path], Catalog] | None = None,
    approval: ApprovalRule | None = None,
    loaded: Mapping[Path, tuple[str, Catalog]] | None = None,
) -> int:
    """Bring the memory up to date with every catalog on disk; returns catalogs re-read.

    ``approval`` is review's rule (see :data:`ApprovalRule`): approved units rank first.

    A catalog whose bytes are unchanged since it was last fed is skipped, so this is cheap to
    run before every lookup session; units of catalogs that are gone are removed. ``loaded``
    gives catalogs the caller has already read (path -> (sha256 of the bytes, catalog)), so
    that a command reads each file once.
    """
    source_locale = config.source_locale
    refreshed = 0
    for locale in locales or config.target_locales:
        present = set()
        for path in config.catalog_files(locale):
            slug = path.stem
            present.add(slug)
            catalog: Catalog | None = None
            if loaded is not None and path in loaded:
                bytes_digest, catalog = loaded[path]
            else:
                data = _file_bytes(config, path)
                bytes_digest = hashlib.sha256(data).hexdigest()
            digest = _fed_digest(bytes_digest, locale, approval)
            if memory.fed_digest(slug, source_locale=source_locale, target_locale=locale) == digest:
                continue
            if catalog is None:
                if read_catalog is not None:
                    catalog = read_catalog(path)
                else:
                    from pipeline.po.read import read_po_bytes

                    catalog = read_po_bytes(data, path=config.relative(path))
            memory.feed_catalog(
                catalog,
                origin=slug,
                source_locale=source_locale,
                target_locale=locale,
                digest=digest,
                is_approved=_bound(approval, slug, locale),
            )
            refreshed += 1
        for origin in memory.fed_origins(source_locale=source_locale, target_locale=locale):
            if origin not in present:
                memory.remove_origin(origin, source_locale=source_locale, target_locale=locale)
    return refreshed


def rebuild_from_catalogs(
    memory: TranslationMemory,
    config: Config,
    *,
    read_catalog: Callable[[Path], Catalog] | None = None,
    approval: ApprovalRule | None = None,
) -> int:
    """Forget every catalog unit and feed every catalog again (TMX imports are kept).

    All or nothing: every catalog is read first, then the memory is replaced in one
    transaction, so a malformed catalog leaves the memory exactly as it was.
    """
    from pipeline.po.read import read_po_bytes

    feeds: list[tuple[str, str, str, list[Unit]]] = []
    for locale in config.target_locales:
        for path in config.catalog_files(locale):
            data = _file_bytes(config, path)  # one read: the digest and the catalog
            digest = _fed_digest(hashlib.sha256(data).hexdigest(), locale, approval)
            catalog = (
                read_catalog(path)
                if read_catalog is not None
                else read_po_bytes(data, path=config.relative(path))
            )
            units = list(catalog_units(
                catalog, origin=path.stem, source_locale=config.source_locale,
                target_locale=locale, is_approved=_bound(approval, path.stem, locale),
            ))
            feeds.append((path.stem, locale, digest, units))
    memory.replace_catalogs(feeds, source_locale=config.source_locale)
    return len(feeds)


def _file_bytes(config: Config, path: Path) -> bytes:
    from pipeline.errors import CatalogError
    from pipeline.fsutil import read_bytes_file

    return read_bytes_file(path, shown=config.relative(path), error=CatalogError)


def _fed_digest(digest: str, locale: str, approval: ApprovalRule | None) -> str:
    """What a catalog's units were derived from: its bytes (``digest``) and, with a rule, what
    the rule's verdicts rest on besides them (the audit log), so that a new or broken log
    re-feeds it."""
    if approval is None:
        return digest
    return hashlib.sha256(f"{digest}\n{approval.evidence(locale)}".encode()).hexdigest()


def _bound(approval: ApprovalRule | None, slug: str, locale: str) -> Callable[[Entry], bool] | None:
    if approval is None:
        return None
    return lambda entry: approval(slug, locale, entry)


def bcp47(locale: str) -> str:
    """A CLDR locale as a BCP-47 tag for ``xml:lang``.

    >>> bcp47("zh_Hans"), bcp47("en"), bcp47("pt_BR")
    ('zh-Hans', 'en', 'pt-BR')
    """
    return locale.replace("_", "-")


def _lang_matches(tag: str, locale: str) -> bool:
    """Does a TMX ``xml:lang`` fill ``locale``? Language must agree; script/region when named."""
    from babel import Locale, UnknownLocaleError

    if not tag:
        return False
    try:
        offered = Locale.parse(tag.replace("_", "-"), sep="-")
        wanted = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return tag.replace("_", "-").lower() == bcp47(locale).lower()
    if offered.language != wanted.language:
        return False
    if wanted.script and _script_of(offered) != wanted.script:
        return False
    return not (wanted.territory and offered.territory != wanted.territory)


def _script_of(locale: object) -> str | None:
    from babel.core import get_global

    script = getattr(locale, "script", None)
    if script:
        return script
    likely = get_global("likely_subtags")
    key = f"{locale.language}_{locale.territory}" if locale.territory else locale.language  # type: ignore[attr-defined]
    guess = likely.get(key) or likely.get(locale.language)  # type: ignore[attr-defined]
    if guess:
        parts = guess.split("_")
        return next((p for p in parts[1:] if len(p) == 4), None)
    return None


def _seg_text(tuv: ET.Element) -> str:
    """Text of a ``<seg>``: inline codes (``<bpt>``, ``<ph>``…) dropped, ``<hi>`` text kept."""
    seg = tuv.find("seg")
    if seg is None:
        return ""

    def text_of(element: ET.Element) -> str:
        parts = [element.text or ""]
        for child in element:
            if child.tag not in _TMX_INLINE_CODES:
                parts.append(text_of(child))
            parts.append(child.tail or "")
        return "".join(parts)

    return text_of(seg)


def _trigram_query(text: str) -> str:
    """An FTS5 query: any of the text's trigrams (quoted; quotes doubled)."""
    trigrams = dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2))
    return " OR ".join('"' + gram.replace('"', '""') + '"' for gram in trigrams)


def _unit(row: sqlite3.Row) -> Unit:
    return Unit(
        source=row["source"],
        target=row["target"],
        source_locale=row["source_locale"],
        target_locale=row["target_locale"],
        status=row["status"],
        origin=row["origin"],
        context=row["context"],
        changed=row["changed"],
    )


def _with_numbers(match: Match, source: str, target_locale: str) -> Match:
    """``match`` with the numbers its translation lacks or adds against the new source."""
    unit = match.unit
    differences = number_differences(source, unit.target, unit.source_locale, target_locale)
    if differences.agrees:
        return match
    return dataclasses.replace(
        match,
        old_numbers=tuple(number.display() for number in differences.extra),
        new_numbers=tuple(number.display() for number in differences.missing),
    )


def _match_order(match: Match) -> tuple[object, ...]:
    """Best first; ties broken by content alone (see :meth:`TranslationMemory.lookup`)."""
    unit = match.unit
    return (-match.score, -unit.rank, unit.origin, unit.source, unit.target, unit.context or "")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tmx_date(stamp: str) -> str:
    """ISO ``2025-01-31T12:00:00Z`` -> TMX ``20250131T120000Z``."""
    digits = stamp.replace("-", "").replace(":", "")
    return digits if len(digits) == 16 else _tmx_date(_now())


def _from_tmx_date(stamp: str | None) -> str:
    if stamp and len(stamp) == 16 and stamp[8] == "T":
        date, time = stamp[:8], stamp[9:15]
        return f"{date[:4]}-{date[4:6]}-{date[6:]}T{time[:2]}:{time[2:4]}:{time[4:]}Z"
    return ""
