"""Merge after a source edit: ``pipeline segment`` against ``msgmerge --previous``.

For a Chinese (and, with ``--languages zh,en``, an English) source, builds a project whose
catalog holds N translated entries, then edits a fifth of the sentences and adds a tenth new
ones, and times, side by side, each as a whole process (best of three):

- ``pipeline segment``: start-up, reading and segmenting the source, building and writing the
  template, reading the old catalog, merging, writing the catalog. This is more work than
  msgmerge does (it is given the template ready-made), so the bench also times
- the same merge alone: a Python process that reads the old catalog and the template,
  merges them with :func:`pipeline.update_catalog` and writes the catalog, exactly
  msgmerge's job;
- ``msgmerge --previous`` on the same old catalog and template.

It prints both ratios, how many translations each lost (a translation counts as kept when it
is still in the file, active, fuzzy or obsolete), and the start-up floor: ``python -c pass``
in this environment, ``pipeline --help``, and start-up plus the imports of each Python side
(what it pays before reading its first entry). Python runs with its bytecode cache as an
installed package does (pip compiles on install): where ``PYTHONDONTWRITEBYTECODE`` is set,
the runs get a temporary ``PYTHONPYCACHEPREFIX`` instead, and the bench says so. English
sentences are long, two or three clauses as in trial abstracts: msgmerge's fuzzy search slows
down sharply on them (about a minute at 4,000 entries), so they are opt-in.

    python bench/bench_merge.py [--sizes 1000,2000,4000] [--languages zh]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

DRUGS_ZH = ["拉罗替尼", "恩曲替尼", "瑞普替尼", "塞利替尼", "克唑替尼", "奥希替尼", "阿来替尼"]
TUMOURS_ZH = ["非小细胞肺癌", "婴儿纤维肉瘤", "分泌性乳腺癌", "甲状腺癌", "结直肠癌", "胶质瘤"]
ENDPOINTS_ZH = ["客观缓解率", "颅内客观缓解率", "疾病控制率", "中位无进展生存期", "总生存期"]
PATTERNS_ZH = [
    "在{n}例{tumour}患者中，{drug}的{endpoint}为{p}%。",
    "{drug}治疗{tumour}的{endpoint}达到{p}%，其中第{k}组患者获益最明显。",
    "第{k}项研究显示，{tumour}患者接受{drug}治疗后{endpoint}提高到{p}%。",
    "对于携带TRKA G595R突变的{tumour}患者，{drug}在第{k}周期的{endpoint}为{p}%。",
    "共有{n}名患者入组，{drug}组{endpoint}为{p}%，大多数不良事件为1-2级。",
]
DRUGS_EN = ["larotrectinib", "entrectinib", "repotrectinib", "selitrectinib", "crizotinib"]
TUMOURS_EN = ["non-small cell lung cancer", "infantile fibrosarcoma", "secretory breast carcinoma",
              "thyroid cancer", "colorectal cancer", "glioma"]
ENDPOINTS_EN = ["objective response rate", "intracranial objective response rate",
                "disease control rate", "median progression-free survival", "overall survival"]
PATTERNS_EN = [
    "In {n} patients with {tumour}, the {endpoint} of {drug} was {p}%.",
    "The {endpoint} of {drug} in patients with {tumour} reached {p}%, with the largest benefit "
    "in cohort {k}.",
    "Study {k} showed that the {endpoint} of patients with {tumour} treated with {drug} rose "
    "to {p}%.",
    "For patients with {tumour} carrying the TRKA G595R mutation, the {endpoint} of {drug} in "
    "cycle {k} was {p}%.",
    "A total of {n} patients were enrolled and the {endpoint} in the {drug} arm was {p}%, with "
    "most adverse events of Grade 1-2.",
]


def make_sentence(rng: random.Random, language: str) -> str:
    """One source sentence. English ones join two or three clauses, as abstracts do: such long
    sentences sharing most of their words are where msgmerge's fuzzy search slows down."""
    if language == "en":
        clauses = [make_clause(rng, "en") for _ in range(rng.choice((2, 3)))]
        joined = clauses[0].rstrip(".")
        for clause in clauses[1:]:
            clause = clause[0].lower() + clause[1:].rstrip(".")
            joined += rng.choice([", whereas ", ", and ", "; in addition, "]) + clause
        return joined + "."
    return make_clause(rng, language)


def make_clause(rng: random.Random, language: str) -> str:
    zh = language == "zh"
    pattern = rng.choice(PATTERNS_ZH if zh else PATTERNS_EN)
    return pattern.format(
        n=rng.randint(10, 900),
        k=rng.randint(1, 60),
        p=f"{rng.randint(10, 99)}.{rng.randint(0, 9)}",
        drug=rng.choice(DRUGS_ZH if zh else DRUGS_EN),
        tumour=rng.choice(TUMOURS_ZH if zh else TUMOURS_EN),
        endpoint=rng.choice(ENDPOINTS_ZH if zh else ENDPOINTS_EN),
    )


def unique_sentences(rng: random.Random, language: str, count: int, taken: set[str]) -> list[str]:
    result = []
    while len(result) < count:
        sentence = make_sentence(rng, language)
        if sentence not in taken:
            taken.add(sentence)
            result.append(sentence)
    return result


def edit(rng: random.Random, sentence: str, language: str) -> str:
    """A realistic small edit: a figure corrected, or a word changed."""
    words = sentence.split(" ")
    if language == "en" and rng.random() < 0.5:
        position = rng.randrange(len(words))
        words[position] = rng.choice(["treated", "evaluable", "adult", "paediatric", "all"])
        return " ".join(words)
    digits = [i for i, ch in enumerate(sentence) if ch.isdigit()]
    position = rng.choice(digits)
    replacement = str((int(sentence[position]) + rng.randint(1, 8)) % 10)
    return sentence[:position] + replacement + sentence[position + 1 :]


def write_project(root: Path, language: str, sentences: list[str]) -> None:
    source_locale, target = ("zh_Hans", "en") if language == "zh" else ("en", "de")
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        f'[tool.pipeline]\nsource_locale = "{source_locale}"\ntarget_locales = ["{target}"]\n'
        'glossary = "no-glossary.yaml"\n',
        encoding="utf-8",
    )
    (root / "sources" / "article.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")


#: The environment of the timed Python processes (see the module docstring).
PYTHON_ENV = dict(os.environ)

#: The merge alone, as msgmerge does it: old catalog + template -> catalog, one process.
MERGE_ONLY = """
import sys
from pipeline import read_po_file, update_catalog, write_po_file
old, template, output = sys.argv[1:]
write_po_file(output, update_catalog(read_po_file(old), read_po_file(template)))
"""


#: The modules ``pipeline segment`` imports on a text source with fuzzy matches to find.
SEGMENT_IMPORTS = (
    "import pipeline.cli, pipeline.project, pipeline.readers.text, rapidfuzz.distance"
)
#: The modules of the merge alone.
MERGE_IMPORTS = (
    "from pipeline import read_po_file, update_catalog, write_po_file; import rapidfuzz.distance"
)


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=PYTHON_ENV)
    return time.perf_counter() - started


def pipeline_segment(root: Path) -> float:
    return timed([sys.executable, "-m", "pipeline", "-C", str(root), "segment"])


def merge_only(catalog: Path, template: Path, output: Path) -> float:
    return timed([sys.executable, "-c", MERGE_ONLY, str(catalog), str(template), str(output)])


def msgmerge(catalog: Path, template: Path, output: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", str(catalog), str(template), "-o", str(output)],
        check=True,
    )
    return time.perf_counter() - started


def kept_translations(po_path: Path, translations: set[str]) -> int:
    catalog = polib.pofile(str(po_path))
    present = {entry.msgstr for entry in catalog if entry.msgstr}
    present |= {entry.msgstr for entry in catalog.obsolete_entries() if entry.msgstr}
    return len(translations & present)


def run_case(language: str, *, entries: int, edits: int, new: int, workdir: Path) -> None:
    rng = random.Random(20261124)
    taken: set[str] = set()
    old_sentences = unique_sentences(rng, language, entries, taken)
    target = "en" if language == "zh" else "de"
    project = workdir / language / "pipeline"
    write_project(project, language, old_sentences)
    pipeline_segment(project)

    po_path = project / "locales" / target / "LC_MESSAGES" / "article.po"
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    translations = set()
    for number, entry in enumerate(catalog, start=1):
        entry.msgstr = f"[{target}] translation {number} of: {entry.msgid}"
        translations.add(entry.msgstr)
    catalog.save(str(po_path))
    subprocess.run(["msgcat", str(po_path), "-o", str(po_path)], check=True)  # canonical

    new_sentences = list(old_sentences)
    for position in rng.sample(range(len(new_sentences)), edits):
        changed = edit(rng, new_sentences[position], language)
        while changed in taken:
            changed = edit(rng, changed, language)
        taken.add(changed)
        new_sentences[position] = changed
    for sentence in unique_sentences(rng, language, new, taken):
        new_sentences.insert(rng.randrange(len(new_sentences) + 1), sentence)

    old_catalog = workdir / language / "old.po"
    shutil.copy(po_path, old_catalog)
    write_project(project, language, new_sentences)
    start = workdir / language / "start"  # edited source, catalogs not yet merged
    shutil.copytree(project, start)
    # Best of three for each side, each run from the same starting files.
    timings = []
    for _ in range(3):
        shutil.rmtree(project)
        shutil.copytree(start, project)
        timings.append(pipeline_segment(project))
    ours = min(timings)
    template = project / "locales" / "templates" / "article.pot"
    merged = workdir / language / "merged.po"
    ours_merged = workdir / language / "merged-pipeline.po"
    alone = min(merge_only(old_catalog, template, ours_merged) for _ in range(3))
    theirs = msgmerge(old_catalog, template, merged)
    if theirs < 5:  # slow runs are not noise-sensitive; spare the minutes
        theirs = min(theirs, *(msgmerge(old_catalog, template, merged) for _ in range(2)))

    lost = {
        name: entries - kept_translations(path, translations)
        for name, path in (("segment", po_path), ("merge", ours_merged), ("msgmerge", merged))
    }
    print(
        f"{'Chinese' if language == 'zh' else 'English':7} {entries:7,} entries "
        f"({edits:,} edited, {new:,} new)\n"
        f"    pipeline segment (whole command) {ours:6.3f} s  msgmerge / it {theirs / ours:5.2f}x"
        f"  (lost {lost['segment']})\n"
        f"    pipeline merge alone             {alone:6.3f} s  msgmerge / it {theirs / alone:5.2f}x"
        f"  (lost {lost['merge']})\n"
        f"    msgmerge --previous              {theirs:6.3f} s                       "
        f"(lost {lost['msgmerge']})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000",
                        help="catalog sizes, comma-separated (default 1000,2000,4000; msgmerge "
                        "takes about 35 s at 16000)")
    parser.add_argument("--languages", default="zh", help="zh, en or zh,en (default zh)")
    args = parser.parse_args()
    if shutil.which("msgmerge") is None:
        sys.exit("GNU gettext (msgmerge) is needed: apt-get install gettext")
    with tempfile.TemporaryDirectory() as directory:
        if sys.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE"):
            print("PYTHONDONTWRITEBYTECODE is set here: the timed runs use a bytecode cache in a"
                  " temporary PYTHONPYCACHEPREFIX, as an installed package has one")
            PYTHON_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
            PYTHON_ENV["PYTHONPYCACHEPREFIX"] = str(Path(directory) / "pycache")
        timed([sys.executable, "-m", "pipeline", "--help"])  # fills the bytecode cache
        floor = min(timed([sys.executable, "-c", "pass"]) for _ in range(5))
        bare = min(timed([sys.executable, "-S", "-c", "pass"]) for _ in range(5))
        helped = min(timed([sys.executable, "-m", "pipeline", "--help"]) for _ in range(5))
        print(f"start-up: python -c pass {floor:.3f} s (python -S, no site module and so no"
              f" .pth files: {bare:.3f} s); pipeline --help {helped:.3f} s")
        # What each side pays before its first entry: start-up plus the modules it imports.
        segment_imports = min(timed([sys.executable, "-c", SEGMENT_IMPORTS]) for _ in range(5))
        merge_imports = min(timed([sys.executable, "-c", MERGE_IMPORTS]) for _ in range(5))
        print(f"floor before any entry (start-up + imports): segment {segment_imports:.3f} s,"
              f" merge alone {merge_imports:.3f} s")
        print("best of 3 runs each; > 1.00x: the pipeline is faster. 'segment' also segments"
              " the source and writes the template, which msgmerge is given ready-made")
        for language in args.languages.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                workdir = Path(directory) / f"{language}-{size}"
                run_case(
                    language, entries=size, edits=size // 5, new=size // 10, workdir=workdir
                )


if __name__ == "__main__":
    main()
