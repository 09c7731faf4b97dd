"""Quantities read whole (number, unit, qualifier, kind) and the ``quantities`` check, on real
zh->en sentences: the defects a reviser catches and the paraphrases a reviser accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.checks import CheckContext, check_entry
from pipeline.glossary import load_glossary
from pipeline.tokens.quantities import read_quantities

ZH_EN = CheckContext(source_locale="zh_Hans", target_locale="en")


def findings(source: str, translation: str) -> list[tuple[str, str, str]]:
    return [
        (finding.check, finding.severity, finding.message)
        for finding in check_entry(source, translation, ZH_EN, only=["numbers", "quantities"])
    ]


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("约60%的患者在36个月以上获益", "zh_Hans", ["about 60 percent", "more than 36 months"]),
        ("抑制活性可达拉罗替尼的285倍", "zh_Hans", ["up to 285 fold"]),
        ("百分之八十九点一的患者", "zh_Hans", ["89.1 percent"]),
        ("九成患者", "zh_Hans", ["90 percent"]),
        ("不到5%的患者", "zh_Hans", ["less than 5 percent"]),
        ("每日剂量不超过200毫克", "zh_Hans", ["at most 200 mg"]),
        ("儿童剂量为每平方米100毫克", "zh_Hans", ["100 mg/m²"]),
        ("共有10余例患者", "zh_Hans", ["more than 10"]),
        ("两年内", "zh_Hans", ["at most 2 years"]),
        ("1-2级不良事件", "zh_Hans", ["1", "2"]),
        ("约10%-20%的患者", "zh_Hans", ["about 10 percent", "about 20 percent"]),
        ("2023年5月3日", "zh_Hans", ["2023", "5", "3"]),  # a date: no duration
        ("近期3个月", "zh_Hans", ["3 months"]),  # 近期 "recently" is no qualifier
        ("近5年来", "zh_Hans", ["5 years"]),  # "the past 5 years", not "nearly"
        ("2项多中心研究", "zh_Hans", ["2"]),  # "two multicentre studies"
        ("about 10-20% of patients", "en", ["about 10 percent", "about 20 percent"]),
        ("patients aged 18 years or older", "en", ["at least 18 years"]),
        ("between 12 and 18 months", "en", ["12 months", "18 months"]),
        ("no more than 5% of patients", "en", ["at most 5 percent"]),
        ("a 285-fold increase", "en", ["285 fold"]),
        ("three times higher", "en", ["3 fold"]),
        # "a day": one day, which only a unit conversion pairs (7天 = "a week").
        ("three times a day", "en", ["3 times", "1 days"]),
        ("3级以上不良事件", "zh_Hans", ["more than 3"]),  # a rank between number and 以上
        ("100 mg per square metre", "en", ["100 mg/m²"]),
        ("within two years", "en", ["at most 2 years"]),
        ("1.5 × 10^9/L", "en", ["1.5", "1000000000"]),  # × before a power: no multiplier
    ],
)
def test_quantities_are_read_with_unit_and_qualifier(
    text: str, locale: str, expected: list[str]
) -> None:
    assert [quantity.describe() for quantity in read_quantities(text, locale)] == expected


@pytest.mark.parametrize(
    ("source", "translation", "expected"),
    [
        # 285倍 is a multiplier, 285% a percentage: the bug of issue 12.
        (
            "抑制活性可达拉罗替尼的285倍。",
            "The inhibitory activity was up to 285% that of larotrectinib.",
            [
                (
                    "quantities",
                    "error",
                    "source has 可达拉罗替尼的285倍 (a multiplier), translation has "
                    "up to 285% (a percentage)",
                )
            ],
        ),
        (
            "不良事件发生率为12%。",
            "Adverse events occurred 12-fold more often.",
            [
                (
                    "numbers",
                    "error",
                    "source has the percentage 12%, translation has no percent sign or word",
                ),
                (
                    "quantities",
                    "error",
                    "source has 12% (a percentage), translation has 12-fold (a multiplier)",
                ),
            ],
        ),
        (
            "NTRK融合在常见实体瘤中的总体发生率约为0.3%。",
            "Overall, NTRK fusions occur in 0.3% of common solid tumours.",
            [
                (
                    "quantities",
                    "error",
                    'source has 约为0.3% ("about"), translation has 0.3% without a qualifier',
                )
            ],
        ),
        (
            "至少12名患者出现疾病进展。",
            "At most 12 patients had disease progression.",
            [
                (
                    "quantities",
                    "error",
                    'source has 至少12名 ("at least"), translation has At most 12 ("at most")',
                )
            ],
        ),
        (
            "缓解率为89.1%。",
            "The response rate was about 89.1%.",
            [
                (
                    "quantities",
                    "error",
                    'translation has about 89.1% ("about"), source has 89.1% without a qualifier',
                )
            ],
        ),
        (
            "中位无进展生存期为24个月。",
            "The median progression-free survival was 24 weeks.",
            [
                (
                    "quantities",
                    "error",
                    "source has 24个月 (months), translation has 24 weeks (weeks): the unit "
                    "changed",
                )
            ],
        ),
        (
            "推荐剂量为每次100毫克。",
            "The recommended dose is 100 g each time.",
            [
                (
                    "quantities",
                    "error",
                    "source has 100毫克 (mg), translation has 100 g (g): the unit changed",
                )
            ],
        ),
        (
            "缓解率提高了5个百分点。",
            "The response rate rose by 5%.",
            [
                (
                    "quantities",
                    "error",
                    "source has 5个百分点 (a percentage point), translation has 5% (a percentage)",
                )
            ],
        ),
        # A unit after an adjective ("28 consecutive days") is still the number's unit.
        (
            "患者需连续服药28天。",
            "Patients take the drug for 28 consecutive weeks.",
            [
                (
                    "quantities",
                    "error",
                    "source has 28天 (days), translation has 28 consecutive weeks (weeks): the "
                    "unit changed",
                )
            ],
        ),
        # A qualifier written as a symbol is exact: ≥3 is "3 or higher", not "more than 3".
        (
            "≥3级不良事件发生率为10%。",
            "The rate of grade >3 adverse events was 10%.",
            [
                (
                    "quantities",
                    "error",
                    'source has ≥3 ("at least"), translation has >3 ("more than")',
                )
            ],
        ),
        (
            "一年后复查。",
            "A follow-up visit after a month.",
            [
                (
                    "quantities",
                    "error",
                    "source has 一年 (years), translation has a month (months): the unit changed",
                )
            ],
        ),
        # Lengths, temperatures, concentrations and seconds are units too.
        (
            "肿瘤直径为2厘米。",
            "The tumour was 2 mm in diameter.",
            [
                (
                    "quantities",
                    "error",
                    "source has 2厘米 (cm), translation has 2 mm (mm): the unit "
                    "changed",
                )
            ],
        ),
        (
            "体温超过38.5℃时应就医。",
            "Seek medical care if your temperature exceeds 38.5°F.",
            [
                (
                    "quantities",
                    "error",
                    "source has 超过38.5℃ (°C), translation has exceeds 38.5°F "
                    "(°F): the unit changed",
                )
            ],
        ),
        (
            "血药浓度为5 ng/mL。",
            "The plasma concentration was 5 mg/mL.",
            [
                (
                    "quantities",
                    "error",
                    "source has 5 ng/mL (ng/mL), translation has 5 mg/mL "
                    "(mg/mL): the unit changed",
                )
            ],
        ),
        (
            "血肌酐升高至2 mg/dL。",
            "Serum creatinine rose to 2 mmol/L.",
            [
                (
                    "quantities",
                    "error",
                    "source has 2 mg/dL (mg/dL), translation has 2 mmol/L "
                    "(mmol/L): the unit changed",
                )
            ],
        ),
        (
            "输液时间约30分钟。",
            "The infusion takes about 30 seconds.",
            [
                (
                    "quantities",
                    "error",
                    "source has 约30分钟 (minutes), translation has about 30 "
                    "seconds (seconds): the unit changed",
                )
            ],
        ),
        # A fraction's qualifier is the whole fraction's.
        (
            "不到三分之一的患者获益。",
            "About one in three patients benefited.",
            [
                (
                    "quantities",
                    "error",
                    'source has 不到三 ("less than"), translation has three ("about")',
                ),
                (
                    "quantities",
                    "error",
                    'source has 一 ("less than"), translation has About one ("about")',
                ),
            ],
        ),
        # A conversion that is not exact is still a changed number.
        (
            "中位随访时间为36个月。",
            "Median follow-up was four years.",
            [("numbers", "error", "source has 36, translation has 4 (four)")],
        ),
    ],
)
def test_a_changed_qualifier_unit_or_kind_is_an_error(
    source: str, translation: str, expected: list[tuple[str, str, str]]
) -> None:
    assert findings(source, translation) == expected


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("中位随访时间为36个月。", "Median follow-up was three years."),
        ("每日剂量为0.5克。", "The daily dose is 500 mg."),
        ("治疗两周后复查。", "Patients are re-examined after 14 days of treatment."),
        ("多数不良事件在48小时内缓解。", "Most adverse events resolved within two days."),
        ("中位总生存期为3年。", "The median overall survival was 36 months."),
        ("每片含500毫克活性成分。", "Each tablet contains 0.5 g of the active ingredient."),
        ("本研究纳入了18岁以上的成人患者。", "The study enrolled adults aged 18 years or older."),
        ("约10%-20%的患者出现头晕。", "Roughly 10-20% of patients experienced dizziness."),
        ("随访时间超过24周。", "Follow-up exceeded 24 weeks."),
        ("不到一半的患者需要减量。", "Less than half of the patients needed a dose reduction."),
        ("近90%的患者肿瘤缩小。", "Tumours shrank in nearly 90 per cent of patients."),
        ("共有10余例患者出现皮疹。", "Over 10 patients developed a rash."),
        ("85岁以上的患者应慎用。", "Use with caution in patients older than 85."),
        ("抑制活性可达拉罗替尼的285倍。", "The inhibitory activity was up to 285-fold."),
        # An ordinal takes no qualifier: "up to" is the 285-fold's, not the first generation's.
        (
            "对某些耐药突变的抑制作用最高可达第一代药物的285倍。",
            "Against certain resistance mutations its inhibitory effect is up to 285-fold "
            "that of first-generation drugs.",
        ),
        ("推荐剂量为每次100毫克，每日两次。", "The recommended dose is 100 mg twice daily."),
        ("每日服药3次。", "The medicine is taken 3 times a day."),
        ("随访12个月。", "Patients were followed over 12 months."),  # "over": time, no bound
        ("患者的平均年龄为45岁。", "The patients' mean age was 45 years."),
        ("剂量不超过每平方米100毫克。", "The dose must not exceed 100 mg/m²."),
        ("近5年来，共开展了2项多中心研究。", "Two multicentre studies ran in the past 5 years."),
        ("约三分之一的患者出现头晕。", "Roughly one in three patients had dizziness."),
        ("约三分之一的患者出现头晕。", "About one third of patients had dizziness."),
        ("约三分之一的患者出现头晕。", "About 1/3 of patients had dizziness."),
        ("约三分之一的患者出现头晕。", "About a third of patients had dizziness."),
        ("患者需连续服药28天。", "Patients take the drug for 28 consecutive days."),
        ("患者需连续服药28天。", "Patients take the drug for four weeks."),
        ("再治疗6个月。", "Treatment continues for 6 more months."),
        ("3级以上不良事件发生率为10%。", "Grade 3 or higher adverse events occurred in 10%."),
        ("≥3级不良事件发生率为10%。", "Grade 3 or higher adverse events occurred in 10%."),
        ("治疗持续了12个月。", "Treatment lasted a year."),
        ("每7天服药一次。", "Take it once a week."),
        ("每天服药一次。", "Take it once a day."),
        ("肿瘤直径为2厘米。", "The tumour was 20 mm in diameter."),
        ("体温超过38.5℃时应就医。", "Seek medical care if your temperature exceeds 38.5 °C."),
        ("血红蛋白为1 g/L。", "Haemoglobin was 100 mg/dL."),
        ("血压高于140/90 mmHg。", "Blood pressure above 140/90 mm Hg."),
        ("输液时间约30分钟。", "The infusion takes about half an hour."),
        ("半小时后服药。", "Take it 30 minutes later."),
    ],
)
def test_paraphrases_and_unit_conversions_pass(source: str, translation: str) -> None:
    assert findings(source, translation) == []


REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("The Phase 3 trial enrolled 55 patients.", []),
        (
            "The Phase III trial enrolled 55 patients.",
            [
                "numbers: source has 3 (三), missing from the translation; the house style "
                "writes trial phases in Arabic figures (Phase 3, Phase 1/2)",
                'glossary: source has 三期临床试验, translation lacks "Phase 3 trial" '
                '(or "Phase 3 clinical trial")',
                'forbidden: translation uses "Phase III trial", forbidden for 三期临床试验; '
                'use "Phase 3 trial"',
            ],
        ),
    ],
)
def test_one_house_rule_for_trial_phases_in_the_glossary_and_numbers_checks(
    translation: str, expected: list[str]
) -> None:
    """三期临床试验 is "Phase 3 trial" (glossary.yaml forbids "Phase III trial"), and the
    numbers check reads no number in "Phase III": both checks follow the same rule."""
    glossary = load_glossary(REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"])
    ctx = CheckContext(source_locale="zh_Hans", target_locale="en", glossary=glossary)
    found = check_entry(
        "三期临床试验纳入了55例患者。", translation, ctx, only=["numbers", "glossary", "forbidden"]
    )
    assert [f"{finding.check}: {finding.message}" for finding in found] == expected
