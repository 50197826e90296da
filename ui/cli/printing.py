"""``print timetable|signin|roster|certificates``: the printed kit of a training class (课程表,
签到表, 学员名册, 结业证书) from the command line. Reports load inside the command (start-up
time); nothing here imports Qt."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["TRAINING_DOCUMENTS", "print_training_text"]

TRAINING_DOCUMENTS = ("timetable", "signin", "roster", "certificates")


def print_training_text(document: str, class_id: int, out: Path) -> str:
    """Print ``document`` of class ``class_id`` to ``out``; returns the line to show
    (warnings go to stderr)."""
    from reports.training import certificates as training_certificates  # lazy: start-up time
    from reports.training import kit as training_kit  # lazy: start-up time

    printers = {
        "timetable": training_kit.print_timetable,
        "signin": training_kit.print_signin,
        "roster": training_kit.print_roster,
        "certificates": training_certificates.print_certificates,
    }
    result = printers[document](class_id, out)
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return f"已生成 {out}：{result.pages} 页"
