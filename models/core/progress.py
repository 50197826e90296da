"""Progress and cancel for long work: the one shape every long function takes.

A long function (an import, a grading, a batch of PDFs) takes two optional keyword arguments:
``progress(done, total, text)`` to say how far it got, and ``cancelled()`` to ask whether the
user pressed 取消. When it sees a cancel it raises :class:`Cancelled` before anything is
written (or inside the transaction, so leaving it rolls everything back). The GUI adapts both
to its progress dialog (ui.jobs); the command line passes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""``progress(done, total, text)``: ``done`` of ``total`` steps, ``text`` says which."""

IsCancelled = Callable[[], bool]
"""``cancelled()``: True once the user pressed 取消."""


class Cancelled(Exception):  # noqa: N818 (a cancel, not an error)
    """The user cancelled long work; nothing was written. ``message`` says what stopped.

    Not a :class:`~models.core.errors.DomainError`: code that shows a DomainError as a
    refusal must not show a cancel as one (ui.jobs reports it as cancelled)."""

    def __init__(self, message: str = "已取消，没有写入任何内容") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def raise_if_cancelled(cancelled: IsCancelled | None, message: str) -> None:
    """Raise :class:`Cancelled` with ``message`` once ``cancelled()`` says so."""
    if cancelled is not None and cancelled():
        raise Cancelled(message)


__all__ = [
    "Cancelled",
    "IsCancelled",
    "Progress",
    "raise_if_cancelled",
]
