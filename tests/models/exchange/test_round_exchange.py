"""A year's annual round sent by the 县委组织部 and received by the 市委组织部: the grades,
scores and votes arrive equal, twice changes nothing; a correction there is taken and a
member taken out there is taken out here; a change on both sides is a conflict; the results
of units whose roster did not come from the sender, and changes to a round approved here,
are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import exchange as ex
from models.assessment.tables import (
    AssessmentRound,
    GradeResult,
    ItemScore,
    RoundMember,
    ScoreAdjustment,
    VoteCount,
)
from models.core.audit import ChangeLog
from models.core.errors import DomainError
from models.exchange.package import read_package, write_package
from models.roster.tables import Cadre
from models.schema import LATEST
from tests.models.exchange.conftest import on

YEAR = 2025


def grades() -> dict[str, tuple[str, str, str | None, int | None]]:
    """Each person's grade in the 2025 round, by 身份证号."""
    q = (
        GradeResult.select(
            Cadre.id_card,
            GradeResult.final_grade,
            GradeResult.proposed_grade,
            GradeResult.composite,
            GradeResult.rank,
        )
        .join(Cadre)
        .switch(GradeResult)
        .join(AssessmentRound)
        .where(AssessmentRound.year == YEAR)
    )
    return {
        card: (final, proposed, composite, rank)
        for card, final, proposed, composite, rank in q.tuples()
    }


def scores() -> dict[tuple[str, str], str]:
    q = ItemScore.select(Cadre.id_card, ItemScore.item_code, ItemScore.score).join(Cadre)
    return {(card, code): score for card, code, score in q.tuples()}


def votes() -> dict[tuple[str, str, str], int]:
    q = VoteCount.select(
        Cadre.id_card, VoteCount.group_code, VoteCount.grade_label, VoteCount.count
    ).join(Cadre)
    return {(card, g, label): n for card, g, label, n in q.tuples()}


def counts(pv: ex.Preview) -> dict[str, dict[str, int]]:
    return {t.table: t.counts for t in pv.tables if t.counts}


def send(county: Path, back: str, out: Path) -> dict[str, tuple]:
    with on(county, back):
        ex.export_round(YEAR, out)
        return grades()


def test_the_grades_arrive_equal_and_a_second_receipt_changes_nothing(
    county_receiver, county, tmp_path
):
    package = tmp_path / "round.cdx"
    with on(county, county_receiver):
        AssessmentRound.update(status="审定", locked_by="县委组织部干部科").execute()
        ex.export_round(YEAR, package)
        sent, sent_scores, sent_votes = grades(), scores(), votes()
        members = RoundMember.select().count()
        rules = AssessmentRound.get(AssessmentRound.year == YEAR).rules_json
    assert len(sent) == members > 200
    assert {g[0] for g in sent.values()} >= {
        "优秀",
        "称职",
    }  # the grades differ from person to person
    assert not grades()

    pv = ex.preview(package)
    assert pv.manifest.title == "2025年度考核的得分与等次"
    c = counts(pv)
    assert c["assessment_round"] == {"新增": 1}
    assert c["round_member"] == {"新增": members}
    assert c["grade_result"] == {"新增": members}
    assert c["item_score"] == {"新增": len(sent_scores)}
    assert c["cadre"] == {"相同": members}
    result = ex.apply(pv)
    assert result.unmatched == ()
    assert grades() == sent
    assert scores() == sent_scores
    assert votes() == sent_votes
    assert ScoreAdjustment.select().count() == 4
    here = AssessmentRound.get(AssessmentRound.year == YEAR)
    assert (here.name, here.rules_json) == ("2025年度考核", rules)
    assert (here.status, here.locked_by) == ("录入", "")  # the workflow here is this office's
    logged = ChangeLog.select().where(ChangeLog.reason.startswith("接收交换包 round.cdx"))
    (entry,) = logged.where(ChangeLog.entity == "grade_result")
    assert (entry.entity_id, entry.action, entry.new_value) == (
        here.id,
        "新增",
        f"新增考核等次 {members} 条（来自县委组织部）",
    )
    assert logged.where(ChangeLog.entity == "assessment_round").count() > 0  # the round, in full
    log_size = ChangeLog.select().count()

    again = ex.preview(package)
    assert all(set(t) == {"相同"} for t in counts(again).values())
    second = ex.apply(again)
    assert (second.added, second.updated, second.removed, second.kept) == (0, 0, 0, 0)
    assert grades() == sent
    assert RoundMember.select().count() == members
    assert ChangeLog.select().count() == log_size


def test_a_correction_there_is_taken_and_a_member_taken_out_there_goes(
    county_receiver, county, tmp_path
):
    first, second = tmp_path / "first.cdx", tmp_path / "second.cdx"
    send(county, county_receiver, first)
    ex.apply(ex.preview(first))
    with on(county, county_receiver):
        rid = AssessmentRound.get(AssessmentRound.year == YEAR).id
        fixed, gone = [
            m.cadre_id
            for m in RoundMember.select().where(RoundMember.round == rid).order_by(RoundMember.id)
        ][:2]
        code = ItemScore.get(ItemScore.cadre == fixed).item_code
        ItemScore.update(score="61.5").where(
            (ItemScore.cadre == fixed) & (ItemScore.item_code == code)
        ).execute()
        GradeResult.update(final_grade="基本称职").where(GradeResult.cadre == fixed).execute()
        gone_rows = sum(
            model.delete().where(model.cadre == gone).execute()
            for model in (GradeResult, VoteCount, ItemScore, RoundMember)
        )
        ex.export_round(YEAR, second)
        sent, sent_scores = grades(), scores()
    pv = ex.preview(second)
    c = counts(pv)
    assert c["item_score"]["对方修改"] == 1
    assert c["grade_result"]["对方修改"] == 1
    removed = sum(t.count("对方已删除") for t in pv.tables)
    assert removed == gone_rows
    ex.apply(pv)
    assert grades() == sent
    assert scores() == sent_scores
    card = Cadre.get_by_id(fixed).id_card
    assert grades()[card][0] == "基本称职"


def test_a_score_changed_on_both_sides_is_a_conflict_with_both_values(
    county_receiver, county, tmp_path
):
    first, second = tmp_path / "first.cdx", tmp_path / "second.cdx"
    send(county, county_receiver, first)
    ex.apply(ex.preview(first))
    person = ItemScore.select().order_by(ItemScore.id).first()
    card, code, was = person.cadre.id_card, person.item_code, person.score
    # entered again here (a new row, as the score sheet's import writes it), as 70
    ItemScore.delete().where(ItemScore.id == person.id).execute()
    ItemScore.create(round=person.round_id, cadre=person.cadre_id, item_code=code, score="70")
    with on(county, county_receiver):
        who = Cadre.get(Cadre.id_card == card)
        ItemScore.update(score="80").where(
            (ItemScore.cadre == who.id) & (ItemScore.item_code == code)
        ).execute()
        ex.export_round(YEAR, second)
    pv = ex.preview(second)
    (conflict,) = pv.conflicts
    assert conflict.title == f"{who.name}（身份证号 {card}） {code} 得分"
    assert [(d.label, d.mine, d.theirs) for d in conflict.differences] == [("得分", "70", "80")]
    assert not conflict.may_keep_both
    with pytest.raises(DomainError, match="只有学时记录"):
        ex.apply(pv, {("item_score", conflict.gid): "both"})
    ex.apply(pv, prefer="mine")
    assert scores()[card, code] == "70"
    assert ex.preview(second).conflicts == ()  # decided: not asked again
    with on(county, county_receiver):
        ItemScore.update(score="85").where(
            (ItemScore.cadre == who.id) & (ItemScore.item_code == code)
        ).execute()
        ex.export_round(YEAR, second)
    pv = ex.preview(second)
    (conflict,) = pv.conflicts
    ex.apply(pv, {("item_score", conflict.gid): "theirs"})
    assert scores()[card, code] == "85"
    assert was not in ("70", "80", "85")


def test_results_of_units_not_received_from_the_sender_are_refused(receiver, county, tmp_path):
    """The receiver's roster came from the 市委党校: the 县委组织部 may not report on it."""
    package = tmp_path / "round.cdx"
    send(county, receiver, package)
    with pytest.raises(DomainError, match="没有从“县委组织部”接收过这些单位的名册") as e:
        ex.preview(package)
    assert "白银市/" in str(e.value)
    assert not AssessmentRound.select().exists()


def test_a_round_approved_here_takes_no_changes(county_receiver, county, tmp_path):
    first, second = tmp_path / "first.cdx", tmp_path / "second.cdx"
    send(county, county_receiver, first)
    ex.apply(ex.preview(first))
    AssessmentRound.update(status="审定").execute()
    ex.apply(ex.preview(first))  # the same again: nothing to change, received
    with on(county, county_receiver):
        GradeResult.update(final_grade="基本称职").where(
            GradeResult.id == GradeResult.select(GradeResult.id).limit(1)
        ).execute()
        ex.export_round(YEAR, second)
    before = grades()
    with pytest.raises(DomainError, match="“2025年度考核”已审定锁定"):
        ex.preview(second)
    assert grades() == before


def test_a_round_package_may_not_edit_the_roster_nor_carry_another_round(
    county_receiver, county, tmp_path
):
    package, forged = tmp_path / "round.cdx", tmp_path / "forged.cdx"
    send(county, county_receiver, package)
    p = read_package(package, schema=LATEST)
    head = {
        "schema": p.manifest.schema,
        "office": p.manifest.office,
        "created": p.manifest.created,
        "scope": p.manifest.scope,
        "title": p.manifest.title,
    }
    p.tables["cadre"][0]["f"]["phone"] = "13900000000"
    write_package(forged, head, p.tables)
    with pytest.raises(DomainError, match="不能用它修改干部名册"):
        ex.preview(forged)
    p.tables["cadre"][0]["f"].pop("phone")
    write_package(forged, {**head, "scope": "round:2024"}, p.tables)
    with pytest.raises(DomainError, match="应当只含2024年的年度考核"):
        ex.preview(forged)
    p.tables["item_score"][0]["r"]["cadre"] = "0" * 36
    write_package(forged, head, p.tables)
    with pytest.raises(DomainError, match="考核得分记录所指的干部不在包中"):
        ex.preview(forged)


def test_no_round_no_package(county_receiver, county, tmp_path):
    with on(county, county_receiver), pytest.raises(DomainError, match="没有2030年度考核轮次"):
        ex.export_round(2030, tmp_path / "x.cdx")
    assert not (tmp_path / "x.cdx").exists()
