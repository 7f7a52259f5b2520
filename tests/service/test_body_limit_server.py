"""Finding 1 against a real server: a 400 MB chunked upload (no Content-Length) with a garbage token is
refused before it is read (the server's peak memory does not grow), and with a valid token it is cut
off at the body limit (the peak grows by about the limit, never by the 400 MB)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from test_kill import free_port, start

pytestmark = pytest.mark.slow

LIMIT_MB = 50
CHUNK = b"x" * (1024 * 1024)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def upload(base: str, token: str, total_mb: int = 400) -> tuple[int | None, int]:
    """POST a chunked body; returns (status or None if the server hung up first, MB the client got out)."""
    sent = 0

    def body():
        nonlocal sent
        for _ in range(total_mb):
            sent += 1
            yield CHUNK

    try:
        r = httpx.post(f"{base}/api/v1/cases", content=body(), timeout=60,
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        return r.status_code, sent
    except httpx.HTTPError:
        return None, sent


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_400mb_chunked_upload_is_refused_within_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENIMR_MAX_BODY_MB", str(LIMIT_MB))
    token = "boot-" + uuid.uuid4().hex
    port = free_port()
    proc = start(f"sqlite:///{tmp_path / 'db.sqlite'}", port, token, tmp_path / "server.log")
    base = f"http://127.0.0.1:{port}"
    try:
        before = peak_rss_mb(proc.pid)
        status, sent = upload(base, "garbage-" + uuid.uuid4().hex)
        assert status in (401, None), status
        after_garbage = peak_rss_mb(proc.pid)
        status, _ = upload(base, token)
        assert status in (413, None), status
        after_valid = peak_rss_mb(proc.pid)
        assert httpx.get(f"{base}/health").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"peak RSS {before:.0f} MB; after 400 MB chunked with a garbage token {after_garbage:.0f} MB "
          f"(client got {sent} MB out); after 400 MB with a valid token {after_valid:.0f} MB")
    assert after_garbage - before < 10  # nothing of the body was held
    # an authenticated upload is held up to the limit (plus the interpreter's overhead), never beyond
    assert after_valid - before < LIMIT_MB * 1.25
