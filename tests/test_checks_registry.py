"""The checks registry: one signature per kind, names, severities, waivers, no import cycle."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.checks import (
    CHECK_MODULES,
    CHECKS,
    CheckContext,
    check_catalog,
    checks_of_kind,
    checks_table,
)
from pipeline.checks.registry import entry_check, text_check
from pipeline.po.catalog import Catalog, Entry

CHECKS_DIR = Path(__file__).resolve().parent.parent / "pipeline" / "checks"
ZH_EN = CheckContext(source_locale="zh_Hans", target_locale="en")

# The parameters every check of a kind takes, in order.
SIGNATURES = {
    "text": ["source", "translation", "ctx"],
    "entry": ["entry", "ctx"],
    "locale": ["translations", "ctx"],
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_every_check_has_the_signature_of_its_kind(name: str) -> None:
    registered = CHECKS[name]
    parameters = list(inspect.signature(registered.function).parameters)
    assert parameters == SIGNATURES[registered.kind]
    assert registered.doc.startswith(registered.summary.split()[0])


def test_each_kind_lists_its_checks_in_registry_order() -> None:
    assert [c.name for c in checks_of_kind("entry")] == ["waiver"]
    assert [c.name for c in checks_of_kind("locale")] == ["consistency"]
    text = [c.name for c in checks_of_kind("text")]
    assert text == [name for name in CHECKS if CHECKS[name].kind == "text"]
    assert text[:3] == ["numbers", "quantities", "glossary"]


def test_every_check_but_the_waiver_check_has_a_waiver() -> None:
    waivers = {row["name"]: row["waiver"] for row in checks_table()}
    assert waivers.pop("waiver") == ""
    assert all(waiver == f"ignore-{name}" for name, waiver in waivers.items())


def test_waiving_the_waiver_check_waives_nothing_and_says_so() -> None:
    entry = Entry(msgctxt="s", msgid="有效。", msgstr="Effective.", flags=("ignore-waiver",))
    [result] = check_catalog(Catalog(entries=[entry]), ZH_EN)
    [finding] = result.findings
    assert (finding.check, finding.waived) == ("waiver", False)
    assert finding.message.startswith(
        "ignore-waiver names no check; known checks: acronyms, alternatives, consistency"
    )
    assert "waiver," not in finding.message


@pytest.mark.parametrize(
    ("register", "name", "severity", "message"),
    [
        (
            text_check,
            "Numbers",
            "error",
            "check name 'Numbers': use lower-case words joined by hyphens",
        ),
        (text_check, "numbers", "error", "check 'numbers' is registered twice"),
        (
            entry_check,
            "new-check",
            "fatal",
            "check 'new-check': severity is 'error' or 'warning', not 'fatal'",
        ),
    ],
)
def test_registration_refuses_bad_names_severities_and_duplicates(
    register,
    name: str,
    severity: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    def function(source: str, translation: str, ctx: CheckContext) -> list[str]:
        """Finds nothing."""
        return []

    with pytest.raises(ValueError) as caught:
        register(name, severity=severity)(function)
    assert str(caught.value) == message
    assert CHECKS["numbers"].function is not function


def test_a_check_without_a_docstring_is_refused() -> None:
    def undocumented(source: str, translation: str, ctx: CheckContext) -> list[str]:
        return []

    with pytest.raises(ValueError, match="needs a docstring"):
        text_check("undocumented", severity="warning")(undocumented)
    assert "undocumented" not in CHECKS


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("module", CHECK_MODULES)
def test_no_check_module_imports_the_package_that_imports_it(module: str) -> None:
    # The old layout registered through ``pipeline.checks`` itself: a cycle that only worked
    # because the package imported its check modules at its very end.
    path = CHECKS_DIR / (module.rsplit(".", 1)[1] + ".py")
    assert "pipeline.checks" not in _imports(path)
    assert "pipeline.checks.registry" in _imports(path)


@pytest.mark.parametrize("module", ["registry", "context"])
def test_the_registry_and_the_context_import_no_check(module: str) -> None:
    imported = _imports(CHECKS_DIR / f"{module}.py")
    assert not imported & {*CHECK_MODULES, "pipeline.checks", "pipeline.checks.run"}


@pytest.mark.parametrize("module", CHECK_MODULES)
def test_each_check_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    code = f"import {module}, pipeline.checks as c; print(len(c.CHECKS))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(CHECKS)
