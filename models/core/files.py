"""Files a user saves (PDFs, xlsx) get the permissions the user's umask gives a new file.

A document is written through a temporary file that is renamed into place (nothing
half-written is ever left); Python creates such temporary files readable by their owner
only (mode 0600), which would keep a colleague or a shared folder from opening what was
saved. :func:`as_new_file` gives the finished file the mode an ordinary new file gets
(0644 under the usual umask 022). Backups of the database are not documents: they keep
owner-only permissions (personnel data).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_lock = threading.Lock()


def umask() -> int:
    """This process's umask, read without changing it where the system tells it (Linux),
    else set and restored at once under a lock."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def as_new_file(path: str | os.PathLike[str]) -> None:
    """Give ``path`` the permissions of a file the user created: 0666 less the umask."""
    os.chmod(path, 0o666 & ~umask())


__all__ = ["as_new_file", "umask"]
