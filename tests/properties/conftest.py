"""Hypothesis in this suite: a fixed seed (derandomize) and a bounded number of examples, so
every run tries the same cases, and no example database written into the working folder."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "cadredesk",
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("cadredesk")
