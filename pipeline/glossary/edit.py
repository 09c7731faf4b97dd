"""Changing glossary.yaml without losing what people wrote in it.

Edits go through ruamel.yaml's round-trip mode: comments, key order, flow or block style,
quoting and the file's indentation survive; a new term is appended at the end of ``terms``
with its mappings in flow style (``target: {en: ...}``), the style of DESIGN.md. Every
change is validated as a whole glossary before anything is written, and files are written
atomically (temporary file + ``os.replace``) and only when their text changes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from pipeline.errors import GlossaryError
from pipeline.fsutil import read_text_file, write_text_file
from pipeline.glossary.model import Glossary, display_path, glossary_from_document, parse_glossary
from pipeline.glossary.normalize import TextFolder, lower_same_length
from pipeline.glossary.schema import InvalidGlossary, glossary_yaml, parse_yaml
from pipeline.glossary.terms import FIELD_ORDER, SCALAR_FIELDS, Term, derived_term_id

__all__ = [
    "GlossaryChange",
    "MergeReport",
    "add_term",
    "merge_terms",
    "render_glossary",
    "round_trip_yaml",
]

_LOCALE_MAPS = ("target", "allowed", "forbidden")


@dataclass(frozen=True, kw_only=True)
class GlossaryChange:
    """One term added to or updated in glossary.yaml, described for the user."""

    kind: Literal["added", "updated"]
    source: str
    details: tuple[str, ...] = ()

    def describe(self) -> str:
        """``added 血脑屏障`` or ``updated 不良事件: target en 'x' -> 'y'``."""
        text = f"{self.kind} {self.source}"
        return f"{text}: {'; '.join(self.details)}" if self.details else text


@dataclass(frozen=True, kw_only=True)
class MergeReport:
    """What an import did (or, with ``dry_run``, would do)."""

    changes: tuple[GlossaryChange, ...]
    unchanged: int
    written: bool

    @property
    def added(self) -> int:
        return sum(change.kind == "added" for change in self.changes)

    @property
    def updated(self) -> int:
        return sum(change.kind == "updated" for change in self.changes)


# -- the YAML document ------------------------------------------------------------------------


def _new_glossary_text(source_locale: str) -> str:
    return f"source_locale: {source_locale}\nterms:\n"


def round_trip_yaml(text: str) -> YAML:
    """A round-trip YAML instance set up to reproduce ``text``'s indentation."""
    mapping, sequence, offset = _detect_indentation(text)
    yaml = glossary_yaml()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _detect_indentation(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as used by ``text``; DESIGN.md's style
    (2, 4, 2) when the file does not show it."""
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    offset, sequence, mapping = 2, 4, 2
    for previous, current in zip(lines, lines[1:], strict=False):
        if re.fullmatch(r"\s*terms:\s*(#.*)?", previous):
            dash = re.match(r"(\s*)-(\s+)\S", current)
            if dash:
                offset = len(dash.group(1)) - _indent(previous)
                sequence = offset + 1 + len(dash.group(2))
            break
    for previous, current in zip(lines, lines[1:], strict=False):
        block_key = re.fullmatch(r"(\s*)(- +)?[\w-]+:\s*(#.*)?", previous)
        child = re.match(r"(\s*)[\w-]+:", current)
        if block_key and child and not previous.strip().startswith("terms:"):
            key_column = len(block_key.group(1)) + len(block_key.group(2) or "")
            if _indent(current) > key_column:
                mapping = _indent(current) - key_column
                break
    return mapping, max(sequence, offset + 2), offset


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def render_glossary(yaml: YAML, document: Any) -> str:
    """The text of a round-trip document."""
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def _flow_seq(items: Sequence[str]) -> CommentedSeq:
    node = CommentedSeq(items)
    node.fa.set_flow_style()
    return node


def _flow_map(mapping: Mapping[str, Any]) -> CommentedMap:
    node = CommentedMap()
    for key, value in mapping.items():
        node[key] = _flow_seq(value) if isinstance(value, (list, tuple)) else value
    node.fa.set_flow_style()
    return node


def _yaml_value(key: str, value: Any) -> Any:
    if key == "variants":
        return _flow_seq(value)
    if key in _LOCALE_MAPS:
        return _flow_map(value)
    return value


def _term_node(fields: Mapping[str, Any]) -> CommentedMap:
    node = CommentedMap()
    for key in FIELD_ORDER:
        if key in fields:
            node[key] = _yaml_value(key, fields[key])
    return node


def _set_key(node: CommentedMap, key: str, value: Any) -> None:
    """Set ``key``, keeping its place if present, else inserting it in FIELD_ORDER position."""
    if key in node:
        node[key] = value
        return
    rank = FIELD_ORDER.index(key) if key in FIELD_ORDER else len(FIELD_ORDER)
    position = sum(
        1 for existing in node if existing in FIELD_ORDER and FIELD_ORDER.index(existing) < rank
    )
    node.insert(position, key, value)


def _load(
    path: Path, *, source_locale: str, target_locales: Sequence[str]
) -> tuple[str, YAML, Any, Glossary]:
    """The file's text, its round-trip YAML setup and document, and the validated glossary
    (parsed once: the document serves both the edit and the validation)."""
    if path.exists() or path.is_symlink():
        text = read_text_file(path, shown=display_path(path), error=GlossaryError)
    else:
        text = _new_glossary_text(source_locale)
    if not text.strip():
        text = _new_glossary_text(source_locale)
    yaml = round_trip_yaml(text)
    document = parse_yaml(text, path=display_path(path), yaml=yaml)
    if document is None:  # only comments: keep them, start the document below them
        text = text.rstrip("\n") + "\n" + _new_glossary_text(source_locale)
        document = parse_yaml(text, path=display_path(path), yaml=yaml)
    existing = glossary_from_document(
        document,
        path=display_path(path),
        source_locale=source_locale,
        target_locales=target_locales,
    )
    return text, yaml, document, existing


def _terms_node(document: Any) -> CommentedSeq:
    terms = document.get("terms")
    if not isinstance(terms, CommentedSeq) or (not terms and terms.fa.flow_style()):
        terms = CommentedSeq(terms or [])
        document["terms"] = terms
    return terms


def _validated(
    text: str, *, path: Path, source_locale: str, target_locales: Sequence[str]
) -> Glossary:
    return parse_glossary(
        text, path=display_path(path), source_locale=source_locale, target_locales=target_locales
    )


def _append_terms(text: str, yaml: YAML, document: Any, nodes: list[CommentedMap]) -> str:
    """``text`` with ``nodes`` appended to ``terms``.

    The new terms are rendered by ruamel in context and spliced in as text, so every existing
    byte stays as it was (ruamel would re-indent, for instance, block scalars written with an
    indentation of their own). Files whose ``terms`` is empty or in flow style are rendered.
    """
    terms = document.get("terms")
    if not nodes:
        return text
    if not isinstance(terms, CommentedSeq) or not terms or terms.fa.flow_style():
        _terms_node(document).extend(nodes)
        return render_glossary(yaml, document)
    sample = CommentedMap()
    sample["terms"] = CommentedSeq(nodes)
    rendered = render_glossary(yaml, sample).split("\n", 1)[1]
    column = document.lc.key("terms")[1]
    snippet = "".join(" " * column + line if line else line for line in rendered.splitlines(True))
    keys = list(document)
    later = keys[keys.index("terms") + 1 :]
    if not later:
        return (text if text.endswith("\n") else text + "\n") + snippet
    lines = text.splitlines(True)
    insert_at = document.lc.key(later[0])[0]
    while insert_at > 0 and (
        not lines[insert_at - 1].strip() or lines[insert_at - 1].lstrip().startswith("#")
    ):
        insert_at -= 1  # comments and blank lines above the next key belong to it
    return "".join(lines[:insert_at]) + snippet + "".join(lines[insert_at:])


# -- add ---------------------------------------------------------------------------------------


def add_term(
    path: Path,
    fields: Mapping[str, Any],
    *,
    source_locale: str,
    target_locales: Sequence[str],
    dry_run: bool = False,
) -> Term:
    """Append one term (``fields`` in glossary.yaml shape) to the glossary file.

    The existing file must be valid; a term whose source form or id already exists is refused
    with the line of the existing term. Returns the new term (with its line in the new file).
    """
    text, yaml, document, existing = _load(
        path, source_locale=source_locale, target_locales=target_locales
    )
    _refuse_existing(existing, fields, path=path)
    new_text = _append_terms(text, yaml, document, [_term_node(fields)])
    try:
        glossary = _validated(
            new_text, path=path, source_locale=source_locale, target_locales=target_locales
        )
    except InvalidGlossary as exc:
        problem = exc.problems[0]
        raise GlossaryError(
            f"cannot add {fields.get('source')!r}: {problem.message}", path=display_path(path)
        ) from exc
    if not dry_run:
        write_text_file(path, new_text)
    return glossary.terms[-1]


def _refuse_existing(glossary: Glossary, fields: Mapping[str, Any], *, path: Path) -> None:
    """Refuse a term whose source forms or id the glossary already has."""
    folder = TextFolder(traditional=glossary.match_traditional)
    forms = [fields.get("source", ""), *fields.get("variants", [])]
    wanted = {lower_same_length(folder.fold(form)): form for form in forms if form}
    for term in glossary.terms:
        for form in term.forms:
            clash = wanted.get(lower_same_length(folder.fold(form)))
            if clash is not None:
                raise GlossaryError(
                    f"{clash!r} is already a source form of term {term.source!r}; "
                    "edit that term instead of adding another",
                    path=display_path(path),
                    line=term.line,
                )
    new_id = fields.get("id") or derived_term_id(str(fields.get("source", "")))
    for term in glossary.terms:
        if term.id == new_id:
            raise GlossaryError(
                f"a term with id {new_id!r} already exists ({term.source!r}); edit it there or "
                "choose another id",
                path=display_path(path),
                line=term.line,
            )


# -- import (merge) ---------------------------------------------------------------------------


def merge_terms(
    path: Path,
    records: Sequence[Mapping[str, Any]],
    *,
    source_locale: str,
    target_locales: Sequence[str],
    origin: str,
    dry_run: bool = False,
) -> MergeReport:
    """Merge imported term records (glossary.yaml shape) into the glossary file.

    A record updates the term with the same id, else the term sharing one of its source forms;
    otherwise it is added at the end. Fields a record carries replace the term's (per locale
    for ``target``, ``allowed`` and ``forbidden``); fields it lacks are left alone, so an
    import never deletes a term, a locale or a note. Source forms: see :func:`_update_node`.
    The result is validated before it is written.
    """
    text, yaml, document, existing = _load(
        path, source_locale=source_locale, target_locales=target_locales
    )
    terms_node = _terms_node(document)
    index = _TermIndex(existing)
    changes: list[GlossaryChange] = []
    additions: list[CommentedMap] = []
    touched: set[int] = set()
    for record in records:
        found = index.find(record, origin=origin)
        if found is None:
            fields = dict(record)
            if fields.get("id") == derived_term_id(fields["source"]):
                del fields["id"]  # a derived id stays derived
            additions.append(_term_node(fields))
            changes.append(GlossaryChange(kind="added", source=fields["source"]))
            continue
        position, by_id = found
        details = _update_node(
            terms_node[position], existing.terms[position], record, by_id=by_id, index=index
        )
        touched.add(position)
        if details:
            changes.append(
                GlossaryChange(
                    kind="updated", source=existing.terms[position].source, details=details
                )
            )
    new_text = render_glossary(yaml, document) if len(additions) < len(changes) else text
    if additions:
        document = parse_yaml(new_text, path=origin, yaml=yaml) if new_text != text else document
        new_text = _append_terms(new_text, yaml, document, additions)
    try:
        _validated(new_text, path=path, source_locale=source_locale, target_locales=target_locales)
    except InvalidGlossary as exc:
        raise GlossaryError(
            f"importing it would make {display_path(path)} invalid: {exc.problems[0].message}",
            path=origin,
        ) from exc
    written = False if dry_run else (bool(changes) and write_text_file(path, new_text))
    updated = sum(change.kind == "updated" for change in changes)
    return MergeReport(changes=tuple(changes), unchanged=len(touched) - updated, written=written)


class _TermIndex:
    """Finds the existing term an imported record refers to: by id, else by a source form."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.folder = TextFolder(traditional=glossary.match_traditional)
        self.by_id = {term.id: position for position, term in enumerate(glossary.terms)}
        self.by_form: dict[str, int] = {}
        for position, term in enumerate(glossary.terms):
            for form in term.forms:
                self.by_form.setdefault(self.key(form), position)

    def key(self, form: str) -> str:
        return lower_same_length(self.folder.fold(form))

    def find(self, record: Mapping[str, Any], *, origin: str) -> tuple[int, bool] | None:
        """(position, matched by id) of the term ``record`` refers to, or None if it is new."""
        record_id = record.get("id")
        if record_id is not None and record_id in self.by_id:
            return self.by_id[record_id], True
        forms = [record["source"], *record.get("variants", [])]
        positions = {self.by_form[key] for key in map(self.key, forms) if key in self.by_form}
        if len(positions) > 1:
            names = ", ".join(repr(self.glossary.terms[p].source) for p in sorted(positions))
            raise GlossaryError(
                f"the imported term {record['source']!r} has source forms of several terms "
                f"({names}); merge those terms first or fix the import",
                path=origin,
                line=record.get("_line"),
            )
        return (positions.pop(), False) if positions else None


def _update_node(
    node: CommentedMap, term: Term, record: Mapping[str, Any], *, by_id: bool, index: _TermIndex
) -> tuple[str, ...]:
    """Apply ``record`` to a term's YAML node; describe each change.

    Matched by id, the record is authoritative for its source forms (it may rename the term
    or replace its variants). Matched by a shared source form, the term keeps its preferred
    source and variants, and gains the record's other forms as variants.
    """
    details: list[str] = []
    record_id = record.get("id")
    if (
        record_id is not None
        and record_id != term.id
        and record_id != derived_term_id(record["source"])
    ):
        _set_key(node, "id", record_id)
        details.append(f"id {term.id!r} -> {record_id!r}")
    if by_id:
        if record["source"] != term.source:
            _set_key(node, "source", record["source"])
            details.append(f"source {term.source!r} -> {record['source']!r}")
        if "variants" in record and tuple(record["variants"]) != term.variants:
            _set_key(node, "variants", _restyled(node.get("variants"), list(record["variants"])))
            details.append(f"variants -> {', '.join(record['variants'])}")
    else:
        known = {index.key(form) for form in term.forms}
        new_forms = [
            form
            for form in dict.fromkeys([record["source"], *record.get("variants", [])])
            if index.key(form) not in known
        ]
        if new_forms:
            variants = [*term.variants, *new_forms]
            _set_key(node, "variants", _restyled(node.get("variants"), variants))
            details.append(f"variants + {', '.join(new_forms)}")
    for key in _LOCALE_MAPS:
        current = getattr(term, key)
        for locale, value in record.get(key, {}).items():
            wanted = tuple(value) if isinstance(value, list) else value
            if current.get(locale) == wanted:
                continue
            if key not in node:
                _set_key(node, key, _flow_map({}))
            mapping = node[key]
            old = mapping.get(locale)
            mapping[locale] = _restyled(old, list(value)) if isinstance(value, list) else value
            shown = ", ".join(value) if isinstance(value, list) else value
            details.append(f"{key} {locale} -> {shown!r}")
    for key in SCALAR_FIELDS:
        if key not in record:
            continue
        current = term.is_case_sensitive if key == "case_sensitive" else getattr(term, key)
        if record[key] == current:
            continue
        _set_key(node, key, record[key])
        details.append(f"{key} -> {record[key]!r}")
    return tuple(details)


def _restyled(old: Any, items: list[str]) -> CommentedSeq:
    """A new list in the style (flow or block) of the one it replaces."""
    node = CommentedSeq(items)
    if old is None or (isinstance(old, CommentedSeq) and old.fa.flow_style()):
        node.fa.set_flow_style()
    return node
