"""``pipeline check`` at scale: 100 catalogs of 1,000 zh->en entries each.

Builds a temporary project (the repository's glossary.yaml, one target locale ``en``) whose
catalogs hold realistic medical sentence pairs about NTRK fusions and TRK inhibitors: about
85% correct translations, the rest seeded with the defects the checks exist for (a wrong
percentage, a dropped range end, an altered mutation, a forbidden or missing term, a dropped
placeholder, leftover Chinese, a lost negation); a tenth of the entries are fuzzy drafts and
a few are untranslated. Then it times :func:`pipeline.checks.run.check_project` over the project
(reading, every check, the cross-catalog consistency pass) and prints entries per second.

The machine is shared, so wall time says little: the figures that count are the CPU time per
checked entry (this process and its workers, from ``os.times``) and what it makes on two
cores (``2 / CPU per entry``). The same project is checked twice, first without the checks
that read meaning (:data:`MEANING_CHECKS`, issue 12) and then with every check, so that the
two figures sit side by side under the same load. Entries count only when checked
(untranslated ones are not).

    python bench/bench_check.py [--catalogs 100] [--entries 1000] [--workers N] [--seed 1]
                                [--no-baseline]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.checks import CHECKS  # noqa: E402
from pipeline.checks.run import CheckReport, check_project  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.po.catalog import Catalog, Entry  # noqa: E402
from pipeline.po.write import generate_po  # noqa: E402
from pipeline.segments import segment_id  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

#: The checks that read meaning (issue 12), left out of the baseline run.
MEANING_CHECKS = ("quantities", "contrast", "coverage", "alternatives", "list-items")
TARGET = 10_000  # checked entries per second on two cores

DRUGS = [
    ("拉罗替尼", "larotrectinib"),
    ("恩曲替尼", "entrectinib"),
    ("瑞普替尼", "repotrectinib"),
    ("塞利替尼", "selitrectinib"),
    ("他雷替尼", "taletrectinib"),
]
TUMOURS = [
    ("非小细胞肺癌", "non-small cell lung cancer"),
    ("婴儿纤维肉瘤", "infantile fibrosarcoma"),
    ("分泌性乳腺癌", "secretory breast carcinoma"),
    ("甲状腺癌", "thyroid cancer"),
    ("结直肠癌", "colorectal cancer"),
    ("软组织肉瘤", "soft tissue sarcoma"),
]
MUTATIONS = ["G595R", "G667C", "F589L", "G623R", "G639R", "F617L"]

# (Chinese, English) with fields: {n} patients, {p}/{q} percentages, {k} a small count,
# {d}/{D} a drug, {t}/{T} a tumour, {m} a mutation, {w} a week number.
PAIRS = [
    (
        "在{n}例{t}患者中，{d}的客观缓解率为{p}%。",
        "In {n} patients with {T}, the objective response rate of {D} was {p}%.",
    ),
    (
        "大多数不良事件为1-2级，只有{q}%的患者因不良事件永久停药。",
        "Most adverse events were Grade 1-2; only {q}% of patients stopped treatment "
        "permanently because of an adverse event.",
    ),
    (
        "对于携带TRKA {m}突变的患者，{d}的抑制活性可达拉罗替尼的{k}倍。",
        "Against the TRKA {m} mutation, {D} was up to {k}-fold as active as larotrectinib.",
    ),
    (
        "第二代TRK抑制剂的颅内客观缓解率为{p}%，疾病控制率为{q}%。",
        "The intracranial objective response rate of the second-generation TRK inhibitor was "
        "{p}% and the disease control rate {q}%.",
    ),
    (
        "未经TRK抑制剂治疗的患者中，有{n}例达到<1>完全缓解</1>。",
        "Among patients not previously treated with a TRK inhibitor, {n} achieved a "
        "<1>complete response</1>.",
    ),
    (
        "三期临床试验共纳入{n}名{t}患者，中位随访时间为{w}周。",
        "The Phase 3 trial enrolled {n} patients with {T}; the median follow-up was {w} weeks.",
    ),
    (
        "请勿自行停药或更改剂量！如出现头晕，应及时告知医生。",
        "Do not stop taking the medicine or change the dose yourself! If you feel dizziness, "
        "tell your doctor promptly.",
    ),
    (
        "NTRK融合在{t}中的发生率约为{q}%，但在婴儿纤维肉瘤中可超过{p}%。",
        "NTRK fusions occur in about {q}% of {T} cases, but in more than {p}% of infantile "
        "fibrosarcoma cases.",
    ),
    (
        "{d}获得美国食品药品监督管理局的加速批准，用于{t}患者。",
        "{D} received accelerated approval from the US Food and Drug Administration for "
        "patients with {T}.",
    ),
    (
        "两种药物均能穿透血脑屏障，详见<2/>。",
        "Both drugs cross the blood-brain barrier; see <2/>.",
    ),
    (
        "{w}个月后，{q}%的患者出现获得性耐药，最常见的是{m}等溶剂前沿突变。",
        "After {w} months, {q}% of patients developed acquired resistance, most often "
        "solvent-front mutations such as {m}.",
    ),
    (
        "1. 克服溶剂前沿突变和守门员突变；",
        "1. Overcome solvent-front mutations and gatekeeper mutations;",
    ),
]


def _fill(rng: random.Random) -> dict[str, object]:
    drug, drug_en = rng.choice(DRUGS)
    tumour, tumour_en = rng.choice(TUMOURS)
    return {
        "n": rng.randint(12, 1500),
        "p": f"{rng.randint(50, 99)}.{rng.randint(1, 9)}",
        "q": f"{rng.randint(0, 9)}.{rng.randint(1, 9)}{rng.randint(1, 9)}",
        "k": rng.randint(2, 300),
        "w": rng.randint(3, 48),
        "m": rng.choice(MUTATIONS),
        "d": drug,
        "D": drug_en,
        "t": tumour,
        "T": tumour_en,
    }


def _defect(rng: random.Random, source: str, translation: str, fields: dict[str, object]) -> str:
    """One realistic mistake, as a translator or an MT engine makes it."""
    choices = [
        lambda: translation.replace(str(fields["p"]), str(fields["p"])[::-1], 1),
        lambda: translation.replace("Grade 1-2", "Grade 1"),
        lambda: translation.replace(str(fields["m"]), str(fields["m"])[0] + "959R"),
        lambda: translation.replace("adverse event", "side effect"),
        lambda: translation.replace("<2/>", "").replace("<1>", "").replace("</1>", ""),
        lambda: translation.replace("patients", "患者", 1),
        lambda: translation.replace("not ", "", 1).replace("Do not", "Do"),
        lambda: translation.replace("objective response rate", "response", 1),
    ]
    for _ in range(8):
        changed = rng.choice(choices)()
        if changed != translation:
            return changed
    return translation + " " + translation  # length and repeated text


def build_catalog(rng: random.Random, size: int) -> Catalog:
    entries: list[Entry] = []
    seen: set[str] = set()
    while len(entries) < size:
        source_pattern, target_pattern = rng.choice(PAIRS)
        fields = _fill(rng)
        source = source_pattern.format(**fields)
        if source in seen:
            continue
        seen.add(source)
        translation = target_pattern.format(**fields)
        translation = translation[0].upper() + translation[1:]
        roll = rng.random()
        flags: tuple[str, ...] = ()
        if roll < 0.03:
            translation = ""
        elif roll < 0.13:
            flags = ("fuzzy",)
        if translation and rng.random() < 0.15:
            translation = _defect(rng, source, translation, fields)
        entries.append(
            Entry(
                msgctxt=segment_id(source),
                msgid=source,
                msgstr=translation,
                flags=flags if translation else (),
                references=(f"sources/bench:{len(entries) + 1}",),
                extracted_comments=("paragraph",),
            )
        )
    return Catalog(
        metadata={
            "Project-Id-Version": "bench",
            "Language": "en",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        },
        entries=entries,
    )


def build_project(root: Path, *, catalogs: int, entries: int, seed: int) -> None:
    rng = random.Random(seed)
    (root / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n',
        encoding="utf-8",
    )
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    directory = root / "locales" / "en" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    for index in range(catalogs):
        catalog = build_catalog(rng, entries)
        (directory / f"article-{index:03d}.po").write_text(generate_po(catalog), "utf-8")


@contextlib.contextmanager
def without_checks(names: tuple[str, ...]) -> Iterator[None]:
    """The registry without ``names`` for the duration (forked workers inherit it)."""
    saved = dict(CHECKS)
    for name in names:
        CHECKS.pop(name, None)
    try:
        yield
    finally:
        CHECKS.clear()
        CHECKS.update(saved)


def timed_check(root: Path, workers: int | None) -> tuple[CheckReport, float, float]:
    """check_project on the project: the report, wall seconds, CPU seconds (workers too)."""
    config = load_config(root)
    before = os.times()
    started = time.perf_counter()
    report = check_project(config, workers=workers)
    elapsed = time.perf_counter() - started
    after = os.times()
    cpu = sum(
        getattr(after, name) - getattr(before, name)
        for name in ("user", "system", "children_user", "children_system")
    )
    return report, elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogs", type=int, default=100)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-baseline",
        dest="baseline",
        action="store_false",
        help="skip the run without the meaning checks",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as directory:
        root = Path(directory)
        started = time.perf_counter()
        build_project(root, catalogs=options.catalogs, entries=options.entries, seed=options.seed)
        print(
            f"generated {options.catalogs} x {options.entries} entries "
            f"in {time.perf_counter() - started:.1f} s"
        )
        runs: list[tuple[str, CheckReport, float, float]] = []
        if options.baseline:
            with without_checks(MEANING_CHECKS):
                runs.append(("without the meaning checks", *timed_check(root, options.workers)))
        runs.append(("every check", *timed_check(root, options.workers)))
    total = options.catalogs * options.entries
    report = runs[-1][1]
    checked = report.summary()["entries_checked"]  # untranslated entries are not checked
    print(f"{total:,} entries, {checked:,} checked (untranslated entries are not counted)")
    print(
        f"{'checks':<28} {'wall s':>7} {'entries/s':>10} {'CPU s':>7} {'CPU us/entry':>13} "
        f"{'entries/s on 2 cores':>21}"
    )
    for label, _, elapsed, cpu in runs:
        per_entry = cpu / checked
        print(
            f"{label:<28} {elapsed:>7.2f} {checked / elapsed:>10,.0f} {cpu:>7.2f} "
            f"{per_entry * 1e6:>13.0f} {2 / per_entry:>21,.0f}"
        )
    print(
        f"target: >= {TARGET:,} checked entries/s on 2 cores, i.e. <= {2e6 / TARGET:.0f} us "
        "of CPU per checked entry; 'entries/s on 2 cores' assumes both cores busy with this "
        "work alone"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.2f} (other work slows the figures)")
    by_check = Counter(finding.check for finding in report.findings)
    print(report.summary_line())
    print(
        "findings by check: "
        + ", ".join(f"{name} {count}" for name, count in by_check.most_common())
    )


if __name__ == "__main__":
    main()
