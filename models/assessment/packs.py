"""Packed copies of each round member's item scores and 民主测评 votes, kept by SQLite triggers.

Grading a round reads every score and vote of its members: for 50,000 people that is about
240,000 score rows and 390,000 vote rows, and handing Python one tuple per row is most of the
time ``grade`` takes. So each ``round_member`` row also carries its person's scores and votes
as two short texts, which the database itself keeps equal to the rows: triggers on
``item_score``, ``vote_count`` and ``round_member`` rebuild a member's texts whenever one of
its rows is inserted, changed or deleted, whoever writes (this program, an import, an old
copy of it, the sqlite3 shell). The score and vote tables stay the record; the texts are only
read by :mod:`models.assessment.grading.inputs`, which falls back to the rows when the triggers are
not there (PostgreSQL, or a database set up without them).

Formats (control characters never appear in codes, labels or decimal texts):

* ``score_pack``: ``code US score`` entries joined by RS, in the order the rows were written.
* ``vote_pack``: one segment per rater group joined by GS; a segment is the group code and
  its ``label US count`` entries, joined by RS.
* ``quarter_pack``: the person's 平时考核 grades of the round's year, ``quarter US grade``
  joined by RS, by quarter (kept by triggers on ``quarter_grade``, whose rows belong to a
  person and a year rather than to a round).

NULL means the member has no such rows.
"""

from __future__ import annotations

from peewee import Database, SqliteDatabase

US, RS, GS = "\x1f", "\x1e", "\x1d"

SCORE_PACK = "score_pack"
VOTE_PACK = "vote_pack"
QUARTER_PACK = "quarter_pack"
_TRIGGERS = (
    "pack_quarter_grade_insert",
    "pack_quarter_grade_update",
    "pack_quarter_grade_delete",
    "pack_assessment_round_year",
    "pack_item_score_insert",
    "pack_item_score_update",
    "pack_item_score_delete",
    "pack_vote_count_insert",
    "pack_vote_count_update",
    "pack_vote_count_delete",
    "pack_round_member_insert",
    "pack_round_member_update",
)


def _scores_of(x: str) -> str:
    """SQL: the score pack of the member (round_id, cadre_id) of trigger row ``x``."""
    return (
        "(SELECT group_concat(item_code || char(31) || score, char(30)) FROM ("
        "SELECT item_code, score FROM item_score "
        f"WHERE round_id = {x}.round_id AND cadre_id = {x}.cadre_id ORDER BY id))"
    )


def _votes_of(x: str) -> str:
    return (
        "(SELECT group_concat(seg, char(29)) FROM ("
        "SELECT group_code || char(30) || group_concat(grade_label || char(31) || count, "
        "char(30)) AS seg FROM (SELECT id, group_code, grade_label, count FROM vote_count "
        f"WHERE round_id = {x}.round_id AND cadre_id = {x}.cadre_id ORDER BY id) "
        "GROUP BY group_code ORDER BY min(id)))"
    )


def _quarters_of(cadre: str, year: str) -> str:
    """SQL: the 平时考核 pack of ``cadre`` in ``year`` ('quarter US grade' joined by RS)."""
    return (
        "(SELECT group_concat(quarter || char(31) || grade, char(30)) FROM ("
        f"SELECT quarter, grade FROM quarter_grade WHERE cadre_id = {cadre} AND year = {year} "
        "ORDER BY quarter))"
    )


def _round_year(round_id: str) -> str:
    return f"(SELECT year FROM assessment_round WHERE id = {round_id})"


def _set_quarters(x: str) -> str:
    """SQL: refresh the quarter pack of cadre ``x``.cadre_id in every round of ``x``.year."""
    return (
        f"UPDATE round_member SET {QUARTER_PACK} = {_quarters_of(f'{x}.cadre_id', f'{x}.year')} "
        f"WHERE cadre_id = {x}.cadre_id AND round_id IN "
        f"(SELECT id FROM assessment_round WHERE year = {x}.year);"
    )


def _set(column: str, value: str, x: str) -> str:
    return (
        f"UPDATE round_member SET {column} = {value} "
        f"WHERE round_id = {x}.round_id AND cadre_id = {x}.cadre_id;"
    )


def _trigger_sql() -> list[str]:
    out = []
    for table, column, of in (
        ("item_score", SCORE_PACK, _scores_of),
        ("vote_count", VOTE_PACK, _votes_of),
    ):
        out += [
            f"CREATE TRIGGER IF NOT EXISTS pack_{table}_insert AFTER INSERT ON {table} "
            f"BEGIN {_set(column, of('NEW'), 'NEW')} END",
            f"CREATE TRIGGER IF NOT EXISTS pack_{table}_update AFTER UPDATE ON {table} "
            f"BEGIN {_set(column, of('OLD'), 'OLD')} {_set(column, of('NEW'), 'NEW')} END",
            f"CREATE TRIGGER IF NOT EXISTS pack_{table}_delete AFTER DELETE ON {table} "
            f"BEGIN {_set(column, of('OLD'), 'OLD')} END",
        ]
    out += [
        "CREATE TRIGGER IF NOT EXISTS pack_quarter_grade_insert AFTER INSERT ON quarter_grade "
        f"BEGIN {_set_quarters('NEW')} END",
        "CREATE TRIGGER IF NOT EXISTS pack_quarter_grade_update AFTER UPDATE ON quarter_grade "
        f"BEGIN {_set_quarters('OLD')} {_set_quarters('NEW')} END",
        "CREATE TRIGGER IF NOT EXISTS pack_quarter_grade_delete AFTER DELETE ON quarter_grade "
        f"BEGIN {_set_quarters('OLD')} END",
        "CREATE TRIGGER IF NOT EXISTS pack_assessment_round_year "
        "AFTER UPDATE OF year ON assessment_round BEGIN "
        f"UPDATE round_member SET {QUARTER_PACK} = "
        f"{_quarters_of('round_member.cadre_id', 'NEW.year')} WHERE round_id = NEW.id; END",
    ]
    member = (
        f"UPDATE round_member SET {SCORE_PACK} = {_scores_of('NEW')}, "
        f"{VOTE_PACK} = {_votes_of('NEW')}, "
        f"{QUARTER_PACK} = {_quarters_of('NEW.cadre_id', _round_year('NEW.round_id'))} "
        "WHERE id = NEW.id;"
    )
    out += [
        "CREATE TRIGGER IF NOT EXISTS pack_round_member_insert AFTER INSERT ON round_member "
        f"BEGIN {member} END",
        "CREATE TRIGGER IF NOT EXISTS pack_round_member_update "
        f"AFTER UPDATE OF round_id, cadre_id ON round_member BEGIN {member} END",
    ]
    return out


def install(real: Database) -> bool:
    """Add the pack columns and triggers to ``real`` and fill the columns from the rows
    (SQLite only; returns False and does nothing on another database). Idempotent; run
    inside the caller's transaction."""
    if not isinstance(real, SqliteDatabase):
        return False
    have = {c.name for c in real.get_columns("round_member")}
    for column in (SCORE_PACK, VOTE_PACK, QUARTER_PACK):
        if column not in have:
            real.execute_sql(f"ALTER TABLE round_member ADD COLUMN {column} TEXT")
    for sql in _trigger_sql():
        real.execute_sql(sql)
    real.execute_sql(
        f"UPDATE round_member SET {SCORE_PACK} = {_scores_of('round_member')}, "
        f"{VOTE_PACK} = {_votes_of('round_member')}, "
        f"{QUARTER_PACK} = "
        f"{_quarters_of('round_member.cadre_id', _round_year('round_member.round_id'))}"
    )
    return True


def installed(real: Database) -> bool:
    """Whether ``real`` keeps the packs (every trigger present)."""
    if not isinstance(real, SqliteDatabase):
        return False
    names = ", ".join(f"'{n}'" for n in _TRIGGERS)
    row = real.execute_sql(
        f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
    ).fetchone()
    return row[0] == len(_TRIGGERS)


def drop(real: Database) -> None:
    """Remove the triggers (the loader then reads the rows); used by tests of that path."""
    for name in _TRIGGERS:
        real.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
