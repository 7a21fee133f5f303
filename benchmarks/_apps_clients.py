"""The applications benchmark's Python load generators, for machines without wrk: one process per
connection, each applying then accepting (or pinging) in a closed loop."""

from __future__ import annotations

import json
import time


def pct(values: list[float], p: float) -> float:
    """The p-th percentile of ``values`` (seconds), in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def _py_worker(port, setup, seconds, index, queue):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    lat, ok, failed, i = [], 0, 0, index

    def post(path, body, who):
        nonlocal ok, failed
        t0 = time.perf_counter()
        headers = {"Content-Type": "application/json", "Cookie": who["cookie"], "X-CSRFToken": who["csrf"]}
        try:
            conn.request("POST", path, json.dumps(body), headers)
            resp = conn.getresponse()
            data = resp.read()
            status = resp.status
        except OSError:
            conn.close()
            data, status = b"", 0
        lat.append(time.perf_counter() - t0)
        ok, failed = (ok + 1, failed) if status in (200, 201) else (ok, failed + 1)
        return status, data

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        i += 1
        resident = setup["residents"][i % len(setup["residents"])]
        situation = setup["situations"][i % len(setup["situations"])]
        status, data = post("/api/v1/applications/", {"situation": situation, "submit": True}, resident)
        if status == 201:
            code = json.loads(data)["code"]
            post(f"/api/v1/applications/{code}/accept", {"version": 1}, setup["clerks"][i % len(setup["clerks"])])
    queue.put((lat, ok, failed))


def run_python(port: int, setup: dict, seconds: int, connections: int) -> dict:
    import multiprocessing as mp

    queue = mp.Queue()
    procs = [mp.Process(target=_py_worker, args=(port, setup, seconds, k * 1000, queue)) for k in range(connections)]
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
        "seconds": seconds,
    }


def _ping_worker(port, seconds, queue):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    lat, ok, failed = [], 0, 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        try:
            conn.request("GET", "/api/v1/ping")
            resp = conn.getresponse()
            resp.read()
            ok, failed = (ok + 1, failed) if resp.status == 200 else (ok, failed + 1)
        except OSError:
            failed += 1
            conn.close()
        lat.append(time.perf_counter() - t0)
    queue.put((lat, ok, failed))


def _ping_python(port: int, seconds: int, connections: int) -> dict:
    import multiprocessing as mp

    queue = mp.Queue()
    procs = [mp.Process(target=_ping_worker, args=(port, seconds, queue)) for _ in range(connections)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    lat = [x for r in results for x in r[0]]
    ok, failed = sum(r[1] for r in results), sum(r[2] for r in results)
    return {"rps": len(lat) / seconds, "ok": ok, "failed": failed, "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99)}
