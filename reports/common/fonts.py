"""Chinese fonts for PDF output: find, register once per process, check glyph coverage.

Main font resolution order (first that loads and can print basic Chinese, digits and Latin):

1. a font file the user chose (``setup_fonts(user_font=...)``);
2. the system's TrueType 宋体 / 仿宋 / 黑体 (Windows ``%WINDIR%/Fonts``) or, on Linux/macOS,
   TrueType CJK fonts listed by ``fc-list :lang=zh file`` (CFF/OTF fonts such as Noto CJK are
   skipped because reportlab cannot embed them);
3. WenQuanYi Micro Hei bundled in ``resources/fonts`` (Apache-2.0);
4. only if all of these fail: reportlab's ``STSong-Light`` CID font, which is NOT embedded;
   ``FontSetup.warning`` then says so and the warning is logged.

The chosen font is registered under the fixed name :data:`MAIN_FONT`, so the styles built at
import time in :mod:`reports.common.styles` stay valid. Fallback fonts for characters the main font
lacks (CJK Extension B names such as 𠮷 U+20BB7) are registered as ``CadreFallback1``,
``CadreFallback2``...; :func:`markup` wraps such characters in ``<font name="...">``.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont

from resources import resource_path

log = logging.getLogger(__name__)

MAIN_FONT = "CadreMain"
FALLBACK_PREFIX = "CadreFallback"
CID_FONT = "STSong-Light"

#: Characters every main-font candidate must have (form labels, digits, Latin, punctuation).
_PROBE_TEXT = "年度考核登记表姓名性别出生政治面貌个人总结签名，。（）：0123456789ABCabc.%"

_BUNDLED = ("fonts", "wqy-microhei.ttc")

# Windows system fonts (never bundled: licence). (file name, sub-font index)
_WINDOWS_MAIN = (("simsun.ttc", 0), ("simfang.ttf", 0), ("simhei.ttf", 0), ("simkai.ttf", 0))
_WINDOWS_FALLBACK = (("simsunb.ttf", 0), ("mingliub.ttc", 0))
# Known Linux files with CJK Extension B coverage (Debian: fonts-hanazono, fonts-babelstone-han)
_LINUX_FALLBACK = (
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf",
)
# Preference among fc-list results: Song/Ming (宋体-like) first, then 仿宋, then Hei, then others
_FAMILY_RANK = (
    ("simsun", 0),
    ("song", 0),
    ("ming", 1),
    ("sung", 1),
    ("fang", 2),
    ("hei", 3),
    ("wqy", 3),
)

_WS = frozenset(" \t\n\r\u3000\u00a0")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FontInfo:
    """One loaded font file."""

    name: str  # registered reportlab font name
    path: str | None  # None for the CID font
    subfont_index: int
    source: str  # "user", "system", "bundled", "cid"
    embedded: bool


@dataclass(frozen=True)
class FontSetup:
    """The fonts PDF output uses in this process."""

    main: FontInfo
    warning: str | None  # Chinese text for the user, e.g. the font is not embedded

    @property
    def fallbacks(self) -> tuple[FontInfo, ...]:
        """The fallback fonts, loaded the first time they are needed (see _fallbacks)."""
        return _fallbacks()


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.setup: FontSetup | None = None
        self.key: tuple[str | None, str | None] | None = None
        self.loaded: dict[tuple[str, int], TTFont | None] = {}  # None: failed to load
        self.registered: dict[str, tuple[str, int]] = {}  # name -> file it holds
        self.main_cmap: frozenset[int] | None = None  # None: CID font, coverage unknown
        self.fallback_cmaps: list[tuple[str, frozenset[int]]] = []
        # the fallback fonts of the setup, None until first needed; the user's fallback file
        self.fallbacks: tuple[FontInfo, ...] | None = None
        self.user_fallback: str | None = None
        self.fc_list: list[str] | None = None


_state = _State()


def _utf16_hex(code: int) -> str:
    if code <= 0xFFFF:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


def _fix_tounicode_cmap() -> None:
    """reportlab 5.1 writes ToUnicode entries for characters above U+FFFF as ``<20BB7>``
    (5 hex digits, invalid), so text extraction, search and copy of a name like 张𠮷 return
    a wrong character. Write them as UTF-16 surrogate pairs (``<D842DFB7>``) as the PDF
    specification requires. Patched only while reportlab still has the bug."""
    original = ttfonts.makeToUnicodeCMap
    if "<D842DFB7>" in original("X", [0x20BB7]):
        return

    def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
        cmap = original(fontname, [0] * len(subset)).split("\n")
        start = cmap.index(f"{len(subset)} beginbfchar") + 1
        cmap[start : start + len(subset)] = [
            f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)
        ]
        return "\n".join(cmap)

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


_fix_tounicode_cmap()


def is_truetype(path: str, index: int) -> bool:
    """True when the file (or the sub-font of a .ttc) has TrueType outlines, not CFF."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12 + 4 * (index + 1))
            if head[:4] == b"ttcf":
                if len(head) < 16 + 4 * index:
                    return False
                offset = int.from_bytes(head[12 + 4 * index : 16 + 4 * index], "big")
                fh.seek(offset)
                head = fh.read(4)
            return head[:4] in (b"\x00\x01\x00\x00", b"true")
    except OSError:
        return False


def _load(path: str, index: int) -> TTFont | None:
    """Load a TrueType font once per process; None if it cannot be used."""
    key = (os.path.abspath(path), index)
    if key in _state.loaded:
        return _state.loaded[key]
    font: TTFont | None = None
    if os.path.isfile(path) and is_truetype(path, index):
        try:
            font = TTFont(f"_cd_probe_{len(_state.loaded)}", path, subfontIndex=index)
        except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
            log.info("font %s#%d not usable: %s", path, index, exc)
            font = None
    _state.loaded[key] = font
    return font


def _usable_main(font: TTFont | None) -> bool:
    """True when the font has every character of the form labels, digits and Latin."""
    if font is None:
        return False
    cmap = font.face.charToGlyph
    return all(ord(c) in cmap for c in _PROBE_TEXT)


def _run_fc_list(pattern: str) -> list[str]:
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run(
            [exe, pattern, "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("fc-list failed: %s", exc)
        return []
    files = {line.split(":", 1)[0].strip() for line in out.splitlines() if line.strip()}
    return sorted(f for f in files if f)


def _rank(path: str) -> tuple[int, str]:
    low = os.path.basename(path).lower()
    for needle, rank in _FAMILY_RANK:
        if needle in low:
            return rank, low
    return 9, low


def _system_main_candidates() -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    if sys.platform == "win32":
        fonts_dir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        found.extend((str(fonts_dir / n), i) for n, i in _WINDOWS_MAIN)
    if _state.fc_list is None:
        _state.fc_list = _run_fc_list(":lang=zh")
    found.extend((f, 0) for f in sorted(_state.fc_list, key=_rank))
    return found


def _fallback_candidates(user_fallback: str | None) -> Iterator[tuple[str, int]]:
    """Candidate files, lazily: the fc-list query only runs if the known files are missing."""
    if user_fallback:
        yield user_fallback, 0
    if sys.platform == "win32":
        fonts_dir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        yield from ((str(fonts_dir / n), i) for n, i in _WINDOWS_FALLBACK)
    yield from ((p, 0) for p in _LINUX_FALLBACK)
    # any other font that covers CJK Extension B (U+20000)
    yield from ((f, 0) for f in _run_fc_list(":charset=20000"))


def _register(name: str, path: str, index: int, loaded: TTFont) -> None:
    """Register ``path`` under ``name`` unless that exact file is already registered there.

    The parsed face of ``loaded`` is reused (parsing a CJK font costs ~0.1 s); the copy gets
    its own name, encoding and per-document subset state.
    """
    if _state.registered.get(name) == (os.path.abspath(path), index):
        return
    if name in _state.registered:
        # reportlab keeps the first TrueType font registered under a name and silently ignores
        # later ones, so a changed font setting must drop the old registration first
        pdfmetrics._fonts.pop(name, None)  # noqa: SLF001
    font = copy.copy(loaded)
    font.fontName = name
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    pdfmetrics.registerFont(font)
    _state.registered[name] = (os.path.abspath(path), index)


def _register_family(name: str) -> None:
    # no bold/italic faces: map <b>/<i> to the same face so markup is predictable
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)


def _cmap(font: TTFont) -> frozenset[int]:
    return frozenset(font.face.charToGlyph)


def setup_fonts(
    user_font: str | os.PathLike[str] | None = None,
    fallback_font: str | os.PathLike[str] | None = None,
    *,
    subfont_index: int = 0,
) -> FontSetup:
    """Choose, register and return the fonts; cheap when called again with the same settings.

    ``user_font``: a .ttf/.ttc the user set in the settings; ignored (with a logged note) if it
    cannot be loaded or lacks basic Chinese. ``fallback_font``: a font file for rare characters.
    """
    user = os.fspath(user_font) if user_font else None
    user_fb = os.fspath(fallback_font) if fallback_font else None
    key = (user, user_fb)
    with _state.lock:
        if _state.setup is not None and _state.key == key:
            return _state.setup
        main: FontInfo | None = None
        candidates: list[tuple[str, int, str]] = []
        if user:
            candidates.append((user, subfont_index, "user"))
        candidates.extend((p, i, "system") for p, i in _system_main_candidates())
        candidates.append((str(resource_path(*_BUNDLED)), 0, "bundled"))
        warning: str | None = None
        if user and not _usable_main(_load(user, subfont_index)):
            warning = f"所选字体文件无法使用（不是 TrueType 中文字体或缺少常用汉字）：{user}"
            log.warning("user font not usable: %s", user)
        for path, index, source in candidates:
            font = _load(path, index)
            if font is not None and _usable_main(font):
                try:
                    _register(MAIN_FONT, path, index, font)
                except (TTFError, OSError) as exc:  # e.g. embedding forbidden by the font
                    log.info("cannot register %s: %s", path, exc)
                    continue
                main = FontInfo(MAIN_FONT, path, index, source, True)
                _state.main_cmap = _cmap(font)
                break
        if main is None:
            cid = UnicodeCIDFont(CID_FONT)
            # register under our fixed name; the PDF BaseFont stays STSong-Light
            cid.fontName = MAIN_FONT
            cid.name = MAIN_FONT
            pdfmetrics.registerFont(cid)
            _state.registered[MAIN_FONT] = ("<cid>", 0)
            _state.main_cmap = None
            main = FontInfo(MAIN_FONT, None, 0, "cid", False)
            warning = (
                "未找到可嵌入的中文字体，PDF 改用 STSong-Light，字体未嵌入："
                "在其他电脑上可能缺字或字形不同，不宜存档。请在设置中选择一个 TrueType 中文字体。"
            )
            log.warning("no embeddable CJK font found; using %s (not embedded)", CID_FONT)
        _register_family(MAIN_FONT)

        # the fallback fonts (tens of megabytes of font files on some systems) are loaded
        # when a character the main font lacks is first met: most printing never needs them
        _state.fallbacks = None
        _state.fallback_cmaps = []
        _state.user_fallback = user_fb
        setup = FontSetup(main, warning)
        _state.setup = setup
        _state.key = key
        return setup


def chosen_fonts() -> tuple[str | None, str | None]:
    """The (print font, fallback font) files :func:`setup_fonts` was last given (None, None
    for the automatic choice): what a worker process passes to it to print the same."""
    return _state.key or (None, None)


def _fallbacks() -> tuple[FontInfo, ...]:
    """Load and register the fallback fonts of the current setup (at most two: the user's
    fallback file, then system fonts covering rare characters), once."""
    current_setup()
    with _state.lock:
        if _state.fallbacks is not None:
            return _state.fallbacks
        main = _state.setup.main if _state.setup is not None else None
        user_fb = _state.user_fallback
        fallbacks: list[FontInfo] = []
        _state.fallback_cmaps = []
        seen: set[tuple[str, int]] = (
            {(os.path.abspath(main.path), main.subfont_index)}
            if main is not None and main.path
            else set()
        )
        for path, index in _fallback_candidates(user_fb):
            if len(fallbacks) >= 2:
                break
            ident = (os.path.abspath(path), index)
            if ident in seen:
                continue
            seen.add(ident)
            font = _load(path, index)
            if font is None:
                continue
            name = f"{FALLBACK_PREFIX}{len(fallbacks) + 1}"
            try:
                _register(name, path, index, font)
            except (TTFError, OSError) as exc:
                log.info("cannot register fallback %s: %s", path, exc)
                continue
            _register_family(name)
            fallbacks.append(
                FontInfo(name, path, index, "user" if path == user_fb else "system", True)
            )
            _state.fallback_cmaps.append((name, _cmap(font)))
        if not fallbacks:
            log.info("no fallback font for rare characters found")
        _state.fallbacks = tuple(fallbacks)
        return _state.fallbacks


def current_setup() -> FontSetup:
    """The active setup; runs :func:`setup_fonts` with defaults if nothing was set up yet."""
    return _state.setup if _state.setup is not None else setup_fonts()


def _printable_by_main(code: int) -> bool:
    cmap = _state.main_cmap
    return cmap is None or code in cmap


def _font_for(ch: str) -> str | None:
    """Fallback font name for a character the main font lacks; None if no font has it."""
    _fallbacks()
    code = ord(ch)
    for name, cmap in _state.fallback_cmaps:
        if code in cmap:
            return name
    return None


def _relevant(ch: str) -> bool:
    return ch not in _WS and not _CONTROL_RE.match(ch)


def missing_glyphs(text: str) -> list[str]:
    """Distinct characters of ``text`` the main font lacks, in order of first appearance.

    Whitespace and control characters are not counted. For the CID font (not embedded) the
    coverage is unknown and nothing is reported.
    """
    current_setup()
    out: list[str] = []
    for ch in text:
        if _relevant(ch) and not _printable_by_main(ord(ch)) and ch not in out:
            out.append(ch)
    return out


def unprintable(text: str) -> list[str]:
    """Distinct characters neither the main font nor any fallback font can print."""
    return [ch for ch in missing_glyphs(text) if _font_for(ch) is None]


def can_print(text: str) -> bool:
    """True when every character of ``text`` prints with the main or a fallback font."""
    return not unprintable(text)


def escape(text: str) -> str:
    """Escape ``&``, ``<``, ``>`` for reportlab Paragraph markup and drop control characters."""
    text = _CONTROL_RE.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text: str) -> str:
    """Paragraph markup for user text: escaped, with characters the main font lacks wrapped in
    ``<font name="CadreFallbackN">`` runs (unprintable ones are left to the main font)."""
    current_setup()
    parts: list[str] = []
    run_font: str | None = None
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        chunk = escape("".join(run))
        parts.append(f'<font name="{run_font}">{chunk}</font>' if run_font else chunk)
        run.clear()

    for ch in text:
        font = None
        if _relevant(ch) and not _printable_by_main(ord(ch)):
            font = _font_for(ch)
        if font != run_font:
            flush()
            run_font = font
        run.append(ch)
    flush()
    return "".join(parts)


def font_names(setup: FontSetup | None = None) -> Sequence[str]:
    """Registered names of the main and fallback fonts."""
    s = setup or current_setup()
    return (s.main.name, *(f.name for f in s.fallbacks))
