"""The network guard itself: non-loopback connections fail, loopback ones work."""

import socket
import subprocess
import sys

import pytest
from netguard import NetworkBlocked


def test_public_address_is_blocked() -> None:
    with socket.socket() as sock, pytest.raises(NetworkBlocked):
        sock.connect(("93.184.216.34", 80))


def test_private_address_is_blocked() -> None:
    with socket.socket() as sock, pytest.raises(NetworkBlocked):
        sock.connect_ex(("10.0.0.1", 80))


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=2) as client:
            accepted, _ = server.accept()
            with accepted:
                client.sendall(b"ping")
                assert accepted.recv(4) == b"ping"


def test_guard_is_active_in_subprocesses(subprocess_env: dict) -> None:
    code = "import socket; s = socket.socket(); s.connect(('1.1.1.1', 53))"
    result = subprocess.run([sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "network guard" in result.stderr


@pytest.mark.parametrize("resolve", [socket.getaddrinfo, socket.gethostbyname, socket.gethostbyname_ex])
def test_invalid_names_fail_without_a_query(resolve) -> None:
    with pytest.raises(socket.gaierror):
        resolve("nonexistent.invalid", 80) if resolve is socket.getaddrinfo else resolve("nonexistent.invalid")
