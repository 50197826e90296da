"""How backups are written out for people: sizes and the lines of a listing (the command
line prints them; the screen shows the same values in its columns)."""

from __future__ import annotations

from collections.abc import Sequence

from models.backup.service import BackupInfo


def size_text(size: int) -> str:
    """``1.2 MB``, ``356 KB``, ``12 字节``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if ord(c) >= 0x2E80 else 1 for c in text)
    return text + " " * max(0, width - used)


def listing_lines(backups: Sequence[BackupInfo]) -> list[str]:
    """A header and one line per backup, in the order given: date, kind, size, check, file."""
    lines = [f"{_pad('日期', 21)}{_pad('类别', 14)}{_pad('大小', 10)}{_pad('校验', 8)}文件名"]
    for b in backups:
        check = "已校验" if b.checked else "未校验"
        lines.append(
            f"{b.when:%Y-%m-%d %H:%M:%S}  {_pad(b.label, 14)}{_pad(size_text(b.size), 10)}"
            f"{_pad(check, 8)}{b.name}"
        )
    return lines


__all__ = ["listing_lines", "size_text"]
