"""The screenshot harness still works: one cheap script run into a temporary folder."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.ui.screenshots import harness, people

pytestmark = pytest.mark.ui

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (which must come first)."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE
    assert head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_people_screenshot(tmp_path: Path) -> None:
    saved = people.make(tmp_path / "shots")

    shot = tmp_path / "shots" / "assessment_people.png"
    assert saved == [shot]
    assert png_size(shot) == harness.SIZE
    assert shot.stat().st_size > 50_000  # a filled screen, not a blank window


def test_target_folder() -> None:
    assert harness.target(["people.py", "/tmp/x"]) == Path("/tmp/x")
    assert harness.target(["people.py"]) == harness.SCREENSHOTS
    assert (harness.SCREENSHOTS.parent / "pyproject.toml").is_file()
