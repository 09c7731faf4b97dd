"""Benchmark: reading and writing a catalog with pipeline.po against GNU msgcat doing the same.

Run from the repository root::

    python bench/bench_write.py [--entries N] [--repeat R]

It builds a catalog of realistic Chinese/English medical sentences (msgctxt ids, references,
extracted comments, a share of long lines that wrap) and writes it once with msgcat to get a
canonical input file. Then it times the same work on both sides, best of R, each run cold:

* ours: ``read_po_file(in.po)`` + ``write_po_file(out.po)`` (parse, generate, atomic write
  with fsync), in this process; the start-up of a ``pipeline`` process is measured apart;
* msgcat: ``msgcat in.po -o out.po`` (its process start-up included: a few milliseconds);

and prints the times, entries per second, the ratio, and whether our output is byte-identical
to msgcat's (it must be). Parse and generate are also shown apart.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.po.catalog import Catalog, Entry  # noqa: E402
from pipeline.po.read import read_po_file  # noqa: E402
from pipeline.po.wrap import wrapped_lines  # noqa: E402
from pipeline.po.write import generate_po, write_po_file  # noqa: E402

ZH_PIECES = [
    "在NTRK融合阳性实体瘤患者中",
    "第二代TRK抑制剂的客观缓解率达到89.1%",
    "颅内客观缓解率为90.8%",
    "其中TRKA G595R溶剂前沿突变的患者同样获益",
    "中位无进展生存期为24.8个月（95%CI：16.6–30.6）",
    "最常见的不良反应为头晕、便秘和贫血",
    "大多数为1–2级",
    "患者应在餐前1小时或餐后2小时口服给药",
    "对于肝功能中度受损的患者，建议将剂量减半",
    "本研究共纳入了来自《临床肿瘤学杂志》报道的312例患者",
    "随访期间未观察到新的安全性信号",
    "治疗相关死亡率低于1%",
    "“精准医学”强调根据分子分型选择靶向药物",
    "免疫组化检测显示PD-L1表达阳性",
    "化疗联合免疫治疗是目前的一线标准方案",
]
ZH_ENDINGS = ["。", "；", "！", "？", "。"]
EN_PIECES = [
    "In patients with NTRK fusion-positive solid tumours",
    "the objective response rate of second-generation TRK inhibitors reached 89.1%",
    "the intracranial objective response rate was 90.8%",
    "patients with the TRKA G595R solvent-front mutation also benefited",
    "median progression-free survival was 24.8 months (95% CI, 16.6-30.6)",
    "the most common adverse reactions were dizziness, constipation and anaemia",
    "most were grade 1-2",
    "take the tablets one hour before or two hours after a meal",
    "halve the dose in patients with moderate hepatic impairment",
    "the study enrolled 312 patients reported in the Journal of Clinical Oncology",
    "no new safety signals were observed during follow-up",
    "treatment-related mortality was below 1%",
    '"precision medicine" means choosing targeted drugs by molecular subtype',
    "immunohistochemistry showed PD-L1 positive expression",
    "chemo-immunotherapy is the current first-line standard of care",
]


def sentence(rng: random.Random, pieces: list[str], joiner: str, count: int) -> str:
    return joiner.join(rng.sample(pieces, count))


def build_catalog(size: int, seed: int = 20240501) -> Catalog:
    """A catalog that looks like the pipeline's: most strings fit on a line, ~30% wrap."""
    rng = random.Random(seed)
    entries: list[Entry] = []
    for number in range(size):
        article, paragraph, index = number // 400, (number // 8) % 50, number % 8
        # 1 piece fits on one line; 2+ pieces (about a third of the entries) wrap.
        count = rng.choices([1, 2, 3], weights=[68, 22, 10])[0]
        msgid = sentence(rng, ZH_PIECES, "，", count) + rng.choice(ZH_ENDINGS)
        translated = rng.random() < 0.8
        msgstr = (sentence(rng, EN_PIECES, ", ", count).capitalize() + ".") if translated else ""
        slug = f"sources/articles/2024/article-{article:04d}.md"
        references: tuple[str, ...] = (f"{slug}:{paragraph * 4 + index + 1}",)
        if rng.random() < 0.05:  # a sentence repeated in a video: a long, wrapped #: block
            video = f"sources/transcripts/video-{article:04d}.vtt"
            references += tuple(f"{video}:{n}" for n in range(6))
        entries.append(
            Entry(
                msgctxt=f"article-{article}:p{paragraph}:s{index}",
                msgid=msgid,
                msgstr=msgstr,
                extracted_comments=(f"paragraph {paragraph}, sentence {index}",),
                references=references,
                flags=("fuzzy",) if translated and rng.random() < 0.1 else (),
            )
        )
    return Catalog(
        metadata={
            "Project-Id-Version": "medical-translation-pipeline 0.1",
            "POT-Creation-Date": "2024-05-01 10:00+0000",
            "PO-Revision-Date": "2024-05-02 11:00+0000",
            "Language": "en",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        },
        header_comments=("Benchmark catalog.",),
        entries=entries,
    )


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        # Each run starts cold: the writer caches wrapped strings, and a warm cache would
        # credit us with work a real `pipeline segment` process does not get to skip.
        wrapped_lines.cache_clear()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = args.entries
    msgcat = shutil.which("msgcat")
    if msgcat is None:
        print("msgcat not found: install GNU gettext to compare")
        return 1

    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory, "in.po")
        write_po_file(source, build_catalog(size))
        # The input is msgcat's own output, so both sides start from the same canonical file.
        subprocess.run([msgcat, str(source), "-o", str(source)], check=True)
        data = source.read_bytes()
        ours, theirs = Path(directory, "ours.po"), Path(directory, "msgcat.po")

        def read_and_write() -> None:
            ours.unlink(missing_ok=True)
            write_po_file(ours, read_po_file(source))

        def run_msgcat() -> None:
            theirs.unlink(missing_ok=True)
            subprocess.run([msgcat, str(source), "-o", str(theirs)], check=True)

        catalog = read_po_file(source)
        read_seconds = best_of(args.repeat, lambda: read_po_file(source))
        generate_seconds = best_of(args.repeat, lambda: generate_po(catalog))
        ours_seconds = best_of(args.repeat, read_and_write)
        msgcat_seconds = best_of(args.repeat, run_msgcat)
        start_seconds = best_of(args.repeat, lambda: subprocess.run(
            [sys.executable, "-m", "pipeline", "--help"], check=True, stdout=subprocess.DEVNULL
        ))
        wrapped = data.count(b'msgid ""\n') - 1
        print(f"catalog: {size:,} entries, {len(data) / 1e6:.1f} MB, {wrapped:,} wrapped msgids")
        for label, seconds in (
            ("read_po_file (parse)", read_seconds),
            ("generate_po", generate_seconds),
            ("ours: read + write", ours_seconds),
            ("msgcat in.po -o out.po", msgcat_seconds),
        ):
            print(f"{label:24} {seconds:6.2f} s  {size / seconds:9,.0f} entries/s")
        print(f"{'pipeline start-up':24} {start_seconds:6.2f} s  (pipeline --help, whole process)")
        ratio = msgcat_seconds / ours_seconds
        print(f"ratio msgcat / ours (read + write):            {ratio:.2f}x")
        ratio = msgcat_seconds / (ours_seconds + start_seconds)
        print(f"ratio msgcat / ours (read + write + start-up): {ratio:.2f}x")
        identical = theirs.read_bytes() == ours.read_bytes() == data
        print(f"our output byte-identical to msgcat's: {'yes' if identical else 'NO'}")
        return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
