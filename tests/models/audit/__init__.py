"""Tests of the 修改记录 query (models.audit)."""
