"""Pressing 取消 on a background job at a known moment: after the service it runs has
returned (its own transaction done) and before the job's transaction commits."""

from __future__ import annotations

import threading
from types import ModuleType
from typing import Any

import pytest

from ui import jobs


class CancelAfterService:
    """Patches ``module.name`` so that on the worker the real service runs to the end, then
    waits until the test has pressed 取消 (:meth:`cancel`, on the GUI thread)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> None:
        real = getattr(module, name)
        self.returned, self.go_on = threading.Event(), threading.Event()
        self.results: list[Any] = []

        def patched(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
            out = real(*args, **kwargs)
            self.results.append(out)
            self.returned.set()
            self.go_on.wait(10)
            return out

        monkeypatch.setattr(module, name, patched)

    def cancel(self, job: jobs.Job) -> None:
        assert self.returned.wait(10), "the service never ran"
        job.cancel()
        self.go_on.set()
