"""Project configuration: ``[tool.pipeline]`` in the content repository's pyproject.toml.

Every key has a default that works without the table, so a bare directory holding
``sources/`` is already a project. Locales are parsed and validated with Babel.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from pipeline.errors import ConfigError, InputError, PipelineError, UsageError
from pipeline.fsutil import is_inside, read_text_file
from pipeline.readers import TRANSLATABLE_FIELDS

__all__ = ["Config", "load_config", "parse_locale", "plural_forms"]

CONFIG_FILE = "pyproject.toml"
#: An article slug: the source file name without extension; it becomes file names and URLs.
SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_KNOWN_KEYS = {
    "source_locale",
    "target_locales",
    "sources",
    "locales",
    "glossary",
    "contrast",  # the contrast lexicon of the meaning checks (extends the packaged one)
    "site",
    "state",
    "mt",  # [tool.pipeline.mt]: decoding settings, read by pipeline.pretranslate
    "tm",  # [tool.pipeline.tm]: translation-memory settings
    "review",  # [tool.pipeline.review]: reviewers, second-person rule (pipeline.review)
    "publish",  # [tool.pipeline.publish]: base_url, read by pipeline.publish.site
    "build",  # [tool.pipeline.build]: lock_timeout, read by pipeline.build
    "markdown",  # [tool.pipeline.markdown]: front_matter, the fields translated
}


@dataclass(frozen=True, kw_only=True)
class Config:
    """Where things live and which languages are involved. Paths are absolute."""

    root: Path
    source_locale: str = "zh_Hans"
    target_locales: tuple[str, ...] = ("en",)
    sources_dir: Path
    locales_dir: Path
    glossary_path: Path
    site_dir: Path
    state_dir: Path
    config_path: Path | None = None
    #: The project's contrast lexicon (pipeline.checks.lexicon); absent: the packaged one.
    contrast_path: Path | None = None
    #: The front matter fields of Markdown sources that are translated
    #: (``[tool.pipeline.markdown] front_matter``); the others are metadata.
    front_matter: tuple[str, ...] = TRANSLATABLE_FIELDS
    #: Sub-tables such as ``[tool.pipeline.mt]``, as read, for the modules that own them.
    tables: Mapping[str, object] = field(default_factory=dict)
    #: The text of pyproject.toml, to give the line of a key in an error (tomllib keeps none).
    config_text: str = field(default="", repr=False, compare=False)

    def key_line(self, key: str, *, table: str = "tool.pipeline") -> int | None:
        """The line of ``key = …`` in ``[table]`` of pyproject.toml, for error messages."""
        return _key_line(self.config_text, key, table=table)

    def is_inside(self, path: Path) -> bool:
        """Does ``path`` (links followed) stay inside the project? Nothing outside is read
        or written: a link from the content repository to elsewhere must not leak files."""
        return is_inside(path, self.root)

    @property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"

    def template_path(self, slug: str) -> Path:
        return self.templates_dir / f"{slug}.pot"

    def catalog_path(self, slug: str, locale: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / f"{slug}.po"

    def relative(self, path: Path) -> str:
        """``path`` as shown to users and written in ``#:`` references: relative to the root
        (the path as found, a link inside the project not followed)."""
        with contextlib.suppress(ValueError):
            return Path(os.path.abspath(path)).relative_to(self.root).as_posix()
        with contextlib.suppress(ValueError):
            return Path(os.path.realpath(path)).relative_to(self.root).as_posix()
        return str(path)

    def refuse_outside(
        self, path: Path, *, error: type[PipelineError] = InputError
    ) -> Path:
        """``path`` itself if it stays inside the project (links followed), else ``error``."""
        if self.is_inside(path):
            return path
        if _is_link_loop(Path(path)):
            raise error(
                "is a symbolic link that leads back to itself (a loop); delete it, or point it "
                "at a file inside the project",
                path=self.relative(path),
            )
        raise error(
            f"is a symbolic link to {os.path.realpath(path)}, outside the project; the "
            "pipeline reads and writes nothing outside the project: replace the link with "
            "the file itself, or delete it",
            path=self.relative(path),
        )

    def catalog_files(self, locale: str) -> list[Path]:
        """The locale's existing catalogs (``<locales>/<locale>/LC_MESSAGES/*.po``), sorted;
        a folder of that name, or a link out of the project, is an error."""
        directory = self.locales_dir / locale / "LC_MESSAGES"
        if not directory.is_dir():
            return []
        found = []
        for path in sorted(directory.glob("*.po")):
            self.refuse_outside(path)
            if path.is_dir():
                raise InputError(
                    "is a folder, not a catalog; rename or remove the folder",
                    path=self.relative(path),
                )
            found.append(path)
        return found

    def select_locales(self, requested: Sequence[str]) -> tuple[str, ...]:
        """The target locales a command should work on: those asked for (``--locale``,
        validated, duplicates dropped), or every target locale."""
        if not requested:
            return self.target_locales
        selected: list[str] = []
        for raw in requested:
            try:
                locale = parse_locale(raw)
            except ConfigError as exc:
                raise UsageError(exc.message) from exc
            if locale not in self.target_locales:
                raise UsageError(
                    f"locale {locale!r} is not a target locale of this project (targets: "
                    f"{', '.join(self.target_locales)}); add it to target_locales in "
                    "pyproject.toml or pick one of those"
                )
            if locale not in selected:
                selected.append(locale)
        return tuple(selected)



def parse_locale(code: object, *, where: str | None = None, line: int | None = None) -> str:
    """Validate a locale code with Babel and return its canonical form.

    >>> parse_locale("zh-Hans"), parse_locale("en_NZ")
    ('zh_Hans', 'en_NZ')
    """
    if not isinstance(code, str) or not code.strip():
        raise ConfigError(
            f"locale must be a non-empty string such as 'en' or 'zh_Hans', not {code!r}",
            path=where,
            line=line,
        )
    sep = "-" if "-" in code else "_"
    try:
        return str(Locale.parse(code.strip(), sep=sep))
    except (UnknownLocaleError, ValueError) as exc:
        raise ConfigError(
            f"unknown locale {code!r}; use a CLDR code such as 'en', 'en_NZ', 'ko' or 'zh_Hans'",
            path=where,
            line=line,
        ) from exc


def plural_forms(locale: str) -> str:
    """The ``Plural-Forms`` header value for a locale, from Babel's CLDR-derived table.

    >>> plural_forms("zh_Hans"), plural_forms("de")
    ('nplurals=1; plural=0;', 'nplurals=2; plural=(n != 1);')
    """
    return _babel_plurals().get_plural(locale).plural_forms


@functools.cache
def _babel_plurals() -> Any:
    """Babel's ``babel.messages.plurals`` (the table and ``get_plural``).

    Importing it by name first runs ``babel.messages/__init__``, which loads Babel's whole
    catalog machinery (dates, time zones, difflib: about 10 ms) that the table does not use;
    every command that merges a catalog would pay for it. The module imports only
    ``babel.core``, so its file is loaded on its own, as the importlib documentation's
    "importing a source file directly" recipe does (with its installed bytecode). Should the
    file ever move, the ordinary import is used.
    """
    import importlib.util

    import babel

    existing = sys.modules.get("babel.messages.plurals")
    if existing is not None:
        return existing
    path = os.path.join(os.path.dirname(babel.__file__), "messages", "plurals.py")
    spec = importlib.util.spec_from_file_location("pipeline._babel_plurals", path)
    if spec is None or spec.loader is None or not os.path.isfile(path):
        return importlib.import_module("babel.messages.plurals")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_config(start: Path | None = None) -> Config:
    """Read ``[tool.pipeline]`` from ``pyproject.toml`` in ``start`` (default: the cwd)."""
    root = (start or Path.cwd()).resolve()
    path = root / CONFIG_FILE
    table: dict[str, object] = {}
    text = ""
    if path.exists():
        text = read_text_file(path, shown=CONFIG_FILE, error=ConfigError)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = _toml_error_line(exc, text)
            raise ConfigError(
                f"not valid TOML ({_toml_error_reason(exc)}); fix the syntax", path=CONFIG_FILE,
                line=line,
            ) from exc
        tool = document.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(
                f"'tool' must be a table, not {_toml_type(tool)}; remove the 'tool = …' line "
                "and write the settings under a [tool.pipeline] header",
                path=CONFIG_FILE,
                line=_first_line(text, r"tool\s*="),
            )
        table = tool.get("pipeline", {})
        if not isinstance(table, dict):
            raise ConfigError(
                f"[tool.pipeline] must be a table, not {_toml_type(table)}; write the settings "
                "as 'key = value' lines under a [tool.pipeline] header",
                path=CONFIG_FILE,
                line=_first_line(text, r"(tool\.)?pipeline\s*="),
            )

    def line_of(key: str) -> int | None:
        return _key_line(text, key)

    for key in table:
        if key not in _KNOWN_KEYS:
            raise ConfigError(
                f"unknown key {key!r} in [tool.pipeline]; known keys: "
                + ", ".join(sorted(_KNOWN_KEYS)),
                path=CONFIG_FILE,
                line=line_of(key),
            )

    source_locale = parse_locale(
        table.get("source_locale", "zh_Hans"), where=CONFIG_FILE, line=line_of("source_locale")
    )
    raw_targets = table.get("target_locales", ["en"])
    if isinstance(raw_targets, str) or not isinstance(raw_targets, list) or not raw_targets:
        raise ConfigError(
            'target_locales must be a non-empty list such as ["en"]',
            path=CONFIG_FILE,
            line=line_of("target_locales"),
        )
    targets: list[str] = []
    for raw in raw_targets:
        locale = parse_locale(raw, where=CONFIG_FILE, line=line_of("target_locales"))
        if locale == source_locale:
            raise ConfigError(
                f"target locale {locale!r} is the source locale; remove it from target_locales",
                path=CONFIG_FILE,
                line=line_of("target_locales"),
            )
        if locale in targets:
            raise ConfigError(
                f"target locale {locale!r} is listed twice in target_locales",
                path=CONFIG_FILE,
                line=line_of("target_locales"),
            )
        targets.append(locale)

    def directory(
        key: str, default: str, *, is_file: bool = False, follow_link: bool = True
    ) -> Path:
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip() or "\0" in value:
            raise ConfigError(
                f"{key} must be a path relative to the project, such as {default!r}",
                path=CONFIG_FILE,
                line=line_of(key),
            )
        if _is_link_loop(root / value):
            raise ConfigError(
                f"{key} = {value!r} is a symbolic link that leads back to itself (a loop); "
                f"delete the link, or set {key} to a folder inside the project",
                path=CONFIG_FILE,
                line=line_of(key),
            )
        resolved = (root / value).resolve()
        # A key set in the file is reported at its line; a default at the offending path.
        where: dict[str, object] = (
            {"path": CONFIG_FILE, "line": line_of(key)} if key in table else {"path": value}
        )
        setting = f"{key} = {value!r}: " if key in table else ""
        if resolved == root or not is_inside(resolved, root):
            lexical = Path(os.path.normpath(root / value))
            if lexical != root and is_inside(lexical.parent, root):
                why = f"{setting}is a symbolic link to {resolved}, outside the project"
            else:
                why = f"{setting}{value!r} is outside the project folder"
            raise ConfigError(
                f"{why}; the pipeline reads and writes nothing outside the project: make "
                f"{key} a path inside it (such as {default!r})",
                **where,  # type: ignore[arg-type]
            )
        if resolved.exists() and resolved.is_dir() == is_file:
            kind, want = ("a folder", "a file") if is_file else ("a file", "a folder")
            raise ConfigError(
                f"{setting}{config_relative(resolved) + ' ' if setting else ''}is {kind}, but "
                f"{key} must be {want}; "
                f"rename or remove it, or set {key} in [tool.pipeline] to another path",
                **where,  # type: ignore[arg-type]
            )
        if not follow_link:
            # The site is a link to its current version (pipeline.publish.site): keep the
            # link's own path, or the next publish would take the version for the site.
            return (root / value).parent.resolve() / (root / value).name
        return resolved

    def config_relative(path: Path) -> str:
        return path.relative_to(root).as_posix()

    return Config(
        root=root,
        source_locale=source_locale,
        target_locales=tuple(targets),
        sources_dir=directory("sources", "sources"),
        locales_dir=directory("locales", "locales"),
        glossary_path=directory("glossary", "glossary.yaml", is_file=True),
        contrast_path=directory("contrast", "contrast.yaml", is_file=True),
        site_dir=directory("site", "site", follow_link=False),
        state_dir=directory("state", ".pipeline"),
        config_path=path if path.is_file() else None,
        front_matter=_front_matter(table.get("markdown", {}), text),
        tables={
            key: table[key] for key in ("mt", "tm", "review", "publish", "build") if key in table
        },
        config_text=text,
    )


def _front_matter(table: object, text: str) -> tuple[str, ...]:
    """``[tool.pipeline.markdown] front_matter``: the front matter fields to translate."""
    where = {
        "path": CONFIG_FILE,
        "line": _key_line(text, "front_matter", table="tool.pipeline.markdown")
        or _key_line(text, "markdown")
        or _first_line(text, r"\[\s*tool\.pipeline\.markdown\s*\]"),
    }
    if not isinstance(table, dict):
        raise ConfigError(
            "[tool.pipeline.markdown] must be a table, such as: front_matter = "
            '["title", "description"]',
            **where,  # type: ignore[arg-type]
        )
    for key in table:
        if key != "front_matter":
            where["line"] = _key_line(text, key, table="tool.pipeline.markdown") or where["line"]
            raise ConfigError(
                f"unknown key {key!r} in [tool.pipeline.markdown]; known keys: front_matter",
                **where,  # type: ignore[arg-type]
            )
    fields = table.get("front_matter", list(TRANSLATABLE_FIELDS))
    if (
        not isinstance(fields, list)
        or not all(isinstance(name, str) and name.strip() for name in fields)
    ):
        raise ConfigError(
            "front_matter in [tool.pipeline.markdown] must be a list of the front matter "
            'fields to translate, such as ["title", "description", "speaker"]',
            **where,  # type: ignore[arg-type]
        )
    return tuple(dict.fromkeys(fields))


def _key_line(text: str, key: str, *, table: str = "tool.pipeline") -> int | None:
    """Line of ``key = …`` inside ``[table]`` (tomllib keeps no positions)."""
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.replace(" ", "") == f"[{table}]"
            continue
        if in_table and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return None


def _is_link_loop(path: Path) -> bool:
    """Does following ``path``'s symbolic links go round in a loop?"""
    try:
        path.resolve(strict=False)
    except RuntimeError:  # Python 3.11-3.12: a loop; 3.13 raises OSError(ELOOP)
        return True
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _first_line(text: str, pattern: str) -> int | None:
    """The first line that starts with ``pattern`` (a regex), if any."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(pattern, line.strip()):
            return number
    return None


def _toml_type(value: object) -> str:
    """How TOML calls the type of a value, for messages."""
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "an array"}
    return next((name for kind, name in kinds.items() if isinstance(value, kind)), "a value")


def _toml_error_line(exc: tomllib.TOMLDecodeError, text: str) -> int | None:
    match = re.search(r"line (\d+)", str(exc))
    if match:
        return int(match.group(1))
    # "at end of document": the last line with text is where it went wrong.
    return len(text.rstrip().splitlines()) or None if "end of document" in str(exc) else None


def _toml_error_reason(exc: tomllib.TOMLDecodeError) -> str:
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
    return reason.replace(" (at end of document)", " at the end of the file")
