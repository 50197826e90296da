"""The 节假日 table: national holidays and 调休 working days (DOMAIN §3.7), entered from the
State Council's yearly notices and editable for later years."""

from __future__ import annotations

from peewee import SQL, AutoField, CharField, DateField, IntegerField

from models.core.db import BaseModel

DAY_OFF = "放假"
WORKDAY = "调休上班"
HOLIDAY_KINDS = (DAY_OFF, WORKDAY)


class Holiday(BaseModel):
    """One calendar day that is not an ordinary day: 放假 (a weekday off) or 调休上班 (a
    weekend day worked)."""

    id = AutoField()
    day = DateField(unique=True)
    kind = CharField(max_length=4)  # 放假 / 调休上班
    name = CharField(max_length=20)  # 元旦、春节、清明节、劳动节、端午节、中秋节、国庆节…
    source = CharField(max_length=120, default="")  # the notice it was entered from
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


CALENDAR_TABLES = [Holiday]
