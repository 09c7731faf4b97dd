"""glossary.yaml validation: every kind of mistake is reported with its line and a fix."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.errors import GlossaryError
from pipeline.glossary import Glossary, InvalidGlossary, load_glossary, parse_glossary

REPO = Path(__file__).resolve().parent.parent
BAD_FILES = sorted((Path(__file__).parent / "data" / "glossary" / "bad").glob("*.yaml"))


def load_as_glossary_yaml(source: Path, directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Load ``source`` as ``glossary.yaml`` in ``directory`` (the cwd, as a user would)."""
    shutil.copy(source, directory / "glossary.yaml")
    monkeypatch.chdir(directory)
    load_glossary(directory / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])


def expected_message(path: Path) -> str:
    found = re.search(r"^# expect: (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"{path.name} needs an '# expect: ' line"
    return found.group(1)


@pytest.mark.parametrize("bad_file", BAD_FILES, ids=[path.stem for path in BAD_FILES])
def test_bad_glossary_reports_exact_message_and_line(
    bad_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(GlossaryError) as caught:
        load_as_glossary_yaml(bad_file, tmp_path, monkeypatch)
    assert str(caught.value) == expected_message(bad_file)
    assert caught.value.exit_code == 2


def test_the_table_of_bad_files_covers_every_kind_of_problem() -> None:
    assert len(BAD_FILES) >= 30


def test_shipped_glossary_is_valid_and_thorough() -> None:
    glossary = load_glossary(REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])
    translated = [term for term in glossary.terms if not term.dnt]
    dnt_sources = {term.source for term in glossary.terms if term.dnt}
    assert len(translated) >= 60
    assert {"NTRK1", "NTRK2", "NTRK3", "TRKA", "TRKB", "TRKC", "G595R", "G667C", "G623R"} <= (
        dnt_sources
    )
    assert {"F589L", "ROS1", "ALK"} <= dnt_sources
    sources = {term.source for term in glossary.terms}
    for expected in (
        "NTRK融合基因",
        "实体瘤",
        "婴儿纤维肉瘤",
        "分泌性乳腺癌",
        "血脑屏障",
        "脑脊液",
        "颅内客观缓解率",
        "客观缓解率",
        "疾病控制率",
        "总生存期",
        "无进展生存期",
        "不良事件",
        "耐药突变",
        "溶剂前沿突变",
        "三期临床试验",
        "不限癌种",
        "第二代TRK抑制剂",
        "瑞普替尼",
        "拉罗替尼",
        "恩曲替尼",
        "塞利替尼",
    ):
        assert expected in sources, expected
    assert glossary.match_traditional is True


def test_shipped_glossary_says_which_spelling_it_uses() -> None:
    header = (REPO / "glossary.yaml").read_text(encoding="utf-8").split("source_locale")[0]
    assert "BRITISH spelling" in header


def test_missing_file_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = load_glossary(
        tmp_path / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"]
    )
    assert len(glossary) == 0
    assert glossary.find("血脑屏障") == []
    assert glossary.hints("血脑屏障", "en") == []


def test_empty_or_comment_only_file_is_an_empty_glossary() -> None:
    for text in ("", "# nothing yet\n", "terms:\n"):
        glossary = parse_glossary(
            text, path="glossary.yaml", source_locale="zh_Hans", target_locales=["en"]
        )
        assert len(glossary) == 0


def test_file_that_is_not_utf8_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "glossary.yaml").write_bytes("terms: []\n# 血脑屏障\n".encode("gb18030"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GlossaryError) as caught:
        load_glossary(tmp_path / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])
    # The line of the first bad byte, as the PO and source readers give it (one reader).
    assert str(caught.value) == (
        "glossary.yaml:2: not valid UTF-8 (byte 0xc4); save the file as UTF-8 (in most "
        "editors: Save As, encoding UTF-8)"
    )


def test_every_problem_is_collected_in_line_order() -> None:
    text = (
        "terms:\n"
        "  - source: 血脑屏障\n"  # 2: no target
        "  - source: G595R\n"
        "    dnt: yes\n"  # 4: not a boolean
        "  - source: 脑脊液\n"
        "    target: {en: cerebrospinal fluid}\n"
        "    notes: x\n"  # 7: unknown key
    )
    with pytest.raises(InvalidGlossary) as caught:
        parse_glossary(text, path="glossary.yaml", source_locale="zh_Hans", target_locales=["en"])
    assert caught.value.location_messages() == [
        "glossary.yaml:2: term '血脑屏障' has no target for locale 'en'; "
        "add target: {en: ...} or mark it dnt: true",
        "glossary.yaml:4: term 'G595R': dnt must be true or false, not 'yes'; write dnt: true",
        "glossary.yaml:7: term '脑脊液' has unknown key 'notes'; did you mean 'note'?",
    ]
    assert str(caught.value) == caught.value.location_messages()[0]


def parse(text: str, *, target_locales: tuple[str, ...] = ("en",)) -> Glossary:
    return parse_glossary(
        text, path="glossary.yaml", source_locale="zh_Hans", target_locales=target_locales
    )


def test_yaml_12_reads_no_and_yes_as_strings_where_strings_belong() -> None:
    glossary = parse(
        "terms:\n"
        "  - source: 不\n"
        "    target: {en: no, 'no': nei}\n"  # Norwegian locale code and the English word
    )
    term = glossary.terms[0]
    assert term.target == {"en": "no", "no": "nei"}


def test_a_deprecated_term_needs_no_target_and_may_repeat_a_source() -> None:
    glossary = parse(
        "terms:\n"
        "  - source: 泛瘤种\n"
        "    status: deprecated\n"
        "  - id: agnostic\n"
        "    source: 泛瘤种\n"
        "    target: {en: tumour-agnostic}\n"
    )
    assert [term.status for term in glossary.terms] == ["deprecated", "approved"]
    assert [match.term.id for match in glossary.find("泛瘤种")] == ["agnostic"]


def test_dnt_terms_need_no_target_and_regional_locales_fall_back() -> None:
    glossary = parse(
        "terms:\n"
        "  - source: G595R\n"
        "    dnt: true\n"
        "  - source: 实体瘤\n"
        "    target: {en: solid tumour}\n",
        target_locales=("en_GB",),
    )
    assert glossary.terms[1].target_for("en_GB") == "solid tumour"


def test_locale_keys_are_canonicalised_with_babel() -> None:
    glossary = parse(
        "terms:\n  - source: 实体瘤\n    target: {en: solid tumour, zh-Hant: 實體瘤, pt-BR: x}\n"
    )
    assert list(glossary.terms[0].target) == ["en", "zh_Hant", "pt_BR"]
    assert glossary.locales == ("en", "zh_Hant", "pt_BR")


def test_derived_ids_are_stable_and_explicit_ids_are_kept() -> None:
    glossary = parse(
        "terms:\n"
        "  - source: 实体瘤\n"
        "    target: {en: solid tumour}\n"
        "  - id: csf\n"
        "    source: 脑脊液\n"
        "    target: {en: cerebrospinal fluid}\n"
    )
    derived, explicit = glossary.terms
    assert derived.id == "t-" + derived.id[2:] and len(derived.id) == 12
    assert not derived.has_explicit_id
    assert (explicit.id, explicit.has_explicit_id) == ("csf", True)
    assert glossary.term("csf") is explicit


def test_case_sensitivity_defaults_to_dnt_and_can_be_set() -> None:
    glossary = parse(
        "terms:\n"
        "  - source: ALK\n"
        "    dnt: true\n"
        "  - source: ALK阳性\n"
        "    target: {en: ALK-positive}\n"
        "  - source: Ki-67\n"
        "    dnt: true\n"
        "    case_sensitive: false\n"
    )
    assert [term.is_case_sensitive for term in glossary.terms] == [True, False, False]


def test_version_ignores_comments_and_formatting_but_not_content() -> None:
    first = parse("terms:\n  - source: 实体瘤\n    target: {en: solid tumour}\n")
    reformatted = parse(
        "# a comment\nterms:\n- source: 实体瘤   # here too\n  target:\n    en: solid tumour\n"
    )
    changed = parse("terms:\n  - source: 实体瘤\n    target: {en: solid tumor}\n")
    assert first.version == reformatted.version
    assert first.version != changed.version
    assert len(first.version) == 16


def test_a_glossary_survives_pickling_for_process_pools() -> None:
    import pickle

    glossary = load_glossary(REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])
    glossary.find("血脑屏障")  # build the matcher first: it must pickle too
    copy = pickle.loads(pickle.dumps(glossary))
    assert copy.terms == glossary.terms
    assert copy.version == glossary.version
    assert copy.hints("透过血腦屏障", "en") == glossary.hints("透过血腦屏障", "en")


def test_loading_the_same_file_twice_parses_it_once_and_an_edit_is_read(tmp_path: Path) -> None:
    # review and build load the glossary for the checks and again for the pages or hints;
    # a glossary is immutable, so the second load may share the first one's, until an edit.
    path = tmp_path / "glossary.yaml"
    path.write_text(
        "source_locale: zh_Hans\nterms:\n  - source: 不良事件\n    target: {en: adverse event}\n",
        encoding="utf-8",
    )
    first = load_glossary(path, source_locale="zh_Hans", target_locales=["en"])
    assert load_glossary(path, source_locale="zh_Hans", target_locales=["en"]) is first
    path.write_text(
        "source_locale: zh_Hans\nterms:\n  - source: 不良事件\n    target: {en: adverse effect}\n",
        encoding="utf-8",
    )
    edited = load_glossary(path, source_locale="zh_Hans", target_locales=["en"])
    assert [term.target_for("en") for term in edited.terms] == ["adverse effect"]
    assert [term.target_for("en") for term in first.terms] == ["adverse event"]
