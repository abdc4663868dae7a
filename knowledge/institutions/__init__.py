"""The four institutions: profiles, their source provisions, and name recognition."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from knowledge.core import Text
from knowledge.institutions import cpu, jsnu, qjnu, westlake
from knowledge.institutions.base import (
    FOLLOWS_BOTH,
    FOLLOWS_EN,
    FOLLOWS_MIXED,
    FOLLOWS_ZH,
    Institution,
    Provision,
)

__all__ = [
    "FOLLOWS_BOTH",
    "FOLLOWS_EN",
    "FOLLOWS_MIXED",
    "FOLLOWS_ZH",
    "INSTITUTION_CODES",
    "OTHER_UNIVERSITY",
    "Institution",
    "Provision",
    "all_provisions",
    "find_institution",
    "institution",
    "provisions",
    "recognise_university",
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


OTHER_UNIVERSITY: Final = "OTHER"
"""What ``recognise_university`` returns for a university that is not one of the four."""


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
_ALIAS_NAMES: Final = frozenset(
    alias.casefold() for code in INSTITUTION_CODES for alias in _PROFILES[code].aliases
)
# Each university's own international office, as its source names it: "JSNU International
# College" is JSNU's, where "Qujing Medical College" is another school.
_UNIT_NAMES: Final = frozenset(
    name.casefold() for code in INSTITUTION_CODES for name in (_PROFILES[code].office.en,
                                                                _PROFILES[code].office.zh)
)

# ---------------------------------------------------------------- names of universities
# A name ends in one of these; the characters before it, back to a word that cannot be part
# of a name, are the rest of it ("我在沈阳药科大学读书" -> 沈阳药科大学).
_CHINESE_SUFFIXES: Final = ("大学", "学校", "师范学院", "职业技术学院", "职业学院", "师大", "药大",
                            "医大", "师专", "高专", "医专")
_NOT_IN_A_NAME: Final = frozenset(
    "我你您他她它们这那哪个所在是的了和与及或从到去来于读念考进为对向给被把让请问吗呢吧啊么"
    "什怎几每各某本贵该其此些都也还就要想能会可以不没有将已经曾又很最第转自"
)
_NOT_A_NAME: Final = frozenset({"中国大学", "国外大学", "国内大学", "重点大学", "名牌大学",
                                "国际学校", "语言学校"})
_CJK: Final = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_NAME: Final = re.compile(
    r"((?:[A-Z][\w'&.-]*\s+){1,6})(?:University|College|Institute|Academy)\b"
    r"|\bUniversity\s+of(?:\s+[A-Z][\w'-]*)+"
)
# Words that describe a university without naming it ("my previous University").
_DESCRIPTIONS: Final = frozenset({
    "the", "which", "what", "my", "our", "your", "this", "that", "a", "an", "any", "each",
    "every", "another", "other", "same", "international", "chinese", "foreign", "language",
    "normal", "medical", "pharmaceutical", "graduate", "business", "previous", "former",
    "current", "new", "old", "local", "overseas", "home", "partner", "different", "public",
    "private", "i", "i'm", "at", "in", "from", "to",
})


def _chinese_names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every Chinese university name in ``text``."""
    found = []
    for suffix in _CHINESE_SUFFIXES:
        for match in re.finditer(suffix, text):
            end = match.end()
            if suffix == "大学" and text[end:end + 1] == "生":
                continue  # 大学生: a university student, not a name
            start = match.start()
            while start > 0 and _CJK.match(text[start - 1]) and \
                    text[start - 1] not in _NOT_IN_A_NAME:
                start -= 1
            name = text[start:end]
            if start < match.start() and name not in _NOT_A_NAME:
                found.append((start, end, name))
    return found


def _english_names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every English university name in ``text`` ("Nanjing University")."""
    found = []
    for match in _ENGLISH_NAME.finditer(text):
        words = list(re.finditer(r"\S+", match.group()))
        while words and words[0].group().casefold() in _DESCRIPTIONS:
            words.pop(0)
        body = [word.group() for word in words]
        if body[:2] == ["University", "of"]:
            naming = body[2:]
        else:
            naming = [word for word in body[:-1] if word.casefold() not in _DESCRIPTIONS]
        if naming:
            found.append((match.start() + words[0].start(), match.end(), " ".join(body)))
    return found


def _university_names(text: str) -> list[tuple[int, int, str]]:
    return _chinese_names(text) + _english_names(text)


def _names_ours(name: str) -> bool:
    """One of the four's names, or one of them with an international office's name after it
    ("JSNU International College", "江苏师范大学国际学院")."""
    folded = name.casefold()
    return folded in _ALIAS_NAMES or any(
        folded == alias + (" " if alias.isascii() else "") + unit
        for alias in _ALIAS_NAMES for unit in _UNIT_NAMES)


def _ours(text: str, names: list[tuple[int, int, str]]) -> str | None:
    """The first of the four named, where the name is not part of another university's."""
    others = [(start, end) for start, end, name in names if not _names_ours(name)]
    best: tuple[int, int, str] | None = None
    for pattern, length, code in _ALIASES:
        for match in pattern.finditer(text):
            inside_another = any(start <= match.start() and match.end() <= end
                                 and (start, end) != match.span() for start, end in others)
            if inside_another:
                continue
            candidate = (match.start(), -length, code)
            if best is None or candidate < best:
                best = candidate
            break
    return None if best is None else best[2]


def _city_pattern(city: Text) -> re.Pattern[str]:
    """"I study in Xuzhou", "我在徐州读书": where the person studies, lives or works."""
    english = (rf"\b(?:stud(?:y|ying|ies|ent)|live|living|work|working|based)\b"
               rf"(?:\s+\w+){{0,3}}?\s+(?:in|at)\s+{re.escape(city.en)}\b")
    chinese = (rf"(?:在|于){city.zh}(?:读书|上学|学习|留学|读研|读博|念书|上课|工作|生活|住)"
               rf"|{city.zh}的?留学生")
    return re.compile(f"{english}|{chinese}", re.IGNORECASE)


_CITIES: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (_city_pattern(profile.city), code) for code, profile in _PROFILES.items()
    if profile.city is not None
)


def recognise_university(text: str) -> str | None:
    """Which university a message points to: a code, ``OTHER_UNIVERSITY``, or None.

    One of the four when it is named ("江苏师大", "JSNU", "Westlake"; the first named wins,
    and at the same position the longer name) and the name is not part of another
    university's ("沈阳药科大学" is not 药科大学, "曲靖医学高等专科学校" is not 曲靖).
    ``OTHER_UNIVERSITY`` when the message names a university that is not one of the four.
    Otherwise, a city that a source names, where the person says they study, live or work
    ("I study in Xuzhou" -> JSNU); None when nothing points anywhere.
    """
    names = _university_names(text)
    ours = _ours(text, names)
    if ours is not None:
        return ours
    if names:
        return OTHER_UNIVERSITY
    return next((code for pattern, code in _CITIES if pattern.search(text)), None)


def find_institution(text: str) -> str | None:
    """The code of the one of the four a message points to, or None.

    None also when the message names another university: the assistant has no regulations
    for it and must not answer with another's (``recognise_university`` tells the two apart).
    """
    code = recognise_university(text)
    return None if code == OTHER_UNIVERSITY else code
