"""Tests of the 修改记录 xlsx (reports.audit)."""
