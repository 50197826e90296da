"""结果汇总 and the round workflow: the demo's tie and sanction explanations, person history,
计算等次 in a job, refused override, xlsx export, locking and unlocking with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.assessment import support as assessment_support
from tests.ui.assessment.support import TIE_UNIT

pytestmark = pytest.mark.ui

# the shared demo-database fixtures (tests/ui/assessment/support.py)
assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db


@pytest.fixture
def view(qtbot, assessment_db: int):  # noqa: ANN001, ANN201
    from ui.assessment.assessment_view import AssessmentView

    v = AssessmentView()
    qtbot.addWidget(v)
    v.resize(1280, 760)
    v.show()
    v.tabs.setCurrentWidget(v.overview)
    return v


def person_row(ov, text: str):  # noqa: ANN001, ANN201
    """(pool key, row) of the first person whose explanation contains ``text``."""
    for p in ov.overview.pools:
        for r in p.rows:
            if text in r.explanation:
                return p.pool_key, r
    raise AssertionError(text)


def test_models_pass_qt_checks(qtmodeltester, view) -> None:  # noqa: ANN001
    ov = view.overview
    assert ov.pool_model.rowCount() > 10
    person = person_row(ov, "受诫勉")
    ov.select_pool(person[0])
    ov.select_person(person[1].cadre_id)
    for model in (ov.pool_model, ov.rank_model, ov.history_model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_the_pools_end_with_a_totals_line(view) -> None:  # noqa: ANN001
    """Under the pools: 合计 of people and quota, each grade with the 优秀 share, summed
    over the pools the table shows (counted here from the table's own cells)."""
    ov = view.overview
    m = ov.pool_model
    col = {h: k for k, h in enumerate(m.headers())}

    def column_sum(name: str) -> int:
        return sum(int(m.text(r, col[name]) or 0) for r in range(m.rowCount()))

    people, excellent = column_sum("人数"), column_sum("优秀")
    text = ov.pool_total.text()
    assert text.startswith(f"合计 {people} 人，优秀名额 {column_sum('优秀名额')}，")
    assert f"优秀 {excellent}（{excellent * 100 / people:.1f}%）" in text
    assert f"称职 {column_sum('称职')}，" in text
    assert ov.pool_total.isVisible()


def test_tie_at_the_quota_line_is_flagged(view) -> None:  # noqa: ANN001
    from ui.assessment.overview_parts import TIE_COLOUR

    ov = view.overview
    assert ov.select_pool(TIE_UNIT)
    # the pool: 5 people, 20%×5 = 1 → 1 place; the two tied people leave it open
    assert "5 人，优秀名额 1 名（20%×5=1，四舍五入为 1 名）" in ov.pool_info.text()
    assert "名额线完全并列" in ov.pool_info.text()
    notes = ov.rank_model.headers().index("提示")
    tied = [
        k
        for k in range(ov.rank_model.rowCount())
        if "名额线完全并列，待考核委员会确定" in ov.rank_model.text(k, notes)
    ]
    assert len(tied) == 2
    brush = ov.rank_model.data(ov.rank_model.index(tied[0], 1), Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == TIE_COLOUR
    # nobody in the pool is 优秀: the place waits for the committee
    grade = ov.rank_model.headers().index("最终等次")
    assert "优秀" not in [ov.rank_model.text(k, grade) for k in range(5)]


def test_sanction_explanation_and_history_shown(view) -> None:  # noqa: ANN001
    ov = view.overview
    pool, row = person_row(ov, "受诫勉")
    ov.select_pool(pool)
    assert ov.select_person(row.cadre_id)
    text = ov.explanation.toPlainText()
    assert row.name in text
    assert "受诫勉，本年度不得评为优秀" in text
    assert "拟定等次：称职" in text
    # the sanction was recorded through the service: it is in the person's history
    reasons = [ov.history_model.text(k, 5) for k in range(ov.history_model.rowCount())]
    values = [ov.history_model.text(k, 4) for k in range(ov.history_model.rowCount())]
    assert any("诫勉" in v for v in values + reasons)


def test_compute_grades_runs_as_a_job(qtbot, view, assessment_db) -> None:  # noqa: ANN001
    from models.assessment import set_score

    ov = view.overview
    pool, row = person_row(ov, "受诫勉")
    set_score(assessment_db, row.cadre_id, "de", "60")
    job = ov.compute()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    ov.select_pool(pool)
    ov.select_person(row.cadre_id)
    new = ov.current_person()
    assert new is not None
    assert new.items != row.items
    assert "受诫勉，本年度不得评为优秀" in ov.explanation.toPlainText()


def test_override_refused_with_the_service_message(view, monkeypatch) -> None:  # noqa: ANN001
    from ui import messages
    from ui.assessment.overview_parts import OverrideChoice, OverrideDialog

    ov = view.overview
    pool, row = person_row(ov, "受诫勉")
    ov.select_pool(pool)
    ov.select_person(row.cadre_id)
    assert ov.override_button.isEnabled()
    monkeypatch.setattr(
        OverrideDialog,
        "ask",
        classmethod(lambda cls, p, n, g: OverrideChoice("优秀", "工作突出", True)),
    )
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    assert not ov.override()
    assert len(shown) == 1
    assert "优秀" in shown[0]
    assert ov.current_person().final_grade == "称职"


def test_override_within_the_rules_is_applied(view, monkeypatch) -> None:  # noqa: ANN001
    from ui.assessment.overview_parts import OverrideChoice, OverrideDialog

    ov = view.overview
    ov.select_pool(TIE_UNIT)
    first = ov.rank_model.row(0)
    assert first is not None
    monkeypatch.setattr(
        OverrideDialog,
        "ask",
        classmethod(lambda cls, p, n, g: OverrideChoice("优秀", "考核委员会议定", False)),
    )
    assert ov.override()
    ov.select_person(first.cadre_id)
    person = ov.current_person()
    assert person.final_grade == "优秀"
    assert person.override_reason == "考核委员会议定"
    assert "考核委员会议定" in ov.explanation.toPlainText()
    assert ov.clear_button.isEnabled()


def test_export_overview_xlsx(qtbot, view, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import openpyxl

    from ui import messages

    dest = tmp_path / "结果.xlsx"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: Path(dest))
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, title, text: told.append(text))
    job = view.overview.export()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    ws = openpyxl.load_workbook(dest).active
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "姓名" in texts
    assert "说明" in texts
    assert any("受诫勉，本年度不得评为优秀" in t for t in texts)
    assert told
    assert "已导出 113 人" in told[0]


def test_lock_makes_grid_read_only_and_unlock_needs_a_reason(view, monkeypatch) -> None:  # noqa: ANN001
    from ui import messages

    monkeypatch.setattr(messages, "ask_yes_no", lambda *a, **k: True)
    assert view.submit_button.isEnabled()
    assert not view.approve_button.isEnabled()
    assert view.submit()
    assert view.round.status == "审核"
    assert view.approve_button.isEnabled()
    assert view.approve()
    assert view.round.locked
    assert "审定" in view.status_label.text()
    m = view.grid.model
    assert m.read_only
    assert m.rowCount() == 113
    assert not any(
        m.flags(m.index(0, c)) & Qt.ItemFlag.ItemIsEditable for c in range(m.columnCount())
    )
    assert not view.scheme.save_button.isEnabled()
    assert not view.overview.compute_button.isEnabled()
    # unlock without a reason: refused with the service's message, still locked
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "  ")
    assert not view.unlock()
    assert shown == ["解除审定锁定必须填写理由"]
    assert view.round.locked
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "更正得分录入错误")
    assert view.unlock()
    assert view.round.status == "审核"
    assert not view.grid.model.read_only
    assert view.return_button.isEnabled()


def test_compute_on_a_quarterly_round_stores_quarter_grades(qtbot, view, monkeypatch) -> None:  # noqa: ANN001
    """计算等次 on a 平时考核 round grades the quarter (not the annual rules) and tells the
    user what it did; the grades are the people's 平时考核 grades of that quarter."""
    from models.assessment import ScoreCell, add_unit_members, create_round, get_round, set_scores
    from models.assessment.tables import KIND_QUARTERLY, QuarterGrade
    from ui import messages

    rnd = create_round(2025, kind=KIND_QUARTERLY, quarter=3)
    unit = assessment_support.unit_id_of(TIE_UNIT)
    n = add_unit_members(rnd.id, unit, include_subunits=False)
    from models.assessment.tables import RoundMember

    cadres = [m.cadre_id for m in RoundMember.select().where(RoundMember.round == rnd.id)]
    set_scores(
        rnd.id, [ScoreCell(c, i, 70) for c in cadres for i in ("de", "neng", "qin", "ji", "lian")]
    )
    shown: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: shown.append(text))
    ov = view.overview
    ov.set_round(get_round(rnd.id), None)
    # no annual quota, ranking or committee override for a 平时考核 round: a note instead
    assert ov.quarter_note.isVisible()
    assert "人员情况" in ov.quarter_note.text()
    assert not ov.split.isVisible()
    assert not ov.raise_button.isEnabled()
    assert ov.graded_label.text() == "尚未计算等次"
    job = ov.compute()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert len(shown) == 1
    assert shown[0].startswith(f"计算2025年第3季度平时考核等次 {n} 人（较好 {n} 人）")
    assert ov.graded_label.text().startswith("最近计算：")
    # the unit's row: n people, cap 40% × n, nobody 好 (all scored 70), n 较好
    m = ov.quarter_model
    assert m.rowCount() == 1
    cells = [m.index(0, c).data() for c in range(m.columnCount())]
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    row = dict(zip(headers, cells, strict=True))
    assert row["单位"] == TIE_UNIT
    assert row["人数"] == str(n)
    assert row["好"] == "0"
    assert row["较好"] == str(n)
    grades = {
        g.cadre_id: g.grade
        for g in QuarterGrade.select().where(
            (QuarterGrade.year == 2025)
            & (QuarterGrade.quarter == 3)
            & QuarterGrade.cadre.in_(cadres)
        )
    }
    assert grades == dict.fromkeys(cadres, "较好")
