"""Run the checks over the meaning evaluation sets in tests/data/meaning/ and count.

- ``defects.yaml``: single-defect cases (source, a correct translation, the same translation
  with one defect, and what must report it: ``error`` or the names of warnings);
- ``paraphrases.yaml``: correct translations that a naive check gets wrong (paraphrase,
  reordering, unit conversion, number words);
- the correct translation of the example article, tests/data/checks/example/correct/.

The checks run exactly as ``pipeline check`` runs them (:func:`pipeline.checks.check_entry`
with the repository's glossary.yaml and the packaged contrast lexicon). Used by
tests/test_meaning_eval.py (targets) and bench/eval_meaning.py (the rates per category).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from pipeline.checks import CheckContext, Finding, check_entry
from pipeline.glossary import load_glossary
from pipeline.po.read import read_po_file

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "meaning"
ARTICLE = (
    REPO
    / "tests"
    / "data"
    / "checks"
    / "example"
    / "correct"
    / "locales"
    / "en"
    / "LC_MESSAGES"
    / "ntrk-inhibitors.po"
)


@dataclass(frozen=True, kw_only=True)
class Case:
    """One defect case of defects.yaml."""

    id: str
    category: str
    source: str
    good: str
    bad: str
    expect: tuple[str, ...]  # ("error",) or warning names


@dataclass(frozen=True, kw_only=True)
class CaseResult:
    case: Case
    bad_findings: tuple[Finding, ...]
    good_findings: tuple[Finding, ...]

    @property
    def caught(self) -> bool:
        """The defect is reported as the case expects: an error, or a named warning."""
        for finding in self.bad_findings:
            if finding.severity == "error" and "error" in self.case.expect:
                return True
            if finding.check in self.case.expect:
                return True
        return False


@dataclass(frozen=True, kw_only=True)
class PairResult:
    """A correct pair (paraphrase, article sentence, the good side of a case) and its findings."""

    id: str
    source: str
    translation: str
    findings: tuple[Finding, ...] = field(default=())

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "warning"]


@cache
def context() -> CheckContext:
    """A check context like ``pipeline check`` builds for zh_Hans -> en in this repository."""
    glossary = load_glossary(REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])
    return CheckContext(source_locale="zh_Hans", target_locale="en", glossary=glossary)


def _load(name: str) -> Any:
    return YAML(typ="safe").load((DATA / name).read_text(encoding="utf-8"))


def load_cases() -> list[Case]:
    cases = []
    for raw in _load("defects.yaml"):
        expect = raw["expect"]
        cases.append(
            Case(
                id=raw["id"],
                category=raw["category"],
                source=raw["source"],
                good=raw["good"],
                bad=raw["bad"],
                expect=(expect,) if isinstance(expect, str) else tuple(expect),
            )
        )
    return cases


def run_cases(cases: Sequence[Case] | None = None) -> list[CaseResult]:
    ctx = context()
    return [
        CaseResult(
            case=case,
            bad_findings=tuple(check_entry(case.source, case.bad, ctx)),
            good_findings=tuple(check_entry(case.source, case.good, ctx)),
        )
        for case in (load_cases() if cases is None else cases)
    ]


def run_paraphrases() -> list[PairResult]:
    ctx = context()
    return [
        PairResult(
            id=raw["id"],
            source=raw["source"],
            translation=raw["translation"],
            findings=tuple(check_entry(raw["source"], raw["translation"], ctx)),
        )
        for raw in _load("paraphrases.yaml")
    ]


def run_article() -> list[PairResult]:
    """Every translated entry of the correct example article (msgctxt as id)."""
    ctx = context()
    catalog = read_po_file(ARTICLE)
    return [
        PairResult(
            id=entry.msgctxt or "",
            source=entry.msgid,
            translation=entry.msgstr,
            findings=tuple(check_entry(entry.msgid, entry.msgstr, ctx)),
        )
        for entry in catalog.entries
        if entry.msgid and entry.msgstr and not entry.obsolete
    ]


def rates_by_category(results: Sequence[CaseResult]) -> dict[str, tuple[int, int]]:
    """category -> (caught, total), in the order the categories first appear."""
    table: dict[str, tuple[int, int]] = {}
    for result in results:
        caught, total = table.get(result.case.category, (0, 0))
        table[result.case.category] = (caught + result.caught, total + 1)
    return table
