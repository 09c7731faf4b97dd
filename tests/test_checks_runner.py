"""The registry, the runner, waivers and the cross-catalog consistency check."""

from __future__ import annotations

import re

from pipeline.checks import CHECKS, CheckContext, check_catalog, check_entry, checks_table
from pipeline.checks.consistency import Translation, find_inconsistencies
from pipeline.checks.waivers import waivers_of
from pipeline.po.catalog import Catalog, Entry

ZH_EN = CheckContext(source_locale="zh_Hans", target_locale="en")


def test_every_check_has_a_name_a_severity_and_a_one_sentence_summary() -> None:
    assert list(CHECKS) == [
        "numbers",
        "quantities",
        "glossary",
        "forbidden",
        "dnt",
        "acronyms",
        "markup",
        "untranslated",
        "negation",
        "punctuation",
        "length",
        "repeated-words",
        "contrast",
        "coverage",
        "alternatives",
        "list-items",
        "waiver",
        "consistency",
    ]
    for row in checks_table():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", row["name"])
        assert row["severity"] in ("error", "warning")
        assert row["summary"].endswith((".", ")")) and "\n" not in row["summary"]


def test_the_checks_that_protect_readers_are_errors() -> None:
    errors = {name for name, check in CHECKS.items() if check.severity == "error"}
    assert errors == {
        "numbers",
        "quantities",
        "glossary",
        "forbidden",
        "dnt",
        "markup",
        "untranslated",
    }


def test_waivers_come_from_flags_and_translator_comments() -> None:
    entry = Entry(
        msgid="…",
        msgstr="…",
        flags=("fuzzy", "ignore-numbers"),
        translator_comments=("ignore-dnt: the figure writes G595", "approved: by=x"),
    )
    assert waivers_of(entry) == {"numbers": None, "dnt": "the figure writes G595"}


def test_a_waived_error_is_kept_and_marked_but_does_not_block() -> None:
    entry = Entry(
        msgctxt="s-1",
        msgid="疾病控制率为96.4%。",
        msgstr="The disease control rate was 94.6%.",
        translator_comments=("ignore-numbers: the source misprints the rate",),
    )
    [result] = check_catalog(Catalog(entries=[entry]), ZH_EN)
    [finding] = result.findings
    assert (finding.check, finding.waived, finding.waiver_note) == (
        "numbers",
        True,
        "the source misprints the rate",
    )
    assert not finding.is_blocking and not result.is_blocking


def test_a_waiver_naming_no_check_is_reported() -> None:
    entry = Entry(msgctxt="s-1", msgid="有效。", msgstr="Effective.", flags=("ignore-nubmers",))
    [result] = check_catalog(Catalog(entries=[entry]), ZH_EN)
    [finding] = result.findings
    assert finding.check == "waiver" and finding.severity == "warning"
    assert finding.message.startswith(
        "ignore-nubmers names no check; known checks: acronyms, alternatives, consistency"
    )


def test_check_catalog_skips_untranslated_and_obsolete_entries_and_checks_drafts() -> None:
    wrong = "The rate was 98.1%."
    catalog = Catalog(
        entries=[
            Entry(msgctxt="a", msgid="有效率为89.1%。", msgstr=""),
            Entry(msgctxt="b", msgid="有效率为89.1%。", msgstr=wrong, obsolete=True),
            Entry(msgctxt="c", msgid="有效率为89.1%。", msgstr=wrong, flags=("fuzzy",)),
            Entry(msgctxt="d", msgid="有效率为89.1%。", msgstr="The rate was 89.1%."),
        ]
    )
    results = check_catalog(catalog, ZH_EN)
    assert [(result.entry.msgctxt, result.draft) for result in results] == [("c", True)]


def test_plural_forms_are_each_compared_with_their_source() -> None:
    entry = Entry(
        msgid="%d例患者",
        msgid_plural="%d例患者",
        msgstr_plural=("%d patient", "%d patients"),
    )
    assert check_catalog(Catalog(entries=[entry]), ZH_EN) == []


def test_only_runs_the_named_checks() -> None:
    findings = check_entry("请勿停药。", "Stop the drug", ZH_EN, only=["negation"])
    assert [f.check for f in findings] == ["negation"]


def _translation(where: str, source: str, translation: str, *, draft: bool = False) -> Translation:
    return Translation(where=where, source=source, translation=translation, draft=draft)


def test_consistency_flags_different_translations_of_one_sentence() -> None:
    items = [
        _translation("a.po:10", "客观缓解率为79%。", "The objective response rate was 79%."),
        _translation("b.po:20", "客观缓解率为79%。", "The objective response rate was 79%."),
        _translation("c.po:30", "客观缓解率为79%。", "The overall response rate was 79%."),
        _translation("d.po:40", "客观缓解率为79%。", "ORR: 79%.", draft=True),
    ]
    found = [(item.where, message) for item, message in find_inconsistencies(items, ZH_EN)]
    assert found == [
        (
            "c.po:30",
            'translated differently in a.po:10: "The objective response rate was 79%." '
            "(and in 1 other catalog)",
        ),
        (
            "d.po:40",
            'translated differently in a.po:10: "The objective response rate was 79%." '
            "(and in 2 other catalogs)",
        ),
    ]


def test_without_a_majority_every_variant_is_reported() -> None:
    items = [
        _translation("a.po:10", "有效。", "Effective."),
        _translation("b.po:20", "有效。", "It works."),
    ]
    found = [(item.where, message) for item, message in find_inconsistencies(items, ZH_EN)]
    assert found == [
        ("a.po:10", 'translated differently in b.po:20: "It works."'),
        ("b.po:20", 'translated differently in a.po:10: "Effective."'),
    ]


def test_drafts_never_make_finished_translations_inconsistent() -> None:
    items = [
        _translation("a.po:10", "有效。", "Effective."),
        _translation("b.po:20", "有效。", "It works.", draft=True),
    ]
    found = [item.where for item, _ in find_inconsistencies(items, ZH_EN)]
    assert found == ["b.po:20"]
