"""Screenshots of the 领导干部讲坛 section, on a 300-cadre demo: lectures.png (the demo series,
its lectures, the 听课登记 of a lecture held and credited), lecture_dialog.png (editing the next
lecture, with the audience picker), and the first page of the 通知 and 签到表 of the next
lecture at 60 dpi (lecture_notice-1.png, lecture_signin-1.png).
"""

from __future__ import annotations

from pathlib import Path

from models.training import lectures as lt
from tests.ui.screenshots import harness
from ui.training.lectures import LectureDialog


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        window = shots.main_window()
        view = window.lectures_view
        harness.show_section(window, view)
        series = lt.list_series()[0]
        lectures = lt.list_lectures(series.id)
        held = [x for x in lectures if x.status == lt.HELD]
        coming = next(x for x in lectures if x.status == lt.PLANNED)
        view.select_lecture(held[-1].id)
        shots.settle()
        shots.save(window, "lectures.png")

        dialog = LectureDialog(series, coming, window)
        dialog.show()
        shots.settle()
        shots.save(dialog, "lecture_dialog.png")
        dialog.close()

        notice = shots.folder / "notice.pdf"
        signin = shots.folder / "signin.pdf"
        from reports.training import lectures as tl  # lazy: only this script prints

        tl.print_lecture_notice(coming.id, notice)
        tl.print_lecture_signin(coming.id, signin)
        shots.save_pdf_page(notice, "lecture_notice")
        shots.save_pdf_page(signin, "lecture_signin")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
