"""`spasmbot sandbox` as a process (what `python3 dev.py sandbox` starts): a taken port
is a clear one-line error, and SIGTERM stops everything and frees the port."""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.settings import PROJECT_ROOT


def sandbox_command(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'sandbox.sqlite3'}"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "sandbox", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A socket listening on a free port of 127.0.0.1, as another program would."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock
    sock.close()


def can_listen(port: int) -> bool:
    """Whether a server (with address reuse, as aiohttp and the sandbox do) could start."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
    return True


def first_line(process: subprocess.Popen[str], within: float = 60.0) -> str:
    """The process's first line of output (or "" if it ended without one)."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], within)  # a guard, not a pace
    return process.stdout.readline() if ready else ""


def test_a_taken_port_names_the_port_option(tmp_path: Path, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    process = sandbox_command(tmp_path, port)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "Traceback" not in err and out == ""
    [line] = err.strip().splitlines()
    found = re.fullmatch(rf"spasmbot: port {port} is in use .*; start with --port (\d+)", line)
    assert found is not None, line
    assert int(found.group(1)) != port


def test_sigterm_stops_the_sandbox_and_frees_its_port(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = sandbox_command(tmp_path, port)
    try:
        started = first_line(process)
        assert started.startswith(f"Sandbox: http://127.0.0.1:{port}"), started
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as page:
            assert page.post("/api/send", json={"user_id": 101, "text": "/start"}).is_success
            with page.stream("GET", "/api/events") as events:  # an open page
                assert next(events.iter_lines()) == "retry: 1000"
                assert not can_listen(port)
                process.send_signal(signal.SIGTERM)
                _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "Sandbox stopped." in err
    assert can_listen(port)
    assert (tmp_path / "sandbox.sqlite3.key").is_file()  # its own key, beside its database
