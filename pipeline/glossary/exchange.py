"""TBX and CSV: the glossary in the formats CAT tools and spreadsheets exchange.

Exports are pure functions of a :class:`~pipeline.glossary.Glossary`; imports turn a file's
text into term *records* (dicts shaped like a term of glossary.yaml, holding only the fields
the file carries) that :func:`pipeline.glossary.edit.merge_terms` merges. An export imported
back changes nothing: every field of every term survives the round trip.

TBX (TBX-Basic, the ISO 30042 ``martif`` dialect that OmegaT, Weblate and the Translate
Toolkit read), one ``termEntry`` per term, ``xml:lang`` in BCP 47 (``zh-Hans``, ``en-GB``):

- ``termEntry/@id``: the term id; ``termEntry/note``: ``note``;
- source ``langSet``: ``descrip type="definition"``; the preferred ``tig`` holds
  ``partOfSpeech`` and ``admin type="source"`` (``reference``); variants are
  ``admittedTerm-admn-sts``;
- target ``langSet``: ``preferredTerm-admn-sts`` = target, ``admittedTerm-admn-sts`` =
  allowed, ``deprecatedTerm-admn-sts`` = forbidden;
- dnt: ``descrip type="Translation needed"`` = ``No`` (Weblate's untranslatable flag), and the
  source form repeated as the preferred term of every target locale so that CAT tools show it;
- ``admin type="x-status"`` and ``admin type="x-caseSensitive"`` when not the defaults.

CSV (UTF-8, a header row): ``id``, the source locale (``zh-Hans``), ``variants``, then for
each locale ``en``, ``allowed:en``, ``forbidden:en``; then ``dnt``, ``case_sensitive``,
``status``, ``pos``, ``definition``, ``reference``, ``note``. Lists are joined with `` | ``.
"""

from __future__ import annotations

import csv
import difflib
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from pipeline.config import parse_locale
from pipeline.errors import ConfigError, GlossaryError
from pipeline.glossary.model import Glossary
from pipeline.glossary.schema import validate_record
from pipeline.glossary.terms import SCALAR_FIELDS, Term

__all__ = ["export_csv", "export_locales", "export_tbx", "read_csv", "read_tbx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"
_DEPRECATED = "deprecatedTerm-admn-sts"
_FORBIDDEN_STATUSES = {
    "deprecatedterm-admn-sts",
    "supersededterm-admn-sts",
    "deprecated",
    "forbidden",
    "obsolete",
    "superseded",
}
_ADMITTED_STATUSES = {"admittedterm-admn-sts", "admitted"}
_LIST_JOIN = " | "


def bcp47(locale: str) -> str:
    """``zh_Hans`` -> ``zh-Hans`` (the spelling XML and CAT tools use)."""
    return locale.replace("_", "-")


def export_locales(glossary: Glossary, configured: Sequence[str]) -> tuple[str, ...]:
    """The target locales an export covers: the project's, then any other the glossary uses."""
    return tuple(dict.fromkeys([*configured, *glossary.locales]))


# -- TBX export ------------------------------------------------------------------------------


def export_tbx(glossary: Glossary, *, locales: Sequence[str]) -> str:
    """The glossary as a TBX-Basic document."""
    root = ET.Element("martif", {"type": "TBX-Basic", _XML_LANG: bcp47(glossary.source_locale)})
    header = ET.SubElement(root, "martifHeader")
    source_desc = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(
        source_desc, "p"
    ).text = f"glossary.yaml exported by medical-translation-pipeline (version {glossary.version})"
    ET.SubElement(
        ET.SubElement(header, "encodingDesc"), "p", {"type": "XCSURI"}
    ).text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for term in glossary.terms:
        body.append(_term_entry(term, glossary.source_locale, locales))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _term_entry(term: Term, source_locale: str, locales: Sequence[str]) -> ET.Element:
    entry = ET.Element("termEntry", {"id": term.id})
    if term.dnt:
        ET.SubElement(entry, "descrip", {"type": "Translation needed"}).text = "No"
    if term.status != "approved":
        ET.SubElement(entry, "admin", {"type": "x-status"}).text = term.status
    if term.case_sensitive is not None:
        ET.SubElement(entry, "admin", {"type": "x-caseSensitive"}).text = str(
            term.case_sensitive
        ).lower()
    if term.note is not None:
        ET.SubElement(entry, "note").text = term.note
    source_set = ET.SubElement(entry, "langSet", {_XML_LANG: bcp47(source_locale)})
    if term.definition is not None:
        ET.SubElement(source_set, "descrip", {"type": "definition"}).text = term.definition
    preferred = _tig(source_set, term.source, _PREFERRED)
    if term.pos is not None:
        ET.SubElement(preferred, "termNote", {"type": "partOfSpeech"}).text = term.pos
    if term.reference is not None:
        ET.SubElement(preferred, "admin", {"type": "source"}).text = term.reference
    for variant in term.variants:
        _tig(source_set, variant, _ADMITTED)
    for locale in dict.fromkeys([*locales, *term.locales()]):
        renderings: list[tuple[str, str]] = []
        if term.dnt:
            renderings.append((term.source, _PREFERRED))
        elif locale in term.target:
            renderings.append((term.target[locale], _PREFERRED))
        renderings += [(item, _ADMITTED) for item in term.allowed.get(locale, ())]
        renderings += [(item, _DEPRECATED) for item in term.forbidden.get(locale, ())]
        if renderings:
            target_set = ET.SubElement(entry, "langSet", {_XML_LANG: bcp47(locale)})
            for text, status in renderings:
                _tig(target_set, text, status)
    return entry


def _tig(parent: ET.Element, text: str, status: str) -> ET.Element:
    tig = ET.SubElement(parent, "tig")
    ET.SubElement(tig, "term").text = text
    ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    return tig


# -- TBX import ------------------------------------------------------------------------------


@dataclass
class _Node:
    """An XML element with the line it starts on (ElementTree keeps no line numbers)."""

    name: str
    attributes: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""

    def find_all(self, *names: str) -> Iterator[_Node]:
        return (child for child in self.children if child.name in names)

    def descendants(self, *names: str) -> Iterator[_Node]:
        for child in self.children:
            if child.name in names:
                yield child
            yield from child.descendants(*names)

    @property
    def type(self) -> str:
        return self.attributes.get("type", "")

    @property
    def content(self) -> str:
        return " ".join(self.text.split())


def _parse_xml(text: str, *, path: str) -> _Node:
    from pipeline.xmlsafe import new_parser

    parser = new_parser(path=path, error=GlossaryError)
    stack: list[_Node] = []
    roots: list[_Node] = []

    def local(name: str) -> str:
        return name.rsplit(" ", 1)[-1]

    def start(name: str, attributes: dict[str, str]) -> None:
        node = _Node(
            local(name),
            {local(key): value for key, value in attributes.items()},
            parser.CurrentLineNumber,
        )
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].text += data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as exc:
        raise GlossaryError(
            f"not valid XML: {expat.errors.messages[exc.code]}; fix the file",
            path=path,
            line=exc.lineno,
        ) from exc
    return roots[0]


def read_tbx(text: str, *, path: str, source_locale: str) -> list[dict[str, Any]]:
    """Term records from a TBX document (TBX-Basic ``martif``; TBX v3 ``tbx`` also works).

    The source language is the glossary's; every other ``langSet`` is a target locale.
    """
    root = _parse_xml(text, path=path)
    if root.name not in ("martif", "tbx"):
        raise GlossaryError(
            f"not a TBX file: the root element is <{root.name}>, not <martif>", path=path, line=1
        )
    records = []
    for entry in root.descendants("termEntry", "conceptEntry"):
        record = _entry_record(entry, path=path, source_locale=source_locale)
        records.append(
            validate_record(record, path=path, line=entry.line, source_locale=source_locale)
        )
    return records


def _entry_record(entry: _Node, *, path: str, source_locale: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    if entry.attributes.get("id"):
        record["id"] = entry.attributes["id"]
    for node in entry.find_all("descrip", "admin", "note", "termNote"):
        value = node.content
        kind = node.type.lower()
        if node.name == "note" and value:
            record["note"] = f"{record['note']} {value}" if "note" in record else value
        elif kind in ("translation needed", "translationnote") and value.lower() == "no":
            record["dnt"] = True
        elif kind == "x-status":
            record["status"] = value
        elif kind == "x-casesensitive":
            record["case_sensitive"] = _parse_bool(value, "case_sensitive", path, node.line)
        elif kind == "definition":
            record["definition"] = value
    lang_sets = [
        (_lang_set_locale(lang_set, path=path), lang_set)
        for lang_set in entry.find_all("langSet", "langSec")
    ]
    source_forms: list[str] = []
    for locale, lang_set in lang_sets:
        for node in lang_set.find_all("descrip"):
            if node.type.lower() == "definition":
                record["definition"] = node.content
        if locale == source_locale:
            source_forms = _read_source_set(record, list(_lang_set_terms(lang_set)))
    for locale, lang_set in lang_sets:
        if locale != source_locale:
            _read_target_set(record, locale, list(_lang_set_terms(lang_set)), skip=source_forms)
    if not source_forms:
        raise GlossaryError(
            f"term entry has no term in the source language {bcp47(source_locale)!r}",
            path=path,
            line=entry.line,
        )
    return record


def _lang_set_locale(lang_set: _Node, *, path: str) -> str:
    raw_locale = lang_set.attributes.get("lang", "")
    try:
        return parse_locale(raw_locale)
    except ConfigError as exc:
        raise GlossaryError(
            f"unknown xml:lang {raw_locale!r}; use a BCP 47 code such as 'en' or 'zh-Hans'",
            path=path,
            line=lang_set.line,
        ) from exc


@dataclass(frozen=True)
class _TbxTerm:
    text: str
    status: str
    notes: dict[str, str]


def _lang_set_terms(lang_set: _Node) -> Iterator[_TbxTerm]:
    for group in lang_set.find_all("tig", "ntig", "termSec"):
        term = next(group.descendants("term"), None)
        if term is None or not term.content:
            continue
        notes = {node.type.lower(): node.content for node in group.descendants("termNote", "admin")}
        status = notes.get("administrativestatus", "").lower()
        status = notes.get("normativeauthorization", status).lower()
        yield _TbxTerm(term.content, status, notes)


def _read_source_set(record: dict[str, Any], terms: list[_TbxTerm]) -> list[str]:
    usable = [term for term in terms if term.status not in _FORBIDDEN_STATUSES]
    if not usable:
        return []
    preferred = next((term for term in usable if term.status not in _ADMITTED_STATUSES), usable[0])
    record["source"] = preferred.text
    variants = [term.text for term in usable if term is not preferred]
    if variants:
        record["variants"] = variants
    if "partofspeech" in preferred.notes:
        record["pos"] = preferred.notes["partofspeech"]
    if "source" in preferred.notes:
        record["reference"] = preferred.notes["source"]
    return [preferred.text, *variants]


def _read_target_set(
    record: dict[str, Any], locale: str, terms: list[_TbxTerm], *, skip: list[str]
) -> None:
    for term in terms:
        if term.status in _FORBIDDEN_STATUSES:
            record.setdefault("forbidden", {}).setdefault(locale, []).append(term.text)
        elif record.get("dnt") and term.text in skip:
            continue  # the verbatim copy an export writes for CAT tools
        elif term.status in _ADMITTED_STATUSES or locale in record.get("target", {}):
            record.setdefault("allowed", {}).setdefault(locale, []).append(term.text)
        else:
            record.setdefault("target", {})[locale] = term.text


def _parse_bool(value: str, name: str, path: str, line: int | None) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise GlossaryError(f"{name} must be true or false, not {value!r}", path=path, line=line)


# -- CSV -------------------------------------------------------------------------------------


def _csv_columns(source_locale: str, locales: Sequence[str]) -> list[str]:
    columns = ["id", bcp47(source_locale), "variants"]
    for locale in locales:
        code = bcp47(locale)
        columns += [code, f"allowed:{code}", f"forbidden:{code}"]
    return columns + list(SCALAR_FIELDS)  # after the per-locale columns


def export_csv(glossary: Glossary, *, locales: Sequence[str]) -> str:
    """The glossary as CSV, one row per term, one column per locale."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_csv_columns(glossary.source_locale, locales))
    for term in glossary.terms:
        row = [term.id, term.source, _LIST_JOIN.join(term.variants)]
        for locale in locales:
            row += [
                term.target.get(locale, ""),
                _LIST_JOIN.join(term.allowed.get(locale, ())),
                _LIST_JOIN.join(term.forbidden.get(locale, ())),
            ]
        row += [
            "true" if term.dnt else "",
            "" if term.case_sensitive is None else str(term.case_sensitive).lower(),
            term.status,
            term.pos or "",
            term.definition or "",
            term.reference or "",
            term.note or "",
        ]
        writer.writerow(row)
    return buffer.getvalue()


def read_csv(text: str, *, path: str, source_locale: str) -> list[dict[str, Any]]:
    """Term records from a CSV export (or a spreadsheet with some of its columns)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    rows = _csv_rows(reader, path=path)
    try:
        header = next(rows)
    except StopIteration:
        raise GlossaryError("the CSV file is empty; it needs a header row", path=path) from None
    columns = [_csv_column(name.strip(), path=path, source_locale=source_locale) for name in header]
    if ("source", None) not in columns:
        raise GlossaryError(
            f"no source column; add a column named {bcp47(source_locale)!r} (or 'source')",
            path=path,
            line=1,
        )
    records = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        record: dict[str, Any] = {}
        for (key, locale), cell in zip(columns, row, strict=False):
            value = cell.strip()
            if value:
                _set_csv_field(record, key, locale, value, path=path, line=line)
        if "source" not in record:
            raise GlossaryError(
                "row has no source term; fill the source column", path=path, line=line
            )
        records.append(validate_record(record, path=path, line=line, source_locale=source_locale))
    return records


def _csv_rows(reader: Any, *, path: str) -> Iterator[list[str]]:
    """The rows of a ``csv.reader``, its errors (a field over the csv module's size limit, a
    NUL byte) as one GlossaryError with the line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise GlossaryError(
                f"not a readable CSV row ({exc}); a term does not need a field that long: "
                "check the quotes around the fields of this row",
                path=path,
                line=reader.line_num,
            ) from None
        yield row


_CSV_KEYS = ("id", "source", "variants", *SCALAR_FIELDS)


def _csv_column(name: str, *, path: str, source_locale: str) -> tuple[str, str | None]:
    """(field, locale) for a header cell: ``en`` -> (target, en), ``forbidden:en``..."""
    if name in _CSV_KEYS:
        return (name, None)
    kind, _, code = name.rpartition(":")
    if kind and kind not in ("allowed", "forbidden", "target"):
        kind = "?"
    try:
        locale = parse_locale(code)
    except ConfigError:
        locale = None
    if locale is None or kind == "?":
        close = difflib.get_close_matches(name, _CSV_KEYS, n=1)
        hint = (
            f"; did you mean {close[0]!r}?"
            if close
            else (
                "; use id, a locale code such as 'en', 'allowed:en', 'forbidden:en', variants, "
                "dnt, case_sensitive, status, pos, definition, reference or note"
            )
        )
        raise GlossaryError(f"unknown column {name!r}{hint}", path=path, line=1)
    if locale == source_locale and not kind:
        return ("source", None)
    return (kind or "target", locale)


def _set_csv_field(
    record: dict[str, Any], key: str, locale: str | None, value: str, *, path: str, line: int
) -> None:
    if key == "variants":
        record[key] = _split(value)
    elif key in ("allowed", "forbidden"):
        record.setdefault(key, {})[locale] = _split(value)
    elif key == "target":
        record.setdefault(key, {})[locale] = value
    elif key in ("dnt", "case_sensitive"):
        record[key] = _parse_bool(value, key, path, line)
    else:
        record[key] = value


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split("|") if item.strip()]
