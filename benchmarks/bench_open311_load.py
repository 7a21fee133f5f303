"""Load generators of ``bench_open311.py``: wrk with a Lua body script, a Python closed loop, a fixed-rate loop.

Not a benchmark itself. Each returns ``{"rps", "ok", "failed", "p50_ms", "p99_ms"}``.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.parse

from _serve import pct, run_closed_loops

SERVICE = "BENCH-GARBAGE"
PATH = "/open311/v2/requests.json"


WITH_PHONE = {"on": False}  # --phone: every report gives the caller's mobile number (told by SMS)


def post_body(key: str, point, n: int) -> str:
    lat, lon = point
    fields = [
        ("api_key", key),
        ("service_code", SERVICE),
        ("lat", lat),
        ("long", lon),
        ("description", f"bench report {n}"),
        ("attribute[volume]", "large"),
    ]
    if WITH_PHONE["on"]:
        fields.append(("phone", f"139{n % 10**8:08d}"))
    return urllib.parse.urlencode(fields)


def lua_phone() -> str:
    """The Lua expression appending the phone number to a body (empty without --phone)."""
    return ' .. "&phone=139" .. string.format("%08d", n % 100000000)' if WITH_PHONE["on"] else ""


LUA = """
local key = "%(key)s"
local points = {%(points)s}
local n = 0
request = function()
  n = n + 1
  local p = points[(n %% #points) + 1]
  local body = "api_key=" .. key .. "&service_code=%(service)s&lat=" .. p[1] .. "&long=" .. p[2]
    .. "&description=bench+report+" .. n .. "&attribute%%5Bvolume%%5D=large"%(phone)s
  return wrk.format("POST", "/open311/v2/requests.json",
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def _py_worker(port, path, bodies, seconds, queue):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    lat, ok, failed, i = [], 0, 0, 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        body = bodies[i % len(bodies)] if bodies else None
        i += 1
        t0 = time.perf_counter()
        try:
            if body is None:
                conn.request("GET", path)
            else:
                conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
            resp = conn.getresponse()
            resp.read()
            ok, failed = (ok + 1, failed) if resp.status == 200 else (ok, failed + 1)
        except OSError:
            failed += 1
            conn.close()
        lat.append(time.perf_counter() - t0)
    queue.put((lat, ok, failed))


def run_python_closed(port: int, path: str, seconds: int, connections: int, bodies=None) -> dict:
    return run_closed_loops(_py_worker, [(port, path, bodies, seconds)] * connections, seconds)


def run_fixed_rate(port: int, key: str, points, rate: float, seconds: int, start_n: int) -> dict:
    """Open loop: request i is due at t0 + i/rate; its latency counts from then (no coordinated omission)."""
    import http.client

    total = int(rate * seconds)
    lat: list[float] = []
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    next_i = iter(range(total))
    t0 = time.perf_counter() + 0.2

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while True:
            with lock:
                i = next(next_i, None)
            if i is None:
                return
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            body = post_body(key, points[(start_n + i) % len(points)], start_n + i)
            try:
                conn.request(
                    "POST", "/open311/v2/requests.json", body, {"Content-Type": "application/x-www-form-urlencoded"}
                )
                resp = conn.getresponse()
                resp.read()
                good = resp.status == 200
            except OSError:
                good = False
                conn.close()
            with lock:
                lat.append(time.perf_counter() - due)
                counts["ok" if good else "failed"] += 1

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"rps": total / seconds, **counts, "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99)}


# --- CPU accounting: what one request costs the server, the database and the client -------------------


def _proc_cpu(select) -> float:
    """CPU seconds (user + system) of the processes ``select(stat_fields, cmdline)`` picks."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if select(fields, cmdline):
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / tick


class CpuMeter:
    """CPU used during one run by the server's processes (its session: web workers, and the background
    worker with ``--with-worker``), the database's backends serving it (PostgreSQL: those connected to
    ``pg_db``) and the client (wrk, or this process)."""

    def __init__(self, server_pgid: int, pg_db: str | None):
        self.server_pgid, self.pg_db = server_pgid, pg_db

    def _snapshot(self) -> tuple[float, float, float]:
        import resource

        server = _proc_cpu(lambda f, _c: f[3] == str(self.server_pgid))  # session id (serve's children too)
        db = _proc_cpu(lambda _f, c: c.startswith("postgres: ") and f" {self.pg_db} " in c) if self.pg_db else 0.0
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return server, db, me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def start(self) -> None:
        self.t0 = self._snapshot()

    def per_request(self, requests: int) -> dict:
        """Milliseconds of CPU per request: server, db, client, total (and the ceiling on this machine)."""
        t1 = self._snapshot()
        server, db, client = ((b - a) * 1000 / max(1, requests) for a, b in zip(self.t0, t1, strict=True))
        total = server + db + client
        return {"server": server, "db": db, "client": client, "total": total, "ceiling": 1000 * os.cpu_count() / total}
