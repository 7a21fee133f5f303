"""Serving and loading the project for the HTTP benchmarks: `yiwang serve` on a spare port, and wrk."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int, workers: int | None, extra: tuple = ()) -> subprocess.Popen:
    """`yiwang serve` in a session of its own (``extra``: more options, e.g. ``("--with-worker",)``)."""
    argv = [sys.executable, "-m", "yiwang.cli", "serve", "--bind", f"127.0.0.1:{port}", *extra]
    argv += ["--workers", str(workers)] if workers else []
    proc = subprocess.Popen(  # noqa: S603
        [*argv, "--no-access-log"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /api/v1/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if b" 200 " in s.recv(200):
                    return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise SystemExit("the server did not answer /api/v1/ping within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,'
    .. '"p50_us":%d,"p99_us":%d,"max_us":%d}\\n', summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def run_wrk(url: str, seconds: int, connections: int, lua: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua + LUA_DONE)
        script = f.name
    try:
        argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", script, url]
        out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout  # noqa: S603
    finally:
        os.unlink(script)
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    r = json.loads(line[len("WRKJSON ") :])
    return {
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "ok": r["requests"] - r["non2xx"],
        "failed": r["non2xx"] + r["errors"],
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
    }


def pct(values: list[float], p: float) -> float:
    """The p-th percentile of ``values`` (seconds), in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def run_closed_loops(target, arg_sets: list[tuple], seconds: int) -> dict:
    """One process per argument tuple, each ``target(*args, queue)`` putting ``(latencies, ok, failed)``;
    the aggregate as ``{"rps", "ok", "failed", "p50_ms", "p99_ms"}`` (the Python client where wrk is absent)."""
    import multiprocessing as mp

    queue = mp.Queue()
    procs = [mp.Process(target=target, args=(*args, queue)) for args in arg_sets]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    lat = [x for r in results for x in r[0]]
    return {
        "rps": len(lat) / seconds,
        "ok": sum(r[1] for r in results),
        "failed": sum(r[2] for r in results),
        "p50_ms": pct(lat, 50),
        "p99_ms": pct(lat, 99),
    }
