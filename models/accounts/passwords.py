"""Passwords: the rules a new password must meet, and argon2id hashes (argon2-cffi).

A password is never stored, logged or shown: only its hash is kept, and the hash never goes
into the change log either.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from models.core.errors import DomainError

MIN_LENGTH = 8
MAX_LENGTH = 128

_hasher = PasswordHasher(type=Type.ID)  # argon2id with argon2-cffi's RFC 9106 parameters

_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` may not be used (Chinese), or None when it meets the rules: at least
    8 characters, a letter and a digit, not the 登录名."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位，现在只有 {len(password)} 位"
    if len(password) > MAX_LENGTH:
        return f"密码不能超过 {MAX_LENGTH} 位"
    if not _LETTER.search(password) or not _DIGIT.search(password):
        return "密码须同时包含英文字母和数字"
    if username and password.strip().lower() == username.strip().lower():
        return "密码不能与登录名相同"
    if password != password.strip():
        return "密码首尾不能是空格"
    return None


def check_password(password: str, username: str = "") -> None:
    """DomainError (field ``password``) when ``password`` breaks the rules."""
    problem = password_problem(password, username)
    if problem:
        raise DomainError(problem, field="password")


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted: two hashes of one password differ)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; False also for a damaged hash."""
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (rehash at login)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True


__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "check_password",
    "hash_password",
    "needs_rehash",
    "password_problem",
    "verify_password",
]
