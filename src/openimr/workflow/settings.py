"""The case service's settings, in one place (pydantic-settings: environment variables `OPENIMR_*`).

A value that cannot be used is an error naming the variable, except where a safe fallback exists; each
fallback is logged once (`fallback()`), never silently taken.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger("openimr.settings")

DEFAULT_DATABASE_URL = "sqlite:///openimr.db"
MIN_BOOTSTRAP_TOKEN = 32  # characters: the bootstrap token is an admin's password

_fallbacks: set[str] = set()
_fallback_lock = threading.Lock()


def fallback(key: str, message: str, *args: Any) -> None:
    """Log a fallback the first time it is taken in this process (a warning, not once per request)."""
    with _fallback_lock:
        if key in _fallbacks:
            return
        _fallbacks.add(key)
    log.warning("fallback: " + message, *args)


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPENIMR_", extra="ignore")

    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy URL of the case database")
    bootstrap_token: SecretStr | None = Field(None, description="the first admin's bearer token (>= 32 characters)")
    organization: str | None = Field(None, description="the IMR organization named in issued letters")
    max_body_mb: float = Field(50, gt=0, le=4096, description="largest request body, MB")
    sqlite_synchronous: Literal["FULL", "NORMAL", "EXTRA"] = "FULL"
    auth_failures_per_minute: float = Field(60, gt=0, description="failed authentications per client per minute")
    public_reads_per_minute: float = Field(120, gt=0, description="anonymous published reads per client per minute")
    draft_processes: int = Field(1, ge=0, le=64, description="engine processes per server process for drafts "
                                 "(0: drafts run on the request thread)")
    draft_nice: int = Field(5, ge=0, le=19, description="CPU priority offset of the draft processes (reads first)")

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _sync(cls, v: Any) -> Any:
        value = str(v).strip().upper()
        if value not in {"FULL", "NORMAL", "EXTRA"}:
            fallback("sqlite_synchronous", "OPENIMR_SQLITE_SYNCHRONOUS=%r is not FULL, NORMAL or EXTRA: using FULL", v)
            return "FULL"
        return value

    @property
    def max_body(self) -> int:
        return int(self.max_body_mb * 1024 * 1024)


def settings(**overrides: Any) -> ServiceSettings:
    """The settings from the environment (read afresh: tests and `serve` options change it)."""
    return ServiceSettings(**{k: v for k, v in overrides.items() if v is not None})


def check_bootstrap_token(token: str | None) -> None:
    """Refuse a guessable bootstrap token: it becomes an admin's credential."""
    if token and len(token) < MIN_BOOTSTRAP_TOKEN:
        raise ValueError(f"OPENIMR_BOOTSTRAP_TOKEN: too short ({len(token)} characters; at least "
                         f"{MIN_BOOTSTRAP_TOKEN}, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))')")
