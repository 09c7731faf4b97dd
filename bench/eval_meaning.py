"""Catch rates of ``pipeline check`` on the meaning evaluation sets, per category.

Runs every check (as ``pipeline check`` does, with the repository's glossary.yaml and the
packaged contrast lexicon) over tests/data/meaning/defects.yaml (single-defect zh->en cases),
tests/data/meaning/paraphrases.yaml (correct translations that read differently) and the
correct example article, and prints: caught / total per category and overall, the false
errors and warnings on the paraphrases, on the correct side of each case and on the article.

    python bench/eval_meaning.py [--missed] [--findings]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.meaning_eval import (  # noqa: E402
    rates_by_category,
    run_article,
    run_cases,
    run_paraphrases,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missed", action="store_true", help="list the defects not caught")
    parser.add_argument("--findings", action="store_true", help="list the false findings")
    args = parser.parse_args()

    results = run_cases()
    print(f"{'category':<12} {'caught':>6} {'total':>5} {'rate':>6}")
    for category, (caught, total) in rates_by_category(results).items():
        print(f"{category:<12} {caught:>6} {total:>5} {caught / total:>6.0%}")
    caught = sum(result.caught for result in results)
    print(f"{'all':<12} {caught:>6} {len(results):>5} {caught / len(results):>6.0%}")
    print()
    by_check = Counter(
        finding.check
        for result in results
        if result.caught
        for finding in result.bad_findings
        if finding.check in result.case.expect or finding.severity == "error"
    )
    print("checks that reported the caught defects:", dict(by_check.most_common()))
    if args.missed:
        for result in results:
            if not result.caught:
                print(f"  missed {result.case.id}: {result.case.bad}")
    print()
    paraphrases = run_paraphrases()
    article = run_article()
    sets = {
        "paraphrases": ([(p.id, f) for p in paraphrases for f in p.findings], len(paraphrases)),
        "correct side of the cases": (
            [(r.case.id, f) for r in results for f in r.good_findings],
            len(results),
        ),
        "correct article": ([(p.id, f) for p in article for f in p.findings], len(article)),
    }
    for name, (findings, size) in sets.items():
        errors = sum(f.severity == "error" for _, f in findings)
        warnings = sum(f.severity == "warning" for _, f in findings)
        checks = dict(Counter(f.check for _, f in findings).most_common())
        print(f"{name} ({size} pairs): {errors} false errors, {warnings} warnings {checks}")
        if args.findings:
            for where, finding in findings:
                print(f"  {where}: {finding.severity}: {finding.check}: {finding.message}")


if __name__ == "__main__":
    main()
