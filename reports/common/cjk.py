"""Chinese line breaking with 避头尾 (kinsoku) for reportlab Paragraphs.

reportlab's own CJK wrapper (``cjkFragSplit`` / ``textsplit.dumbSplit`` in reportlab 5.1)
lets only the single overflowing character hang, and its "cannot start a line" list lacks the
full-width comma ，, ；, ：, ？, ！ and 》: a line can start with "，". It has no "cannot end a
line" rule at all. :class:`CJKParagraph` replaces the line breaker: it fills a line greedily and
then moves the break back (推出, "push out") until

* the next line does not start with one of :data:`NO_LINE_START` (，。、；：？！）》」』】…),
* the line does not end with one of :data:`NO_LINE_END` (（《「『【…),
* no Latin word or number (``2024``, ``98.5``, ``ABC``) and no ``……`` / ``——`` pair is cut.

Nothing hangs into the margin, so text stays inside bordered table cells. If no allowed break
exists on the line (a very long number), the line is cut where it overflows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, Paragraph, ParaLines, _handleBulletWidth

#: Characters that must not start a line (Chinese and ASCII closing punctuation).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〗〙〛｝］〉”’·…—%％‰℃°" + ",.;:?!)]}")
#: Characters that must not end a line (opening brackets and quotes).
NO_LINE_END = frozenset("（《「『【〔〖〘〚｛［〈“‘" + "([{")
#: Pairs written as one sign that must not be split across lines.
_PAIRED = frozenset("…—")

FIT_TOLERANCE = 1e-6
"""Points a line may exceed its width and still fit: the same tolerance reportlab uses
(``rl_config.FIT_TOLERANCE``), so our wrapping agrees with its own."""


def _is_word_char(ch: str) -> bool:
    """ASCII letters, digits and the marks that join them inside one word or number."""
    return ch.isascii() and (ch.isalnum() or ch in "._-/'@#&+")


def can_break(prev: str, nxt: str) -> bool:
    """May a line end after ``prev`` with the next line starting with ``nxt``?"""
    if nxt in NO_LINE_START or prev in NO_LINE_END:
        return False
    if prev == nxt and prev in _PAIRED:
        return False
    return not (_is_word_char(prev) and _is_word_char(nxt))


def choose_break(chars: Sequence[str], start: int, overflow: int) -> int:
    """Index where the line starting at ``start`` should end.

    ``overflow`` is the index of the first character that does not fit (``start < overflow``).
    The result ``b`` satisfies ``start < b <= overflow``: the line holds ``chars[start:b]``.
    """
    for b in range(overflow, start, -1):
        if can_break(chars[b - 1], chars[b]):
            return b
    return overflow  # no allowed break on this line: cut where it overflows


# widths of single characters per (font object, size); fonts are registered once per process
_WIDTHS: dict[tuple[Any, float], dict[str, float]] = {}


def _char_widths(text: str, font_name: str, size: float) -> list[float]:
    font = pdfmetrics.getFont(font_name)
    cache = _WIDTHS.setdefault((font, size), {})
    out: list[float] = []
    for ch in text:
        w = cache.get(ch)
        if w is None:
            w = cache[ch] = stringWidth(ch, font_name, size)
        out.append(w)
    return out


def _make_line(
    chars: list[str],
    widths: list[float],
    frags: list[Any],
    start: int,
    end: int,
    max_width: float,
    hard: bool,
) -> Any:
    """A reportlab kind-1 line (as ``makeCJKParaLine`` builds) from ``chars[start:end]``."""
    words: list[Any] = []
    max_size = max_ascent = min_descent = 0.0
    i = start
    while i < end:
        f = frags[i]
        j = i + 1
        while j < end and frags[j] is f:
            j += 1
        ascent, descent = getAscentDescent(f.fontName, f.fontSize)
        max_size = max(max_size, f.fontSize)
        max_ascent = max(max_ascent, ascent)
        min_descent = min(min_descent, descent)
        word = f.clone()
        word.text = "".join(chars[i:j])
        words.append(word)
        i = j
    used = sum(widths[start:end])
    return FragLine(
        kind=1,
        extraSpace=max_width - used,
        wordCount=1,
        words=words,
        fontSize=max_size,
        ascent=max_ascent,
        descent=min_descent,
        maxWidth=max_width,
        currentWidth=used,
        lineBreak=hard,
    )


def cjk_frag_split(frags: Sequence[Any], max_widths: Sequence[float]) -> ParaLines:
    """Break reportlab paragraph fragments into lines with 避头尾 rules (see module doc).

    Inline images (``cbDefn``) are not supported: such paragraphs should not use this class.
    """
    chars: list[str] = []
    widths: list[float] = []
    owners: list[Any] = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if text:
            chars.extend(text)
            widths.extend(_char_widths(text, f.fontName, f.fontSize))
            owners.extend([f] * len(text))
        else:  # e.g. <br/>: an empty fragment carrying ``lineBreak``
            chars.append("")
            widths.append(0.0)
            owners.append(f)
    lines: list[Any] = []
    n = len(chars)
    start = 0
    max_width = max_widths[0]
    while start < n:
        # a line never starts with a plain space left over from the previous line
        while start < n and chars[start] == " ":
            start += 1
        if start >= n:
            break
        used = 0.0
        i = start
        end: int | None = None
        hard = False
        while i < n:
            if chars[i] == "" and hasattr(owners[i], "lineBreak"):
                end, hard = i + 1, True
                break
            w = widths[i]
            if used + w > max_width + FIT_TOLERANCE and i > start:
                end = choose_break(chars, start, i)
                break
            used += w
            i += 1
        if end is None:
            end = n
        lines.append(_make_line(chars, widths, owners, start, end, max_width, hard))
        start = end
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
    return ParaLines(kind=1, lines=lines)


class CJKParagraph(Paragraph):
    """A Paragraph whose CJK line breaking follows 避头尾 (used for every Chinese text)."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802 (reportlab's name)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        frags = self.frags
        if len(frags) <= 0:
            return ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        return cjk_frag_split(frags, maxWidths)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # the height of a paragraph does not depend on availHeight: re-wrapping at the same
        # width (measuring, then the table or box drawing it) reuses the lines
        if getattr(self, "_cd_wrap_width", None) == availWidth and hasattr(self, "blPara"):
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        self._cd_wrap_width = availWidth
        return result


def line_texts(para: Paragraph) -> list[str]:
    """Text of each laid-out line of a wrapped Paragraph (call ``para.wrap`` first)."""
    out: list[str] = []
    for line in para.blPara.lines:
        if hasattr(line, "words"):
            out.append("".join(getattr(w, "text", "") for w in line.words))
        else:  # kind 0: (extra space, [words])
            out.append(" ".join(line[1]))
    return out
