"""HTTP bulk ingestion against `yiwang serve`: observations stored per second.

    .venv/bin/python benchmarks/bench_ingest_http.py [--per-request 5000] [--seconds 10] [--clients 2]
        [--workers 2] [--db sqlite|postgres]

A scratch database, ``--clients`` devices, `yiwang serve` (gunicorn sync workers) on a spare port;
each client thread posts batches of ``--per-request`` new observations of its own device with its
X-Device-Key for ``--seconds``. Every answer is checked (all accepted); the stored count is compared
with the accepted count at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

from bench_licences import configure, machine, say


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-request", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    configure(args.db)
    import requests

    from tests.sensing.conftest import free_port
    from yiwang.sensing.devices import key_hash, mosquitto_hash
    from yiwang.sensing.models import Device, DeviceType, Observation

    kind = DeviceType.objects.create(code="water-meter", name="Water meter", unit="m3", interval_seconds=60)
    for n in range(args.clients):
        Device.objects.create(code=f"H{n}", type=kind, lon=121.4, lat=31.2, key_hash=key_hash(f"key-{n}"),
                              mqtt_password_hash=mosquitto_hash(f"key-{n}"))  # fmt: skip
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "yiwang.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--no-access-log"],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api/v1/sensing/observations"
    try:
        for _ in range(200):
            try:
                requests.get(f"http://127.0.0.1:{port}/api/v1/ping", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        say(machine())
        totals = [0] * args.clients
        latencies: list[float] = []
        stop = time.perf_counter() + args.seconds

        def client(n: int) -> None:
            session = requests.Session()
            session.headers.update({"X-Device-Key": f"key-{n}", "Content-Type": "application/json"})
            base, k = 1782864000000, 0
            while time.perf_counter() < stop:
                body = json.dumps([{"ts": base + (k + i) * 1000, "value": i * 0.001} for i in range(args.per_request)])
                t0 = time.perf_counter()
                answer = session.post(url, data=body, timeout=60).json()
                latencies.append(time.perf_counter() - t0)
                assert answer["accepted"] == args.per_request, answer
                totals[n] += answer["accepted"]
                k += args.per_request

        start = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        stored = Observation.objects.count()
        latencies.sort()
        rate = sum(totals) / elapsed
        say("")
        say("| what | figure |")
        say("|---|---|")
        say(f"| requests ({args.per_request:,} observations each, {args.clients} clients, {args.workers} workers) "
            f"| {len(latencies)} in {elapsed:.1f} s |")  # fmt: skip
        say(f"| stored / accepted | {stored:,} / {sum(totals):,} |")
        say(f"| request latency median / max | {latencies[len(latencies) // 2] * 1000:.0f} ms / "
            f"{latencies[-1] * 1000:.0f} ms |")  # fmt: skip
        say(f"| HTTP bulk ingestion, {args.db} | **{rate:,.0f} observations/s** (goal ≥ 100,000) |")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
