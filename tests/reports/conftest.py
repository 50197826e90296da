"""Fixtures for PDF tests: a predictable main font and poppler helpers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reports.common import fonts
from resources import resource_path

BUNDLED_FONT = resource_path("fonts", "wqy-microhei.ttc")


@pytest.fixture
def bundled_fonts() -> fonts.FontSetup:
    """Main font = the bundled WenQuanYi Micro Hei (it lacks CJK Extension B, e.g. 𠮷)."""
    return fonts.setup_fonts(BUNDLED_FONT)


def _need(tool: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return exe


def pdf_text(path: Path, *, layout: bool = False) -> str:
    args = [_need("pdftotext"), "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages_text(path: Path) -> list[str]:
    """Text per page (pdftotext separates pages with form feeds)."""
    pages = pdf_text(path).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(
        [_need("pdfinfo"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    info: dict[str, str] = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def pdf_fonts(path: Path) -> list[list[str]]:
    """Rows of ``pdffonts``: [name, type..., encoding, emb, sub, uni, object, gen]."""
    out = subprocess.run(
        [_need("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]
