"""``pipeline build`` at scale: a cold build, then a no-op rebuild, side by side.

Generates a content repository of N articles (default 1,000) in Chinese Markdown, about 40
segments each (front matter, headings, paragraphs with bold text), with three target locales
(``en``, ``en_NZ``, ``en_AU``) whose catalogs are fully translated and approved by a second
person (the approval comments and a chained audit log per locale, as ``pipeline approve``
writes them), and the repository's glossary. Then it times, in fresh processes:

1. a cold ``pipeline build`` (no site, no state folder: no translation memory yet);
2. a no-op rebuild (nothing changed: it must change no byte, and be quick).

and prints both with their ratio and the publish step's pages per second (HTML pages of
every article in every locale and in the source language). Targets (issue 11): the no-op
rebuild under 5 % of the cold build and under 3 s; publish at least 200 pages/s.

    python bench/bench_build.py [--articles 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_check import PAIRS, _fill  # noqa: E402

from pipeline.config import load_config  # noqa: E402
from pipeline.po.read import read_po_file  # noqa: E402
from pipeline.po.write import write_po_file  # noqa: E402
from pipeline.project import segment_project  # noqa: E402
from pipeline.review.log import ApprovalRecord, ApprovedEntry, format_record, log_path  # noqa: E402
from pipeline.review.state import (  # noqa: E402
    Approval,
    content_hash,
    entry_id,
    format_approval,
)

REPO = Path(__file__).resolve().parent.parent
LOCALES = ("en", "en_NZ", "en_AU")
TRANSLATOR = "Li Na <li.na@example.org>"
REVISER = "Tom Baker"
APPROVED_AT = "2026-11-02T10:15:00Z"
SENTENCES = 34  # + title, description and heading lines: about 40 segments an article
# One-sentence pairs a Markdown paragraph can hold: no image placeholder, no list marker.
PROSE = [
    (zh, en)
    for zh, en in PAIRS
    if "<2/>" not in zh
    and not zh[:2].strip(". ").isdigit()
    and not any(mark in zh[:-1] for mark in "。！？")
]


def _article(rng: random.Random, number: int) -> tuple[str, dict[str, str]]:
    """One Markdown article and its English translation (msgid -> msgstr)."""
    fields = _fill(rng)
    title = f"第{number}篇：{fields['t']}的TRK抑制剂治疗"
    title_en = f"Article {number}: TRK inhibitor treatment for {fields['T']}"
    description = f"关于{fields['d']}的第{number}份患者资料。"
    description_en = f"Patient information sheet {number} about {fields['D']}."
    translations = {title: title_en, description: description_en}
    lines = [
        "---",
        f"title: {title}",
        f"description: {description}",
        f"date: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "---",
        "",
    ]
    seen: set[str] = set()
    for section in range(1, 5):
        heading = f"第{section}部分：{fields['t']}"
        heading_en = f"Part {section}: {fields['T']}"
        translations[heading] = heading_en
        lines += [f"## {heading}", ""]
        paragraph: list[str] = []
        while len(paragraph) < SENTENCES // 4 or not paragraph:
            zh, en = rng.choice(PROSE)
            values = _fill(rng)
            source = zh.format(**values)
            if source in seen:
                continue
            seen.add(source)
            english = en.format(**values)
            translations[source] = english[0].upper() + english[1:]
            paragraph.append(source.replace("<1>", "**").replace("</1>", "**"))
        lines += ["".join(paragraph), ""]
    return "\n".join(lines), translations


def generate(root: Path, *, articles: int, seed: int = 1) -> int:
    """Write the content repository; the number of entries approved."""
    rng = random.Random(seed)
    (root / "sources").mkdir(parents=True)
    shutil.copy(REPO / "glossary.yaml", root / "glossary.yaml")
    (root / "pyproject.toml").write_text(
        "[tool.pipeline]\n"
        'source_locale = "zh_Hans"\n'
        f"target_locales = {json.dumps(list(LOCALES))}\n",
        encoding="utf-8",
    )
    translations: dict[str, str] = {}
    for number in range(1, articles + 1):
        text, english = _article(rng, number)
        translations.update(english)
        (root / "sources" / f"article-{number:04d}.md").write_text(text, encoding="utf-8")
    config = load_config(root)
    segment_project(config)
    approved = 0
    for locale in LOCALES:
        previous: str | None = None
        records: list[str] = []
        for path in config.catalog_files(locale):
            catalog = read_po_file(path)
            entries = []
            stamped: list[ApprovedEntry] = []
            for entry in catalog.entries:
                filled = entry.replace(msgstr=translations[entry.msgid])
                digest = content_hash(filled)
                stamp = format_approval(Approval(by=REVISER, at=APPROVED_AT, sha256=digest))
                entries.append(filled.replace(translator_comments=(stamp,)))
                ident = entry_id(entry.msgctxt, entry.msgid)
                stamped.append(ApprovedEntry(id=ident, sha256=digest))
            catalog.entries = entries
            catalog.metadata["Last-Translator"] = TRANSLATOR
            write_po_file(path, catalog)
            line = format_record(
                ApprovalRecord(
                    by=REVISER,
                    at=APPROVED_AT,
                    slug=path.stem,
                    locale=locale,
                    entries=tuple(stamped),
                    last_translator=TRANSLATOR,
                    tool="bench",
                    prev=previous,
                )
            )
            previous = hashlib.sha256(line.encode("utf-8")).hexdigest()
            records.append(line + "\n")
            approved += len(stamped)
        log_path(config.locales_dir, locale).write_text("".join(records), encoding="utf-8")
    return approved


def _build(root: Path) -> tuple[float, dict]:  # type: ignore[type-arg]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "-C", str(root), "build", "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "1"},
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"pipeline build failed ({result.returncode}):\n{result.stderr}")
    return seconds, json.loads(result.stdout)


def _fingerprint(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for folder, _, names in os.walk(root, followlinks=True):
        for name in names:
            path = Path(folder) / name
            if ".pipeline" not in path.relative_to(root).parts:
                stat = path.stat()
                found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    options = parser.parse_args()
    scratch = None
    if options.keep:
        root = options.keep
    else:
        scratch = tempfile.mkdtemp(prefix="bench-build-")
        root = Path(scratch) / "content"
    try:
        started = time.perf_counter()
        entries = generate(root, articles=options.articles)
        print(
            f"generated {options.articles} articles x {len(LOCALES)} locales, {entries} approved "
            f"entries in {time.perf_counter() - started:.1f} s"
        )
        cold, report = _build(root)
        published = report["publish"]["published"]
        if report["publish"]["withheld"]:
            first = report["publish"]["withheld"][0]
            sys.exit(f"withheld {len(report['publish']['withheld'])}, first: {first}")
        pages = report["publish"]["rendered"]
        publish_s = report["seconds"]["publish"]
        before = _fingerprint(root)
        noop, again = _build(root)
        unchanged = _fingerprint(root) == before and not again["changed"]
        print(f"{'':<22}{'seconds':>10}")
        for stage, seconds in report["seconds"].items():
            print(f"  cold {stage:<17}{seconds:>10.2f}")
        print(f"{'cold build':<22}{cold:>10.2f}   (wall, one process)")
        verdict = "no byte changed" if unchanged else "CHANGED FILES"
        print(f"{'no-op rebuild':<22}{noop:>10.2f}   {verdict}")
        print(f"{'no-op / cold':<22}{noop / cold:>10.1%}   target < 5 % and < 3 s")
        print(
            f"{'publish':<22}{pages / publish_s:>10.0f}   pages/s ({pages} HTML pages of "
            f"{len(published)} translated articles in {publish_s:.2f} s; target >= 200)"
        )
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
