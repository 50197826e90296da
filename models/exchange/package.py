"""The ``.cdx`` file: a zip holding ``manifest.json`` and one JSON-lines file per table.

Integrity, checked before anything is read: each data file's sha256 (of the bytes stored,
so it is checked without the password), a sha256 over all of them (``content_sha256``, the
package's identity), a sha256 of the manifest itself, and a sha256 of the whole file but its
last 64 bytes, written as the zip's comment: one byte changed anywhere is refused.

With a password the data files are encrypted with AES-256-GCM (a random 12-byte nonce per
file, the file's name as associated data), the key derived by scrypt from the password and
a random salt kept in the manifest; without it the package shows its manifest only.
No database here.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from models.core.errors import DomainError

FORMAT_VERSION = 1
SUFFIX = ".cdx"
MANIFEST = "manifest.json"
SEAL_LENGTH = 64  # the hex sha256 in the zip comment
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
TAMPERED = "交换包已损坏或被改动（校验值不符），已拒绝接收；请向发送单位重新索取"


@dataclass(frozen=True)
class Manifest:
    """What a package says about itself (readable without the password)."""

    format: int
    schema: int
    office: str
    created: str  # ISO date and time
    scope: str  # class:<gid> / unit:<gid>
    title: str  # 班次《…》 / 单位《…》
    rows: dict[str, int]  # table → records
    content_sha256: str
    encrypted: bool


@dataclass(frozen=True)
class Package:
    """A package read and checked: its manifest and, once decrypted, each table's records.
    ``defaulted``: per table, the fields an older program did not send, which
    :func:`models.exchange.upgrade.upgrade` filled with their defaults."""

    path: Path
    manifest: Manifest
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    defaulted: dict[str, frozenset[str]] = field(default_factory=dict)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(value: object) -> bytes:
    """``value`` as JSON written one way only (sorted keys, no spaces), for hashing."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _key(password: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(password.encode("utf-8"))


def _content_hash(files: dict[str, dict[str, Any]]) -> str:
    return sha256("".join(f"{n}:{files[n]['sha256']}\n" for n in sorted(files)).encode())


def write_package(
    path: Path,
    head: dict[str, Any],
    tables: dict[str, list[dict[str, Any]]],
    *,
    password: str | None = None,
) -> Manifest:
    """Write the package: ``head`` (schema, office, created, scope, title) and each table's
    records (JSON lines); encrypted when a ``password`` is given. Written to a temporary
    file first, then renamed: a package appears whole or not at all."""
    salt = os.urandom(16) if password else b""
    key = _key(password, salt) if password else b""
    stored: dict[str, bytes] = {}
    files: dict[str, dict[str, Any]] = {}
    for table, records in tables.items():
        name = f"{table}.jsonl"
        plain = b"".join(canonical(r) + b"\n" for r in records)
        data = plain
        if password:
            nonce = os.urandom(12)
            data = nonce + AESGCM(key).encrypt(nonce, plain, name.encode())
        stored[name] = data
        files[name] = {"sha256": sha256(data), "rows": len(records), "bytes": len(data)}
    manifest: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "app": "CadreDesk",
        **head,
        "files": files,
        "content_sha256": _content_hash(files),
        "encryption": (
            {
                "cipher": "AES-256-GCM",
                "kdf": "scrypt",
                "salt": base64.b64encode(salt).decode(),
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
            }
            if password
            else None
        ),
    }
    manifest["manifest_sha256"] = sha256(canonical(manifest))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in stored.items():
            z.writestr(name, data)
        z.comment = b"0" * SEAL_LENGTH
    raw = bytearray(buffer.getvalue())
    raw[-SEAL_LENGTH:] = sha256(bytes(raw[:-SEAL_LENGTH])).encode()
    temp = path.with_name(path.name + ".part")
    temp.write_bytes(bytes(raw))
    temp.replace(path)
    return _manifest(manifest)


def _manifest(m: dict[str, Any]) -> Manifest:
    files = m["files"]
    return Manifest(
        int(m["format"]),
        int(m["schema"]),
        str(m["office"]),
        str(m["created"]),
        str(m["scope"]),
        str(m.get("title", "")),
        {n.removesuffix(".jsonl"): int(f["rows"]) for n, f in files.items()},
        str(m["content_sha256"]),
        m.get("encryption") is not None,
    )


def _open(path: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """The zip and its manifest, once the whole-file seal and the manifest's own hash are
    right; DomainError (in Chinese) for anything else."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DomainError(f"找不到交换包 {path}") from None
    if len(raw) <= SEAL_LENGTH or sha256(raw[:-SEAL_LENGTH]).encode() != raw[-SEAL_LENGTH:]:
        if not zipfile.is_zipfile(io.BytesIO(raw)):
            raise DomainError(f"{path.name} 不是 CadreDesk 交换包（.cdx）")
        raise DomainError(TAMPERED)
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        manifest = json.loads(z.read(MANIFEST).decode("utf-8"))
        claimed = manifest.pop("manifest_sha256")
    except (zipfile.BadZipFile, KeyError, ValueError, zlib.error, EOFError, OSError):
        raise DomainError(TAMPERED) from None
    if claimed != sha256(canonical(manifest)):
        raise DomainError(TAMPERED)
    return z, manifest


def read_manifest(path: Path) -> Manifest:
    """The package's manifest, after the integrity checks that need no password."""
    z, manifest = _open(path)
    with z:
        _check_files(z, manifest)
    return _manifest(manifest)


def _check_files(z: zipfile.ZipFile, manifest: dict[str, Any]) -> dict[str, bytes]:
    files = manifest["files"]
    if _content_hash(files) != manifest["content_sha256"]:
        raise DomainError(TAMPERED)
    names = set(z.namelist()) - {MANIFEST}
    if names != set(files):
        raise DomainError(TAMPERED)
    out: dict[str, bytes] = {}
    for name, info in files.items():
        try:
            data = z.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise DomainError(TAMPERED) from None
        if sha256(data) != info["sha256"]:
            raise DomainError(TAMPERED)
        out[name] = data
    return out


def read_package(path: Path, password: str | None = None, *, schema: int) -> Package:
    """The package checked and read: refused when damaged or changed (any hash), made by a
    newer program (format or ``schema`` above ours), encrypted and no or the wrong
    password given."""
    z, raw_manifest = _open(path)
    with z:
        stored = _check_files(z, raw_manifest)
    manifest = _manifest(raw_manifest)
    if manifest.format > FORMAT_VERSION or manifest.schema > schema:
        raise DomainError(
            f"交换包由较新版本的程序生成（格式 {manifest.format}，数据库版本 {manifest.schema}），"
            f"本程序只能接收数据库版本 {schema} 及以前的交换包，请先升级程序"
        )
    encryption = raw_manifest.get("encryption")
    if encryption and not password:
        raise DomainError(f"交换包 {path.name} 已加密，请输入发送单位告知的密码")
    tables: dict[str, list[dict[str, Any]]] = {}
    key = b""
    if encryption:
        salt = base64.b64decode(encryption["salt"])
        key = _key(password or "", salt)
    for name, data in stored.items():
        plain = data
        if encryption:
            try:
                plain = AESGCM(key).decrypt(data[:12], data[12:], name.encode())
            except InvalidTag:
                raise DomainError(f"交换包 {path.name} 的密码不对，无法解密") from None
        try:
            rows = [json.loads(line) for line in plain.decode("utf-8").splitlines() if line]
        except ValueError:
            raise DomainError(TAMPERED) from None
        tables[name.removesuffix(".jsonl")] = rows
    return Package(path, manifest, tables)


__all__ = [
    "FORMAT_VERSION",
    "SUFFIX",
    "Manifest",
    "Package",
    "canonical",
    "read_manifest",
    "read_package",
    "sha256",
    "write_package",
]
