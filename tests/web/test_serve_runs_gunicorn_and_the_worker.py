"""`yiwang serve` serves the API and static files through gunicorn, runs the worker, and stops cleanly."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import yiwang

STARTUP_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "YIWANG_DATA_DIR": str(path)}
    env.pop("DATABASE_URL", None)  # a temporary SQLite database
    subprocess.run([sys.executable, "-m", "yiwang.cli", "migrate", "-v", "0"], env=env, check=True, timeout=300)
    return path, env


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
        return response.status, response.read()


def _start(env, log: Path, *args) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "yiwang.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", *args]
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            _get(base + "/api/v1/ping")
            return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail(f"yiwang serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and ") Z " not in Path(f"/proc/{pid}/stat").read_text()


def test_serve_answers_the_api_and_static_files_then_stops_on_sigterm(data_dir):
    path, env = data_dir
    log = path / "serve.log"
    proc, base = _start(env, log)
    try:
        status, body = _get(base + "/api/v1/ping")
        assert status == 200 and json.loads(body) == {"ok": True}
        status, css = _get(base + "/static/web/site.css")
        assert status == 200
        assert css == (Path(yiwang.__file__).parent / "web/static/web/site.css").read_bytes()
        assert (path / "static" / "web" / "site.css").exists()  # collected into the empty STATIC_ROOT
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    text = log.read_text()
    assert re.search(r'"GET /api/v1/ping HTTP/1\.1" 200', text)  # the access log
    assert "Using worker: sync" in text


def test_with_worker_runs_both_and_stops_both_on_ctrl_c(data_dir):
    path, env = data_dir
    log = path / "serve-worker.log"
    proc, base = _start(env, log, "--with-worker")
    try:
        text = log.read_text()
        web_pid = int(re.search(r"web server started \(pid (\d+)\)", text).group(1))
        worker_pid = int(re.search(r"worker started \(pid (\d+)\)", text).group(1))
        assert _alive(web_pid) and _alive(worker_pid)
        assert _get(base + "/api/v1/ping")[0] == 200
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=90) == 0
    assert not _alive(web_pid) and not _alive(worker_pid)
    assert "second SIG" not in log.read_text()  # each child was asked to stop exactly once
