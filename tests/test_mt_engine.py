"""The Translator interface: the fake engine and pivoting."""

from __future__ import annotations

from pipeline.mt import FakeTranslator, PivotTranslator, Translator


def test_fake_translator_is_a_translator_and_records_calls() -> None:
    engine = FakeTranslator()
    assert isinstance(engine, Translator)
    assert engine.translate_batch(["甲。", "乙。"]) == ["[en] 甲。", "[en] 乙。"]
    assert engine.calls == [["甲。", "乙。"]]


def test_pivot_chains_two_engines_in_one_batch_each() -> None:
    first = FakeTranslator(name="argos zh→en", version="1.9", translate=lambda s: f"en({s})")
    second = FakeTranslator(name="argos en→ko", version="1.1", translate=lambda s: f"ko({s})")
    pivot = PivotTranslator(first=first, second=second)
    assert isinstance(pivot, Translator)
    assert pivot.translate_batch(["甲", "乙", "丙"]) == ["ko(en(甲))", "ko(en(乙))", "ko(en(丙))"]
    assert (len(first.calls), len(second.calls)) == (1, 1)
    assert pivot.name == "argos zh→en + argos en→ko"
    assert pivot.version == "1.9+1.1"


def test_pivot_progress_adds_up_to_the_number_of_sentences() -> None:
    pivot = PivotTranslator(first=FakeTranslator(), second=FakeTranslator())
    reported: list[int] = []
    pivot.translate_batch(["a", "b", "c"], progress=reported.append)
    assert sum(reported) == 3
