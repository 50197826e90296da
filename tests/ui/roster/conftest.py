"""The roster screen as a user opens it: the six-person roster of tests/ui/conftest.py."""

from __future__ import annotations

import pytest

from ui.roster.roster_view import RosterView


@pytest.fixture
def view(qtbot, people):  # noqa: ANN001, ANN201
    """The 干部名册 screen, shown at a desk size."""
    v = RosterView()
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.show()
    qtbot.waitExposed(v)
    return v
