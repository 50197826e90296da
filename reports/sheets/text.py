"""Text for the 年度考核登记表 (:mod:`reports.sheets.layout`): styles, measuring and wrapping.

Text that wraps is broken with the 避头尾 rules of :func:`reports.common.cjk.choose_break` (the same
rules as :class:`reports.common.cjk.CJKParagraph`), characters the main font lacks use a fallback
font (:mod:`reports.common.fonts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfmetrics

from reports.common import fonts, styles
from reports.common.cjk import FIT_TOLERANCE, choose_break

Run = tuple[str, str]  # (registered font name, text)
#: One line of text: x, baseline y, font size, runs (points, page coordinates).
TextLine = tuple[float, float, float, tuple[Run, ...]]
#: Static drawing operations: ("rect", x, y, w, h), ("lines", ((x1, y1, x2, y2), ...)),
#: ("text", x, y, size, runs).
StaticOp = tuple[Any, ...]


# ---------------------------------------------------------------------------------------------
# text styles (the values of reports.common.styles, as plain tuples)


@dataclass(frozen=True, slots=True)
class TextStyle:
    size: float
    leading: float
    center: bool = False
    first_indent: float = 0.0


BODY = TextStyle(styles.BODY.fontSize, styles.BODY.leading)
PROSE = TextStyle(styles.PROSE.fontSize, styles.PROSE.leading, False, styles.PROSE.firstLineIndent)
LABEL = TextStyle(styles.LABEL.fontSize, styles.LABEL.leading, True)
CENTER = TextStyle(styles.VALUE_CENTER.fontSize, styles.VALUE_CENTER.leading, True)
TITLE = TextStyle(styles.TITLE.fontSize, styles.TITLE.leading, True)
TITLE_SPACE_AFTER = float(styles.TITLE.spaceAfter)


@dataclass(frozen=True, slots=True)
class Para:
    """A wrapped paragraph: each line is (x offset from the text column, runs)."""

    lines: tuple[tuple[float, tuple[Run, ...]], ...]
    style: TextStyle

    @property
    def height(self) -> float:
        return len(self.lines) * self.style.leading

    def head(self, n: int) -> Para:
        return Para(self.lines[:n], self.style)

    def tail(self, n: int) -> Para:
        """Lines from ``n`` on; a continued paragraph has no first-line indent."""
        indent = self.style.first_indent
        rest = self.lines[n:]
        if indent:
            rest = tuple((dx - indent if i == 0 else dx, runs) for i, (dx, runs) in enumerate(rest))
        return Para(rest, self.style)


# ---------------------------------------------------------------------------------------------
# measuring and wrapping

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FONT_RE = re.compile(r'<font name="([^"]+)">')
_WRAP_CACHE_MAX_TEXT = 48  # short texts (labels, values) repeat from sheet to sheet
_WRAP_CACHE_MAX_ITEMS = 8192


class _TextCache:
    """Per font setup: the font of each character, glyph widths, wrapped short texts."""

    def __init__(self, setup: fonts.FontSetup) -> None:
        self.setup = setup
        self.main = setup.main.name
        self.known: set[str] = set()  # characters already looked at
        self.special: dict[str, str] = {}  # character -> fallback font, when not the main font
        self.widths: dict[tuple[str, float], dict[str, float]] = {}
        self.wrapped: dict[tuple[Any, ...], Para] = {}

    def learn(self, chars: set[str]) -> bool:
        """Look up the characters not seen yet; True when some need a fallback font."""
        new = chars - self.known
        if new:
            for ch in fonts.missing_glyphs("".join(sorted(new))):
                # fonts.markup names the fallback font that has the character, if any
                m = _FONT_RE.match(fonts.markup(ch))
                if m is not None:
                    self.special[ch] = m.group(1)
            self.known |= new
        return bool(self.special) and not chars.isdisjoint(self.special)

    def font_of(self, ch: str) -> str:
        return self.special.get(ch, self.main)

    def width_table(self, font: str, size: float) -> dict[str, float]:
        table = self.widths.get((font, size))
        if table is None:
            table = self.widths[(font, size)] = {}
        return table


_cache: _TextCache | None = None


def _text_cache() -> _TextCache:
    global _cache
    setup = fonts.current_setup()
    if _cache is None or _cache.setup is not setup:
        _cache = _TextCache(setup)
    return _cache


def clean_text(text: str) -> str:
    """As a Paragraph shows user text: control characters dropped, whitespace runs collapsed."""
    return " ".join(_CONTROL_RE.sub("", text).split())


def runs_of(text: str) -> tuple[Run, ...]:
    """Split ``text`` into runs of one font (main font, or a fallback for rare characters)."""
    cache = _text_cache()
    if not text:
        return ()
    if not cache.learn(set(text)):
        return ((cache.main, text),)
    font_of = cache.font_of
    out: list[Run] = []
    cur = ""
    start = 0
    for i, ch in enumerate(text):
        f = font_of(ch)
        if f != cur:
            if i > start:
                out.append((cur, text[start:i]))
            cur, start = f, i
    out.append((cur, text[start:]))
    return tuple(out)


def text_width(text: str, size: float) -> float:
    total = 0.0
    for font, chunk in runs_of(text):
        total += pdfmetrics.stringWidth(chunk, font, size)
    return total


def _char_widths(chars: str, size: float, cache: _TextCache) -> list[float]:
    """Width of each character, in the font that will print it."""
    distinct = set(chars)
    if not cache.learn(distinct):
        table = cache.width_table(cache.main, size)
        for ch in distinct.difference(table):
            table[ch] = pdfmetrics.stringWidth(ch, cache.main, size)
        return list(map(table.__getitem__, chars))
    out: list[float] = []
    for ch in chars:
        font = cache.font_of(ch)
        table = cache.width_table(font, size)
        w = table.get(ch)
        if w is None:
            w = table[ch] = pdfmetrics.stringWidth(ch, font, size)
        out.append(w)
    return out


def wrap(text: str, width: float, style: TextStyle) -> Para:
    """Break ``text`` into lines of at most ``width`` points with the 避头尾 rules."""
    cache = _text_cache()
    key: tuple[Any, ...] | None = None
    if len(text) <= _WRAP_CACHE_MAX_TEXT:
        key = (text, width, style)
        hit = cache.wrapped.get(key)
        if hit is not None:
            return hit
    chars = clean_text(text)
    widths = _char_widths(chars, style.size, cache)
    n = len(chars)
    lines: list[tuple[float, tuple[Run, ...]]] = []
    indent = style.first_indent
    max_w = width - indent
    start = 0
    while start < n:
        while start < n and chars[start] == " ":  # no line starts with a leftover space
            start += 1
        if start >= n:
            break
        used = 0.0
        i = start
        end = n
        while i < n:
            w = widths[i]
            if used + w > max_w + FIT_TOLERANCE and i > start:
                end = choose_break(chars, start, i)
                break
            used += w
            i += 1
        if end != i:
            used = sum(widths[start:end])
        dx = indent if not lines else 0.0
        if style.center:
            dx += (max_w - used) / 2
        lines.append((dx, runs_of(chars[start:end])))
        start = end
        max_w = width
    para = Para(tuple(lines), style)
    if key is not None:
        if len(cache.wrapped) >= _WRAP_CACHE_MAX_ITEMS:
            cache.wrapped.clear()
        cache.wrapped[key] = para
    return para


def label_para(text: str, width: float) -> Para:
    """A form label, centred; "\n" in our fixed labels marks the preferred line breaks."""
    cache = _text_cache()
    key = ("label", text, width)
    hit = cache.wrapped.get(key)
    if hit is None:
        lines: list[tuple[float, tuple[Run, ...]]] = []
        for part in text.split("\n"):
            lines.extend(wrap(part, width, LABEL).lines)
        hit = cache.wrapped[key] = Para(tuple(lines), LABEL)
    return hit


def place(para: Para, x: float, top: float) -> list[TextLine]:
    """Lines of ``para`` with its top edge at ``top`` (first baseline one font size lower)."""
    size, leading = para.style.size, para.style.leading
    y = top - size
    out: list[TextLine] = []
    for dx, runs in para.lines:
        out.append((x + dx, y, size, runs))
        y -= leading
    return out
