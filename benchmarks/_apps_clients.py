"""The applications benchmark's Python load generators, for machines without wrk: one process per
connection, each applying then accepting (or pinging) in a closed loop."""

from __future__ import annotations

import json
import time

from _serve import run_closed_loops
from bench_open311_load import run_python_closed


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
    arg_sets = [(port, setup, seconds, k * 1000) for k in range(connections)]
    return {**run_closed_loops(_py_worker, arg_sets, seconds), "seconds": seconds}


def _ping_python(port: int, seconds: int, connections: int) -> dict:
    return run_python_closed(port, "/api/v1/ping", seconds, connections)
