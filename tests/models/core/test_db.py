import datetime as dt
from decimal import Decimal

from models.core.audit import ChangeLog
from models.core.db import bulk_insert, db
from models.roster.tables import Cadre


def test_bulk_insert_stores_rows_exactly_as_peewee_does(units):
    row = {
        "name": "张三",
        "sex": "男",
        "birth_date": dt.date(1975, 3, 12),
        "unit": units["org"],
        "id_card": "620421197503120014",
        "party_date": None,
    }
    Cadre.insert(**row).execute()
    bulk_insert(Cadre, [{**row, "id_card": "620402198805200023"}])
    raw = db.execute_sql(
        "SELECT name, sex, birth_date, unit_id, party_date, status, version, notes,"
        " typeof(created_at) FROM cadre ORDER BY id"
    ).fetchall()
    assert raw[0] == raw[1]
    assert raw[1][:7] == ("张三", "男", "1975-03-12", units["org"], None, "在职", 1)
    b = Cadre.get(Cadre.id_card == "620402198805200023")
    assert b.birth_date == dt.date(1975, 3, 12)
    assert isinstance(b.created_at, dt.datetime)


def test_bulk_insert_of_nothing_and_of_many(database):
    assert bulk_insert(ChangeLog, []) == 0
    n = bulk_insert(
        ChangeLog,
        [
            {
                "user": "u",
                "entity": "x",
                "entity_id": i,
                "action": "新增",
                "new_value": str(Decimal("1.50")),
            }
            for i in range(3)
        ],
    )
    assert n == 3
    assert [r.entity_id for r in ChangeLog.select().order_by(ChangeLog.id)] == [0, 1, 2]
