"""The controlled glossary: glossary.yaml, term matching, catalog hints, TBX/CSV exchange.

>>> from pathlib import Path
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
