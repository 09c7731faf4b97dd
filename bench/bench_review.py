"""Review at scale: entry states of a large approved catalog, and ``approve`` end to end.

Builds one catalog of N zh->en entries (default 10,000), all translated, and times:

- ``approve`` (plan: hash every entry, write every comment, one log record; then the write);
- reading the audit log and building the catalog's ledger;
- deriving every entry's state from the file and the log (:func:`review_catalog` +
  :func:`catalog_status`, what ``status``, ``queue``, the TM and publishing call).

    python bench/bench_review.py [--entries 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.po.catalog import Catalog, Entry  # noqa: E402
from pipeline.po.read import read_po  # noqa: E402
from pipeline.po.write import generate_po  # noqa: E402
from pipeline.review.approve import plan_approval  # noqa: E402
from pipeline.review.log import append_record, read_log  # noqa: E402
from pipeline.review.status import catalog_status, review_catalog  # noqa: E402
from pipeline.segments import segment_id  # noqa: E402


def build_catalog(count: int) -> Catalog:
    entries = []
    for number in range(count):
        source = (
            f"在第{number}项研究中，客观缓解率为{number % 100}.1%，"
            f"中位缓解持续时间为{number % 37}个月。"
        )
        target = (
            f"In study {number}, the objective response rate was {number % 100}.1% and the "
            f"median duration of response was {number % 37} months."
        )
        entries.append(Entry(msgctxt=segment_id(source), msgid=source, msgstr=target))
    metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en",
                "Last-Translator": "Zhang Wei <zhang.wei@example.org>"}
    return Catalog(metadata=metadata, entries=entries)


def best(repeat: int, work: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    catalog = read_po(generate_po(build_catalog(args.entries)))
    review = review_catalog(catalog, slug="bench", locale="en", path="bench.po")
    start = time.perf_counter()
    plan = plan_approval(catalog, review, by="Li Na", at="2026-12-07T09:00:00Z")
    planned = time.perf_counter() - start
    assert plan.record is not None and len(plan.approved) == args.entries
    with tempfile.TemporaryDirectory() as folder:
        log_file = Path(folder) / "approvals.jsonl"
        append_record(read_log(log_file), plan.record)
        text = generate_po(plan.catalog)
        start = time.perf_counter()
        log = read_log(log_file)
        ledger = log.ledger("bench")
        log_read = time.perf_counter() - start
    approved = read_po(text)

    def states() -> None:
        status = catalog_status(
            review_catalog(approved, slug="bench", locale="en", path="bench.po", ledger=ledger)
        )
        assert status.is_publishable, status.blocking_reason

    derive = best(args.repeat, states)
    per_10k = derive * 10_000 / args.entries
    print(f"entries                        {args.entries:>10,}")
    print(f"approve: plan (hash + comment) {planned:>10.3f} s")
    print(f"audit log: read + ledger       {log_read:>10.3f} s")
    print(f"states + status, all approved  {derive:>10.3f} s  ({per_10k:.3f} s per 10,000)")


if __name__ == "__main__":
    main()
