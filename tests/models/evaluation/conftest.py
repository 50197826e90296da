"""A year's work plan for the 单位考评 tests: two tasks, one for 市委组织部, one for 乌兰镇.
Its rules leave the 领导班子 out of the total (team_weight 0), so that the totals the tests
compute by hand are the 工作实绩 alone; tests/models/evaluation/test_team.py covers the
班子 with the rules a new year starts with."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from models.evaluation import TaskInput, default_eval_rules, save_rules, save_task
from tests.models.assessment.test_service import adb  # noqa: F401

D = Decimal
Y = 2025


@pytest.fixture
def plan(adb, units):  # noqa: F811
    """Two tasks: 市委组织部 leads 干部教育培训 (共性), 乌兰镇 leads 乡村振兴 (个性, 重点)."""
    save_rules(Y, dataclasses.replace(default_eval_rules(), team_weight=D(0)), user="考评办")
    a = save_task(TaskInput(Y, "干部教育培训全覆盖", units["org"], category="共性",
                            weight=D(20), deadline=dt.date(Y, 12, 31)), user="考评办")  # fmt: skip
    b = save_task(TaskInput(Y, "乡村振兴示范村建设", units["town"], key_topic=True,
                            weight=D(30), responsible="王镇长"), user="考评办")  # fmt: skip
    return a.id, b.id
