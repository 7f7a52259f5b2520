"""The token-check cache (issue 15): a hit skips the database, a revoked token fails at once in this
process, entries expire after the TTL, and only successful checks are kept."""

from __future__ import annotations

from service_helpers import make_user

from openimr.workflow.security import hash_token
from openimr.workflow.tokencache import TokenCache


def test_cache_expires_and_forgets_a_user():
    now = [100.0]
    cache = TokenCache(ttl=2.0, clock=lambda: now[0])
    actor = type("A", (), {"id": "u1"})()
    cache.put("h1", actor)
    assert cache.get("h1") is actor
    now[0] += 2.5
    assert cache.get("h1") is None
    cache.put("h1", actor)
    cache.forget_user("u1")
    assert cache.get("h1") is None
    assert TokenCache(ttl=0).get("h1") is None


def test_deactivated_token_is_refused_at_once(client, admin, service):
    uid, headers = make_user(client, admin, "Intake Two", "intake")
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    token = headers["Authorization"].split()[1]
    assert service.token_cache.get(hash_token(token)) is not None  # the check above was cached
    assert client.post(f"/api/v1/users/{uid}/deactivate", headers=admin).status_code == 200
    assert client.get("/api/v1/cases", headers=headers).status_code == 401


def test_failed_checks_are_not_cached(client, service):
    bad = "oimr_" + "x" * 43
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {bad}"}).status_code == 401
    assert service.token_cache.get(hash_token(bad)) is None
