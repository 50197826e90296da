"""Screenshots of 自动排课 for classes of other lengths, on a 300-cadre demo: plan_four_weeks.png
(a four-week class 2027-03-01 to 03-26 planned from the library, its shares and the 排课说明)
and plan_three_months.png (a twelve-week class: field-study and discussion formats repeated,
what could not be filled left as 自学/机动, each named in the 排课说明).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.training import ClassInput, save_class
from tests.ui.screenshots import harness

D = dt.date
CLASSES = (
    ("plan_four_weeks.png", "2027年春季县处级干部专题研修班", D(2027, 3, 1), D(2027, 3, 26)),
    ("plan_three_months.png", "2027年秋季中青年干部培训班", D(2027, 9, 6), D(2027, 11, 26)),
)


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        window = shots.main_window()
        view = window.training_view
        harness.show_section(window, view)
        for name, title, start, end in CLASSES:
            cid = save_class(ClassInput(name=title, level="专题班", start=start, end=end)).id
            view.reload()
            view.select_class(cid)
            view.tabs.setCurrentWidget(view.timetable)
            job = view.timetable.plan()
            assert job is not None
            shots.wait(lambda job=job: job.done)
            shots.settle()
            shots.save(window, name)
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
