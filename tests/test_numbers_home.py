"""Numbers have one home: no module but :mod:`pipeline.tokens.numbers` holds a number regex.

A *number regex* is one that takes a number as written in a text (``89.1``, ``1,200``,
``3.04%``, ``1.2万``, ``八十九点一``) as a whole, while a plain word is not one: copies of
such patterns drifted apart before (MT verification read ``1.2万`` as ``1.2``). Patterns for
other syntaxes (PO keywords, timestamps, slugs, tags) do not take these texts whole, and
patterns that take any word (tokenisers) are not about numbers.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pipeline

HOME = "pipeline.tokens.numbers"
NUMBERS = ("89.1", "1,200", "3.04%", "90.8%", "1.2万", "八十九点一", "1-2", "285")
WORDS = ("患者", "patients", "Grade", "NTRK")


def _is_number_regex(pattern: re.Pattern[str]) -> bool:
    if any(pattern.fullmatch(word) for word in WORDS):
        return False
    return sum(1 for text in NUMBERS if pattern.fullmatch(text)) >= 2


def _modules() -> Iterator[str]:
    yield "pipeline"
    for info in pkgutil.walk_packages(pipeline.__path__, prefix="pipeline."):
        yield info.name


def _module_patterns(value: object, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield value
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from _module_patterns(item, depth + 1)
    elif depth < 2 and isinstance(value, (tuple, list)):
        for item in value:
            yield from _module_patterns(item, depth + 1)


def _literal_patterns(path: Path) -> Iterator[tuple[int, str]]:
    """Regex literals given to ``re`` functions inside functions, where the module's
    attributes do not show them."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def test_the_test_recognises_a_number_regex() -> None:
    # The regex MT verification had of its own before numbers got one home.
    assert _is_number_regex(re.compile(r"\d+(?:[.,]\d+)*"))
    assert not _is_number_regex(re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*"))
    assert not _is_number_regex(re.compile(r"\d{1,3}:\d{2}:\d{2}[,.]\d{3}"))


def test_no_number_regex_lives_outside_its_home() -> None:
    # The home's patterns, wherever they are imported, are the home's.
    seen = {
        id(pattern)
        for pattern in _module_patterns(list(vars(importlib.import_module(HOME)).values()))
    }
    found = []
    for name in _modules():
        if name == HOME:
            continue
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            for pattern in _module_patterns(value):
                if id(pattern) not in seen and _is_number_regex(pattern):
                    found.append(f"{name}.{attribute}: {pattern.pattern}")
                seen.add(id(pattern))
        path = Path(module.__file__ or "")
        for line, text in _literal_patterns(path):
            try:
                pattern = re.compile(text)
            except re.error:
                continue
            if _is_number_regex(pattern):
                found.append(f"{path.name}:{line}: {text}")
    assert found == [], f"read numbers with {HOME} instead"
