"""Validation of glossary.yaml: YAML 1.2 with line numbers (ruamel), types (pydantic, strict).

Every problem is reported with the line of the offending key, list item or value, in the
form ``glossary.yaml:42: term '血脑屏障' has no target for locale 'en'; add target:
{en: ...} or mark it dnt: true``. All problems of a file are collected (``check`` prints
them all); :class:`InvalidGlossary` carries them, its own message is the first one.

Keys of a term (see DESIGN.md; the ones after ``note`` are this project's additions):

=================  ==========================================================================
``source``         required; the preferred source form
``variants``       other source forms of the same concept
``target``         ``{locale: rendering}``, the approved rendering; required for every
                   configured target locale unless ``dnt`` (or ``status: deprecated``)
``forbidden``      ``{locale: [rendering, ...]}``: must never appear in that locale
``dnt``            ``true``: do not translate, keep the source form verbatim in every locale
``note``           shown to translators in the catalog hints
``id``             stable id (letters, digits, ``-_.``); derived from the source when absent
``allowed``        ``{locale: [rendering, ...]}``: other renderings the checks accept (an
                   abbreviation, an en-dash spelling); hinted as "also"
``case_sensitive`` Latin letters match case-sensitively; default: ``true`` for dnt terms,
                   ``false`` otherwise
``status``         ``approved`` (default: hinted and enforced), ``proposed`` (hinted as a
                   proposal, not enforced), ``deprecated`` (kept for the record; never matched)
``pos``            part of speech, as TBX: noun, verb, adjective, adverb, properNoun, other
``definition``     what the concept means (exported to TBX)
``reference``      where the rendering comes from (a URL, a label, a guideline)
=================  ==========================================================================

Top level: ``source_locale`` (must agree with the project), ``match_traditional`` (also match
Traditional Chinese spellings of the source forms) and ``terms``.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from pipeline.config import parse_locale
from pipeline.errors import ConfigError, GlossaryError
from pipeline.glossary.normalize import TextFolder, lower_same_length
from pipeline.glossary.terms import (
    FIELD_ORDER,
    POS_VALUES,
    STATUSES,
    PartOfSpeech,
    Status,
    Term,
    derived_term_id,
    locale_fallbacks,
)

__all__ = [
    "GlossaryDocument",
    "GlossaryProblem",
    "InvalidGlossary",
    "TOP_LEVEL_KEYS",
    "TERM_KEYS",
    "parse_yaml",
    "validate_document",
    "validate_record",
]

TERM_KEYS = FIELD_ORDER
TOP_LEVEL_KEYS = ("source_locale", "match_traditional", "terms")
_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_TRUE_WORDS = {"yes", "y", "on", "true"}
_FALSE_WORDS = {"no", "n", "off", "false"}
_LIST_SEPARATOR = "|"


class _TermSchema(BaseModel):
    """The types of one term; semantics (locales, duplicates...) are checked afterwards."""

    model_config = ConfigDict(strict=True, extra="forbid")

    id: str | None = None
    source: str
    variants: list[str] = []
    target: dict[str, str] = {}
    allowed: dict[str, list[str]] = {}
    forbidden: dict[str, list[str]] = {}
    dnt: bool = False
    case_sensitive: bool | None = None
    status: Status = "approved"
    pos: PartOfSpeech | None = None
    definition: str | None = None
    reference: str | None = None
    note: str | None = None


class _HeaderSchema(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    source_locale: str | None = None
    match_traditional: bool = False
    terms: list[Any] | None = None


@dataclass(frozen=True, kw_only=True)
class GlossaryProblem:
    """One thing wrong with a glossary file."""

    line: int | None
    message: str


class InvalidGlossary(GlossaryError):
    """glossary.yaml has problems; the message is the first, ``problems`` lists them all."""

    def __init__(self, problems: Sequence[GlossaryProblem], *, path: str | Path | None) -> None:
        ordered = sorted(problems, key=lambda problem: problem.line or 0)
        first = ordered[0]
        super().__init__(first.message, path=path, line=first.line)
        self.problems: tuple[GlossaryProblem, ...] = tuple(ordered)

    def location_messages(self) -> list[str]:
        """Every problem as ``path:line: message``."""
        return [
            GlossaryError(problem.message, path=self.path, line=problem.line).location_message()
            for problem in self.problems
        ]


@dataclass(frozen=True, kw_only=True)
class GlossaryDocument:
    """What a valid glossary file says."""

    source_locale: str
    match_traditional: bool
    terms: tuple[Term, ...]


#: Deepest nesting a glossary may use; a valid one needs 5 (terms > term > target > locale >
#: list). The limit stops a document nested thousands deep before it exhausts the stack.
MAX_YAML_DEPTH = 24
#: The YAML core schema's tags; a glossary needs nothing else (``!!python/object`` and custom
#: tags are refused rather than turned into something that is not text).
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)


class _UnsafeYAML(Exception):
    """A construct glossary.yaml refuses, found while composing (before anything is built)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _GlossaryComposer(Composer):
    """ruamel's composer, refusing aliases and non-core tags as they are met.

    An alias (``*name``) is how a "billion laughs" document of a few lines expands into
    gigabytes; a glossary has no use for one, so none is followed.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

        event = self.parser.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise _UnsafeYAML(
                f"YAML alias '*{event.anchor}' is not allowed in the glossary; write the value "
                "out in full where it is needed",
                line,
            )
        tag = getattr(event, "tag", None) if isinstance(
            event, (ScalarEvent, CollectionStartEvent)
        ) else None
        if tag is not None and tag not in ("!", *_CORE_TAGS):
            raise _UnsafeYAML(
                f"YAML tag '{_short_tag(tag)}' is not allowed in the glossary (it is not text); "
                "remove the tag and write the value as plain text",
                line,
            )
        return super().compose_node(parent, index)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def glossary_yaml() -> YAML:
    """A round-trip ruamel loader that keeps line numbers and refuses what a glossary never
    needs: aliases, custom tags, nesting deeper than :data:`MAX_YAML_DEPTH`."""
    yaml = YAML()
    yaml.Composer = _GlossaryComposer
    yaml.max_depth = MAX_YAML_DEPTH
    return yaml


def parse_yaml(text: str, *, path: str | Path | None, yaml: YAML | None = None) -> Any:
    """Load YAML 1.2 with ruamel's round-trip loader (keeps line numbers); map its errors."""
    yaml = yaml or glossary_yaml()
    try:
        return yaml.load(text)
    except _UnsafeYAML as exc:
        raise GlossaryError(exc.message, path=path, line=exc.line) from None
    except MaxDepthExceededError as exc:
        raise GlossaryError(
            f"nested more than {MAX_YAML_DEPTH} levels deep; a glossary needs at most 5 "
            "(terms, a term, target, a locale, a list): fix the indentation or brackets",
            path=path,
            line=_mark_line(exc),
        ) from None
    except DuplicateKeyError as exc:
        found = re.search(r'found duplicate key "(.*?)" with value', str(exc.problem))
        key = found.group(1) if found else "?"
        raise GlossaryError(
            f"key '{key}' appears twice in the same mapping; keep one",
            path=path,
            line=_mark_line(exc),
        ) from exc
    except MarkedYAMLError as exc:
        raise GlossaryError(
            f"not valid YAML: {exc.problem}; fix the syntax", path=path, line=_mark_line(exc)
        ) from exc
    except YAMLError as exc:
        raise GlossaryError(f"not valid YAML: {exc}; fix the syntax", path=path) from exc


def _mark_line(exc: MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return None if mark is None else mark.line + 1


def validate_document(
    document: Any,
    *,
    path: str | Path | None,
    source_locale: str,
    target_locales: Sequence[str],
) -> GlossaryDocument:
    """Check a loaded glossary against the schema and the project; raise on any problem."""
    validator = _Validator(source_locale=source_locale, target_locales=tuple(target_locales))
    result = validator.validate(document)
    if validator.problems:
        raise InvalidGlossary(validator.problems, path=path)
    return result


def validate_record(
    record: Mapping[str, Any], *, path: str | Path | None, line: int | None, source_locale: str
) -> dict[str, Any]:
    """Check one imported term record (a partial term: targets are not required) and return
    it with canonical locales, keeping exactly the keys it carries."""
    validator = _Validator(source_locale=source_locale, target_locales=(), fixed_line=line)
    term = validator.validate_term(0, record, plain_raw=_plain(record))
    if validator.problems or term is None:
        raise InvalidGlossary(validator.problems, path=path)
    canonical: dict[str, Any] = {}
    for key in record:
        if key in ("target", "allowed", "forbidden"):
            canonical[key] = {
                locale: list(value) if isinstance(value, tuple) else value
                for locale, value in getattr(term, key).items()
            }
        elif key == "variants":
            canonical[key] = list(term.variants)
        elif key in TERM_KEYS:
            canonical[key] = getattr(term, key)
    canonical["_line"] = line
    return canonical


Path_ = tuple[str | int, ...]


class _Validator:
    """Collects every problem of one document; one method per level of the file."""

    def __init__(
        self,
        *,
        source_locale: str,
        target_locales: tuple[str, ...],
        fixed_line: int | None = None,
    ) -> None:
        self.project_source_locale = source_locale
        self.target_locales = target_locales
        self.fixed_line = fixed_line
        self.problems: list[GlossaryProblem] = []
        self.root: Any = None

    # -- reporting -----------------------------------------------------------------------

    def report(self, where: Path_ | int | None, message: str) -> None:
        line = where if isinstance(where, int) or where is None else self.line_of(where)
        self.problems.append(GlossaryProblem(line=line, message=message))

    def line_of(self, path: Path_) -> int | None:
        """The line of the key, item or value that ``path`` leads to (the nearest known)."""
        if self.fixed_line is not None:
            return self.fixed_line
        node = self.root
        line: int | None = 1 if isinstance(node, CommentedMap) else None
        for step in path:
            try:
                if isinstance(node, CommentedMap) and step in node:
                    line = node.lc.key(step)[0] + 1
                    node = node[step]
                elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
                    line = node.lc.item(step)[0] + 1
                    node = node[step]
                else:
                    break
            except (KeyError, AttributeError, TypeError):  # pragma: no cover - ruamel internals
                break
        return line

    # -- levels --------------------------------------------------------------------------

    def validate(self, document: Any) -> GlossaryDocument:
        self.root = document
        empty = GlossaryDocument(
            source_locale=self.project_source_locale, match_traditional=False, terms=()
        )
        if document is None:
            return empty
        if not isinstance(document, Mapping):
            self.report(
                1,
                "the glossary must be a mapping with source_locale: and terms:, "
                f"not {_describe_value(document)}",
            )
            return empty
        plain = _plain(document)
        header = self.validate_header(plain)
        if header is None:
            return empty
        source_locale = self.validate_source_locale(header.source_locale)
        folder = TextFolder(traditional=header.match_traditional)
        located: list[tuple[Term, Path_]] = []
        for index, raw in enumerate(document.get("terms") or []):
            term = self.validate_term(index, raw, plain_raw=plain["terms"][index])
            if term is not None:
                located.append((term, ("terms", index)))
        self.check_duplicates(located, folder)
        return GlossaryDocument(
            source_locale=source_locale,
            match_traditional=header.match_traditional,
            terms=tuple(term for term, _ in located),
        )

    def validate_header(self, plain: dict[Any, Any]) -> _HeaderSchema | None:
        skip: set[Path_] = set()
        for key, value in plain.items():
            if key == "terms" and value is None:
                continue  # an empty `terms:` is an empty glossary
            if value is None or value == "":
                skip.add((key,))
                what = "has no value" if value is None else "is empty"
                self.report((key,), f"{key} {what}; write one or remove the key")
        try:
            header = _HeaderSchema.model_validate(plain)
        except ValidationError as exc:
            for error in exc.errors():
                self.report_pydantic(error, prefix=(), label=None, skip=skip)
            return None
        return None if skip else header

    def validate_source_locale(self, value: str | None) -> str:
        if value is None:
            return self.project_source_locale
        try:
            locale = parse_locale(value)
        except ConfigError:
            self.report(
                ("source_locale",),
                f"unknown source_locale {value!r}; use a CLDR code such as 'zh_Hans'",
            )
            return self.project_source_locale
        if locale != self.project_source_locale:
            self.report(
                ("source_locale",),
                f"source_locale {locale!r} does not match the project's source locale "
                f"{self.project_source_locale!r}; make them agree",
            )
        return locale

    def validate_term(self, index: int, raw: Any, *, plain_raw: Any) -> Term | None:
        where: Path_ = ("terms", index)
        if not isinstance(raw, Mapping):
            self.report(
                where,
                f"term #{index + 1} must be a mapping such as "
                f"{{source: ..., target: {{en: ...}}}}, not {_describe_value(raw)}",
            )
            return None
        source = plain_raw.get("source")
        label = f"term {source!r}" if isinstance(source, str) and source else f"term #{index + 1}"
        skip = self.check_empty_values(where, plain_raw, label=label)
        try:
            schema = _TermSchema.model_validate(plain_raw)
        except ValidationError as exc:
            for error in exc.errors():
                self.report_pydantic(error, prefix=where, label=label, skip=skip)
            return None
        if skip:
            return None
        return self.build_term(where, schema, label=label)

    def check_empty_values(self, where: Path_, node: Any, *, label: str) -> set[Path_]:
        """Report null and empty values anywhere in a term; return their relative paths."""
        found: set[Path_] = set()

        def visit(value: Any, relative: Path_) -> None:
            if value is None or value == "":
                found.add(relative)
                what = "has no value" if value is None else "is empty"
                self.report(
                    where + relative,
                    f"{label}: {_field_name(relative)} {what}; write one or remove the key",
                )
            elif isinstance(value, dict):
                for key, item in value.items():
                    visit(item, (*relative, key))
            elif isinstance(value, list):
                for position, item in enumerate(value):
                    visit(item, (*relative, position))

        for key, value in node.items():
            visit(value, (key,))
        return found

    def report_pydantic(
        self, error: Any, *, prefix: Path_, label: str | None, skip: set[Path_]
    ) -> None:
        location = tuple(step for step in error["loc"] if step != "[key]")
        if location in skip or any(location[: len(path)] == path for path in skip):
            return
        is_key_error = "[key]" in error["loc"]
        self.report(prefix + location, _pydantic_message(error, location, label, is_key_error))

    def build_term(self, where: Path_, schema: _TermSchema, *, label: str) -> Term | None:
        count = len(self.problems)
        self.check_one_line(where + ("source",), schema.source, label=label, name="source")
        for position, variant in enumerate(schema.variants):
            self.check_one_line(
                where + ("variants", position), variant, label=label, name="variant"
            )
        if schema.id is not None and not _ID_PATTERN.fullmatch(schema.id):
            self.report(
                where + ("id",),
                f"{label}: id {schema.id!r} is not valid; use letters, digits, '-', '_' and '.', "
                "starting with a letter",
            )
        target = self.canonical_locales(where, "target", schema.target, label=label)
        allowed = self.canonical_locales(where, "allowed", schema.allowed, label=label)
        forbidden = self.canonical_locales(where, "forbidden", schema.forbidden, label=label)
        for locale_key, rendering in schema.target.items():
            self.check_one_line(
                where + ("target", locale_key),
                rendering,
                label=label,
                name=f"target for {locale_key!r}",
            )
        for key, mapping in (("allowed", schema.allowed), ("forbidden", schema.forbidden)):
            for locale_key, items in mapping.items():
                for position, rendering in enumerate(items):
                    self.check_one_line(
                        where + (key, locale_key, position),
                        rendering,
                        label=label,
                        name=f"{key} for {locale_key!r}",
                    )
        if schema.dnt:
            for key in ("target", "allowed"):
                if getattr(schema, key):
                    self.report(
                        where + (key,),
                        f"{label} is dnt: true but has {key}; a dnt term is kept verbatim, "
                        f"so remove {key} (or dnt)",
                    )
        elif schema.status != "deprecated":
            for locale in self.target_locales:
                if not any(fallback in target for fallback in locale_fallbacks(locale)):
                    self.report(
                        where + ("target",) if schema.target else where,
                        f"{label} has no target for locale {locale!r}; "
                        f"add target: {{{locale}: ...}} or mark it dnt: true",
                    )
        self.check_rendering_conflicts(where, schema, label=label)
        if len(self.problems) > count:
            return None
        return Term(
            id=schema.id or derived_term_id(schema.source),
            has_explicit_id=schema.id is not None,
            source=schema.source,
            variants=tuple(schema.variants),
            target=MappingProxyType(target),
            allowed=MappingProxyType({key: tuple(items) for key, items in allowed.items()}),
            forbidden=MappingProxyType({key: tuple(items) for key, items in forbidden.items()}),
            dnt=schema.dnt,
            case_sensitive=schema.case_sensitive,
            status=schema.status,
            pos=schema.pos,
            definition=schema.definition,
            reference=schema.reference,
            note=schema.note,
            line=self.line_of(where),
        )

    def check_one_line(self, where: Path_, value: str, *, label: str, name: str) -> None:
        """Forms and renderings are single-line, trimmed, and free of the CSV separator."""
        if value != value.strip():
            self.report(
                where, f"{label}: {name} {value!r} has leading or trailing spaces; remove them"
            )
        elif any(char in value for char in "\n\r\t"):
            self.report(where, f"{label}: {name} {value!r} must be one line without tabs")
        elif _LIST_SEPARATOR in value:
            self.report(
                where,
                f"{label}: {name} {value!r} contains '|', which CSV exports use to separate "
                "list items; rephrase it",
            )

    def canonical_locales(
        self, where: Path_, key: str, mapping: dict[str, Any], *, label: str
    ) -> dict[str, Any]:
        """``mapping`` with Babel-canonical locale keys; reports unknown and repeated ones."""
        canonical: dict[str, Any] = {}
        spelled: dict[str, str] = {}
        for raw_locale, value in mapping.items():
            try:
                locale = parse_locale(raw_locale)
            except ConfigError:
                self.report(
                    where + (key, raw_locale),
                    f"{label}: unknown locale {raw_locale!r} in {key}; use a CLDR code such as "
                    "'en', 'en_GB' or 'zh_Hant'",
                )
                continue
            if locale in canonical:
                self.report(
                    where + (key, raw_locale),
                    f"{label}: locale {locale!r} appears twice in {key} (as "
                    f"{spelled[locale]!r} and {raw_locale!r}); keep one",
                )
                continue
            if locale == self.project_source_locale:
                self.report(
                    where + (key, raw_locale),
                    f"{label}: {key} has the source locale {locale!r}; other source forms "
                    "go under variants",
                )
                continue
            canonical[locale] = value
            spelled[locale] = raw_locale
        return canonical

    def check_rendering_conflicts(self, where: Path_, schema: _TermSchema, *, label: str) -> None:
        """A rendering cannot be both approved and forbidden, or listed twice."""
        for key in ("allowed", "forbidden"):
            for locale_key, items in getattr(schema, key).items():
                seen: set[str] = set()
                for position, rendering in enumerate(items):
                    folded = lower_same_length(rendering)
                    if folded in seen:
                        self.report(
                            where + (key, locale_key, position),
                            f"{label}: {key} for {locale_key!r} lists {rendering!r} twice; "
                            "remove the repeat",
                        )
                    seen.add(folded)
        for locale_key, items in schema.allowed.items():
            target = schema.target.get(locale_key)
            for position, rendering in enumerate(items):
                if target is not None and lower_same_length(rendering) == lower_same_length(target):
                    self.report(
                        where + ("allowed", locale_key, position),
                        f"{label}: allowed for {locale_key!r} repeats the target {target!r}; "
                        "remove it",
                    )
        for locale_key, items in schema.forbidden.items():
            approved = {
                lower_same_length(item): "allowed" for item in schema.allowed.get(locale_key, [])
            }
            if locale_key in schema.target:
                approved[lower_same_length(schema.target[locale_key])] = "the target"
            for position, rendering in enumerate(items):
                kind = approved.get(lower_same_length(rendering))
                if kind is not None:
                    self.report(
                        where + ("forbidden", locale_key, position),
                        f"{label}: {rendering!r} is both {kind} and forbidden for "
                        f"{locale_key!r}; remove it from forbidden",
                    )

    def check_duplicates(self, located: list[tuple[Term, Path_]], folder: TextFolder) -> None:
        """Each source form (after folding) and each id belongs to one term."""
        ids: dict[str, Term] = {}
        for term, where in located:
            other = ids.get(term.id)
            if other is not None:
                self.report(
                    where + ("id",) if term.has_explicit_id else where,
                    f"term {term.source!r}: id {term.id!r} is already used by term "
                    f"{other.source!r} (line {other.line}); ids must be unique",
                )
            else:
                ids[term.id] = term
        seen: dict[str, list[tuple[str, Term]]] = {}
        for term, where in located:
            if not term.is_matched:
                continue
            for position, form in enumerate(term.forms):
                form_path = where + (("source",) if position == 0 else ("variants", position - 1))
                folded = folder.fold(form)
                key = lower_same_length(folded)
                for other_form, other in seen.get(key, []):
                    if (
                        term.is_case_sensitive
                        and other.is_case_sensitive
                        and folded != folder.fold(other_form)
                    ):
                        continue  # `Trk` and `TRK`, both case-sensitive, are different forms
                    self.report(form_path, _duplicate_message(form, term, other_form, other))
                    break
                else:
                    seen.setdefault(key, []).append((form, term))


_FOLDED = "once full-width characters, letter case and Traditional characters are folded"


def _duplicate_message(form: str, term: Term, other_form: str, other: Term) -> str:
    if other is term:
        if form == other_form:
            return f"term {term.source!r} lists the source form {form!r} twice; remove the repeat"
        return (
            f"term {term.source!r}: source forms {other_form!r} and {form!r} match the same "
            f"text {_FOLDED}; remove one"
        )
    if form == other_form:
        return (
            f"source form {form!r} of term {term.source!r} is already a form of term "
            f"{other.source!r} (line {other.line}); a source form belongs to one term: "
            "merge the terms or remove one form"
        )
    return (
        f"source form {form!r} of term {term.source!r} matches the same text as {other_form!r} "
        f"of term {other.source!r} (line {other.line}) {_FOLDED}; merge the terms or remove "
        "one form"
    )


def _plain(node: Any) -> Any:
    """ruamel's round-trip nodes as plain Python values, for pydantic."""
    if isinstance(node, Mapping):
        return {_plain(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _field_name(location: Path_) -> str:
    """``('target', 'en')`` -> ``target for 'en'``; ``('variants', 1)`` -> ``variant 2``."""
    if not location:
        return "the term"
    head, *rest = location
    if head == "variants" and rest:
        return f"variant {int(rest[0]) + 1}"
    if head in ("target", "allowed", "forbidden") and rest:
        name = f"{head} for {rest[0]!r}"
        if len(rest) > 1:
            name += f" (item {int(rest[1]) + 1})"
        return name
    return str(head)


def _describe_value(value: Any) -> str:
    """A value as the user wrote it in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float, datetime.date)):
        return str(value)
    return repr(value)


def _pydantic_message(error: Any, location: Path_, label: str | None, is_key_error: bool) -> str:
    kind = error["type"]
    value = error["input"]
    prefix = f"{label}: " if label else ""
    if kind == "extra_forbidden":
        key = location[-1]
        known = TERM_KEYS if label else TOP_LEVEL_KEYS
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(sorted(known))
        where = f"{label} has unknown key {key!r}" if label else f"unknown key {key!r}"
        return f"{where}; {hint}"
    if kind == "missing":
        return f"{label} has no source; add source: with the preferred source form"
    name = _field_name(location) if label else str(location[0])
    if is_key_error:
        return (
            f"{prefix}locale {_describe_value(value)} in {location[0]} must be text such as "
            "'en'; put it in quotes"
        )
    if kind == "bool_type":
        suggestion = f"{name}: true or {name}: false"
        if isinstance(value, str) and value.lower() in _TRUE_WORDS:
            suggestion = f"{name}: true"
        elif isinstance(value, str) and value.lower() in _FALSE_WORDS:
            suggestion = f"{name}: false"
        return (
            f"{prefix}{name} must be true or false, not {_describe_value(value)}; "
            f"write {suggestion}"
        )
    if kind == "string_type":
        if isinstance(value, (Mapping, list)):
            return f"{prefix}{name} must be text, not {_describe_value(value)}"
        return f"{prefix}{name} must be text, not {_describe_value(value)}; put it in quotes"
    if kind == "list_type" and location == ("terms",):
        return f"terms must be a list of terms (- source: ...), not {_describe_value(value)}"
    if kind == "list_type":
        example = f"[{value}]" if isinstance(value, str) else "[first, second]"
        return f"{prefix}{name} must be a list, not {_describe_value(value)}; write {example}"
    if kind == "dict_type":
        example = "{en: ...}" if location[-1] == "target" else "{en: [...]}"
        return (
            f"{prefix}{name} must be a mapping of locale to "
            f"{'text' if location[-1] == 'target' else 'a list'} such as {example}, "
            f"not {_describe_value(value)}"
        )
    if kind == "literal_error":
        choices: tuple[str, ...] = POS_VALUES if location[-1] == "pos" else STATUSES
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return (
            f"{prefix}{name} must be one of {', '.join(choices)}, not "
            f"{_describe_value(value)}{hint}"
        )
    if kind == "model_type":
        return f"{prefix}must be a mapping, not {_describe_value(value)}"
    return f"{prefix}{name}: {error['msg']}"  # pragma: no cover - a type not in the schema
