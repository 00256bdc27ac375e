"""Pseudonymisation (GDPR): emails become keyed hashes before anything is stored.

A plain hash of an email can be reversed by hashing a list of known emails; a keyed
hash (HMAC-SHA256 with a secret key kept outside the database) cannot without the key.
The same email always gives the same pseudonym, so orders, NPS answers and tickets of
one person join across files.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

KEY_ENV = "CLV_PSEUDONYM_KEY"
PSEUDONYM_PREFIX = "c_"
# 24 hex digits = 96 bits: collisions stay negligible for billions of customers.
_PSEUDONYM_HEX = 24

EMAIL_RE = re.compile(r"[^\s@;,=:<>\"']+@[^\s@;,=:<>\"']+")


def normalize_email(email: str) -> str:
    """Canonical form of an email before hashing: Unicode NFC, trimmed, lower case."""
    return unicodedata.normalize("NFC", email).strip().lower()


def pseudonymize(email: str, key: bytes) -> str:
    """Pseudonym of one email: ``c_`` + the first 24 hex digits of HMAC-SHA256(key, email).

    Examples
    --------
    >>> pseudonymize(" Alice@Example.com ", b"k") == pseudonymize("alice@example.com", b"k")
    True
    """
    digest = hmac.new(key, normalize_email(email).encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:_PSEUDONYM_HEX]


def pseudonymize_series(emails: pd.Series, key: bytes) -> pd.Series:
    """Pseudonymise a column of emails; empty or missing cells give ``None``.

    Each distinct email is hashed once (exports repeat the same customer many times).
    """
    codes, uniques = pd.factorize(emails.astype("object"))
    names = np.empty(len(uniques) + 1, dtype=object)
    names[:-1] = [
        pseudonymize(e, key) if isinstance(e, str) and normalize_email(e) else None for e in uniques
    ]
    names[-1] = None
    return pd.Series(names[codes], index=emails.index, dtype="object")


def redact_emails(text: str, key: bytes) -> str:
    """Replace every email inside free text by its pseudonym (for rejected-row excerpts)."""
    return EMAIL_RE.sub(lambda m: pseudonymize(m.group(0), key), text)


def load_key(key_file: Path, env: dict[str, str] | None = None) -> bytes:
    """The pseudonymisation key: ``CLV_PSEUDONYM_KEY`` if set, else ``key_file``.

    Where neither exists, a random key is generated once into ``key_file`` (created with
    mode 0600, next to the database and ignored by git). Losing the key means new
    imports no longer join with stored customers, so keep it with your backups.
    """
    env = os.environ if env is None else env
    from_env = env.get(KEY_ENV, "").strip()
    if from_env:
        return from_env.encode("utf-8")
    if key_file.exists():
        value = key_file.read_text(encoding="ascii").strip()
        if value:
            return value.encode("ascii")
    key_file.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    return value.encode("ascii")
