"""Medical translation pipeline: sources -> gettext catalogs -> review -> published pages.

The library is usable without the CLI; ``pipeline.cli`` is a thin layer over it. This face
is the small API for scripts: read a catalog, write it canonically (byte for byte what
``msgcat`` writes), merge a template into it without losing a translation, and check a
translation. Names are imported on first use, so ``import pipeline`` (and ``pipeline
--help``) stays fast; heavy optional dependencies (argostranslate, ctranslate2) are imported
only where MT runs.

>>> import pipeline
>>> catalog = pipeline.read_po('msgid "有效率为89.1%。"\\nmsgstr "The rate was 98.1%."\\n')
>>> entry = catalog.entries[0]
>>> [f.message for f in pipeline.check_entry(entry.msgid, entry.msgstr, pipeline.CheckContext())]
['source has 89.1, translation has 98.1']

Every failure the library reports on bad input is a :class:`PipelineError` with a
``path:line: message`` (:class:`CatalogError` for a malformed catalog).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pipeline.errors import CatalogError, PipelineError

if TYPE_CHECKING:
    from pipeline.checks import CheckContext, Finding, check_catalog, check_entry
    from pipeline.po.catalog import Catalog, Entry
    from pipeline.po.merge import update_catalog
    from pipeline.po.read import read_po, read_po_file
    from pipeline.po.write import generate_po, write_po_file

__all__ = [
    "Catalog",
    "CatalogError",
    "CheckContext",
    "Entry",
    "Finding",
    "PipelineError",
    "__version__",
    "check_catalog",
    "check_entry",
    "generate_po",
    "read_po",
    "read_po_file",
    "update_catalog",
    "write_po_file",
]

__version__ = "0.1.0"

# Where each lazily imported name lives (PEP 562): the checks load Babel and the glossary
# matcher, the merge loads rapidfuzz; a command that needs none of them pays for none.
_HOMES = {
    "Catalog": "pipeline.po.catalog",
    "Entry": "pipeline.po.catalog",
    "read_po": "pipeline.po.read",
    "read_po_file": "pipeline.po.read",
    "generate_po": "pipeline.po.write",
    "write_po_file": "pipeline.po.write",
    "update_catalog": "pipeline.po.merge",
    "CheckContext": "pipeline.checks",
    "Finding": "pipeline.checks",
    "check_catalog": "pipeline.checks",
    "check_entry": "pipeline.checks",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
