"""`openimr serve --workers N`: the socket shared by the workers keeps Nagle off on accepted connections
(issue 15). Without it every keep-alive reply waits on the client's delayed ACK."""

from __future__ import annotations

import socket

import uvicorn

from openimr.cli.service import nodelay_socket


def _accepted_nodelay(listener: socket.socket) -> int:
    listener.listen(1)
    with socket.create_connection(listener.getsockname()[:2], timeout=5):
        conn, _ = listener.accept()
        with conn:
            return conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_workers_socket_accepts_with_tcp_nodelay():
    config = uvicorn.Config("openimr.api.app:app_from_env", factory=True, workers=2, host="127.0.0.1", port=0)
    with nodelay_socket(config) as listener:
        assert _accepted_nodelay(listener) != 0


def test_uvicorn_bound_socket_alone_lacks_it():
    # the control: what uvicorn's own bind gives an accepted connection (what the fix is for)
    config = uvicorn.Config("openimr.api.app:app_from_env", factory=True, workers=2, host="127.0.0.1", port=0)
    with config.bind_socket() as listener:
        assert _accepted_nodelay(listener) == 0
