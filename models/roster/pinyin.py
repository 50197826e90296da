"""Pinyin keys for searching names by initials (张三 ← "zs") or full pinyin.

Surnames are often heteronyms read differently from everyday words (曾 zēng, 单 shàn,
仇 qiú), so the first character contributes every reading it has: the keys hold one
variant per reading, separated by spaces ("cgf zgf" for 曾国藩).
"""

from __future__ import annotations

_MAX_VARIANTS = 4


def _lower(s: str) -> str:
    return s.lower()


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin variants, initials variants), lower-case, space-separated."""
    text = "".join(name.split())
    if not text:
        return "", ""
    # pypinyin loads its phrase dictionaries on import; commands that never touch names
    # (grade, print) start faster without them
    # lazy: about 0.15 s on the first name that needs keys
    from pypinyin import Style, lazy_pinyin, pinyin

    rest_full = "".join(lazy_pinyin(text[1:], errors=_lower)).lower()
    rest_init = "".join(
        p[0] for p in lazy_pinyin(text[1:], style=Style.FIRST_LETTER, errors=_lower) if p
    ).lower()
    readings = pinyin(text[0], style=Style.NORMAL, heteronym=True, errors=_lower)[0]
    heads = list(dict.fromkeys(r.lower() for r in readings if r))[:_MAX_VARIANTS] or [text[0]]
    full = " ".join(dict.fromkeys(h + rest_full for h in heads))
    initials = " ".join(dict.fromkeys(h[0] + rest_init for h in heads))
    return full, initials
