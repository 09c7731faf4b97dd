"""How the ``length`` check's zh->en band was derived: the length ratio on correct pairs.

Reads every correct zh->en pair the project has (tests/data/meaning/paraphrases.yaml, the
correct side of tests/data/meaning/defects.yaml, the correct example article), computes the
ratio the ``length`` check uses (translation length over 3 x CJK characters + other
characters of the source), and prints its distribution, the mean and standard deviation of
its logarithm, the band mean -3.1 sd .. mean +3.5 sd, and the ratios of the omission cases
(a clause or list item dropped) against that band.

    python bench/calibrate_length.py
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.meaning_eval import load_cases, run_article, run_paraphrases  # noqa: E402

from pipeline.checks.text import _LENGTH_BANDS, _MIN_SOURCE_LENGTH, _length, length_ratio  # noqa: E402


def main() -> None:
    pairs = [(p.source, p.translation) for p in run_paraphrases() + run_article()]
    pairs += [(case.source, case.good) for case in load_cases()]
    ratios = sorted(
        length_ratio(source, translation, True, False)
        for source, translation in pairs
        if _length(source) >= _MIN_SOURCE_LENGTH
    )
    logs = [math.log(ratio) for ratio in ratios]
    mean, sd = statistics.mean(logs), statistics.stdev(logs)

    def at(share: float) -> float:
        return ratios[min(len(ratios) - 1, int(share * len(ratios)))]

    print(f"{len(ratios)} correct zh->en pairs (source of {_MIN_SOURCE_LENGTH}+ characters)")
    print(
        f"ratio: min {ratios[0]:.2f}  p2 {at(0.02):.2f}  p5 {at(0.05):.2f}  median "
        f"{at(0.5):.2f}  p95 {at(0.95):.2f}  max {ratios[-1]:.2f}"
    )
    print(f"log ratio: mean {mean:.3f}, sd {sd:.3f}")
    print(
        f"derived band: {math.exp(mean - 3.1 * sd):.2f} .. {math.exp(mean + 3.5 * sd):.2f} "
        f"(the check uses {_LENGTH_BANDS[(True, False)][0]:.2f} .. "
        f"{_LENGTH_BANDS[(True, False)][1]:.2f})"
    )
    low = _LENGTH_BANDS[(True, False)][0]
    print("omission cases (bad side):")
    for case in load_cases():
        if case.category == "omissions":
            ratio = length_ratio(case.source, case.bad, True, False)
            print(f"  {case.id}: {ratio:.2f} {'flagged' if ratio < low else ''}")


if __name__ == "__main__":
    main()
