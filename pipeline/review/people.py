"""Who is who: the one comparison of people's names for the second-person rule.

A name is written as ``Li Na``, ``li.na@example.org`` or ``Li Na <li.na@example.org>`` (as
``Last-Translator`` holds it); two names name the same person when they share the full text,
the display name or the e-mail address, compared without case and with spaces collapsed.
"""

from __future__ import annotations

from email.utils import parseaddr

__all__ = ["is_named", "is_same_person"]

#: The Last-Translator value of a fresh catalog: nobody has signed it yet.
PLACEHOLDER = "FULL NAME <EMAIL@ADDRESS>"


def is_same_person(name: str, other: str) -> bool:
    """Do two names (``Li Na``, ``li.na@example.org``, ``Li Na <li.na@example.org>``) name the
    same person? Compared without case, by full text, display name or e-mail address.

    >>> is_same_person("li.na@example.org", "Li Na <Li.Na@example.org>")
    True
    >>> is_same_person("Wang Wei", "Li Na <li.na@example.org>")
    False
    """
    return bool(_identities(name) & _identities(other))


def _identities(value: str) -> set[str]:
    value = " ".join(value.split())
    if not value or value == PLACEHOLDER:
        return set()
    display, address = parseaddr(value)
    found = {value.casefold()}
    if display.strip():
        found.add(" ".join(display.split()).casefold())
    if "@" in address:
        found.add(address.casefold())
    return found


def is_named(value: str) -> bool:
    """Does ``value`` name someone (not empty, not the template's placeholder)?

    >>> is_named("FULL NAME <EMAIL@ADDRESS>"), is_named("Zhang Wei")
    (False, True)
    """
    return bool(_identities(value))
