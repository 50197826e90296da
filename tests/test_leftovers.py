"""The conftest guard that fails a test leaving files outside its tmp_path (see
tests/conftest.py): it sees a file left in the home or temp folder, also deep inside the
user's data folder, and not what stays in tmp_path."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tests.conftest import HOME, TEMP, files_outside_tmp_path, new_files


def test_the_run_has_its_own_home_and_temp_folder() -> None:
    assert Path.home() == HOME
    assert Path(tempfile.gettempdir()) == TEMP
    assert os.environ["XDG_DATA_HOME"] == str(HOME / ".local" / "share")


def test_a_file_left_in_home_or_temp_is_named_and_tmp_path_is_not(tmp_path: Path) -> None:
    before = files_outside_tmp_path()
    log = HOME / ".local" / "share" / "CadreDesk" / "CadreDesk" / "logs" / "cadredesk.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    pdf = TEMP / "CadreDesk" / "审定表.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    try:
        log.write_text("x", encoding="utf-8")
        pdf.write_bytes(b"%PDF")
        (tmp_path / "kept.pdf").write_bytes(b"%PDF")
        assert new_files(before) == sorted([str(log), str(pdf)])
    finally:
        log.unlink()
        pdf.unlink()
    assert new_files(before) == []
