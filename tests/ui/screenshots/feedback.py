"""Screenshots of a 考核范围 approved on its own and of 一项指导, on the 120-cadre demo whose
2025 round is graded:

* pool_approved.png: 结果汇总 after 审定本范围 of one unit: the pool marked 已审定 in the
  table, the button now 解除范围审定, the other units still open;
* feedback.png: 反馈与指导 with that unit's people, one record entered and shown in the form;
* feedback_form.png: the printed 考核结果反馈表 of that person, rendered from the PDF;
* roster_results.png: 干部名册 of that unit, the 近三年考核 column showing the approved
  results (the other units' draft grades are not results yet);
* enrol_by_grade.png: 从名册报名 of that unit with the 上年度考核 column and filter.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.assessment import (
    FeedbackInput,
    approve_pool,
    feedback_list,
    find_round,
    save_feedback,
)
from models.assessment.results import round_overview
from models.core.errors import DomainError
from models.roster import service as roster
from reports.assessment import print_report
from tests.ui.assessment.support import TIE_UNIT
from tests.ui.screenshots import harness
from ui.training.trainees_view import EnrolDialog

TALK = FeedbackInput(
    talk_date=dt.date(2026, 2, 10),
    talker="王建国（市委组织部副部长）",
    place="市委组织部三楼会议室",
    strengths="政治立场坚定，认真贯彻落实市委各项决策部署。\n工作作风扎实，牵头完成城市转型重点项目两项。",
    shortcomings="对分管领域的调查研究还不够深入，抓落实的举措有时不够细。",
    improvements="一是加强理论学习；\n二是每季度至少深入基层调研一次，形成调研报告；\n"
    "三是建议参加市委党校中青年干部培训班。",
    response="完全同意组织的评价，将在今后工作中认真改进。",
)


def make(out: Path) -> list[Path]:
    with harness.session(
        out, cadres=120, seed=1, today=dt.date(2026, 3, 18), parts=("assessment",)
    ) as shots:
        rid = find_round(2025).id
        pool = None
        for p in round_overview(rid).pools:
            if p.unit == TIE_UNIT or p.people < 4:
                continue
            try:
                approve_pool(rid, p.pool_key, reason="考核委员会第3次会议", user="干部科")
            except DomainError:
                continue
            pool = p
            break
        assert pool is not None
        person = next(r for r in feedback_list(rid) if r.approved)  # first on the printout
        save_feedback(rid, person.cadre_id, TALK, user="干部科")

        window = shots.main_window()
        view = window.assessment_view
        harness.show_section(window, view)
        view.reload(select=rid)
        view.tabs.setCurrentWidget(view.overview)
        view.overview.select_pool(pool.pool_key)
        shots.settle()
        shots.save(window, "pool_approved.png")

        unit = {u.name: u.id for u in roster.list_units()}[pool.unit]
        view.select_unit(unit)
        view.tabs.setCurrentWidget(view.feedback)
        view.feedback.select_person(person.cadre_id)
        shots.settle()
        shots.save(window, "feedback.png")

        pdf = out / "feedback_form.pdf"
        print_report("feedback", 2025, pdf, unit_id=unit)
        shots.save_pdf_page(pdf, "feedback_form")
        pdf.unlink()

        roster_view = window.roster_view
        harness.show_section(window, roster_view)
        roster_view.select_unit(unit)
        roster_view.apply_filter()
        shots.settle()
        keys = roster_view.model.column_keys()
        for hidden in ("sex", "birth", "ethnicity", "political_status", "id_card"):
            roster_view.table.setColumnHidden(keys.index(hidden), True)
        roster_view.table.resizeColumnToContents(keys.index("annual_results"))
        shots.settle()
        shots.save(window, "roster_results.png")

        dialog = EnrolDialog(window)
        dialog.unit.setCurrentIndex(dialog.unit.findData(unit))
        dialog.search()
        dialog.show()
        shots.settle()
        shots.save(dialog, "enrol_by_grade.png")
        dialog.close()
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
