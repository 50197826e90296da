"""Tests of the 修改记录 screen (ui.audit) and its screenshot."""
