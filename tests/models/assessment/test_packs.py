"""The packed scores and votes on round_member (models.assessment.packs) always say what the
score and vote rows say, whoever writes them, and grading from them gives exactly what
grading from the rows gives (the loader reads the rows when the triggers are missing)."""

from __future__ import annotations

import datetime as dt

import pytest

import models.assessment.grading.inputs as inputs
import models.assessment.packs as packs
from models.assessment import (
    ScoreCell,
    add_unit_members,
    create_round,
    set_quarter_grade,
    set_scores,
    set_votes,
)
from models.assessment.engine import grade_round
from models.assessment.grading import load_inputs
from models.assessment.tables import (
    AssessmentRound,
    ItemScore,
    QuarterGrade,
    RoundMember,
    VoteCount,
)
from models.core.db import close_database, db
from models.core.errors import ValidationError
from models.demo import add_demo_assessment, build_demo
from models.roster.tables import Cadre
from models.schema import open_database

# the packs are kept by SQLite triggers; PostgreSQL grades from the rows
pytestmark = pytest.mark.sqlite_only

ITEMS = ("de", "neng", "qin", "ji", "lian")


def _pack(cadre_id: int, column: str) -> str | None:
    return db.execute_sql(
        f"SELECT {column} FROM round_member WHERE cadre_id = ?", (cadre_id,)
    ).fetchone()[0]


def _inputs_both_ways(round_id: int):
    """load_inputs from the packs, then from the rows (triggers dropped and put back)."""
    assert packs.installed(db.obj)
    from_packs = load_inputs(round_id)[1]
    with db.atomic():
        packs.drop(db.obj)
        assert not packs.installed(db.obj)
        from_rows = load_inputs(round_id)[1]
        packs.install(db.obj)
    assert packs.installed(db.obj)
    return from_packs, from_rows


@pytest.fixture
def small(database, units):
    """市委组织部 with 甲乙丙 in the 2025 round."""
    ids = {}
    for i, name in enumerate("甲乙丙", 1):
        ids[name] = Cadre.create(
            name=name,
            sex="男",
            birth_date=dt.date(1980, 1, 1),
            unit=units["org"],
            id_card=f"62040219800101{i:04d}",
        ).id
    rnd = create_round(2025)
    add_unit_members(rnd.id, units["org"])
    return rnd.id, ids


def test_new_database_keeps_packs(database):
    assert packs.installed(database)


def test_packs_follow_every_write(small):
    rid, ids = small
    a = ids["甲"]
    assert _pack(a, packs.SCORE_PACK) is None
    assert _pack(a, packs.VOTE_PACK) is None
    set_scores(
        rid, [ScoreCell(a, c, v) for c, v in zip(ITEMS, (18, 13.5, 14, 27, 19), strict=True)]
    )
    assert _pack(a, packs.SCORE_PACK) == "\x1e".join(
        f"{c}\x1f{v}" for c, v in zip(ITEMS, ("18", "13.5", "14", "27", "19"), strict=True)
    )
    set_votes(rid, a, {"superior": {"优秀": 3, "称职": 1}, "peer": {"优秀": 5}})
    assert _pack(a, packs.VOTE_PACK) == "superior\x1e优秀\x1f3\x1e称职\x1f1\x1dpeer\x1e优秀\x1f5"
    # a correction through the service, then raw SQL the program never runs
    set_scores(rid, [ScoreCell(a, "neng", 12)])
    assert "neng\x1f12" in _pack(a, packs.SCORE_PACK)
    VoteCount.update(count=9).where(
        (VoteCount.cadre == a) & (VoteCount.group_code == "peer")
    ).execute()
    assert _pack(a, packs.VOTE_PACK).endswith("peer\x1e优秀\x1f9")
    ItemScore.delete().where((ItemScore.cadre == a) & (ItemScore.item_code != "de")).execute()
    assert _pack(a, packs.SCORE_PACK) == "de\x1f18"
    ItemScore.delete().where(ItemScore.cadre == a).execute()
    assert _pack(a, packs.SCORE_PACK) is None
    VoteCount.delete().where(VoteCount.cadre == a).execute()
    assert _pack(a, packs.VOTE_PACK) is None
    # the other members were never touched
    assert _pack(ids["乙"], packs.SCORE_PACK) is None


def test_member_added_after_its_rows_gets_them(small):
    rid, ids = small
    b = ids["乙"]
    RoundMember.delete().where(RoundMember.cadre == b).execute()
    ItemScore.create(round=rid, cadre=b, item_code="de", score="17")
    VoteCount.create(round=rid, cadre=b, group_code="served", grade_label="称职", count=4)
    QuarterGrade.create(cadre=b, year=2025, quarter=3, grade="一般")
    QuarterGrade.create(cadre=b, year=2024, quarter=1, grade="较差")  # another year
    RoundMember.create(round=rid, cadre=b, unit_id=1, unit_name="市委组织部")
    assert _pack(b, packs.SCORE_PACK) == "de\x1f17"
    assert _pack(b, packs.VOTE_PACK) == "served\x1e称职\x1f4"
    assert _pack(b, packs.QUARTER_PACK) == "3\x1f一般"


def test_install_fills_packs_of_an_older_database(small):
    """What the v5 migration does: rows written while no trigger existed are packed."""
    rid, ids = small
    with db.atomic():
        packs.drop(db.obj)
        set_scores(rid, [ScoreCell(ids["丙"], c, 15) for c in ITEMS])
        set_votes(rid, ids["丙"], {"served": {"基本称职": 2}})
        assert _pack(ids["丙"], packs.SCORE_PACK) is None  # nobody kept it
        packs.install(db.obj)
    assert _pack(ids["丙"], packs.SCORE_PACK) == "\x1e".join(f"{c}\x1f15" for c in ITEMS)
    assert _pack(ids["丙"], packs.VOTE_PACK) == "served\x1e基本称职\x1f2"


def test_quarter_packs_follow_the_quarter_grades_of_the_round_year(small):
    """平时考核 rows belong to a person and a year: they reach the packs of that year's
    rounds only, and a round of another year keeps its own."""
    rid, ids = small
    a = ids["甲"]
    later = create_round(2026)
    RoundMember.create(round=later.id, cadre=a, unit_id=1, unit_name="市委组织部")
    set_quarter_grade(a, 2025, 2, "好")
    set_quarter_grade(a, 2025, 1, "较好")
    set_quarter_grade(a, 2026, 1, "一般")

    def quarter_pack(round_id: int) -> str | None:
        return db.execute_sql(
            f"SELECT {packs.QUARTER_PACK} FROM round_member WHERE round_id = ? AND cadre_id = ?",
            (round_id, a),
        ).fetchone()[0]

    assert quarter_pack(rid) == "1\x1f较好\x1e2\x1f好"
    assert quarter_pack(later.id) == "1\x1f一般"
    set_quarter_grade(a, 2025, 1, None)
    assert quarter_pack(rid) == "2\x1f好"
    assert {p.person_id: p.quarterly_grades for p in load_inputs(rid)[1]}[a] == (None, "好")
    assert quarter_pack(later.id) == "1\x1f一般"


def test_rows_the_rules_do_not_know_reach_the_engine_either_way(small):
    """Bad rows written outside the program (a vote label and a rater group not in the
    scheme, a negative count, an item not in the scheme) are read as stored from the packs
    too, so the engine names them exactly as when reading rows."""
    rid, ids = small
    for name in "甲乙丙":
        set_scores(rid, [ScoreCell(ids[name], c, 15) for c in ITEMS])
        set_votes(rid, ids[name], {"superior": {"优秀": 2}})
    VoteCount.create(round=rid, cadre=ids["甲"], group_code="superior", grade_label="良好", count=1)
    VoteCount.create(round=rid, cadre=ids["乙"], group_code="群众", grade_label="优秀", count=2)
    db.execute_sql(
        "UPDATE vote_count SET count = -3 WHERE cadre_id = ? AND grade_label = '优秀'",
        (ids["丙"],),
    )
    ItemScore.create(round=rid, cadre=ids["丙"], item_code="tese", score="5")
    from_packs, from_rows = _inputs_both_ways(rid)
    assert from_packs == from_rows
    rules = load_inputs(rid)[0]
    messages = []
    for people in (from_packs, from_rows):
        with pytest.raises(ValidationError) as err:
            grade_round(rules, people)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "票种“良好”不在测评票分值表中" in messages[0]
    assert "评价组“群众”不在本轮考核方案中" in messages[0]
    assert "票数 -3 应为不小于 0 的整数" in messages[0]
    assert "考核项目“tese”不在本轮考核方案中" in messages[0]


@pytest.fixture(scope="module")
def demo_round(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("packs") / "demo.db"
    build_demo(path, cadres=400, today=dt.date(2026, 3, 1), parts=("training",))
    open_database(path)
    info = add_demo_assessment(2025)
    yield info
    close_database()


def test_demo_round_graded_the_same_from_packs_and_rows(demo_round):
    """The demo round (scores, votes with zero counts and missing groups, quarters,
    sanctions, probation, a tie) graded from the packs and from the rows: identical."""
    rid = demo_round.round_id
    rules = load_inputs(rid)[0]
    from_packs, from_rows = _inputs_both_ways(rid)
    assert len(from_packs) == demo_round.people
    assert from_packs == from_rows
    approved = AssessmentRound.get_by_id(rid).approved_pools
    assert approved == "[]"
    a = grade_round(rules, from_packs).to_dict()
    b = grade_round(rules, from_rows).to_dict()
    assert a == b
    assert sum(1 for p in from_packs if p.votes) > demo_round.people // 2


def test_rows_read_as_plain_text_give_the_same_inputs(demo_round, monkeypatch):
    """Without the packs and without SQLite's integer-coded columns (what PostgreSQL gets:
    it refuses a CASE that mixes integers and text) the loader reads the same inputs."""
    rid = demo_round.round_id
    from_packs = load_inputs(rid)[1]
    monkeypatch.setattr(inputs, "_sqlite", lambda: False)
    with db.atomic():
        packs.drop(db.obj)
        plain = load_inputs(rid)[1]
        packs.install(db.obj)
    assert plain == from_packs
    assert any(p.quarterly_grades for p in plain)
