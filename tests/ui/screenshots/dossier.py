"""Screenshots of the 一人一档, on the 300-cadre demo with one 考核范围 approved, a feedback
record, a sanction, a photo and a line of 外出培训 for one of its cadres:

* dossier_preview.png: 干部名册 with that cadre selected and the dossier in the preview window;
* dossier-2.png … dossier-6.png: the PDF's 目录, 基本信息, 学习培训, 年度考核 / 反馈与指导 /
  处分, and the appended 考核登记表, rendered with pdftoppm at 60 dpi.
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
from models.training import add_hours_entry
from reports.dossiers import dossier_data, dossier_pdf
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

        pdf = out / "dossier.pdf"
        pdf.write_bytes(dossier_pdf(dossier_data(cid))[0])
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "2", "-l", "6", str(pdf), str(out / "dossier")],
            check=True,
        )
        pdf.unlink()
        for made in sorted(out.glob("dossier-*.png")):
            page = int(made.stem.rsplit("-", 1)[1])  # pdftoppm pads: dossier-02.png
            target = made.replace(out / f"dossier-{page}.png")
            if target not in shots.saved:
                shots.saved.append(target)
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
