"""The examples in the glossary modules' docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pipeline.glossary",
    "pipeline.glossary.terms",
    "pipeline.glossary.normalize",
    "pipeline.glossary.matcher",
    "pipeline.glossary.model",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
