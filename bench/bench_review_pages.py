"""``pipeline review`` end to end: the example project, and a large catalog of real sentences.

Times the real CLI (a fresh process each run, as a reviser runs it) on:

- the example project (this repository: two translated articles and an untranslated
  transcript);
- one generated article of N entries (default 1,000): the example article's sentences and
  their English translations, each numbered ``（N）`` / ``(N)`` so that no two are alike.

It also times the review sheet's dictionary hints alone on the large catalog's pairs (first
the dictionary's index, then the hints of every translated entry, without the glossary and
quantities the sheet also leaves out), to show their share.

    python bench/bench_review_pages.py [--entries 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.po.read import read_po  # noqa: E402

ARTICLE = REPO / "locales/en/LC_MESSAGES/ntrk-inhibitors.po"


def pairs() -> list[tuple[str, str]]:
    """The example article's translated (source, translation) pairs."""
    catalog = read_po(ARTICLE.read_text("utf-8"), path=str(ARTICLE))
    return [(entry.msgid, entry.msgstr) for entry in catalog.entries if entry.msgstr]


def make_project(root: Path, count: int) -> list[tuple[str, str]]:
    """A project with one article ``big`` of ``count`` translated entries."""
    import polib

    examples = [pair for pair in pairs() if "<" not in pair[0]]  # markdown would escape tags
    chosen = [
        (f"（{n + 1}）{source}", f"({n + 1}) {target}")
        for n, (source, target) in enumerate(islice(cycle(examples), count))
    ]
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "big.md").write_text(
        "\n\n".join(source for source, _ in chosen) + "\n", "utf-8"
    )
    (root / "pyproject.toml").write_text("[tool.pipeline]\n", "utf-8")
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    cli(root, "segment")
    po_path = root / "locales/en/LC_MESSAGES/big.po"
    po = polib.pofile(str(po_path))
    english = dict(chosen)
    for entry in po:
        entry.msgstr = english.get(entry.msgid, "")
    po.metadata["Last-Translator"] = "Zhang Wei <zhang.wei@example.org>"
    po.save()
    return [(entry.msgid, entry.msgstr) for entry in po if entry.msgstr]


def cli(project: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline", "-C", str(project), *args],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def best_review(project: Path, output: Path, repeat: int) -> float:
    return min(cli(project, "review", "--output", str(output)) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        example = best_review(REPO, tmp / "example-pages", args.repeat)
        translated = make_project(tmp / "big", args.entries)
        big = best_review(tmp / "big", tmp / "big-pages", args.repeat)

    from pipeline.checks.dictionary import load_dictionary

    start = time.perf_counter()
    load_dictionary()
    index = time.perf_counter() - start
    start = time.perf_counter()
    shown = sum(len(hints) for hints in map(_hints, translated))
    hinting = time.perf_counter() - start

    print(f"pipeline review, example project        {example:>8.3f} s")
    print(f"pipeline review, {args.entries:>6,} entries          {big:>8.3f} s")
    print(f"  dictionary index (once per run)       {index:>8.3f} s")
    print(f"  hints of {len(translated):>6,} entries ({shown:>5,} shown) {hinting:>8.3f} s")


def _hints(pair: tuple[str, str]) -> tuple[object, ...]:
    from pipeline.review.hints import entry_hints

    return entry_hints(pair[0], [pair[1]]).words


if __name__ == "__main__":
    main()
