"""GUI test fixtures: offscreen Qt, settings in a temp file, a small roster, no real dialogs."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any QApplication exists (pytest-qt creates it lazily on first use of qapp/qtbot).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QStandardPaths  # noqa: E402

from models.roster import idcard


@pytest.fixture(scope="session", autouse=True)
def _qt_test_paths() -> None:
    """QStandardPaths point under ~/.qttest, never at the user's real data folder."""
    QStandardPaths.setTestModeEnabled(True)


@pytest.fixture(autouse=True)
def ui_settings(tmp_path: Path) -> Iterator[Path]:
    """Each test gets its own settings file."""
    from ui import settings

    path = tmp_path / "settings.ini"
    settings.use_file(path)
    yield path
    settings.use_file(None)


@pytest.fixture(autouse=True)
def _no_real_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Any message a test did not expect fails loudly instead of blocking on a modal box."""
    from ui import messages

    def unexpected(name: str):  # noqa: ANN202
        def fail(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"unexpected dialog messages.{name}{args[1:]!r}")

        return fail

    for name in ("info", "error", "critical", "ask_yes_no", "ask_text", "save_file",
                 "confirm_warnings", "conflict"):  # fmt: skip
        monkeypatch.setattr(messages, name, unexpected(name))
    return []


@pytest.fixture
def app_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """For a test that starts the app (ui.app.run): its user data folder is tmp_path, so the
    log file is written there, and the log handler the start adds is removed afterwards.
    Yields the log file's path."""
    import logging

    from ui import app as ui_app

    monkeypatch.setattr(ui_app, "data_dir", lambda: tmp_path)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    before = set(root.handlers)
    yield tmp_path / "logs" / "cadredesk.log"
    for h in set(root.handlers) - before:
        root.removeHandler(h)
        h.close()


@pytest.fixture(autouse=True)
def _drain_jobs() -> Iterator[None]:
    """Never let a background job outlive its test's database."""
    yield
    from ui import jobs

    if jobs._runner is not None:
        jobs._runner.wait(30_000)


def id_number(region: str, birth: dt.date, seq: int, male: bool) -> str:
    """A valid 18-digit 身份证号: the 17th digit is odd for men (worked from GB 11643)."""
    order = seq * 10 + (1 if male else 2)
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + idcard.check_char(first17)


# (name, unit key, birth, male, leadership_level, rank, status)
PEOPLE = [
    ("张三", "org", dt.date(1975, 3, 12), True, "县处级正职", "一级调研员", "在职"),
    ("李四", "org", dt.date(1980, 7, 2), True, "乡科级正职", "一级主任科员", "在职"),
    ("王芳", "town", dt.date(1986, 11, 20), False, "乡科级副职", "三级主任科员", "在职"),
    ("赵敏", "town", dt.date(1990, 1, 5), False, "", "一级科员", "在职"),
    ("周志强", "county", dt.date(1968, 5, 30), True, "县处级副职", "三级调研员", "在职"),
    ("张珊珊", "party", dt.date(1979, 9, 9), False, "", "二级主任科员", "退休"),
]


@pytest.fixture
def people(units: dict[str, int]) -> dict[str, int]:
    """Six cadres in the lead's unit tree (tests/conftest.py ``units``); name → id."""
    from models.roster import service as roster

    ids: dict[str, int] = {}
    for seq, (name, unit, birth, male, level, rank, status) in enumerate(PEOPLE, start=1):
        dto = roster.save_cadre(
            roster.CadreInput(
                name=name,
                sex="男" if male else "女",
                birth_date=birth,
                ethnicity="汉族",
                political_status="中共党员",
                party_date=dt.date(birth.year + 22, 7, 1),
                work_start_date=dt.date(birth.year + 21, 8, 1),
                unit_id=units[unit],
                post_title=f"{name}的职务",
                leadership_level=level,
                rank=rank,
                id_card=id_number("620402", birth, seq, male),
                status=status,
            ),
        )
        ids[name] = dto.id
    return ids


@pytest.fixture
def conflicts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every ``messages.conflict`` text (someone else changed what the screen showed)
    instead of a modal box."""
    from ui import messages

    shown: list[str] = []
    monkeypatch.setattr(messages, "conflict", lambda _parent, text: shown.append(text))
    return shown
