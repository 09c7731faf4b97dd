"""MT throughput: the pipeline's engine against argostranslate and bare CTranslate2.

Builds a random-weight model of Argos size (6+6 layers, d_model 512, 8 heads, FFN 2048, ~32k
vocabulary, stored int8 like published packages), installs it as an argostranslate package and
translates the same Chinese sentences three ways, with identical decoding settings (beam size,
and a fixed output length: the model's end token is disabled, so every path decodes exactly
``--max-decoding-length`` tokens per sentence):

  (a) ``argostranslate.translate.translate()`` one sentence at a time with its defaults, as a
      naive pipeline would. It is slow, so it runs on a sample (``--naive-sample``). Its
      sentence splitter is made to work offline by packaging a blank spaCy Chinese pipeline in
      the package (``spacy/``) and choosing ``ARGOS_CHUNK_TYPE=SPACY``.
  (b) ``pipeline.pretranslate`` on catalogs holding every sentence: TM lookup, glossary
      protection (the project's glossary.yaml), one batched ``translate_batch``, verification,
      the MT cache and catalog I/O. The model is loaded before the clock starts (the load time
      is reported separately), as for (c).
  (c) bare CTranslate2 ``translate_batch`` over the same, pre-tokenized input: the limit on
      this hardware. Also run with float32 weights for the int8/float32 comparison.

Then the re-run figures: pretranslate again on the unchanged (now filled) catalogs, and on
fresh copies of the empty catalogs with the MT cache warm. Each path runs in its own process,
so each peak RSS (VmHWM) is its own. On a shared machine, ``--repeat 2`` runs (b) and (c)
alternately twice and keeps the best of each.

    python bench/bench_mt.py                      # the full run (about 15 minutes on 2 cores)
    python bench/bench_mt.py --size tiny --sentences 200 --naive-sample 20   # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

SLUGS_PER_RUN = 20


# --- the corpus -------------------------------------------------------------------------------

_PREFIXES = ["", "研究显示，", "在II期研究中，", "与对照组相比，", "汇总分析表明，",
             "在第{k}次随访时，", "截至数据截止日，", "王医生指出，", "在中国人群中，",
             "多中心研究发现，"]
_SUBJECTS = ["患者", "成人患者", "儿童患者", "携带NTRK融合基因的患者", "出现G595R突变的患者",
             "接受拉罗替尼治疗的患者", "接受恩曲替尼治疗的患者", "非小细胞肺癌患者",
             "伴有脑转移的患者", "既往接受过第一代TRK抑制剂的患者", "婴儿纤维肉瘤患者",
             "分泌性乳腺癌患者", "甲状腺癌患者", "软组织肉瘤患者", "获得性耐药的患者"]
_PREDICATES = ["的客观缓解率为{x}%", "的中位无进展生存期为{y}个月",
               "中有{n}例出现{g}级不良反应", "的颅内客观缓解率达到{x}%", "的疾病控制率为{x}%",
               "中{x}%因不良事件永久停药", "的中位缓解持续时间为{y}个月",
               "对瑞普替尼的应答率提高了{n}倍", "的总生存期超过{y}个月",
               "每天服用两次，每次{n}毫克"]


def corpus(count: int, *, seed: int = 7) -> list[str]:
    """``count`` distinct, realistic Chinese sentences (numbers, glossary terms, 15-50 chars)."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        sentence = (
            rng.choice(_PREFIXES) + rng.choice(_SUBJECTS) + rng.choice(_PREDICATES) + "。"
        ).format(
            k=rng.randint(2, 12), x=f"{rng.uniform(0.5, 99):.1f}", y=f"{rng.uniform(2, 40):.1f}",
            n=rng.randint(2, 300), g=rng.choice(["1", "2", "1-2", "3", "4"]),
        )
        found[sentence] = None
    return list(found)


# --- the parent: build, install, run every path ----------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--max-decoding-length", type=int, default=32)
    parser.add_argument("--max-batch-size", type=int, default=1024)
    parser.add_argument("--size", choices=["argos", "tiny"], default="argos")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-float32", action="store_true")
    parser.add_argument("--pipeline-float32", action="store_true",
                        help="also run (b) with float32 weights")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run (b) and (c) this many times, alternately; keep the best")
    parser.add_argument("--workdir", type=Path, help="keep the model and files here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--compute-type", default="int8", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = CHILDREN[args.child](args)
        result["peak_rss_mb"] = _peak_rss_mb()
        print("RESULT=" + json.dumps(result))
        return

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-mt-"))
    work.mkdir(parents=True, exist_ok=True)
    args.workdir = work
    try:
        run_all(args)
    finally:
        if not parser.parse_args().workdir:
            shutil.rmtree(work, ignore_errors=True)


def run_all(args: argparse.Namespace) -> None:
    from support.tiny_argos import ARGOS_SIZE, TINY, build_argos_package

    from pipeline.mt.argos import install_package_file

    work: Path = args.workdir
    packages = work / "packages"
    if not (packages / "translate-zh_en-1_0").is_dir():
        print(f"building a random-weight {args.size}-size zh→en package in {work} ...", flush=True)
        started = time.perf_counter()
        splitter = work / "spacy-zh"
        _blank_spacy(splitter)
        package = build_argos_package(
            work / "zh_en.argosmodel",
            size=ARGOS_SIZE if args.size == "argos" else TINY,
            never_end=True,
            quantization="int8",
            extra_dirs={"spacy": splitter},
        )
        install_package_file(package, target_dir=packages)
        print(f"  built and installed in {time.perf_counter() - started:.0f} s "
              f"({package.stat().st_size / 1e6:.0f} MB)", flush=True)
    sentences = corpus(args.sentences)
    (work / "corpus.json").write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")

    results: dict[str, dict] = {}
    plan = [("bare", "int8"), ("pipeline", "int8")] * max(1, args.repeat)
    if not args.skip_float32:
        plan.append(("bare", "float32"))
    if args.pipeline_float32:
        plan.append(("pipeline", "float32"))
    if not args.skip_naive:
        plan.append(("naive", "auto"))
    for child, compute_type in plan:
        print(f"running {child} ({compute_type}) ...", flush=True)
        result = _run_child(args, child, compute_type)
        print(f"  {result['sentences_per_second']:.2f} sentences/s, "
              f"{result['cpu_seconds']:.1f} CPU s", flush=True)
        key = f"{child}-{compute_type}"
        best = results.get(key)
        if best is None or result["seconds"] < best["seconds"]:
            results[key] = result
    report(args, results)


def _run_child(args: argparse.Namespace, child: str, compute_type: str) -> dict:
    work: Path = args.workdir
    env = {
        **os.environ,
        "ARGOS_PACKAGES_DIR": str(work / "packages"),
        "XDG_DATA_HOME": str(work / "xdg-data"),
        "XDG_CONFIG_HOME": str(work / "xdg-config"),
        "XDG_CACHE_HOME": str(work / "xdg-cache"),
        "ARGOS_CHUNK_TYPE": "SPACY",
        "PYTHONPATH": str(REPO),
    }
    # argostranslate's SPACY chunking looks for a cached multilingual model at import time and
    # downloads one if absent; the (empty) marker makes it use the package's own spacy/ model.
    (work / "xdg-cache" / "argos-translate" / "spacy" / "senter" / "model").mkdir(
        parents=True, exist_ok=True
    )
    command = [
        sys.executable, __file__, "--child", child, "--compute-type", compute_type,
        "--workdir", str(work), "--sentences", str(args.sentences),
        "--naive-sample", str(args.naive_sample), "--beam-size", str(args.beam_size),
        "--max-decoding-length", str(args.max_decoding_length),
        "--max-batch-size", str(args.max_batch_size),
    ]
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"{child} failed")
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT="))
    return json.loads(line.removeprefix("RESULT="))


def _blank_spacy(directory: Path) -> None:
    import spacy

    if directory.exists():
        shutil.rmtree(directory)
    spacy.blank("zh").to_disk(directory)  # character segmentation; argos adds a sentencizer


def report(args: argparse.Namespace, results: dict[str, dict]) -> None:
    import ctranslate2

    print()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"ctranslate2 {ctranslate2.__version__}; model {args.size}; beam {args.beam_size}; "
          f"{args.max_decoding_length} output tokens per sentence; max_batch_size "
          f"{args.max_batch_size} tokens")
    rows = []
    naive = results.get("naive-auto")
    bare = results["bare-int8"]
    pipeline = results["pipeline-int8"]
    if naive:
        rows.append(("(a) argostranslate.translate, per sentence", naive))
    rows.append(("(b) pipeline pretranslate (int8)", pipeline))
    if "pipeline-float32" in results:
        rows.append(("(b) pipeline pretranslate (float32)", results["pipeline-float32"]))
    rows.append(("(c) bare translate_batch (int8)", bare))
    if "bare-float32" in results:
        rows.append(("(c) bare translate_batch (float32)", results["bare-float32"]))
    print(f"{'path':46} {'sentences':>9} {'seconds':>8} {'sent/s':>8} {'CPU ms/sent':>11} "
          f"{'peak RSS':>9}")
    for label, result in rows:
        cpu_ms = result["cpu_seconds"] / result["sentences"] * 1000
        print(f"{label:46} {result['sentences']:>9} {result['seconds']:>8.1f} "
              f"{result['sentences_per_second']:>8.2f} {cpu_ms:>11.0f} "
              f"{result['peak_rss_mb']:>7.0f} MB")
    print()
    if naive:
        print(f"argostranslate settings in (a): {naive['settings']}")
        ratio = pipeline["sentences_per_second"] / naive["sentences_per_second"]
        print(f"(b) / (a): {ratio:.1f}x faster (target: at least 5x)")
    share = pipeline["sentences_per_second"] / bare["sentences_per_second"]
    cpu_share = bare["cpu_seconds"] / pipeline["cpu_seconds"]
    print(f"(b) / (c): the pipeline runs at {share * 100:.1f}% of the bare throughput, "
          f"{cpu_share * 100:.1f}% by CPU time (target: at least 90%; CPU time is the steadier "
          "figure on a shared machine)")
    print(f"    of which outside translate_batch: {pipeline['outside_engine_seconds']:.2f} s "
          f"(catalog I/O, TM, protection, cache); model load (not timed): "
          f"{pipeline['load_seconds']:.1f} s")
    if "bare-float32" in results:
        speed = bare["sentences_per_second"] / results["bare-float32"]["sentences_per_second"]
        print(f"int8 vs float32 (bare): int8 is {speed:.2f}x as fast")
    first = pipeline["seconds"]
    print(f"re-run on the unchanged catalogs: {pipeline['rerun_unchanged_seconds']:.2f} s "
          f"({pipeline['rerun_unchanged_seconds'] / first * 100:.1f}% of the first run)")
    cached = pipeline["rerun_cached_seconds"]
    print(f"re-run on fresh empty catalogs, MT cache warm: {cached:.2f} s "
          f"({cached / first * 100:.1f}% of the first run; target < 5%)")


# --- children: one path each, in a fresh process -------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over from the parent at fork, so every child would report at least the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _settings(args: argparse.Namespace):
    from pipeline.mt.argos import MTSettings

    return MTSettings(
        beam_size=args.beam_size,
        compute_type=args.compute_type,
        max_decoding_length=args.max_decoding_length,
        max_batch_size=args.max_batch_size,
    )


def _engine(args: argparse.Namespace):
    from pipeline.mt.argos import load_translator

    engine = load_translator("zh_Hans", "en", options=_settings(args))
    started = time.perf_counter()
    engine.load()
    return engine, time.perf_counter() - started


def _protected_inputs(sentences: list[str]) -> list[str]:
    from pipeline.glossary import load_glossary
    from pipeline.mt.protect import protect

    glossary = load_glossary(
        REPO / "glossary.yaml", source_locale="zh_Hans", target_locales=["en"]
    )
    return [protect(s, glossary=glossary, locale="en").text for s in sentences]


def child_bare(args: argparse.Namespace) -> dict:
    sentences = json.loads((args.workdir / "corpus.json").read_text(encoding="utf-8"))
    engine, load_seconds = _engine(args)
    tokens = engine.encode(_protected_inputs(sentences))  # the exact input (b) translates
    started, cpu_started = time.perf_counter(), time.process_time()
    outputs = engine.translate_tokens(tokens)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert all(len(o) == args.max_decoding_length for o in outputs), "output length not fixed"
    return {"sentences": len(sentences), "seconds": seconds, "cpu_seconds": cpu,
            "sentences_per_second": len(sentences) / seconds, "load_seconds": load_seconds}


def child_pipeline(args: argparse.Namespace) -> dict:
    from pipeline.config import load_config
    from pipeline.po.catalog import Catalog, Entry
    from pipeline.po.write import write_po_file
    from pipeline.pretranslate import PretranslateOptions, pretranslate
    from pipeline.segments import segment_id

    sentences = json.loads((args.workdir / "corpus.json").read_text(encoding="utf-8"))
    project = args.workdir / f"project-{args.compute_type}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.pipeline]\nsource_locale = "zh_Hans"\ntarget_locales = ["en"]\n', encoding="utf-8")
    shutil.copy(REPO / "glossary.yaml", project / "glossary.yaml")
    per_slug = -(-len(sentences) // SLUGS_PER_RUN)

    def write_empty_catalogs() -> None:
        for number in range(SLUGS_PER_RUN):
            chunk = sentences[number * per_slug : (number + 1) * per_slug]
            catalog = Catalog(
                metadata={"Content-Type": "text/plain; charset=UTF-8", "Language": "en"},
                entries=[
                    Entry(msgctxt=segment_id(s), msgid=s, references=(f"a{number}.md:{i}",))
                    for i, s in enumerate(chunk, start=1)
                ],
            )
            write_po_file(project / "locales" / "en" / "LC_MESSAGES" / f"a{number:02}.po", catalog)

    write_empty_catalogs()
    engine, load_seconds = _engine(args)
    engine_seconds = 0.0
    real_translate = engine.translate_batch

    def timed_translate(batch, *, progress=None):
        nonlocal engine_seconds
        started = time.perf_counter()
        try:
            return real_translate(batch, progress=progress)
        finally:
            engine_seconds += time.perf_counter() - started

    engine.translate_batch = timed_translate  # type: ignore[method-assign]
    config = load_config(project)
    options = PretranslateOptions(mt=_settings(args))
    started, cpu_started = time.perf_counter(), time.process_time()
    report = pretranslate(config, options=options, translator_factory=lambda s, t: engine)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert report.locales[0].mt_translated == len(sentences), report.lines()

    started = time.perf_counter()
    unchanged = pretranslate(config, options=options)  # as the CLI would: loads nothing
    rerun_unchanged = time.perf_counter() - started
    assert unchanged.filled == 0

    write_empty_catalogs()
    started = time.perf_counter()
    cached = pretranslate(config, options=options)
    rerun_cached = time.perf_counter() - started
    assert cached.locales[0].mt_cached == len(sentences), cached.lines()
    return {
        "sentences": len(sentences), "seconds": seconds, "cpu_seconds": cpu,
        "sentences_per_second": len(sentences) / seconds, "load_seconds": load_seconds,
        "engine_seconds": engine_seconds, "outside_engine_seconds": seconds - engine_seconds,
        "rerun_unchanged_seconds": rerun_unchanged, "rerun_cached_seconds": rerun_cached,
    }


def child_naive(args: argparse.Namespace) -> dict:
    import ctranslate2

    maximum = args.max_decoding_length

    class BoundedTranslator(ctranslate2.Translator):
        """argostranslate passes no max_decoding_length; give it the same one as (b) and (c)."""

        def translate_batch(self, *positional, **options):
            options["max_decoding_length"] = maximum
            return super().translate_batch(*positional, **options)

    ctranslate2.Translator = BoundedTranslator  # argostranslate looks it up at call time
    from argostranslate import settings
    from argostranslate import translate as argos

    sentences = json.loads((args.workdir / "corpus.json").read_text(encoding="utf-8"))
    sample = sentences[: args.naive_sample]
    if settings.beam_size != args.beam_size:
        raise SystemExit(
            f"argostranslate's beam size is {settings.beam_size}, not {args.beam_size}"
        )
    started = time.perf_counter()
    argos.translate("预热。", "zh", "en")  # loads the model and the sentence splitter
    load_seconds = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    for sentence in sample:
        argos.translate(sentence, "zh", "en")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "sentences": len(sample), "seconds": seconds, "cpu_seconds": cpu,
        "sentences_per_second": len(sample) / seconds, "load_seconds": load_seconds,
        "settings": {
            "beam_size": settings.beam_size, "compute_type": settings.compute_type,
            "inter_threads": settings.inter_threads, "intra_threads": settings.intra_threads,
            "batch_size": settings.batch_size, "chunk_type": settings.chunk_type.name,
        },
    }


CHILDREN = {"bare": child_bare, "pipeline": child_pipeline, "naive": child_naive}


if __name__ == "__main__":
    main()
