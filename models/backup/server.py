"""A PostgreSQL server's backups: ``pg_dump -Fc`` into a local folder and ``pg_restore
--clean --if-exists`` back, through the PostgreSQL client programs (postgresql-client).

The connection goes to the child process in its environment (PGHOST, PGPORT, PGUSER and,
when the URL held one, PGPASSWORD), never on its command line, so neither ``ps`` nor the
log ever shows the password; without one, the programs read ~/.pgpass as psql does.
Their English messages go to the log; the user is told what happened in Chinese.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from models.core.db import connect_error_text
from models.core.errors import DomainError

log = logging.getLogger(__name__)

CLIENT_TOOLS_HINT = (
    "请安装 PostgreSQL 客户端工具（postgresql-client：Debian/Ubuntu 上 apt install "
    "postgresql-client；Windows 上安装 PostgreSQL 时勾选 Command Line Tools），"
    "并把它所在的文件夹加入 PATH"
)
LOCK_WAIT_SECONDS = 60  # how long a dump or restore waits for a table another client locks


class ToolsMissing(DomainError):
    """pg_dump or pg_restore is not installed (or not on PATH)."""


@dataclass(frozen=True)
class ServerParams:
    """Where a PostgreSQL database is (the password only goes to the child's environment)."""

    name: str
    user: str | None
    host: str
    port: int
    password: str | None = None

    @property
    def shown(self) -> str:
        """The database as the user may see it: ``postgresql://user@host:port/name``."""
        who = f"{self.user}@" if self.user else ""
        return f"postgresql://{who}{self.host}:{self.port}/{self.name}"

    def __repr__(self) -> str:  # never the password, even in a traceback or a log line
        return f"ServerParams({self.shown})"


def tool(name: str) -> str:
    """The full path of a PostgreSQL client program; ToolsMissing when it is not found."""
    found = shutil.which(name)
    if found is None:
        raise ToolsMissing(f"找不到 PostgreSQL 备份程序 {name}。{CLIENT_TOOLS_HINT}")
    return found


def tools_available() -> bool:
    """Whether pg_dump and pg_restore are both on PATH."""
    return shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None


def _env(params: ServerParams) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PGHOST=params.host,
        PGPORT=str(params.port),
        PGCONNECT_TIMEOUT="10",
        PGAPPNAME="CadreDesk 备份",
        # a restore waiting for another client's lock gives up instead of hanging
        PGOPTIONS=f"-c lock_timeout={LOCK_WAIT_SECONDS}s",
    )
    if params.user:
        env["PGUSER"] = params.user
    if params.password:
        env["PGPASSWORD"] = params.password
    return env


def _conninfo(params: ServerParams) -> str:
    """``-d`` as a connection string holding only the name (host etc. are in the env)."""
    escaped = params.name.replace("\\", "\\\\").replace("'", "\\'")
    return f"dbname='{escaped}'"


def _run(
    args: Sequence[str],
    params: ServerParams | None,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a client program; its output as text. A cancel kills it (Cancelled-like
    DomainError is left to the caller: this returns with returncode -1)."""
    env = _env(params) if params is not None else dict(os.environ)
    log.info("running %s", " ".join(args))  # no password: it is only in the environment
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window on Windows
    with subprocess.Popen(
        list(args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        encoding="utf-8",
        errors="replace",
        creationflags=flags,
    ) as child:
        while True:
            try:
                out, err = child.communicate(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled():
                    child.kill()
                    child.communicate()
                    return subprocess.CompletedProcess(args, -1, "", "cancelled")
        return subprocess.CompletedProcess(args, child.returncode, out, err)


def _failure(program: str, stderr: str, params: ServerParams) -> DomainError:
    """Why a client program failed, in Chinese; its own text goes to the log."""
    log.warning("%s failed for %s: %s", program, params.shown, stderr.strip())
    text = stderr.lower()
    if "no space left" in text or "disk full" in text:
        return DomainError(f"{program} 没有完成：磁盘空间不足")
    if "server version mismatch" in text or "unsupported version" in text:
        return DomainError(
            f"{program} 的版本低于数据库服务器，请安装与服务器相同或更新版本的"
            f" PostgreSQL 客户端工具（postgresql-client）"
        )
    if "lock timeout" in text or "could not obtain lock" in text:
        return DomainError(
            f"数据库 {params.shown} 正被其他用户使用（数据表被锁住），{program} 等待"
            f" {LOCK_WAIT_SECONDS} 秒后放弃，请稍后重试"
        )
    if "permission denied" in text or "must be owner" in text:
        who = params.user or ""
        return DomainError(f"账号 {who} 没有 {program} 所需的权限，请由数据库管理员执行")
    if "connection" in text or "password" in text or "authentication" in text:
        return DomainError(connect_error_text(RuntimeError(stderr), params.shown))
    return DomainError(f"{program} 没有完成，原因已写入日志")


def dump(params: ServerParams, dest: Path, *, cancelled: Callable[[], bool] | None = None) -> bool:
    """``pg_dump -Fc`` of the database into ``dest``; False when cancelled."""
    args = [
        tool("pg_dump"),
        "--format=custom",
        "--no-password",
        f"--lock-wait-timeout={LOCK_WAIT_SECONDS * 1000}",
        f"--file={dest}",
        f"--dbname={_conninfo(params)}",
    ]
    done = _run(args, params, cancelled=cancelled)
    if done.returncode == -1:
        return False
    if done.returncode != 0:
        raise _failure("pg_dump", done.stderr, params)
    return True


_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE (?:\S+ )?(\S+) ", re.M)
"""A table in ``pg_restore --list``: ``215; 1259 20892 TABLE public cadre owner``."""


@dataclass(frozen=True)
class DumpContents:
    """What a dump holds, read without restoring it."""

    cadredesk: bool  # it has CadreDesk's tables (schema_version, cadre)
    version: int  # its schema version (0 when unknown)


def inspect_dump(path: Path) -> DumpContents:
    """Read a dump's table of contents and its schema version. DomainError when pg_restore
    cannot read the whole archive (damaged or not a pg_dump archive)."""
    program = tool("pg_restore")
    listing = _run([program, "--list", str(path)], None)
    if listing.returncode != 0:
        log.warning("pg_restore --list %s: %s", path, listing.stderr.strip())
        raise DomainError(f"{path.name} 不是 pg_dump 备份文件，或已损坏，不能用来恢复")
    # the whole archive must read back, not only its table of contents
    whole = _run([program, f"--file={os.devnull}", str(path)], None)
    if whole.returncode != 0:
        log.warning("pg_restore (read) %s: %s", path, whole.stderr.strip())
        raise DomainError(f"备份文件 {path.name} 已损坏（不能完整读出），不能用来恢复")
    if not {"schema_version", "cadre"} <= set(_ENTRY.findall(listing.stdout)):
        return DumpContents(False, 0)
    data = _run([program, "--data-only", "--table=schema_version", "--file=-", str(path)], None)
    return DumpContents(True, _max_version(data.stdout))


def tables_in(path: Path) -> set[str]:
    """The names of the tables a dump holds."""
    listing = _run([tool("pg_restore"), "--list", str(path)], None)
    return set(_ENTRY.findall(listing.stdout))


def _max_version(script: str) -> int:
    versions: list[int] = []
    copying = False
    for line in script.splitlines():
        if line.startswith("COPY ") and "schema_version" in line:
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying and line.split("\t", 1)[0].isdigit():
            versions.append(int(line.split("\t", 1)[0]))
    return max(versions, default=0)


def restore(params: ServerParams, path: Path) -> None:
    """Replace the database's content with the dump ``path`` in one transaction (nothing
    changes when it fails)."""
    args = [
        tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        "--no-password",
        f"--dbname={_conninfo(params)}",
        str(path),
    ]
    started = time.monotonic()
    done = _run(args, params)
    if done.returncode != 0:
        raise _failure("pg_restore", done.stderr, params)
    log.info("restored %s from %s in %.1f s", params.shown, path, time.monotonic() - started)


__all__ = [
    "CLIENT_TOOLS_HINT",
    "DumpContents",
    "ServerParams",
    "ToolsMissing",
    "dump",
    "inspect_dump",
    "restore",
    "tables_in",
    "tool",
    "tools_available",
]
