"""Search terms of categories for the hotline's type-ahead: Chinese, pinyin (full and initials), English.

Pure functions (pypinyin only), so they are easy to test.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

_SPLIT = re.compile(r"[\s,，;；、/|]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def normalise(text: str) -> str:
    return (text or "").strip().lower()


def pinyin_forms(text: str) -> list[str]:
    """Full pinyin and initials of the Chinese characters in ``text`` (``垃圾清运`` → ``lajiqingyun``, ``ljqy``)."""
    han = "".join(_HAN.findall(text or ""))
    if not han:
        return []
    full = "".join(lazy_pinyin(han))
    initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER))
    return [full.lower(), initials.lower()]


def search_terms(*texts: str) -> list[str]:
    """Every term a category can be found by, normalised and de-duplicated, in a stable order."""
    terms: list[str] = []
    for text in texts:
        for part in [text, *_SPLIT.split(text or "")]:
            part = normalise(part)
            if not part:
                continue
            for term in [part, *pinyin_forms(part)]:
                if term not in terms:
                    terms.append(term)
    return terms


def query_tokens(text: str) -> list[str]:
    return [normalise(t) for t in _SPLIT.split(text or "") if normalise(t)]


def matches(search_text: str, query: str) -> bool:
    tokens = query_tokens(query)
    return bool(tokens) and all(t in search_text for t in tokens)
