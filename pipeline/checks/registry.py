"""The checks registry: what a check is, the one signature of each kind, and the list of them.

This module imports no check, so every check module imports it without a cycle; the
package's ``__init__`` imports the check modules (which registers them, in order) and runs
them. A check is a small pure function registered with a decorator that names its kind:

==================  ==========================================================  ===========
decorator           signature                                                   looks at
==================  ==========================================================  ===========
``text_check``      ``(source, translation, ctx) -> Iterable[str]``             one source
                                                                                text and its
                                                                                translation
``entry_check``     ``(entry, ctx) -> Iterable[str]``                           one catalog
                                                                                entry (flags,
                                                                                comments)
``locale_check``    ``(translations, ctx) -> Iterable[tuple[Translation, str]]``  every
                                                                                translation of
                                                                                one locale
==================  ==========================================================  ===========

Each yields one message per problem (a locale check pairs it with the translation it is
about) and never opens a file. Every check has a **name** (lower case, hyphens), a
**severity** (``error`` blocks approval and publication, ``warning`` informs), a **waiver**
(the flag ``#, ignore-NAME`` or the comment ``# ignore-NAME: why`` switches it off for one
entry, visibly) and a **docstring** whose first paragraph is the one-sentence summary that
``pipeline check --list`` and the README show. To add a check, write it in a module of
``pipeline/checks/`` and add the module to ``CHECK_MODULES`` in the package's ``__init__``::

    from pipeline.checks.registry import text_check

    @text_check("numbers", severity="error")
    def numbers(source: str, translation: str, ctx: CheckContext) -> Iterator[str]:
        \"\"\"Every number of the source is in the translation, by value, and vice versa.\"\"\"
        ...

>>> from pipeline.checks import CHECKS
>>> CHECKS["numbers"].waiver, CHECKS["numbers"].kind, CHECKS["numbers"].severity
('ignore-numbers', 'text', 'error')
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

# One home for the waiver spelling: merges (pipeline.po.merge) must recognise waivers too.
from pipeline.po.catalog import WAIVER_PREFIX

if TYPE_CHECKING:
    from pipeline.checks.context import CheckContext
    from pipeline.po.catalog import Entry

__all__ = [
    "CHECKS",
    "WAIVER_PREFIX",
    "Check",
    "EntryCheck",
    "Finding",
    "Kind",
    "LocaleCheck",
    "Severity",
    "TextCheck",
    "Translation",
    "checks_of_kind",
    "checks_table",
    "entry_check",
    "locale_check",
    "text_check",
]

Severity = Literal["error", "warning"]
Kind = Literal["text", "entry", "locale"]



@dataclass(frozen=True, kw_only=True)
class Translation:
    """One translated entry of one catalog, as a ``locale`` check sees it."""

    where: str  # "path:line", as reports show it
    source: str
    translation: str
    draft: bool
    key: object = None  # the caller's handle on the entry, returned with the message


#: A ``text`` check: one source text and its translation.
TextCheck = Callable[[str, str, "CheckContext"], Iterable[str]]
#: An ``entry`` check: one catalog entry, its flags and comments included.
EntryCheck = Callable[["Entry", "CheckContext"], Iterable[str]]
#: A ``locale`` check: every translation of one locale, across the catalogs.
LocaleCheck = Callable[[Sequence[Translation], "CheckContext"], Iterable[tuple[Translation, str]]]


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem found by one check.

    ``waived`` is set when the entry waives the check; ``waiver_note`` is the reason the
    translator gave, if any. A waived error no longer blocks, but it is still reported.
    """

    check: str
    severity: Severity
    message: str
    waived: bool = False
    waiver_note: str | None = None

    @property
    def is_blocking(self) -> bool:
        """An unwaived error: the entry cannot be approved, the article cannot be published."""
        return self.severity == "error" and not self.waived


@dataclass(frozen=True, kw_only=True)
class Check:
    """A registered check: its name, kind, severity, waiver, summary and function."""

    name: str
    kind: Kind
    severity: Severity
    summary: str  # the first paragraph of the docstring, on one line
    doc: str = field(compare=False, repr=False)
    waivable: bool = True
    function: Callable[..., Iterable[Any]] = field(compare=False, repr=False)

    @property
    def waiver(self) -> str | None:
        """The flag (or comment keyword) that waives this check, None if it cannot be waived."""
        return WAIVER_PREFIX + self.name if self.waivable else None


#: Every check, in the order they run and are listed.
CHECKS: dict[str, Check] = {}

_NAME_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_F = TypeVar("_F", bound=Callable[..., Any])


def _register(name: str, kind: Kind, severity: Severity, waivable: bool) -> Callable[[_F], _F]:
    if not _NAME_RE.fullmatch(name):
        raise ValueError(f"check name {name!r}: use lower-case words joined by hyphens")
    if severity not in ("error", "warning"):
        raise ValueError(f"check {name!r}: severity is 'error' or 'warning', not {severity!r}")

    def register(function: _F) -> _F:
        if name in CHECKS:
            raise ValueError(f"check {name!r} is registered twice")
        doc = inspect.getdoc(function) or ""
        summary = " ".join(doc.split("\n\n")[0].split())
        if not summary:
            raise ValueError(f"check {name!r} needs a docstring: its first line is the summary")
        CHECKS[name] = Check(
            name=name,
            kind=kind,
            severity=severity,
            summary=summary,
            doc=doc,
            waivable=waivable,
            function=function,
        )
        return function

    return register


def text_check(name: str, *, severity: Severity, waivable: bool = True) -> Callable[[_F], _F]:
    """Register ``(source, translation, ctx) -> Iterable[str]`` as the check ``name``."""
    return _register(name, "text", severity, waivable)


def entry_check(name: str, *, severity: Severity, waivable: bool = True) -> Callable[[_F], _F]:
    """Register ``(entry, ctx) -> Iterable[str]`` as the check ``name``."""
    return _register(name, "entry", severity, waivable)


def locale_check(name: str, *, severity: Severity, waivable: bool = True) -> Callable[[_F], _F]:
    """Register ``(translations, ctx) -> Iterable[(translation, message)]`` as ``name``."""
    return _register(name, "locale", severity, waivable)


def checks_of_kind(kind: Kind) -> tuple[Check, ...]:
    """The registered checks of one kind, in registry order."""
    return tuple(registered for registered in CHECKS.values() if registered.kind == kind)


def checks_table() -> list[dict[str, str]]:
    """The registered checks as rows (name, severity, kind, waiver, summary), for docs and
    ``pipeline check --list``."""
    return [
        {
            "name": c.name,
            "severity": c.severity,
            "kind": c.kind,
            "waiver": c.waiver or "",
            "summary": c.summary,
        }
        for c in CHECKS.values()
    ]
