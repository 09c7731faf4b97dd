"""Translation memory: feeding, exact and fuzzy lookup, numbers, TMX exchange."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.errors import InputError
from pipeline.po.catalog import Catalog, Entry
from pipeline.po.write import write_po_file
from pipeline.review import Approval, Ledger, content_hash, format_approval, is_approved
from pipeline.tm import FUZZY_QUERY, TranslationMemory, Unit, bcp47, sync_catalogs

ZH, EN = "zh_Hans", "en"


def unit(source: str, target: str, *, status: str = "approved", origin: str = "a",
         target_locale: str = EN, changed: str = "") -> Unit:
    return Unit(source=source, target=target, source_locale=ZH, target_locale=target_locale,
                status=status, origin=origin, changed=changed)


@pytest.fixture
def memory() -> TranslationMemory:
    with TranslationMemory(":memory:") as opened:
        yield opened


def best(memory: TranslationMemory, source: str, **options: object):
    return memory.best(source, source_locale=ZH, target_locale=EN, **options)


def test_exact_match_scores_100(memory: TranslationMemory) -> None:
    memory.add([unit("颅内客观缓解率为90.8%。", "The intracranial ORR was 90.8%.")])
    match = best(memory, "颅内客观缓解率为90.8%。")
    assert match.score == 100
    assert match.comment == "tm 100% a"


def test_fuzzy_match_with_changed_numbers_says_so(memory: TranslationMemory) -> None:
    memory.add([unit("疗效持续时间超过一年的患者占比为89.1%。", "89.1% had a response > 1 year.")])
    match = best(memory, "疗效持续时间超过一年的患者占比为90.8%。")
    assert 75 <= match.score < 100
    assert match.old_numbers == ("89.1",) and match.new_numbers == ("90.8",)
    assert match.comment == f"tm {match.score}% a (numbers differ: 89.1 -> 90.8)"


def test_fuzzy_match_with_same_numbers_has_no_numbers_note(memory: TranslationMemory) -> None:
    memory.add([unit("最常见的不良反应为1-2级头晕。", "The most common was grade 1-2 dizziness.")])
    match = best(memory, "最常见的不良反应为1-2级头痛。")
    assert match is not None and not match.numbers_differ
    assert "numbers" not in match.comment


def test_below_the_threshold_nothing_is_found(memory: TranslationMemory) -> None:
    memory.add([unit("拉罗替尼是一种高选择性的TRK抑制剂。", "Larotrectinib is a TRK inhibitor.")])
    assert best(memory, "中位无进展生存期为28.3个月。") is None
    assert best(memory, "拉罗替尼是一种抑制剂。", min_score=95) is None
    assert best(memory, "拉罗替尼是一种抑制剂。", min_score=60) is not None


def test_approved_unit_wins_over_an_unapproved_one(memory: TranslationMemory) -> None:
    memory.add([
        unit("两次。", "Twice (draft).", status="translated", origin="b",
             changed="2030-01-01T00:00:00Z"),
        unit("两次。", "Twice.", status="approved", origin="a", changed="2020-01-01T00:00:00Z"),
    ])
    matches = memory.lookup("两次。", source_locale=ZH, target_locale=EN)
    assert [m.unit.target for m in matches] == ["Twice.", "Twice (draft)."]
    assert matches[1].comment == "tm 100% b (not approved)"


def test_equal_units_break_ties_by_content_not_by_feeding_time(
    memory: TranslationMemory,
) -> None:
    # Two scheduled builds feed in either order and at any time: the draft must not depend on
    # it, so the newer unit does not win; the origin (the article) decides, then the text.
    memory.add([
        unit("每天两次。", "Twice daily.", origin="b-article", changed="2020-01-01T00:00:00Z"),
        unit("每天两次。", "Two times a day.", origin="a-article",
             changed="2024-01-01T00:00:00Z"),
    ])
    assert best(memory, "每天两次。").unit.target == "Two times a day."


TIED = [
    unit("患者每天服药两次，持续四周。", "Patients took it twice daily for four weeks.",
         origin="zeta", status="translated"),
    unit("患者每天服药两次，持续八周。", "Patients took it twice daily for eight weeks.",
         origin="alpha", status="translated"),
    unit("患者每天服药两次，持续六周。", "Patients took it twice a day for six weeks.",
         origin="mid", status="translated"),
    unit("患者每天服药两次，持续四周。", "Twice daily for four weeks.", origin="alpha",
         status="translated"),
]


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (2, 0, 3, 1), (1, 3, 0, 2)])
def test_fuzzy_matches_of_equal_score_come_back_in_one_order_whatever_the_feeding_order(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    # Issue 9, item 9: concurrent builds cited a different article for equal fuzzy scores.
    query = "患者每天服药两次，持续五周。"
    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        for index in order:  # one unit per transaction, as separate catalogs are fed
            memory.add([TIED[index]])
        found = memory.lookup(query, source_locale=ZH, target_locale=EN, limit=5)
    scores = [m.score for m in found]
    assert len(set(scores[:3])) == 1  # the three sentences differ by one character
    assert [(m.score, m.unit.origin, m.unit.target) for m in found] == [
        (scores[0], "alpha", "Patients took it twice daily for eight weeks."),
        (scores[0], "alpha", "Twice daily for four weeks."),
        (scores[0], "mid", "Patients took it twice a day for six weeks."),
        (scores[0], "zeta", "Patients took it twice daily for four weeks."),
    ]


@pytest.mark.parametrize(
    ("stored", "query", "found"),
    [
        ("头晕", "头晕", True),  # exact, 2 characters
        ("头晕", "头痛", False),  # 50%: below the threshold
        ("头晕。", "头晕", True),  # 80%: found through instr(), not trigrams
        ("晕", "晕", True),
        ("每天两次。", "每天一次。", True),  # 80%, but no trigram in common
    ],
)
def test_one_and_two_character_segments(memory: TranslationMemory, stored: str, query: str,
                                        found: bool) -> None:
    memory.add([unit(stored, "x")])
    assert (best(memory, query) is not None) is found


def test_locale_pairs_are_separate(memory: TranslationMemory) -> None:
    memory.add([unit("每天两次。", "하루 두 번.", target_locale="ko")])
    assert best(memory, "每天两次。") is None
    assert memory.best("每天两次。", source_locale=ZH, target_locale="ko") is not None


def test_fuzzy_candidates_come_from_the_trigram_index(memory: TranslationMemory) -> None:
    plan = memory._db.execute(
        "EXPLAIN QUERY PLAN " + FUZZY_QUERY, ('"头晕。"', ZH, EN, 1, 10, 10)
    ).fetchall()
    details = " ".join(row[-1] for row in plan)
    assert details.index("SCAN units_fts VIRTUAL TABLE INDEX") < details.index(
        "SEARCH u USING INTEGER PRIMARY KEY"
    )


def test_fuzzy_lookup_among_many_units(memory: TranslationMemory) -> None:
    memory.add(unit(f"第{i}号患者的中位无进展生存期为{i}.5个月。", f"Patient {i}: {i}.5 months.")
               for i in range(3000))
    match = best(memory, "第1234号患者的中位无进展生存期为1234.6个月。")
    assert match.unit.target == "Patient 1234: 1234.5 months."
    assert match.old_numbers == ("1234.5",)


STAMPS: dict[tuple[str, str, str], frozenset[str]] = {}


def approved(entry: Entry) -> Entry:
    """The entry with a real approval comment, whose record is in ``LEDGER``."""
    stamp = Approval(by="li", at="2025-01-01T00:00:00Z", sha256=content_hash(entry))
    STAMPS[(stamp.by, stamp.at, stamp.sha256)] = frozenset({entry.msgctxt or ""})
    return entry.replace(translator_comments=(format_approval(stamp),))


def review_rule(entry: Entry) -> bool:
    """Review's one definition, as a feeding command passes it to the memory."""
    return is_approved(entry, Ledger(stamps=STAMPS))


def test_feeding_a_catalog_keeps_translated_entries_only(memory: TranslationMemory) -> None:
    catalog = Catalog(entries=[
        approved(Entry(msgctxt="s-1", msgid="甲。", msgstr="A.")),
        Entry(msgctxt="s-2", msgid="乙。", msgstr="B."),
        Entry(msgctxt="s-3", msgid="丙。", msgstr="C?", flags=("fuzzy",)),
        Entry(msgctxt="s-4", msgid="丁。"),
        Entry(msgctxt="s-5", msgid="戊。", msgstr="E.", obsolete=True),
    ])
    assert memory.feed_catalog(catalog, origin="art", source_locale=ZH, target_locale=EN,
                               is_approved=review_rule) == 2
    assert {(u.source, u.status) for u in memory.units()} == {
        ("甲。", "approved"), ("乙。", "translated")}
    memory.feed_catalog(Catalog(), origin="art", source_locale=ZH, target_locale=EN)
    assert list(memory.units()) == []


def test_without_review_rule_nothing_is_ranked_approved(memory: TranslationMemory) -> None:
    catalog = Catalog(entries=[approved(Entry(msgctxt="s-1", msgid="甲。", msgstr="A."))])
    memory.feed_catalog(catalog, origin="art", source_locale=ZH, target_locale=EN)
    assert [u.status for u in memory.units()] == ["translated"]


def test_an_approval_that_no_longer_matches_the_text_is_not_ranked_approved(
    memory: TranslationMemory,
) -> None:
    entry = approved(Entry(msgctxt="s-1", msgid="甲。", msgstr="A."))
    catalog = Catalog(entries=[entry.replace(msgstr="A!"),
                               approved(Entry(msgctxt="s-2", msgid="乙。", msgstr="B.")).with_flag(
                                   "fuzzy")])
    memory.feed_catalog(catalog, origin="art", source_locale=ZH, target_locale=EN,
                        is_approved=review_rule)
    assert [(u.source, u.status) for u in memory.units()] == [("甲。", "translated")]


def write_catalog(root: Path, slug: str, entries: list[Entry], locale: str = EN) -> Path:
    path = root / "locales" / locale / "LC_MESSAGES" / f"{slug}.po"
    write_po_file(path, Catalog(metadata={"Content-Type": "text/plain; charset=UTF-8",
                                          "Language": locale}, entries=entries))
    return path


def test_sync_rereads_only_changed_catalogs_and_forgets_deleted_ones(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    first = write_catalog(tmp_path, "one", [Entry(msgctxt="s-1", msgid="甲。", msgstr="A.")])
    write_catalog(tmp_path, "two", [Entry(msgctxt="s-2", msgid="乙。", msgstr="B.")])
    with TranslationMemory(tmp_path / ".pipeline" / "tm.sqlite") as memory:
        assert sync_catalogs(memory, config) == 2
        assert sync_catalogs(memory, config) == 0
        write_catalog(tmp_path, "two", [Entry(msgctxt="s-2", msgid="乙。", msgstr="Bee.")])
        assert sync_catalogs(memory, config) == 1
        first.unlink()
        sync_catalogs(memory, config)
        assert [(u.origin, u.target) for u in memory.units()] == [("two", "Bee.")]


def test_a_damaged_database_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(Exception) as caught:
        TranslationMemory(path)
    assert "pipeline tm rebuild" in str(caught.value)


# --- TMX ---------------------------------------------------------------------------------


def test_tmx_export_uses_bcp47_and_round_trips(memory: TranslationMemory, tmp_path: Path) -> None:
    memory.add([unit("颅内客观缓解率为90.8%。", "ORR 90.8%.", changed="2025-02-03T04:05:06Z")])
    path = tmp_path / "out.tmx"
    assert memory.export_tmx(path, source_locale=ZH) == 1
    root = ET.parse(path).getroot()
    assert root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "zh-Hans"
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")]
    assert langs == ["zh-Hans", "en"]
    assert root.find("body/tu").get("creationdate") == "20250203T040506Z"
    with TranslationMemory(":memory:") as other:
        result = other.import_tmx(path, source_locale=ZH, target_locales=[EN])
        assert result.total == 1
        [imported] = other.units()
        assert (imported.source, imported.target, imported.status) == (
            "颅内客观缓解率为90.8%。", "ORR 90.8%.", "approved")
        assert imported.origin == "tmx:out.tmx"
        assert imported.changed == "2025-02-03T04:05:06Z"


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    min_size=1, max_size=40,
).filter(lambda s: s.strip() == s and s)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5, unique_by=lambda p: p[0]))
def test_tmx_round_trip_keeps_every_text(tmp_path: Path, pairs: list[tuple[str, str]]) -> None:
    with TranslationMemory(":memory:") as source_memory, TranslationMemory(":memory:") as copy:
        source_memory.add([unit(s, t) for s, t in pairs])
        path = tmp_path / "round.tmx"
        source_memory.export_tmx(path, source_locale=ZH)
        copy.import_tmx(path, source_locale=ZH, target_locales=[EN])
        assert sorted((u.source, u.target) for u in copy.units()) == sorted(pairs)


def test_tmx_import_matches_languages_by_bcp47_and_drops_inline_codes(
    memory: TranslationMemory, tmp_path: Path
) -> None:
    path = tmp_path / "cat.tmx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN" segtype="sentence" datatype="plaintext"
 adminlang="en" creationtool="x" creationtoolversion="1" o-tmf="x"/><body>
<tu><tuv xml:lang="zh-CN">
  <seg>每天<bpt i="1">&lt;b&gt;</bpt>两次<ept i="1">&lt;/b&gt;</ept>。</seg></tuv>
    <tuv xml:lang="en-US"><seg>Twice <hi>a</hi> day.</seg></tuv></tu>
<tu><tuv xml:lang="zh-TW"><seg>每天兩次。</seg></tuv>
    <tuv xml:lang="en"><seg>Twice.</seg></tuv></tu>
<tu><tuv xml:lang="zh-Hans"><seg>只有中文。</seg></tuv>
    <tuv xml:lang="fr"><seg>Français.</seg></tuv></tu>
</body></tmx>""",
        encoding="utf-8",
    )
    result = memory.import_tmx(path, source_locale=ZH, target_locales=[EN])
    assert (result.total, result.skipped) == (1, 2)
    [imported] = memory.units()
    assert (imported.source, imported.target, imported.status) == (
        "每天两次。", "Twice a day.", "imported")
    # Importing the same file again replaces its units rather than doubling them.
    memory.import_tmx(path, source_locale=ZH, target_locales=[EN])
    assert len(list(memory.units())) == 1


def test_malformed_tmx_is_an_input_error_with_a_line(
    memory: TranslationMemory, tmp_path: Path
) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text('<?xml version="1.0"?>\n<tmx version="1.4">\n<body><tu></body></tmx>\n')
    with pytest.raises(InputError) as caught:
        memory.import_tmx(path, source_locale=ZH, target_locales=[EN])
    assert caught.value.path == str(path)
    assert caught.value.line == 3
    other = tmp_path / "other.xml"
    other.write_text("<html/>")
    with pytest.raises(InputError, match="not a TMX file"):
        memory.import_tmx(other, source_locale=ZH, target_locales=[EN])


@pytest.mark.parametrize(("locale", "tag"), [("zh_Hans", "zh-Hans"), ("en", "en"),
                                             ("pt_BR", "pt-BR"), ("zh_Hant_TW", "zh-Hant-TW")])
def test_bcp47(locale: str, tag: str) -> None:
    assert bcp47(locale) == tag


# --- the tm commands ---------------------------------------------------------------------


def test_tm_commands_export_import_rebuild_and_stats(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from support.cli import main

    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n'
    )
    write_catalog(tmp_path, "one", [Entry(msgctxt="s-1", msgid="甲。", msgstr="A.")])

    def run(*args: str):
        return CliRunner().invoke(main, ["-C", str(tmp_path), "tm", *args])

    exported = run("export", str(tmp_path / "out.tmx"))
    assert exported.exit_code == 0, exported.output
    assert "wrote 1 translation units" in exported.output
    imported = run("import", str(tmp_path / "out.tmx"))
    assert imported.exit_code == 0, imported.output
    assert "imported 1 units (1 en); 0 skipped" in imported.output
    rebuilt = run("rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "rebuilt from 1 catalogs: 2 units" in rebuilt.output
    stats = run("stats")
    assert stats.exit_code == 0, stats.output
    # The catalog's unit and its TMX copy (which keeps its x-status).
    assert "zh_Hans → en: 2 translated units from 2 origins" in stats.output

    (tmp_path / "bad.tmx").write_text("<html><body/></html>", encoding="utf-8")
    refused = run("import", str(tmp_path / "bad.tmx"))
    assert refused.exit_code == 2
    assert "not a TMX file (no <tmx><body>)" in refused.output


def test_a_rebuild_that_meets_a_malformed_catalog_changes_nothing(tmp_path: Path) -> None:
    # Issue 9, item 5: rebuild emptied the memory (45 units to 0), then failed on one file.
    from click.testing import CliRunner
    from support.cli import main

    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n'
    )
    for article in range(3):
        write_catalog(tmp_path, f"article-{article}", [
            Entry(msgctxt=f"s-{n}", msgid=f"第{article}篇第{n}句。",
                  msgstr=f"Article {article}, {n}.")
            for n in range(15)
        ])
    database = tmp_path / ".pipeline" / "tm.sqlite"
    rebuilt = CliRunner().invoke(main, ["-C", str(tmp_path), "tm", "rebuild"])
    assert rebuilt.output == "translation memory rebuilt from 3 catalogs: 45 units\n"
    before = database.read_bytes()
    broken = tmp_path / "locales" / "en" / "LC_MESSAGES" / "article-2.po"
    broken.write_text(broken.read_text(encoding="utf-8") + 'msgid "unterminated\n')

    refused = CliRunner().invoke(main, ["-C", str(tmp_path), "tm", "rebuild"])

    assert refused.exit_code == 2
    assert refused.stderr.startswith("locales/en/LC_MESSAGES/article-2.po:")
    assert database.read_bytes() == before
    with TranslationMemory(database) as memory:
        assert len(list(memory.units())) == 45
