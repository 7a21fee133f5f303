"""A consumer killed (SIGKILL) with a buffered, uncommitted batch: nothing was acknowledged, so the
broker redelivers to the next consumer of the same session and every observation is stored."""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.sensing.conftest import database_url, publish_all, publisher
from yiwang.sensing.models import Observation
from yiwang.sensing.mqtt import Consumer, device_topic

pytestmark = pytest.mark.django_db(transaction=True)
K = 300


def test_killed_consumer_loses_nothing(own_broker, make_device):
    devices = [make_device() for _ in range(3)]
    broker = own_broker()
    env = dict(os.environ, DATABASE_URL=database_url(), YIWANG_MQTT_PASSWORD=broker["password"])
    client_id = "ingest-crash-test"
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "yiwang.cli",
            "ingest",
            "--host",
            broker["host"],
            "--port",
            str(broker["port"]),
            "--client-id",
            client_id,
            "--batch-size",
            "100000",
            "--batch-wait",
            "120",
            "--verbose-batches",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = queue.SimpleQueue()
        threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
        output = [lines.get(timeout=30)]
        assert "subscribed" in output[0], output
        time.sleep(0.5)  # the SUBACK: the session holds the subscription from now on
        base = datetime(2026, 7, 1, tzinfo=UTC)
        messages = []
        for n in range(K):
            device = devices[n % 3]
            body = {"ts": (base + timedelta(seconds=n)).isoformat(), "value": n}
            messages.append((device, (device_topic(device.code), json.dumps(body))))
        for device in devices:
            pub = publisher(broker["host"], broker["port"], username=device.code, password=device.plain_key)
            publish_all(pub, [m for d, m in messages if d == device])
            pub.disconnect()
            pub.loop_stop()
        deadline = time.monotonic() + 20
        buffered = 0
        while buffered < K and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            output.append(line)
            if line.startswith("buffered "):
                buffered = int(line.split()[1])
        assert buffered == K, "the first consumer should have received every message:\n" + "".join(output)
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert Observation.objects.count() == 0  # killed before its commit

    second = Consumer(
        client_id=f"{client_id}-0",
        host=broker["host"],
        port=broker["port"],
        username=broker["username"],
        password=broker["password"],
        batch_size=1000,
        batch_wait=0.3,
    )
    stats = second.run(stop_after_idle=1.5)
    assert Observation.objects.count() == K
    assert stats.accepted == K
