"""HTTP bulk ingestion against `yiwang serve`: observations stored per second, beside the framework's ceiling.

    .venv/bin/python benchmarks/bench_ingest_http.py [--per-request 5000] [--seconds 10] [--clients 2]
        [--workers 2] [--db sqlite|postgres] [--gzip] [--code DIR]

A scratch database, ``--clients`` devices, `yiwang serve` (gunicorn sync workers) on a spare port.
Every request body is serialised *before* the clock starts (the load generator shares the cores with
the server, so its own JSON work would count against the server); each client thread then posts its
bodies of ``--per-request`` new observations of its own device, with its X-Device-Key, over
``http.client`` for ``--seconds``. Every answer is checked (all accepted) and the stored count is
compared with the accepted count at the end. In the same run, the same clients call the trivial
endpoint (/api/v1/ping) for as long: the framework's ceiling in requests per second on this machine.
CPU seconds of the server processes and of the load generator are measured from /proc.

``--code DIR`` runs the server from another checkout of the project (e.g. a ``git worktree`` of the
commit before a change) against the same scratch database, so before and after run with one script.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_licences import PG_URL, machine, say

DB_NAME = "yiwang_bench_ingest_http"
BASE_MS = 1782864000000  # 2026-07-01 00:00 UTC
TICKS = os.sysconf("SC_CLK_TCK")


def configure(db: str, name: str = DB_NAME) -> None:
    """A scratch database of its own (another benchmark may be using bench_licences' one)."""
    os.environ["YIWANG_DATA_DIR"] = tempfile.mkdtemp(prefix=f"bench-{name}-{db}-")
    os.environ.setdefault("YIWANG_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + name
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())


def _procs() -> tuple[dict[int, int], dict[int, float], dict[int, str]]:
    parents, cpu, names = {}, {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            names[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    return parents, cpu, names


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, from /proc."""
    parents, cpu, _names = _procs()
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def pg_backend_cpu() -> float:
    """CPU seconds of the PostgreSQL backends serving the scratch database (their title names it)."""
    _parents, cpu, names = _procs()
    return sum(cpu[pid] for pid, name in names.items() if name.startswith("postgres:") and DB_NAME in name)


def bodies_for(client: int, count: int, per_request: int, compress: bool) -> list[bytes]:
    out = []
    for b in range(count):
        k = b * per_request
        body = json.dumps([{"ts": BASE_MS + (k + i) * 1000, "value": (client + i) * 0.001} for i in range(per_request)])
        out.append(gzip.compress(body.encode(), 1) if compress else body.encode())
    return out


def run_clients(port: int, n: int, seconds: float, request) -> tuple[float, list[float], list]:
    """Run ``request(conn, client, k)`` in n threads until ``seconds`` pass; elapsed, latencies, per-client results."""
    latencies: list[float] = []
    results: list[list] = [[] for _ in range(n)]
    stop = time.perf_counter() + seconds

    def client(c: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        k = 0
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            out = request(conn, c, k)
            if out is None:
                break
            latencies.append(time.perf_counter() - t0)
            results[c].append(out)
            k += 1
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-request", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--gzip", action="store_true", help="send Content-Encoding: gzip bodies")
    parser.add_argument("--max-rate", type=float, default=300_000, help="observations/s to prepare bodies for")
    parser.add_argument("--code", help="run the server from this checkout instead (before/after)")
    args = parser.parse_args()
    configure(args.db)

    from tests.sensing.conftest import free_port
    from yiwang.sensing.devices import key_hash, mosquitto_hash
    from yiwang.sensing.models import Device, DeviceType, Observation

    kind = DeviceType.objects.create(code="water-meter", name="Water meter", unit="m3", interval_seconds=60)
    for n in range(args.clients):
        Device.objects.create(code=f"H{n}", type=kind, lon=121.4, lat=31.2, key_hash=key_hash(f"key-{n}"),
                              mqtt_password_hash=mosquitto_hash(f"key-{n}"))  # fmt: skip
    per_client = int(args.max_rate * args.seconds / args.per_request / args.clients) + 2
    bodies = [bodies_for(c, per_client, args.per_request, args.gzip) for c in range(args.clients)]
    port = free_port()
    env = os.environ.copy()
    cwd = None
    if args.code:
        env["PYTHONPATH"] = str(Path(args.code).resolve())
        cwd = args.code
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "yiwang.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--no-access-log", "--timeout", "120"],
        env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    headers = {"Content-Type": "application/json"}
    if args.gzip:
        headers["Content-Encoding"] = "gzip"

    def ping(conn, c, k):
        conn.request("GET", "/api/v1/ping")
        answer = conn.getresponse()
        answer.read()
        return answer.status

    def post(conn, c, k):
        if k >= len(bodies[c]):
            return None
        conn.request("POST", "/api/v1/sensing/observations", bodies[c][k], {**headers, "X-Device-Key": f"key-{c}"})
        answer = conn.getresponse()
        data = json.loads(answer.read())
        assert answer.status == 200 and data["accepted"] == args.per_request, (answer.status, data)
        return data["accepted"]

    try:
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/api/v1/ping")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        run_clients(port, args.clients, 1, ping)  # warm every worker up
        say(machine())
        me = os.getpid()

        def cpu() -> tuple[float, float, float]:  # server tree, this process alone (the server is our child), PG
            server_cpu = tree_cpu(server.pid)
            return server_cpu, tree_cpu(me) - server_cpu, pg_backend_cpu()

        cpu0 = cpu()
        ping_elapsed, _lat, ping_results = run_clients(port, args.clients, args.seconds, ping)
        cpu1 = cpu()
        elapsed, latencies, results = run_clients(port, args.clients, args.seconds, post)
        cpu2 = cpu()
        load = os.getloadavg()
        accepted = sum(sum(r) for r in results)
        stored = Observation.objects.count()
        requests = len(latencies)
        latencies.sort()
        rate = accepted / elapsed
        pings = sum(len(r) for r in ping_results)
        server_cpu, client_cpu, pg_cpu = (cpu2[i] - cpu1[i] for i in range(3))
        spent = server_cpu + client_cpu + pg_cpu
        say(f"code: {args.code or 'this checkout'}; load(1m) after the run: {load[0]:.2f}")
        say("")
        say("| what | figure |")
        say("|---|---|")
        say(f"| trivial endpoint GET /api/v1/ping ({args.clients} clients, {args.workers} workers) | "
            f"{pings / ping_elapsed:,.0f} requests/s (server CPU {cpu1[0] - cpu0[0]:.1f} s, "
            f"clients {cpu1[1] - cpu0[1]:.1f} s in {ping_elapsed:.1f} s) |")  # fmt: skip
        say(f"| POST requests ({args.per_request:,} observations each{', gzip' if args.gzip else ''}) "
            f"| {requests} in {elapsed:.1f} s ({requests / elapsed:.1f}/s) |")  # fmt: skip
        say(f"| stored / accepted | {stored:,} / {accepted:,} |")
        say(f"| request latency median / max | {latencies[len(latencies) // 2] * 1000:.0f} ms / "
            f"{latencies[-1] * 1000:.0f} ms |")  # fmt: skip
        say(f"| CPU: server / load generator / PostgreSQL backends | {server_cpu:.1f} s / {client_cpu:.1f} s / "
            f"{pg_cpu:.1f} s in {elapsed:.1f} s (server {server_cpu / max(accepted, 1) * 1e6:.1f} µs per "
            f"observation) |")  # fmt: skip
        say(f"| observations per CPU-second (server + load generator + PostgreSQL) | {accepted / spent:,.0f} |")
        say(f"| HTTP bulk ingestion, {args.db} | **{rate:,.0f} observations/s** (goal ≥ 100,000) |")
        assert stored == accepted, "stored and accepted differ"
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
