"""Font resolution, glyph coverage and markup for Chinese PDFs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen import canvas

from reports.common import fonts
from reports.sheets import SheetData, build_pdf_bytes
from resources import resource_path
from tests.reports.conftest import BUNDLED_FONT, pdf_fonts, pdf_text

NOTO_CFF = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
RARE = "\U00020bb7"  # 𠮷, CJK Extension B, used in surnames
NOBODY_HAS = "\U000f0001"  # supplementary private use: no font prints it


def test_bundled_font_and_licence_are_shipped() -> None:
    assert BUNDLED_FONT.is_file()
    assert BUNDLED_FONT.stat().st_size > 4_000_000
    licence = resource_path("fonts", "wqy-microhei-LICENSE.txt").read_text(encoding="utf-8")
    assert "Apache-2.0" in licence
    assert "Apache License" in resource_path("fonts", "Apache-2.0.txt").read_text(encoding="utf-8")


def test_resource_path_uses_meipass_when_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys._MEIPASS", "/frozen/app", raising=False)
    assert resource_path("fonts", "a.ttf") == Path("/frozen/app/resources/fonts/a.ttf")


def test_user_font_is_used_and_embedded(bundled_fonts: fonts.FontSetup) -> None:
    assert bundled_fonts.main.source == "user"
    assert bundled_fonts.main.path == str(BUNDLED_FONT)
    assert bundled_fonts.main.embedded
    assert bundled_fonts.warning is None
    assert pdfmetrics.getFont(fonts.MAIN_FONT).face.name == b"WenQuanYiMicroHei"


def test_same_settings_register_once(bundled_fonts: fonts.FontSetup) -> None:
    font_before = pdfmetrics.getFont(fonts.MAIN_FONT)
    again = fonts.setup_fonts(BUNDLED_FONT)
    assert again is bundled_fonts
    assert pdfmetrics.getFont(fonts.MAIN_FONT) is font_before


def test_default_resolution_finds_an_embeddable_font() -> None:
    setup = fonts.setup_fonts()
    # this machine has AR PL UMing / WenQuanYi (or at least the bundled font): never the CID font
    assert setup.main.source in ("system", "bundled")
    assert setup.main.embedded
    assert setup.warning is None


def test_unusable_user_font_falls_back_with_a_warning(tmp_path: Path) -> None:
    bad = tmp_path / "坏字体.ttf"
    bad.write_bytes(b"not a font at all")
    setup = fonts.setup_fonts(bad)
    assert setup.main.source in ("system", "bundled")
    assert setup.warning is not None
    assert str(bad) in setup.warning


@pytest.mark.skipif(not NOTO_CFF.exists(), reason="fonts-noto-cjk not installed")
def test_cff_fonts_are_skipped() -> None:
    assert not fonts.is_truetype(str(NOTO_CFF), 0)
    setup = fonts.setup_fonts(NOTO_CFF)
    assert setup.main.path != str(NOTO_CFF)
    assert setup.warning is not None


def test_missing_glyphs_lists_characters_the_main_font_lacks(
    bundled_fonts: fonts.FontSetup,
) -> None:
    # WenQuanYi Micro Hei has the common characters but not Extension B
    assert fonts.missing_glyphs("张三，中共党员 1975.03\n") == []
    assert fonts.missing_glyphs(f"张{RARE}与{RARE}") == [RARE]


def test_can_print_uses_fallback_font(bundled_fonts: fonts.FontSetup) -> None:
    assert fonts.can_print("年度考核登记表")
    assert not fonts.can_print(f"张{NOBODY_HAS}")
    assert fonts.unprintable(f"张{NOBODY_HAS}") == [NOBODY_HAS]
    if bundled_fonts.fallbacks:
        assert fonts.can_print(f"张{RARE}")
    else:  # CI without fonts-hanazono: the roster must be able to warn
        assert not fonts.can_print(f"张{RARE}")


def test_markup_escapes_user_text(bundled_fonts: fonts.FontSetup) -> None:
    assert fonts.markup("A&B <b>x</b>") == "A&amp;B &lt;b&gt;x&lt;/b&gt;"
    assert fonts.escape("a\x00b\x07c") == "abc"


def test_markup_wraps_rare_characters_in_fallback_font(bundled_fonts: fonts.FontSetup) -> None:
    if not bundled_fonts.fallbacks:
        pytest.skip("no Extension B fallback font installed (CI: apt-get install fonts-hanazono)")
    name = bundled_fonts.fallbacks[0].name
    assert fonts.markup(f"张{RARE}{RARE}<") == f'张<font name="{name}">{RARE}{RARE}</font>&lt;'


def test_tounicode_cmap_writes_surrogate_pairs() -> None:
    # reportlab's own table would write <20BB7>; PDF needs UTF-16BE <D842DFB7>
    cmap = ttfonts.makeToUnicodeCMap("F", [0x5F20, 0x20BB7])
    assert "<00> <5F20>" in cmap
    assert "<01> <D842DFB7>" in cmap


def test_canvas_text_is_embedded_and_extracts(
    tmp_path: Path, bundled_fonts: fonts.FontSetup
) -> None:
    out = tmp_path / "c.pdf"
    c = canvas.Canvas(str(out), initialFontName=fonts.MAIN_FONT, invariant=1)
    c.setFont(fonts.MAIN_FONT, 12)
    c.drawString(72, 720, "政治面貌：中共党员")
    c.save()
    assert "政治面貌：中共党员" in pdf_text(out)
    rows = pdf_fonts(out)
    assert rows
    assert all(r[-5] == "yes" for r in rows), rows  # emb column


def test_changing_the_font_setting_changes_the_embedded_font(tmp_path: Path) -> None:
    """reportlab keeps the first TrueType font registered under a name; switching the
    setting in a running app must still print with the new font."""
    uming = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
    if not uming.exists():
        pytest.skip("fonts-arphic-uming is not installed")

    def embedded() -> str:
        data, _ = build_pdf_bytes([SheetData(year=2025, name="张三")])
        pdf = tmp_path / "x.pdf"
        pdf.write_bytes(data)
        return subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout

    try:
        fonts.setup_fonts(BUNDLED_FONT)
        assert "WenQuanYi" in embedded()
        fonts.setup_fonts(uming)
        assert "UMing" in embedded()
        fonts.setup_fonts(BUNDLED_FONT)
        assert "WenQuanYi" in embedded()
    finally:
        fonts.setup_fonts()


def test_fallback_fonts_are_loaded_only_when_a_rare_character_is_met() -> None:
    """The fallback fonts (tens of megabytes of files on some systems) are read the first
    time a character the main font lacks is met, not by every process that prints."""
    code = (
        "import sys\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from reports.common import fonts\n"
        "def loaded():\n"
        "    return sorted(n for n in pdfmetrics.getRegisteredFontNames()\n"
        "                  if n.startswith(fonts.FALLBACK_PREFIX))\n"
        f"fonts.setup_fonts({str(BUNDLED_FONT)!r})\n"
        "before = loaded()\n"
        "fonts.markup('张三，2025年')\n"
        "common = loaded()\n"
        f"text = fonts.markup('吉{RARE}祥')\n"
        "have = fonts.current_setup().fallbacks\n"
        "print(before, common, loaded() == sorted(f.name for f in have),\n"
        "      ('<font name=' in text) == bool(have))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[3],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "[]", "True", "True"]
