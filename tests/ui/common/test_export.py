"""The shared export flow: the path asked for, the file written on the worker, and what the
user is told when it worked, was refused, could not be written or failed."""

from __future__ import annotations

import logging
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from peewee import OperationalError

from models.core.errors import DomainError
from models.core.progress import Cancelled
from ui import messages
from ui.common import ask_save_path, export_file, last_export_folder, run_export
from ui.settings import settings


def write_text(dest: Path, text: str = "内容", *, progress, cancelled) -> int:  # noqa: ANN001
    progress(1, 1, "")
    dest.write_text(text, encoding="utf-8")
    return len(text)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Every info / error / critical shown, as (kind, title, text)."""
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        messages, "info", lambda _p, title, text: shown.append(("info", title, text))
    )
    monkeypatch.setattr(
        messages, "error", lambda _p, text, title=None: shown.append(("error", title or "", text))
    )
    monkeypatch.setattr(
        messages, "critical", lambda _p, text, details="": shown.append(("critical", "", text))
    )
    return shown


def run(qtbot, **kwargs):  # noqa: ANN001, ANN003, ANN201
    job = export_file(None, **kwargs)
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    return job


def test_the_file_is_written_and_the_user_told_where(qtbot, monkeypatch, tmp_path, told) -> None:
    asked: list[tuple[str, Path, str]] = []

    def save(_parent, title, suggested, filters):  # noqa: ANN001, ANN202
        asked.append((title, suggested, filters))
        return tmp_path / "名单"  # no suffix typed

    monkeypatch.setattr(messages, "save_file", save)
    run(
        qtbot,
        title="导出名单",
        suggested=Path("名单.xlsx"),
        filters="Excel (*.xlsx)",
        write=write_text,
        done=lambda dest, n: f"已导出 {n} 字到 {dest}",
    )
    dest = tmp_path / "名单.xlsx"
    assert asked == [("导出名单", Path("名单.xlsx"), "Excel (*.xlsx)")]
    assert dest.read_text(encoding="utf-8") == "内容"
    assert told == [("info", "已导出", f"已导出 2 字到 {dest}")]


def test_a_name_with_a_dot_keeps_it_and_gets_the_suffix(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "名单.v2")
    assert ask_save_path(None, "t", Path("x"), "Excel (*.xlsx)") == tmp_path / "名单.v2.xlsx"
    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "汇总.XLSX")
    assert ask_save_path(None, "t", Path("x"), "f", suffixes=(".pdf", ".xlsx")) == (
        tmp_path / "汇总.XLSX"
    )
    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "汇总")
    assert ask_save_path(None, "t", Path("x"), "f", suffixes=(".pdf", ".xlsx")) == (
        tmp_path / "汇总.pdf"
    )


def test_cancelling_the_dialog_runs_nothing(monkeypatch) -> None:
    monkeypatch.setattr(messages, "save_file", lambda *_a: None)
    called: list[Path] = []
    job = export_file(
        None,
        title="导出",
        suggested=Path("x.xlsx"),
        filters="Excel (*.xlsx)",
        write=lambda dest, **_job: called.append(dest),
        done=lambda dest, _r: "",
    )
    assert job is None
    assert called == []


def test_the_chosen_folder_is_remembered_when_asked(monkeypatch, tmp_path) -> None:
    assert last_export_folder() == Path.home()
    assert last_export_folder(tmp_path) == tmp_path
    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "a" / "名单.xlsx")
    ask_save_path(None, "t", Path("名单.xlsx"), "f")
    assert settings().last_export_dir == ""  # not asked to remember
    ask_save_path(None, "t", Path("名单.xlsx"), "f", remember_folder=True)
    assert last_export_folder() == tmp_path / "a"


def test_a_refusal_is_shown_as_the_service_words_it(qtbot, monkeypatch, tmp_path, told) -> None:
    def refuse(dest: Path, *, progress, cancelled) -> int:  # noqa: ANN001
        raise DomainError("本轮考核还没有计算等次")

    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "结果.xlsx")
    run(qtbot, title="导出考核结果", suggested=Path("结果.xlsx"), filters="f", write=refuse,
        done=lambda dest, n: "")  # fmt: skip
    assert told == [("error", "导出考核结果", "本轮考核还没有计算等次")]


def test_a_file_that_cannot_be_written_is_explained_in_chinese(
    qtbot, monkeypatch, tmp_path, told, caplog
) -> None:
    def locked(dest: Path, *, progress, cancelled) -> int:  # noqa: ANN001
        raise PermissionError(13, "Permission denied", str(dest))

    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "名册.xlsx")
    with caplog.at_level(logging.WARNING, logger="ui.common.export"):
        run(qtbot, title="导出干部名册", suggested=Path("名册.xlsx"), filters="f", write=locked,
            done=lambda dest, n: "")  # fmt: skip
    [(kind, title, text)] = told
    assert (kind, title) == ("error", "导出干部名册")
    assert text.startswith(f"无法写入“{tmp_path / '名册.xlsx'}”")
    assert "Permission denied" not in text
    assert "Permission denied" in caplog.text  # the reason is in the log


def test_any_other_failure_gets_a_chinese_message_and_the_log(
    qtbot, monkeypatch, tmp_path, told, caplog
) -> None:
    def broken(dest: Path, *, progress, cancelled) -> int:  # noqa: ANN001
        raise KeyError("column_width")

    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "x.xlsx")
    with caplog.at_level(logging.ERROR, logger="ui.common.export"):
        run(qtbot, title="导出名单", suggested=Path("x.xlsx"), filters="f", write=broken,
            done=lambda dest, n: "")  # fmt: skip
    assert told == [("critical", "", "“导出名单”没有完成：程序出错，详情已记入日志")]
    assert "column_width" in caplog.text


def test_run_export_writes_to_a_folder_and_says_so(qtbot, tmp_path, told) -> None:
    job = run_export(
        None,
        tmp_path,
        partial(write_names, names=["甲", "乙"]),
        job_title="导出任免审批表",
        done=lambda dest, paths: f"已导出 {len(paths)} 份到 {dest}",
        done_title="已生成",
    )
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert {p.name for p in tmp_path.iterdir()} == {"甲.txt", "乙.txt"}
    assert told == [("info", "已生成", f"已导出 2 份到 {tmp_path}")]


def test_a_cancelled_export_says_nothing_unless_the_screen_does(qtbot, tmp_path, told) -> None:
    started = threading.Event()

    def slow(dest: Path, *, progress, cancelled) -> int:  # noqa: ANN001
        started.set()
        while not cancelled():
            time.sleep(0.01)
        raise Cancelled()

    cancels: list[str] = []
    job = run_export(
        None, tmp_path / "x.pdf", slow, job_title="批量生成", done=lambda dest, n: "",
        on_cancelled=lambda: cancels.append("cancelled"),
    )  # fmt: skip
    assert started.wait(10)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        job.cancel()
    assert cancels == ["cancelled"]
    assert told == []


def write_names(folder: Path, *, names: list[str], progress, cancelled) -> list[Path]:  # noqa: ANN001
    out = []
    for name in names:
        path = folder / f"{name}.txt"
        path.write_text(name, encoding="utf-8")
        out.append(path)
    return out


def test_a_busy_database_is_explained_as_the_job_runner_does(
    qtbot, monkeypatch, tmp_path, told
) -> None:
    def busy(dest: Path, *, progress, cancelled) -> int:  # noqa: ANN001
        raise OperationalError("database is locked")

    monkeypatch.setattr(messages, "save_file", lambda *_a: tmp_path / "模板.xlsx")
    run(qtbot, title="导出评分模板", suggested=Path("模板.xlsx"), filters="f", write=busy,
        done=lambda dest, n: "")  # fmt: skip
    assert told == [
        (
            "error",
            "导出评分模板",
            "数据库正被其他操作（或另一台电脑）占用，“导出评分模板”没有保存任何内容，请稍后重试",
        )
    ]
