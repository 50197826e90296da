"""The .cdx file on its own: one changed byte anywhere is refused; with a password the data
is unreadable without it and a wrong one is told in Chinese; a newer program's package is
refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.core.errors import DomainError
from models.exchange.package import read_manifest, read_package, write_package

HEAD = {
    "schema": 14,
    "office": "市委党校",
    "created": "2026-03-01T09:00:00",
    "scope": "class:" + "a" * 36,
    "title": "班次《测试班》",
}
TABLES = {
    "cadre": [{"gid": "b" * 36, "f": {"name": "张三", "id_card": "620402198001011234"}, "r": {}}],
    "hours_entry": [{"gid": "c" * 36, "f": {"hours": "24.00"}, "r": {"cadre": "b" * 36}}],
}


def test_a_package_reads_back_as_written(tmp_path: Path):
    path = tmp_path / "p.cdx"
    m = write_package(path, HEAD, TABLES)
    assert m.rows == {"cadre": 1, "hours_entry": 1}
    p = read_package(path, schema=14)
    assert p.tables == TABLES
    assert p.manifest.content_sha256 == m.content_sha256


def test_one_changed_byte_anywhere_is_refused(tmp_path: Path):
    path = tmp_path / "p.cdx"
    write_package(path, HEAD, TABLES)
    raw = path.read_bytes()
    bad = tmp_path / "bad.cdx"
    for i in range(len(raw)):
        changed = bytearray(raw)
        changed[i] ^= 0x01
        bad.write_bytes(bytes(changed))
        with pytest.raises(DomainError, match="交换包"):
            read_package(bad, schema=14)


def test_without_the_password_only_the_manifest_shows(tmp_path: Path):
    path = tmp_path / "p.cdx"
    write_package(path, HEAD, TABLES, password="正确的密码")
    assert "张三".encode() not in path.read_bytes()
    m = read_manifest(path)
    assert (m.office, m.encrypted, m.rows["cadre"]) == ("市委党校", True, 1)
    with pytest.raises(DomainError, match="已加密，请输入"):
        read_package(path, schema=14)
    with pytest.raises(DomainError, match="密码不对"):
        read_package(path, "错误的密码", schema=14)
    assert read_package(path, "正确的密码", schema=14).tables == TABLES


def test_a_newer_program_s_package_is_refused(tmp_path: Path):
    path = tmp_path / "p.cdx"
    write_package(path, {**HEAD, "schema": 15}, TABLES)
    with pytest.raises(DomainError, match="较新版本的程序生成.*只能接收数据库版本 14"):
        read_package(path, schema=14)


def test_not_a_package(tmp_path: Path):
    path = tmp_path / "p.cdx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(DomainError, match="不是 CadreDesk 交换包"):
        read_package(path, schema=14)
