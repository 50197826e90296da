"""Streamed batches (reports.sheets.stream): parts that keep units whole, part files for a
large combined batch, worker processes that write exactly what this process writes, one
progress, and a cancel that stops the workers and leaves no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.assessment import find_round, list_members
from models.core.errors import DomainError
from models.core.progress import Cancelled
from reports.sheets import SheetVariant, stream
from reports.sheets import batch as ab
from reports.sheets.stream import Member, plan_parts
from tests.reports.conftest import YEAR, pdf_info, pdf_text, squeeze


def people(*sizes: int) -> list[Member]:
    out = []
    for u, n in enumerate(sizes):
        out += [Member(len(out) + i, f"人{len(out) + i}", f"单位{u}") for i in range(n)]
    return out


def test_parts_keep_a_unit_whole_when_it_fits_and_cut_a_larger_one() -> None:
    parts = plan_parts(people(3, 4, 2, 9, 1), size=5)
    assert [[m.unit for m in p] for p in parts] == [
        ["单位0"] * 3,  # 单位1 (4) would not fit beside it
        ["单位1"] * 4,
        ["单位2"] * 2,  # 单位3 (9) is larger than a part: parts of its own
        ["单位3"] * 5,
        ["单位3"] * 4 + ["单位4"],
    ]
    flat = [m for p in parts for m in p]
    assert flat == people(3, 4, 2, 9, 1)  # everybody once, in roster order
    assert all(len(p) <= 5 for p in parts)
    assert plan_parts([], size=5) == []


def pages(files: list[Path]) -> list[str]:
    return [squeeze(p) for f in files for p in pdf_text(f).split("\f") if p.strip()]


def test_a_large_batch_is_written_in_parts_and_workers_write_the_same(
    demo, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(stream, "PART_SHEETS", 100)
    rnd = find_round(YEAR)
    members = list_members(rnd.id)
    one = tmp_path / "one"
    two = tmp_path / "two"
    one.mkdir()
    two.mkdir()
    seen: list[tuple[int, int]] = []
    alone = ab.print_sheets(rnd.id, None, one / "全市.pdf", jobs=0)
    shared = ab.print_sheets(
        rnd.id, None, two / "全市.pdf", jobs=2, progress=lambda d, t, _s: seen.append((d, t))
    )
    n = len(members)
    count = len(alone.files)
    assert count == 3  # 278 people in parts of at most 100, units kept whole
    assert [f.name for f in alone.files] == [
        f"全市_第{k}部分（共3部分）.pdf" for k in range(1, count + 1)
    ]
    assert sorted(p.name for p in one.iterdir()) == sorted(f.name for f in alone.files)
    assert alone.sheets == shared.sheets == n
    assert alone.pages == shared.pages == sum(int(pdf_info(f)["Pages"]) for f in alone.files)
    # the workers' files are byte for byte those of one process
    for a, b in zip(alone.files, shared.files, strict=True):
        assert a.read_bytes() == b.read_bytes()
    # every person's form, once, in roster order across the parts
    starts = [p for p in pages(list(alone.files)) if f"年度考核登记表（{YEAR}年度）" in p]
    assert len(starts) == n
    for page, m in zip(starts, members, strict=True):
        assert m.name in page
    # one progress over the whole batch, never going back, ending at every sheet
    assert seen[0][0] == 0
    assert seen[-1] == (n, n)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert len(seen) > 3


def test_split_batch_by_workers_writes_one_file_per_person(demo, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(stream, "PART_SHEETS", 40)
    rnd = find_round(YEAR)
    members = list_members(rnd.id)[:90]
    ids = [m.cadre_id for m in members]
    r = ab.print_sheets(
        rnd.id, None, tmp_path / "每人", split=True, cadre_ids=ids, jobs=2,
        options=ab.PrintOptions(variant=SheetVariant.SCORED),
    )  # fmt: skip
    assert r.sheets == 90
    assert sorted(p.name for p in (tmp_path / "每人").iterdir()) == sorted(
        f"{m.unit_name}_{m.name}_{YEAR}年度考核评分表.pdf" for m in members
    )
    first = r.files[0]
    assert members[0].name in squeeze(pdf_text(first))


def test_cancel_stops_the_workers_and_leaves_no_file(demo, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(stream, "PART_SHEETS", 30)
    rnd = find_round(YEAR)
    progress: list[int] = []

    def cancelled() -> bool:  # once the workers have written some sheets
        return bool(progress) and progress[-1] > 0

    with pytest.raises(Cancelled):
        ab.print_sheets(
            rnd.id, None, tmp_path / "全市.pdf", jobs=2, cancelled=cancelled,
            progress=lambda d, _t, _s: progress.append(d),
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []  # no part, no staging folder
    assert 0 < progress[-1] < len(list_members(rnd.id))


def test_workers_that_cannot_reach_the_database_say_so_in_chinese(
    demo, tmp_path, monkeypatch
) -> None:
    """The workers open the database themselves: when they cannot, the batch stops with the
    reason in Chinese (no driver text, no traceback) and leaves no file."""
    monkeypatch.setattr(stream, "PART_SHEETS", 100)
    monkeypatch.setattr(
        stream,
        "worker_target",
        lambda: ("postgres", "nowhere", {"host": "127.0.0.1", "port": 1, "connect_timeout": 2}),
    )
    rnd = find_round(YEAR)
    with pytest.raises(DomainError) as e:
        ab.print_sheets(rnd.id, None, tmp_path / "全市.pdf", jobs=2)
    text = str(e.value)
    assert text.startswith(("数据库操作失败", "与数据库服务器的连接已断开"))
    assert "127.0.0.1" not in text
    assert not any(ch.isascii() and ch.isalpha() for ch in text)
    assert list(tmp_path.iterdir()) == []


def test_workers_that_stop_answering_are_stopped(demo, tmp_path, monkeypatch) -> None:
    """A batch whose workers report nothing for STALL_SECONDS (one died) is stopped with a
    Chinese message instead of waiting for ever, and leaves no file."""
    monkeypatch.setattr(stream, "PART_SHEETS", 100)
    monkeypatch.setattr(stream, "STALL_SECONDS", 0.05)  # sooner than a worker starts
    rnd = find_round(YEAR)
    with pytest.raises(DomainError) as e:
        ab.print_sheets(rnd.id, None, tmp_path / "全市.pdf", jobs=2)
    assert str(e.value) == stream.STALLED_MESSAGE
    assert list(tmp_path.iterdir()) == []
