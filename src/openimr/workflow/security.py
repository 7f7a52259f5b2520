"""Bearer tokens and roles.

A token is 32 random bytes (URL-safe, prefixed `oimr_`); only its SHA-256 is stored. The presented
token is hashed and looked up by hash, and the hashes are compared with `hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    INTAKE = "intake"
    REVIEWER = "reviewer"
    CLAIMS_ADMINISTRATOR = "claims_administrator"
    PARTY = "party"


def new_token() -> str:
    return "oimr_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)
