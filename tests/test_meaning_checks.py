"""contrast, coverage, alternatives and list-items on real zh->en sentences, the contrast
lexicon's validation (line numbers, exit 2) and the CC-CEDICT index."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support.cli import main

from pipeline.checks import CHECKS, CheckContext, check_entry
from pipeline.checks.dictionary import dictionary_hints, load_dictionary, senses
from pipeline.checks.lexicon import (
    ContrastLexicon,
    default_lexicon,
    english_lemmas,
    load_lexicon,
    parse_lexicon,
)
from pipeline.errors import LexiconError

ZH_EN = CheckContext(source_locale="zh_Hans", target_locale="en")
MEANING = ["contrast", "coverage", "alternatives", "list-items"]


def findings(source: str, translation: str, ctx: CheckContext = ZH_EN) -> list[tuple[str, str]]:
    return [(f.check, f.message) for f in check_entry(source, translation, ctx, only=MEANING)]


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        (
            "治疗后患者的肝酶水平升高。",
            "After treatment, the patients' liver enzyme levels fell.",
            [
                (
                    "contrast",
                    '升高 ("increase"), translation has "fall", its opposite (direction)',
                )
            ],
        ),
        (
            "该药已获批用于儿童患者。",
            "The drug has been approved for adult patients.",
            [("contrast", '儿童 ("child"), translation has "adult", its opposite (population)')],
        ),
        (
            "出现严重不良事件时应停药。",
            "The dose should be reduced if a serious adverse event occurs.",
            [("contrast", '停药 ("stop"), translation has "reduce", its opposite (drug-action)')],
        ),
        (
            "头晕是常见的不良反应。",
            "Dizziness is a rare adverse reaction.",
            [("contrast", '常见 ("common"), translation has "rare", its opposite (frequency)')],
        ),
        (
            "这种耐药一定会出现。",
            "This resistance may emerge.",
            [("contrast", '一定 ("certain"), translation has "may", its opposite (certainty)')],
        ),
        (
            "口服给药。",
            "Given intravenously.",
            [("contrast", '口服 ("oral"), translation has "intravenously", its opposite (route)')],
        ),
        (
            "患者应空腹服用。",
            "Patients should take it with food.",
            [
                (
                    "contrast",
                    '空腹 ("empty stomach"), translation has "with food", its opposite (route)',
                )
            ],
        ),
        (
            "该药的价格比进口药便宜一半。",
            "The drug costs twice as much as imported drugs.",
            [("contrast", '便宜 ("cheap"), translation has "twice as much", its opposite (cost)')],
        ),
        (
            "患者的生活质量得到改善。",
            "The patients' quality of life worsened.",
            [("contrast", '改善 ("improve"), translation has "worsen", its opposite (direction)')],
        ),
        (
            "研究结果提示该药可以延长生存期。",
            "The results prove that the drug prolongs survival.",
            [("contrast", '提示 ("suggest"), translation has "prove", its opposite (certainty)')],
        ),
    ],
)
def test_contrast_reports_a_word_rendered_by_its_opposite(
    source: str, translation: str, expected: list[tuple[str, str]]
) -> None:
    assert [
        (name, message.split("source has ")[1].split("; check")[0])
        for name, message in findings(source, translation)
    ] == expected


def test_coverage_names_the_word_its_class_its_renderings_and_its_dictionary_senses() -> None:
    assert findings(
        "老年患者应在医生指导下用药。",
        "Patients should take the medicine under a doctor's guidance.",
    ) == [
        (
            "coverage",
            "source has 老年 (population: elderly, older, old, aged), the translation none of its "
            "renderings; CC-CEDICT: elderly; old age; autumn of one's years; is it missing or "
            "changed?",
        )
    ]


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        # Inflections and irregular forms are lemmatised.
        ("治疗后患者的肝酶水平明显升高。", "Liver enzymes went up markedly once treatment began."),
        ("肺部病灶明显缩小。", "The lung lesions shrank markedly."),
        (
            "对于婴儿患者，剂量需要按体表面积计算。",
            "In infants, the dose has to be calculated from body surface area.",
        ),
        # Synonyms and reordering.
        ("口服给药。", "Taken by mouth."),
        ("该药需静脉输注给药。", "The drug is given as an intravenous infusion."),
        ("患者应空腹服用。", "Take it before meals."),
        ("患者的生活质量得到改善。", "The patients' quality of life got better."),
        (
            "研究结果提示该药可以延长生存期。",
            "The findings indicate that the drug may prolong survival.",
        ),
        ("疑似NTRK融合的患者应进行确认检测。", "Suspected fusions should be confirmed by testing."),
        ("老年患者可能需要调整剂量。", "Dose adjustment may be needed in older adults."),
        (
            "如果出现严重不良事件，应立即停药。",
            "Treatment should be discontinued at once if a serious adverse event occurs.",
        ),
        (
            "该检测费用可以通过医保报销。",
            "The cost of the test can be reimbursed by health insurance.",
        ),
        ("部分医院可以免费进行基因检测。", "Some hospitals offer genetic testing at no cost."),
        # A CC-CEDICT sense renders the word (提高: "to improve").
        ("患者的生活质量得到了提高。", "The patients' quality of life improved."),
        # A lexicon word inside a glossary term is the glossary's business (婴儿纤维肉瘤).
        (
            "在儿童中，这种融合常见于婴儿纤维肉瘤。",
            "In children, this fusion is frequently found in infantile fibrosarcoma.",
        ),
        # A counted noun is only required after a number.
        ("约一半的患者仍然获益。", "Roughly half still benefited."),
        ("共有12名患者入组。", "Twelve people were enrolled."),
        # Alternatives and lists kept.
        (
            "请在医生或药师指导下用药。",
            "Take the medicine as directed by your doctor or pharmacist.",
        ),
        (
            "常见不良反应包括头晕、疲劳、恶心和便秘。",
            "Common adverse reactions include dizziness, fatigue, nausea and constipation.",
        ),
    ],
)
def test_correct_translations_get_no_meaning_warning(source: str, translation: str) -> None:
    assert findings(source, translation) == []


def test_a_counted_noun_dropped_after_a_number_is_reported() -> None:
    [(name, message)] = findings("共纳入12例患者。", "A total of 12 were enrolled.")
    assert name == "coverage" and message.startswith("source has 患者 (counted: patient, case")


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        (
            "患者可能出现疾病进展或死亡。",
            "Patients may experience death.",
            [
                'source gives alternatives ("出现疾病进展或死亡。"), translation has no "or"; '
                "is one missing?"
            ],
        ),
        ("患者或许可以获益。", "Patients may perhaps benefit.", []),  # 或许 is "perhaps"
        ("可选择胶囊或口服溶液。", "Capsules or an oral solution can be chosen.", []),
        ("可选择胶囊或口服溶液。", "Capsules and/or an oral solution.", []),
    ],
)
def test_alternatives(source: str, translation: str, expected: list[str]) -> None:
    assert [m for name, m in findings(source, translation) if name == "alternatives"] == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        (
            "常见不良反应包括头晕、疲劳、恶心和便秘。",
            "Common adverse reactions include dizziness, fatigue and constipation.",
            [
                "source lists 4 items (常见不良反应包括头晕、疲劳、恶心和便秘), "
                "the translation has 3 at most; is an item missing?"
            ],
        ),
        (
            "NTRK1、NTRK2和NTRK3分别编码TRKA、TRKB和TRKC蛋白。",
            "NTRK1, NTRK2 and NTRK3 encode the TRKA, TRKB and TRKC proteins respectively.",
            [],
        ),
        (
            "常见不良反应包括头晕、疲劳。",
            "Common adverse reactions include dizziness and fatigue.",
            [],
        ),
        # Two items joined by 和, 及 or 以及.
        (
            "该药在美国和欧盟均已获批。",
            "The drug is approved in the United States.",
            [
                "source lists 2 items (该药在美国和欧盟均已获批), the translation has 1 at most; "
                "is an item missing?"
            ],
        ),
        ("该药在美国和欧盟均已获批。", "It is approved in both the US and the EU.", []),
        ("患者及家属应了解风险。", "Patients and their families should understand the risks.", []),
        # Not a list: 温和 "mild", 涉及 "involve", 及时 "in time", 和 before a verb of talking.
        ("症状通常较温和。", "The symptoms are usually mild.", []),
        ("该研究涉及多个癌种。", "The study covers several cancer types.", []),
        ("请及时和医生沟通。", "Please talk to your doctor promptly.", []),
    ],
)
def test_list_items(source: str, translation: str, expected: list[str]) -> None:
    assert [m for name, m in findings(source, translation) if name == "list-items"] == expected


def test_the_meaning_checks_are_registered_as_warnings_with_a_summary() -> None:
    for name in MEANING:
        assert CHECKS[name].severity == "warning"
        assert CHECKS[name].summary.endswith(".")


def test_a_waiver_keeps_the_finding_but_marks_it_waived() -> None:
    [finding] = check_entry(
        "该药已获批用于儿童患者。",
        "The drug has been approved for adult patients.",
        ZH_EN,
        waivers={"contrast": "the label says adults"},
        only=["contrast"],
    )
    assert finding.waived and finding.waiver_note == "the label says adults"


# --- English lemmas -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("increased", "increase"),
        ("increases", "increase"),
        ("increasing", "increase"),
        ("stopped", "stop"),
        ("therapies", "therapy"),
        ("rose", "rise"),
        ("children", "child"),
    ],
)
def test_english_inflections_reach_their_lemma(word: str, lemma: str) -> None:
    assert lemma in english_lemmas(word)


# --- the lexicon file ---------------------------------------------------------------------

GOOD_ENTRY = """\
source_locale: zh_Hans
entries:
  - id: nausea
    class: site
    source: [恶心]
    target: {en: [nausea, sick]}
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "entries:\n  - id: x\n    class: site\n    source: [甲]\n    target: {en: [a]}\n"
            "    colour: red\n",
            "contrast.yaml:6: entry 'x': unknown key 'colour'; known keys: id, class, source, "
            "target, opposite, when, note",
        ),
        (
            "entries:\n  - id: x\n    class: sight\n    source: [甲]\n    target: {en: [a]}\n",
            "contrast.yaml:3: entry 'x': class must be one of direction, comparison, frequency, "
            "certainty, population, site, cancer, drug-action, route, treatment, cost, role, "
            "counted, not 'sight'; did you mean 'site'?",
        ),
        (
            "entries:\n  - id: x\n    class: site\n    source: 甲\n    target: {en: [a]}\n",
            "contrast.yaml:4: entry 'x': source must be a list such as [first, second], not '甲'",
        ),
        (
            "entries:\n  - id: x\n    class: site\n    source: [甲]\n",
            "contrast.yaml:2: entry 'x': target is required",
        ),
        (
            "entries:\n  - id: x\n    class: site\n    source: [甲]\n    target: {en: [a]}\n"
            "  - id: x\n    class: site\n    source: [乙]\n    target: {en: [b]}\n",
            "contrast.yaml:6: entry 'x' is defined twice (first on line 2); ids must be unique",
        ),
        (
            "entries:\n  - id: x\n    class: site\n    source: [甲]\n    target: {en: [a]}\n"
            "  - id: y\n    class: site\n    source: [甲]\n    target: {en: [b]}\n",
            "contrast.yaml:8: entry 'y': source form '甲' already belongs to entry 'x' (line 2); "
            "a form has one meaning",
        ),
        (
            "include_default: false\nentries:\n  - id: x\n    class: site\n    source: [甲]\n"
            "    target: {en: [a]}\n    opposite: [z]\n",
            "contrast.yaml:7: entry 'x': opposite 'z' is not an entry id; add that entry or "
            "remove it from opposite",
        ),
        (
            "entries:\n  - id: x\n    class: site\n    source: [甲]\n    target: {en: [a]}\n"
            "    when: sometimes\n",
            "contrast.yaml:6: entry 'x': when must be one of always, counted, not 'sometimes'",
        ),
        (
            "entries: [\n",
            "contrast.yaml:2: not valid YAML: expected the node content, but found "
            "'<stream end>'; fix the syntax",
        ),
        (
            "entries:\n  - id: x\n    id: y\n",
            "contrast.yaml:3: key 'id' appears twice in the same mapping; keep one",
        ),
        (
            "include_default: yes\nentries: []\n",
            "contrast.yaml:1: include_default must be true or false, not 'yes'",
        ),
    ],
)
def test_a_bad_lexicon_is_reported_with_its_line(text: str, message: str) -> None:
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text, path="contrast.yaml")
    assert str(caught.value) == message


def test_the_packaged_lexicon_is_valid_and_covers_every_class() -> None:
    lexicon = default_lexicon()
    kinds = {entry.kind for entry in lexicon.entries.values()}
    assert kinds >= {
        "direction",
        "comparison",
        "frequency",
        "certainty",
        "population",
        "site",
        "cancer",
        "drug-action",
        "route",
        "cost",
    }


def test_a_project_lexicon_extends_the_packaged_one(tmp_path: Path) -> None:
    path = tmp_path / "contrast.yaml"
    path.write_text(GOOD_ENTRY, encoding="utf-8")
    lexicon = load_lexicon(path)
    assert "nausea" in lexicon.entries and "increase" in lexicon.entries
    ctx = CheckContext(lexicon=lexicon)
    assert findings("患者出现恶心。", "The patient had a headache.", ctx)[0][1].startswith(
        "source has 恶心 (site: nausea, sick)"
    )
    alone = load_lexicon(path.with_name("missing.yaml"))
    assert alone is default_lexicon()


def test_a_project_entry_may_not_take_a_packaged_form_without_replacing_its_entry(
    tmp_path: Path,
) -> None:
    path = tmp_path / "contrast.yaml"
    path.write_text(GOOD_ENTRY.replace("[恶心]", "[恶心, 儿童]"), encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path, shown="contrast.yaml")
    assert str(caught.value) == (
        "contrast.yaml:3: entry 'nausea': source form '儿童' already belongs to the packaged "
        "entry 'children'; use id: children to replace that entry"
    )


def test_a_project_lexicon_can_replace_the_packaged_one(tmp_path: Path) -> None:
    path = tmp_path / "contrast.yaml"
    path.write_text("include_default: false\n" + GOOD_ENTRY.split("\n", 1)[1], encoding="utf-8")
    assert list(load_lexicon(path).entries) == ["nausea"]


def test_pipeline_check_stops_on_a_bad_lexicon_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n'
        'contrast = "qa/contrast.yaml"\n',
        "utf-8",
    )
    (tmp_path / "qa").mkdir()
    (tmp_path / "qa" / "contrast.yaml").write_text(
        "entries:\n  - id: x\n    class: sight\n    source: [甲]\n    target: {en: [a]}\n",
        "utf-8",
    )
    (tmp_path / "locales" / "en" / "LC_MESSAGES").mkdir(parents=True)
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "check"])
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "qa/contrast.yaml:3: entry 'x': class must be one of direction, comparison, frequency, "
        "certainty, population, site, cancer, drug-action, route, treatment, cost, role, counted, "
        "not 'sight'; did you mean 'site'?"
    )
    assert "Traceback" not in result.output


def test_an_empty_lexicon_file_is_an_error() -> None:
    with pytest.raises(LexiconError, match="contrast.yaml: the lexicon is empty; add entries:"):
        parse_lexicon("# nothing yet\n", path="contrast.yaml")
    assert isinstance(ContrastLexicon([]).find("儿童"), list)


# --- CC-CEDICT ----------------------------------------------------------------------------


def test_the_dictionary_is_the_full_cc_cedict() -> None:
    dictionary = load_dictionary()
    assert len(dictionary) > 100_000
    assert senses("患者") == ("patient", "sufferer")


def test_a_word_looked_up_alone_has_the_senses_the_full_index_gives() -> None:
    # Checks look words up one at a time in the file's text (no 0.5 s index per process);
    # the answer must be the index's, for the lexicon's words and for any headword.
    from pipeline.checks import dictionary
    from pipeline.checks.lexicon import default_lexicon

    index = load_dictionary()
    words = [form for entry in default_lexicon().entries.values() for form in entry.source]
    words += sorted(index)[::997] + ["提高", "恶心", "不存在的词语", "TRK", "一"]
    for word in words:
        assert dictionary._look_up(word) == index.get(word, ()), word
    assert dictionary._look_up("提高")[:3] == ("to raise", "to increase", "to improve")


def test_the_checks_look_words_up_without_building_the_index() -> None:
    from pipeline.checks import dictionary

    dictionary.load_dictionary.cache_clear()
    dictionary._look_up.cache_clear()
    try:
        assert senses("恶心")[:2] == ("nausea", "to feel sick")
        assert dictionary.load_dictionary.cache_info().currsize == 0
    finally:
        dictionary._look_up.cache_clear()


def test_dictionary_hints_list_uncovered_words_with_their_senses() -> None:
    hints = dict(dictionary_hints("患者出现头晕和恶心。", "The patient felt dizzy."))
    assert "恶心" in hints and "患者" not in hints
    assert "nausea" in hints["恶心"]
