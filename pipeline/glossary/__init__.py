"""The controlled glossary: glossary.yaml, term matching, catalog hints, TBX/CSV exchange.

>>> from pathlib import Path
>>> from pipeline.glossary import load_glossary
>>> glossary = load_glossary(Path("no-such-glossary.yaml"), source_locale="zh_Hans",
...                          target_locales=["en"])
>>> len(glossary), glossary.find("血脑屏障")
(0, [])

Modules: :mod:`~pipeline.glossary.terms` (records), :mod:`~pipeline.glossary.schema`
(validation), :mod:`~pipeline.glossary.model` (:class:`Glossary`, loading, hints),
:mod:`~pipeline.glossary.matcher` (source and target matching),
:mod:`~pipeline.glossary.exchange` (TBX, CSV), :mod:`~pipeline.glossary.edit`
(comment-preserving changes to glossary.yaml).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.glossary.model import Glossary, hint_line, load_glossary, parse_glossary
    from pipeline.glossary.schema import GlossaryProblem, InvalidGlossary
    from pipeline.glossary.terms import TargetMatch, Term, TermMatch

__all__ = [
    "Glossary",
    "GlossaryProblem",
    "InvalidGlossary",
    "TargetMatch",
    "Term",
    "TermMatch",
    "hint_line",
    "load_glossary",
    "parse_glossary",
]

# Imported on first use (PEP 562): pydantic and ruamel.yaml cost ~0.1 s to import, which
# every `pipeline` command would otherwise pay just because the CLI registers this group.
_HOMES = {
    "Glossary": "model",
    "hint_line": "model",
    "load_glossary": "model",
    "parse_glossary": "model",
    "GlossaryProblem": "schema",
    "InvalidGlossary": "schema",
    "TargetMatch": "terms",
    "Term": "terms",
    "TermMatch": "terms",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'pipeline.glossary' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pipeline.glossary.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
