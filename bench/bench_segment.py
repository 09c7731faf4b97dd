"""Segmentation speed on 1 MB of text: Chinese and English sentences, ASR transcripts.

Speed belongs in a benchmark, not a timed unit test; this one also catches quadratic
behaviour (the MB/s would collapse). Run: ``python bench/bench_segment.py``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.segmenter import sentence_boundaries, split_transcript  # noqa: E402

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden" / "segmenter"


def megabyte(pattern: str) -> str:
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(GOLDEN.glob(pattern)))
    return (text * (1_000_000 // len(text) + 1))[:1_000_000]


def best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    chinese = megabyte("sentences/*.zh_Hans.txt")
    english = megabyte("sentences/*.en.txt")
    transcript = megabyte("transcript/*.zh*.txt")
    cases = [
        ("Chinese sentences", lambda: sentence_boundaries(chinese, language="zh_Hans")),
        ("English sentences", lambda: sentence_boundaries(english, language="en")),
        ("Chinese ASR transcript", lambda: split_transcript(transcript, language="zh_Hans")),
    ]
    print(f"{'case':<26} {'seconds':>8} {'MB/s':>8}")
    for name, action in cases:
        seconds = best_of(3, action)
        print(f"{name:<26} {seconds:8.3f} {1.0 / seconds:8.1f}")


if __name__ == "__main__":
    main()
