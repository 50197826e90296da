"""Screenshots of the 一人一档, on the 300-cadre demo with one 考核范围 approved, a feedback
record, a sanction, a photo and a line of 外出培训 for one of its cadres:

* dossier_preview.png: 干部名册 with that cadre selected and the dossier in the preview window;
* dossier-2.png … dossier-6.png: the PDF's 目录, 基本信息, 学习培训, 年度考核 / 反馈与指导 /
  处分, and the appended 考核登记表, rendered with pdftoppm at 60 dpi;
* class_file-3.png, class_file-4.png, class_file-last.png: the 一班一档 of the finished
  demo class: 班次概况, the landscape 课程表, and the 考勤汇总 / 结业证书名单 at its end.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw

from models.assessment import add_sanction, find_round, save_feedback
from models.roster.tables import Cadre
from models.training import add_hours_entry, list_classes
from reports.dossiers import class_file_pdf, dossier_data, dossier_pdf
from tests.reports.conftest import approve_first_pool
from tests.ui.screenshots import harness
from tests.ui.screenshots.feedback import TALK


def _photo() -> bytes:
    """A stand-in 证件照: a grey head and shoulders on blue."""
    img = Image.new("RGB", (300, 400), (70, 130, 200))
    d = ImageDraw.Draw(img)
    d.ellipse((95, 70, 205, 190), fill=(235, 220, 205))
    d.rectangle((60, 220, 240, 400), fill=(40, 40, 50))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _prepare() -> int:
    rid = find_round(2025).id
    pool = approve_first_pool(rid, min_people=4, reason="考核委员会第3次会议")
    cid = pool.rows[0].cadre_id
    save_feedback(rid, cid, TALK, user="干部科")
    add_sanction(cid, "诫勉", dt.date(2026, 3, 1), note="落实安全生产责任不到位", user="干部科")
    add_hours_entry(cid, dt.date(2026, 5, 20), "外出培训", Decimal(24), "省委党校专题培训班")
    Cadre.update(photo=_photo()).where(Cadre.id == cid).execute()
    return cid


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1, today=dt.date(2026, 12, 7)) as shots:
        cid = _prepare()
        window = shots.main_window()
        view = window.roster_view
        harness.show_section(window, view)
        view.search.setText(Cadre.get_by_id(cid).name)
        view.apply_filter()
        view.select_id(cid)
        job = view.dossier.print_selected()
        assert job is not None
        shots.wait(lambda: job.done)
        shots.settle(12)
        dialog = view.dossier.host.dialog
        dialog.resize(900, 700)
        shots.settle(12)
        shots.save_with_dialog(window, dialog, "dossier_preview.png")

        shots.saved += _pages(out, "dossier", dossier_pdf(dossier_data(cid))[0], {2, 3, 4, 5, 6})
        finished = next(c.id for c in list_classes() if c.status == "已结业")
        data, count = class_file_pdf(finished)
        shots.saved += _pages(out, "class_file", data, {3, 4, count}, last=count)
        return shots.saved


def _pages(out: Path, stem: str, data: bytes, pages: set[int], last: int = 0) -> list[Path]:
    """Pages of the PDF ``data`` at 60 dpi as ``out/<stem>-<page>.png`` (the last page as
    ``<stem>-last.png`` when ``last`` is its number)."""
    pdf = out / f"{stem}.pdf"
    pdf.write_bytes(data)
    saved = []
    try:
        for page in sorted(pages):
            name = f"{stem}-last" if page == last else f"{stem}-{page}"
            subprocess.run(
                ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                 str(pdf), str(out / name)],
                check=True,
            )  # fmt: skip
            saved.append(out / f"{name}.png")
    finally:
        pdf.unlink()
    return saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
