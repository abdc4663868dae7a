"""The four institutions: profiles, their source provisions, and name recognition."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from knowledge.institutions import cpu, jsnu, qjnu, westlake
from knowledge.institutions.base import (
    FOLLOWS_BOTH,
    FOLLOWS_EN,
    FOLLOWS_ZH,
    Institution,
    Provision,
)

__all__ = [
    "FOLLOWS_BOTH",
    "FOLLOWS_EN",
    "FOLLOWS_ZH",
    "INSTITUTION_CODES",
    "Institution",
    "Provision",
    "all_provisions",
    "find_institution",
    "institution",
    "provisions",
]

INSTITUTION_CODES: Final[tuple[str, ...]] = (cpu.CODE, jsnu.CODE, westlake.CODE, qjnu.CODE)

_PROFILES: Final[Mapping[str, Institution]] = MappingProxyType(
    {module.CODE: module.PROFILE for module in (cpu, jsnu, westlake, qjnu)}
)
_PROVISIONS: Final[Mapping[str, tuple[Provision, ...]]] = MappingProxyType(
    {module.CODE: module.PROVISIONS for module in (cpu, jsnu, westlake, qjnu)}
)


def institution(code: str) -> Institution:
    """The profile of the institution with this code (case-insensitive); ValueError if unknown."""
    profile = _PROFILES.get(code.strip().upper())
    if profile is None:
        known = ", ".join(INSTITUTION_CODES)
        raise ValueError(f"unknown institution code {code!r}; known: {known}")
    return profile


def provisions(code: str) -> tuple[Provision, ...]:
    """Every article, question or responsibility of one institution's source, in order."""
    return _PROVISIONS[institution(code).code]


def all_provisions() -> tuple[Provision, ...]:
    """The provisions of all four sources."""
    return tuple(item for code in INSTITUTION_CODES for item in _PROVISIONS[code])


def _alias_pattern(alias: str) -> re.Pattern[str]:
    """Latin aliases match whole words only ("CPU" must not match inside another word)."""
    if alias.isascii():
        words = r"\s+".join(re.escape(part) for part in alias.split())
        return re.compile(rf"(?<![a-z0-9]){words}(?![a-z0-9])", re.IGNORECASE)
    return re.compile(re.escape(alias))


_ALIASES: Final[tuple[tuple[re.Pattern[str], int, str], ...]] = tuple(
    (_alias_pattern(alias), len(alias), code)
    for code in INSTITUTION_CODES
    for alias in _PROFILES[code].aliases
)


def find_institution(text: str) -> str | None:
    """The code of the institution a message names ("江苏师大", "JSNU", "Westlake" ...), or None.

    When several are named, the one mentioned first wins; at the same position the longer
    name wins (so "西湖大学" beats a shorter alias starting there).
    """
    best: tuple[int, int, str] | None = None
    for pattern, length, code in _ALIASES:
        match = pattern.search(text)
        if match is None:
            continue
        candidate = (match.start(), -length, code)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[2]
