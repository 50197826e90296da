"""佐证材料 filed with a quarterly self-check: kept in the database byte for byte, refused when
empty, too large, repeated, missing, after the deadline without approval or once the year is
approved; a damaged one is noticed; every addition and removal is in the change log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.core.audit import ChangeLog
from models.core.errors import DomainError
from models.evaluation import (
    add_evidence,
    approve_year,
    evidence_data,
    grade_year,
    list_evidence,
    remove_evidence,
    set_scores,
    submit_check,
)
from models.evaluation import evidence as module
from models.evaluation.tables import CheckFile

D = Decimal
Y = 2025
ON_TIME = dt.date(Y, 7, 5)  # the second quarter's self-check is due 07-10


@pytest.fixture
def check(plan):  # noqa: ANN001, ANN201
    _a, b = plan
    return submit_check(b, 2, "完成一期建设", D(88), today=ON_TIME, user="乌兰镇").id


def test_a_file_is_kept_byte_for_byte_and_logged(check, tmp_path) -> None:
    data = bytes(range(256)) * 40
    path = tmp_path / "现场照片.jpg"
    path.write_bytes(data)
    f = add_evidence(check, path, today=ON_TIME, user="乌兰镇")
    assert (f.name, f.size, f.added_by) == ("现场照片.jpg", len(data), "乌兰镇")
    assert [e.name for e in list_evidence(check)] == ["现场照片.jpg"]
    assert evidence_data(f.id) == ("现场照片.jpg", data)
    log = ChangeLog.select().where(ChangeLog.entity == "check_file").order_by(ChangeLog.id)
    assert [(e.action, e.user) for e in log][-1] == ("新增", "乌兰镇")

    with pytest.raises(DomainError, match="已有相同内容的佐证材料“现场照片.jpg”"):
        add_evidence(check, path, today=ON_TIME)
    remove_evidence(f.id, today=ON_TIME, user="乌兰镇")
    assert list_evidence(check) == []
    assert (
        ChangeLog.select()
        .where((ChangeLog.entity == "check_file") & (ChangeLog.action == "删除"))
        .exists()
    )


def test_bad_files_are_refused_and_nothing_is_kept(check, tmp_path, monkeypatch) -> None:
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    with pytest.raises(DomainError, match="佐证材料“空.pdf”是空文件"):
        add_evidence(check, empty, today=ON_TIME)
    with pytest.raises(DomainError, match="无法读取佐证材料“不存在.pdf”"):
        add_evidence(check, tmp_path / "不存在.pdf", today=ON_TIME)
    monkeypatch.setattr(module, "MAX_BYTES", 2048)
    big = tmp_path / "大.pdf"
    big.write_bytes(b"x" * 4096)
    with pytest.raises(DomainError, match="佐证材料“大.pdf”有 4 KB，超过每个文件 2 KB 的限制"):
        add_evidence(check, big, today=ON_TIME)
    assert list_evidence(check) == []


def test_the_deadline_and_the_approval_lock_it(check, tmp_path, units) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"PK\x03\x04 ledger")
    late = dt.date(Y, 7, 20)
    with pytest.raises(DomainError, match="已过截止日期（2025年7月10日），须经考评办同意"):
        add_evidence(check, path, today=late)
    f = add_evidence(check, path, today=late, late_approved=True)
    # damaged in the database (a bad disk, a hand edit): noticed, not handed out
    CheckFile.update(data=b"PK\x03\x04 tampered").where(CheckFile.id == f.id).execute()
    with pytest.raises(DomainError, match="内容与登记时不一致"):
        evidence_data(f.id)
    for unit in ("org", "town"):
        set_scores(Y, units[unit], common=D(90), own=D(90), user="考评办")
    grade_year(Y, user="考评办")
    approve_year(Y, user="部长")
    with pytest.raises(DomainError, match="已于 .* 审定"):
        add_evidence(check, path, today=ON_TIME)
    with pytest.raises(DomainError, match="已于 .* 审定"):
        remove_evidence(f.id, today=ON_TIME)


def test_a_windows_path_gives_the_plain_file_name(check, tmp_path) -> None:
    # a name as another system or a Windows share writes it: only the last part is kept
    odd = tmp_path / "C:\\材料\\第二季度\\自查报告.pdf"
    odd.write_bytes(b"%PDF-1.4")
    assert add_evidence(check, odd, today=ON_TIME).name == "自查报告.pdf"


def test_at_most_so_many_files_per_self_check(check, monkeypatch) -> None:
    monkeypatch.setattr(module, "MAX_FILES", 2)
    for k in range(2):
        module.file_evidence(check, f"台账{k}.txt", f"第{k}份".encode(), today=ON_TIME)
    with pytest.raises(DomainError, match="已有 2 个佐证材料，不能再添加"):
        module.file_evidence(check, "台账3.txt", b"another", today=ON_TIME)
    assert len(list_evidence(check)) == 2


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("C:\\材料\\第二季度\\自查报告.pdf", "自查报告.pdf"),
        ("/home/user/台账.xlsx", "台账.xlsx"),
        ("..", "佐证材料"),
        ("报\x00告.pdf", "报 告.pdf"),  # a NUL: PostgreSQL refuses it in text
        ("照片\u202egpj.exe", "照片gpj.exe"),  # a right-to-left override hides the extension
        ("换\n行.txt", "换 行.txt"),
        ("很" * 300 + ".pdf", "很" * 196 + ".pdf"),  # cut to 200, the extension kept
    ],
)
def test_a_file_name_is_filed_plain(raw, kept) -> None:
    assert module.clean_name(raw) == kept


def test_a_folder_is_refused_in_chinese(check, tmp_path) -> None:
    with pytest.raises(DomainError) as e:
        add_evidence(check, tmp_path, today=ON_TIME)
    assert "这是文件夹，不是文件" in e.value.message
    assert "Is a directory" not in e.value.message
