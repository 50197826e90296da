"""Fixtures and helpers for the report tests: a predictable main font, poppler helpers and
the demo database with its graded 考核 round."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from models.core.db import close_database
from models.demo import DemoAssessment, add_demo_assessment, build_demo
from models.schema import open_database
from reports.common import fonts
from resources import resource_path

BUNDLED_FONT = resource_path("fonts", "wqy-microhei.ttc")
YEAR = 2025  # the year of the demo's graded 考核 round


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


def squeeze(text: str) -> str:
    """``text`` without any whitespace (pdftotext spaces cells out)."""
    return re.sub(r"\s+", "", text)


def assert_clean_pdf(path: Path) -> str:
    """Fonts embedded, no black squares; returns the layout text."""
    rows = pdf_fonts(path)
    assert rows
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni
    text = pdf_text(path, layout=True)
    assert "■" not in text
    return text


def make_demo_db(factory: pytest.TempPathFactory) -> tuple[Path, DemoAssessment]:
    """A 300-cadre demo database (with the training ledger) and its graded 2025 round."""
    path = factory.mktemp("reports") / "demo.db"
    build_demo(path, cadres=300, today=dt.date(2026, 11, 18), parts=("training",))
    open_database(path)
    try:
        info = add_demo_assessment(YEAR)
    finally:
        close_database()
    return path, info


def open_copy(path: Path, factory: pytest.TempPathFactory) -> None:
    """Open a copy of ``path`` (outside the test's tmp_path) for a test that changes it."""
    copy = factory.mktemp("own") / "own.db"
    shutil.copy(path, copy)
    open_database(copy)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoAssessment]:
    """The 300-cadre demo database of make_demo_db, built once per test module."""
    return make_demo_db(tmp_path_factory)


@pytest.fixture
def demo(demo_db, bundled_fonts):  # noqa: ANN001, ANN201
    """The module's demo database opened (read only: a test that changes it opens a copy,
    see open_copy)."""
    open_database(demo_db[0])
    yield demo_db[1]
    close_database()


def approve_first_pool(round_id: int, *, min_people: int = 3, reason: str = "") -> Any:
    """The first 考核范围 of the round with at least ``min_people`` people that can be approved
    on its own, approved by 干部科: its PoolOverview."""
    from models.assessment import approve_pool  # lazy: only the tests that approve need it
    from models.assessment.results import round_overview  # lazy: as above
    from models.core.errors import DomainError  # lazy: as above

    for pool in round_overview(round_id).pools:
        if pool.people < min_people:
            continue
        try:
            approve_pool(round_id, pool.pool_key, reason=reason, user="干部科")
        except DomainError:
            continue
        return pool
    raise AssertionError("no 考核范围 of the round could be approved")  # pragma: no cover
