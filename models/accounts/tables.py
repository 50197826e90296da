"""The account table: one row per person who may log in."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, DateTimeField, IntegerField, TextField

from models.core.dates import now_seconds
from models.core.db import BaseModel


class Account(BaseModel):
    """A person who logs in: 登录名, 姓名, role, the argon2id hash of the password, the units
    a 考核录入 account works for, and the lock-out counters. ``version`` counts the edits
    (optimistic locking); logging in does not change it."""

    id = AutoField()
    username = CharField(max_length=30, unique=True)
    display_name = CharField(max_length=30, default="")
    role = CharField(max_length=20)
    password_hash = CharField(max_length=200)
    unit_ids = TextField(default="")  # "3,7": units (with their sub-units) of a 考核录入
    active = BooleanField(default=True)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login = DateTimeField(null=True)
    created_at = DateTimeField(default=now_seconds)
    version = IntegerField(default=1)


ACCOUNT_TABLES = [Account]

__all__ = ["ACCOUNT_TABLES", "Account"]
