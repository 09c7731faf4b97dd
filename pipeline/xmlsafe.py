"""The one way the pipeline parses XML from elsewhere (TMX from CAT tools, TBX glossaries).

Exchange files arrive from other teams and tools. Entity declarations are what "billion
laughs" and quadratic-blowup files are made of, and external entities read local files (XXE);
no TMX or TBX exporter needs either. So every parser made here refuses an ``<!ENTITY``
declaration and any external entity reference the moment the parser meets it, before anything
is expanded, with the line. A ``<!DOCTYPE … SYSTEM "…dtd">`` line without declarations (TBX
files carry one) is fine: it is never fetched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

from pipeline.errors import InputError, PipelineError

__all__ = ["new_parser", "parse_tree"]

_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


def new_parser(
    *, path: str | Path | None, error: type[PipelineError] = InputError, namespaces: bool = True
) -> Any:
    """An expat parser (``namespace_separator=" "``) that refuses entity declarations and
    external entities with ``error`` at their line; character data arrives in large chunks."""
    parser = expat.ParserCreate(namespace_separator=" ") if namespaces else expat.ParserCreate()

    def refuse(*_args: object) -> NoReturn:
        raise error(
            "XML entity declarations (<!ENTITY …>) and external entities are not accepted: "
            "they can expand a small file into gigabytes or read other files; export the file "
            "again without them",
            path=path,
            line=parser.CurrentLineNumber,
        )

    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    return parser


def parse_tree(
    data: bytes, *, path: str | Path | None, error: type[PipelineError] = InputError,
    fix: str = "fix the file",
) -> ET.Element:
    """The ElementTree root of an XML document, parsed by :func:`new_parser`.

    Names are as ElementTree writes them (``{namespace}local``; ``xml:lang`` becomes
    ``{http://www.w3.org/XML/1998/namespace}lang``). Malformed XML is ``error`` with the line
    and ``fix`` as its remedy.
    """
    parser = new_parser(path=path, error=error)
    builder = ET.TreeBuilder()

    def name_of(raw: str) -> str:
        namespace, _, local = raw.rpartition(" ")
        return f"{{{namespace}}}{local}" if namespace else local

    parser.StartElementHandler = lambda name, attributes: builder.start(
        name_of(name), {name_of(key): value for key, value in attributes.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(name_of(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise error(
            f"not valid XML ({expat.errors.messages[exc.code]}); {fix}",
            path=path,
            line=exc.lineno,
        ) from None
    return builder.close()
