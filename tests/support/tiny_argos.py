"""Build an argostranslate package (``.argosmodel``) with a random-weight model, on the fly.

Real models cannot be downloaded in tests, so this makes one that is real in every respect but
its weights: a SentencePiece model trained on a few lines, a CTranslate2 Transformer whose
every weight is a seeded random array, the vocabularies registered, ``spec.validate()`` and
``spec.save()``, zipped under one top-level folder with a correct ``metadata.json``. Its output
is nonsense, but loading, tokenizing, batching and decoding are all the real thing.

The sizes are parameters so the benchmark can build an Argos-size model (6+6 layers, d_model
512, 8 heads, FFN 2048, ~32k vocabulary) with the same code::

    build_argos_package(tmp_path / "zh_en.argosmodel", from_code="zh", to_code="en")

Needs ``ctranslate2``, ``sentencepiece`` and ``numpy`` (the ``mt`` extra), never torch.
"""

from __future__ import annotations

import atexit
import functools
import io
import json
import random
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ARGOS_SIZE",
    "TINY",
    "ModelSize",
    "build_argos_package",
    "cached_package",
    "sample_corpus",
]


@dataclass(frozen=True, kw_only=True)
class ModelSize:
    layers: int = 1
    d_model: int = 16
    heads: int = 2
    ffn: int = 32
    vocab: int = 256


TINY = ModelSize()
ARGOS_SIZE = ModelSize(layers=6, d_model=512, heads=8, ffn=2048, vocab=32000)

_ZH_LINES = [
    "拉罗替尼是一种高选择性的TRK抑制剂。",
    "NTRK融合基因见于多种实体瘤。",
    "颅内客观缓解率为90.8%。",
    "中位无进展生存期为28.3个月。",
    "最常见的不良反应为1-2级头晕。",
    "患者对第一代抑制剂产生了G595R耐药突变。",
    "二代抑制剂的活性提高了285倍。",
    "医生建议每天服用两次，每次100毫克。",
    "该研究共纳入了55名成人和儿童患者。",
    "疗效持续时间超过一年的患者占比为89.1%。",
]
_EN_LINES = [
    "Larotrectinib is a highly selective TRK inhibitor.",
    "NTRK fusion genes occur in many solid tumours.",
    "The intracranial objective response rate was 90.8%.",
    "Median progression-free survival was 28.3 months.",
    "The most common adverse reaction was grade 1-2 dizziness.",
    "The patient developed a G595R resistance mutation to first-generation inhibitors.",
    "Second-generation inhibitors were 285-fold more active.",
    "The doctor recommends 100 mg twice a day.",
    "The study enrolled 55 adult and paediatric patients.",
    "89.1% of patients had a response lasting more than one year.",
]


def sample_corpus() -> list[str]:
    """The few lines the SentencePiece model is trained on (Chinese and English)."""
    return [*_ZH_LINES, *_EN_LINES]


def build_argos_package(
    path: Path,
    *,
    from_code: str = "zh",
    to_code: str = "en",
    size: ModelSize = TINY,
    seed: int = 0,
    weights_seed: int | None = None,
    package_version: str = "1.0",
    corpus: list[str] | None = None,
    never_end: bool = False,
    quantization: str | None = None,
    extra_files: dict[str, bytes] | None = None,
    extra_dirs: dict[str, Path] | None = None,
) -> Path:
    """Write a valid ``.argosmodel`` at ``path`` and return ``path``.

    ``never_end`` gives the end-of-sentence token a large negative bias, so every output runs
    to ``max_decoding_length`` and timings compare equal work. ``quantization`` (``int8``, as
    published Argos models are stored) shrinks the saved weights. ``extra_files`` (archive-relative
    name -> bytes) and ``extra_dirs`` (name -> directory copied in) add files inside the
    package folder, e.g. a sentence-splitter model for argostranslate's own ``translate()``.
    ``weights_seed`` (default: ``seed``) draws other weights for the same vocabulary and
    architecture: every file keeps its size, only the weights differ.
    """
    import numpy as np

    path = Path(path)
    folder = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / folder
        root.mkdir()
        pieces = _train_sentencepiece(root / "sentencepiece.model", size.vocab, corpus, seed)
        _build_model(
            root / "model",
            pieces,
            size,
            np.random.default_rng(seed if weights_seed is None else weights_seed),
            never_end,
            quantization,
        )
        metadata = {
            "package_version": package_version,
            "argos_version": "1.0",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "type": "translate",
            "code": f"translate-{from_code}_{to_code}",
            "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (root / "README.md").write_text("Random-weight test model.\n", encoding="utf-8")
        for name, data in (extra_files or {}).items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for name, directory in (extra_dirs or {}).items():
            shutil.copytree(directory, root / name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
            for file in sorted(root.rglob("*")):
                archive.write(file, file.relative_to(work).as_posix())
    return path


@functools.cache
def cached_package(from_code: str = "zh", to_code: str = "en", seed: int = 0) -> Path:
    """A tiny package built once per test session (in a temporary directory removed at exit)."""
    directory = Path(tempfile.mkdtemp(prefix="tiny-argos-"))
    atexit.register(shutil.rmtree, directory, True)
    return build_argos_package(
        directory / f"{from_code}_{to_code}.argosmodel", from_code=from_code, to_code=to_code,
        seed=seed,
    )


def _train_sentencepiece(
    model_path: Path, vocab_size: int, corpus: list[str] | None, seed: int
) -> list[str]:
    """Train a SentencePiece model of about ``vocab_size`` pieces; return the pieces."""
    import sentencepiece as spm

    lines = corpus or sample_corpus()
    characters = len(set("".join(lines)))
    # A few lines cannot support a large vocabulary: learn what they support and pad the rest
    # with user-defined symbols (pieces that never occur in text), so the model still has an
    # Argos-size embedding and output layer.
    learnable = min(vocab_size, characters + 60)
    padding = vocab_size - learnable
    rng = random.Random(seed)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 3 if len(lines) < 100 else lines),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        user_defined_symbols=[f"<x{rng.randrange(10**9)}_{i}>" for i in range(padding)],
        minloglevel=2,
        num_threads=1,
    )
    model_path.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _build_model(
    directory: Path,
    pieces: list[str],
    size: ModelSize,
    rng,
    never_end: bool,
    quantization: str | None,
) -> None:
    import numpy as np

    transformer_spec = _import_transformer_spec()
    spec = transformer_spec.TransformerSpec.from_config((size.layers, size.layers), size.heads)
    d, ffn, vocab = size.d_model, size.ffn, len(pieces)

    def weights(*shape: int):
        return (rng.standard_normal(shape, dtype=np.float32) * (1.0 / np.sqrt(shape[-1]))).astype(
            np.float32
        )

    def fill_linear(linear, rows: int, columns: int) -> None:
        linear.weight = weights(rows, columns)
        linear.bias = np.zeros(rows, dtype=np.float32)

    def fill_norm(norm) -> None:
        norm.gamma = np.ones(d, dtype=np.float32)
        norm.beta = np.zeros(d, dtype=np.float32)

    def fill_attention(attention, *, self_attention: bool) -> None:
        fill_norm(attention.layer_norm)
        if self_attention:  # fused query/key/value, then output
            fill_linear(attention.linear[0], 3 * d, d)
            fill_linear(attention.linear[1], d, d)
        else:  # query, fused key/value, output
            fill_linear(attention.linear[0], d, d)
            fill_linear(attention.linear[1], 2 * d, d)
            fill_linear(attention.linear[2], d, d)

    def fill_ffn(block) -> None:
        fill_norm(block.layer_norm)
        fill_linear(block.linear_0, ffn, d)
        fill_linear(block.linear_1, d, ffn)

    for embeddings in spec.encoder.embeddings:
        embeddings.weight = weights(vocab, d)
    for layer in spec.encoder.layer:
        fill_attention(layer.self_attention, self_attention=True)
        fill_ffn(layer.ffn)
    fill_norm(spec.encoder.layer_norm)

    spec.decoder.embeddings.weight = weights(vocab, d)
    for layer in spec.decoder.layer:
        fill_attention(layer.self_attention, self_attention=True)
        fill_attention(layer.attention, self_attention=False)
        fill_ffn(layer.ffn)
    fill_norm(spec.decoder.layer_norm)
    spec.decoder.projection.weight = weights(vocab, d)
    bias = np.zeros(vocab, dtype=np.float32)
    if never_end:
        bias[pieces.index("</s>")] = -1e4
    spec.decoder.projection.bias = bias

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization=quantization)
    directory.mkdir(parents=True, exist_ok=True)
    spec.save(str(directory))


def _import_transformer_spec():
    """``ctranslate2.specs`` imports torch when it can (2 s, 500 MB); it needs none of it here."""
    blocked = "torch" not in sys.modules
    if blocked:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes "import torch" fail
    try:
        from ctranslate2.specs import transformer_spec
    finally:
        if blocked and sys.modules.get("torch", False) is None:
            del sys.modules["torch"]
    return transformer_spec
