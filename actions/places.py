"""Countries, regions and a few cities named in a message: a trip's destination, a visitor's
country ("I'm flying to Bangkok", "邀请一位印度学者", "three candidates from the US").

Country and region names come from the CLDR data that Babel ships (English and Chinese), with
the short forms people type; cities are the ones trips from a Chinese university most often
go to. China itself is never a destination or a visitor's country here: every request that
asks for one is about going abroad or coming from abroad (Hong Kong, Macao and Taiwan count as
destinations: trips there are approved as trips abroad are).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Final

from babel import Locale

# Short or common names CLDR writes otherwise ("Hong Kong SAR China", "United States").
_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "HK": ("Hong Kong", "香港"),
    "MO": ("Macao", "Macau", "澳门"),
    "TW": ("Taiwan", "台湾", "臺灣"),
    "US": ("USA", "U.S.", "the US", "America", "United States of America", "美国"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "英国", "英格兰"),
    "KR": ("Korea", "South Korea", "韩国", "南韩"),
    "RU": ("Russia", "俄罗斯"),
    "TR": ("Turkey", "土耳其"),
    "VN": ("Vietnam", "Viet Nam", "越南"),
    "AE": ("UAE", "Emirates", "阿联酋"),
    "CZ": ("Czech Republic", "Czechia", "捷克"),
    "NL": ("Holland", "the Netherlands", "荷兰"),
}

# What people call someone from a country ("a German professor").
_DEMONYMS: Final[dict[str, tuple[str, ...]]] = {
    # Not "English": it is the language people ask to go on in far more often.
    "US": ("American",), "GB": ("British",), "DE": ("German",), "FR": ("French",),
    "IT": ("Italian",), "ES": ("Spanish",), "JP": ("Japanese",), "KR": ("Korean",),
    "IN": ("Indian",), "PK": ("Pakistani",), "RU": ("Russian",), "TH": ("Thai",),
    "VN": ("Vietnamese",), "AU": ("Australian",), "CA": ("Canadian",), "BR": ("Brazilian",),
    "NL": ("Dutch",), "SE": ("Swedish",), "CH": ("Swiss",), "SG": ("Singaporean",),
    "MY": ("Malaysian",), "ID": ("Indonesian",), "NG": ("Nigerian",), "EG": ("Egyptian",),
    "KZ": ("Kazakh",), "MN": ("Mongolian",), "BD": ("Bangladeshi",), "NP": ("Nepali",),
}

_CITIES: Final[tuple[str, ...]] = (
    "Tokyo", "Osaka", "Kyoto", "Seoul", "Busan", "Bangkok", "Singapore", "Kuala Lumpur",
    "Hanoi", "Ho Chi Minh City", "Jakarta", "Manila", "New Delhi", "Delhi", "Mumbai",
    "Dubai", "Moscow", "London", "Paris", "Berlin", "Munich", "Vienna", "Rome", "Milan",
    "Madrid", "Barcelona", "Amsterdam", "Geneva", "Zurich", "Stockholm", "Prague",
    "New York", "Boston", "San Francisco", "Los Angeles", "Chicago", "Toronto", "Vancouver",
    "Sydney", "Melbourne", "Auckland", "Cairo", "Nairobi", "Lahore", "Karachi", "Islamabad",
    "Kathmandu", "Dhaka", "Almaty", "Tashkent", "Ulaanbaatar",
    "东京", "大阪", "京都", "首尔", "釜山", "曼谷", "新加坡", "吉隆坡", "河内", "胡志明市",
    "雅加达", "马尼拉", "新德里", "孟买", "迪拜", "莫斯科", "伦敦", "巴黎", "柏林", "慕尼黑",
    "维也纳", "罗马", "米兰", "马德里", "巴塞罗那", "阿姆斯特丹", "日内瓦", "苏黎世",
    "斯德哥尔摩", "布拉格", "纽约", "波士顿", "旧金山", "洛杉矶", "芝加哥", "多伦多",
    "温哥华", "悉尼", "墨尔本", "奥克兰", "开罗", "内罗毕", "拉合尔", "卡拉奇",
    "伊斯兰堡", "加德满都", "达卡", "阿拉木图", "塔什干", "乌兰巴托",
)

_NOT_ABROAD: Final = "CN"
# CLDR codes that are no place one travels to or comes from (the EU, the UN, test locales).
_NOT_PLACES: Final = frozenset({_NOT_ABROAD, "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
# Names that are also common words or given names: only capitalised ("Jordan", not "jordan").
_ONLY_CAPITALISED: Final = frozenset({"chad", "jordan", "turkey", "georgia", "guinea", "niger",
                                      "mali", "jersey", "guernsey", "american"})


def _names(code: str) -> Iterable[str]:
    yield str(Locale("en").territories[code])
    yield str(Locale("zh").territories[code])
    yield from _ALIASES.get(code, ())


@cache
def _pattern() -> re.Pattern[str]:
    """Every name, longest first (so "Hong Kong" wins over a shorter name inside it); Latin
    names only as whole words, case-insensitively ("flying to bangkok")."""
    codes = [code for code in Locale("en").territories
             if isinstance(code, str) and len(code) == 2 and code.isalpha()
             and code not in _NOT_PLACES]
    names = {name for code in codes for name in _names(code)}
    names |= {name for demonyms in _DEMONYMS.values() for name in demonyms}
    names |= set(_CITIES)
    alternatives = sorted(names, key=len, reverse=True)
    parts = [re.escape(name) if not name.isascii() else rf"\b{re.escape(name)}\b"
             for name in alternatives if len(name) > 1]
    return re.compile("|".join(parts), re.IGNORECASE)


@cache
def _canonical() -> dict[str, str]:
    """A name as typed (lower case) -> the name to store: a demonym becomes its country."""
    english = Locale("en").territories
    table = {demonym.lower(): _ALIASES.get(code, (str(english[code]),))[0]
             for code, demonyms in _DEMONYMS.items() for demonym in demonyms}
    for short in ("the US", "U.S."):
        table[short.lower()] = "USA"
    return table


def place_in(text: str, cues: tuple[str, ...] = ()) -> str | None:
    """The country, region or city ``text`` names (a demonym as its country), or None: the
    first one written right after one of ``cues`` ("flying to", "去"), else the first one."""
    found: list[tuple[bool, str]] = []
    for match in _pattern().finditer(text):
        said = match.group(0)
        if said.islower() and said in _ONLY_CAPITALISED:
            continue
        before = text[max(0, match.start() - 12):match.start()].lower()
        found.append((any(before.rstrip().endswith(cue.strip()) for cue in cues), said))
    if not found:
        return None
    said = next((name for cued, name in found if cued), found[0][1])
    return _canonical().get(said.lower(), said if not said.isascii() or not said.islower()
                            else said.title())


# Words written right before a trip's destination, and before a visitor's country.
DESTINATION_CUES: Final = ("to", "in", "for", "visit", "visiting", "去", "到", "飞", "往", "赴",
                           "前往", "飞往")
ORIGIN_CUES: Final = ("from", "来自", "从")
