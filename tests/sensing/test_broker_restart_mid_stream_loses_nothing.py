"""The broker restarts while devices publish (QoS 1) and the consumer is storing: the broker keeps the
consumer's session and queued messages on disk, the consumer reconnects with the same session, the
devices resend what the broker had not acknowledged — every published observation is stored, once."""

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count

from tests.sensing.conftest import publisher, reachable
from yiwang.sensing.devices import device_cache
from yiwang.sensing.models import Observation
from yiwang.sensing.mqtt import Consumer, device_topic, partition_of

pytestmark = pytest.mark.django_db(transaction=True)
PER_DEVICE = 400
RATE = 300  # messages a second, all devices together


def publish_stream(client, device, acked, stop_at):
    """Publish PER_DEVICE observations at a steady pace whether or not the broker is up (paho queues)."""
    base = datetime(2026, 7, 1, tzinfo=UTC)
    for n in range(PER_DEVICE):
        body = {"ts": (base + timedelta(seconds=n)).isoformat(), "value": n, "seq": n}
        client.publish(device_topic(device.code), json.dumps(body), qos=1)
        time.sleep(3 / RATE)
    stop_at.append(time.monotonic())


@pytest.mark.parametrize("processes", [1, 2])
def test_broker_restart_mid_stream_loses_nothing_and_stores_nothing_twice(own_broker, make_device, processes):
    device_cache.clear()  # the same codes as in the other parametrized run, new rows
    devices = [make_device(code) for code in ("restart-a", "restart-c", "restart-d")]
    assert {partition_of(d.code, 2) for d in devices} == {0, 1}
    broker = own_broker()
    consumers = [
        Consumer(
            client_id=f"ingest-restart-test-{i}",
            host=broker["host"],
            port=broker["port"],
            username=broker["username"],
            password=broker["password"],
            batch_size=100,
            batch_wait=0.2,
            partition=(i, processes),
        )
        for i in range(processes)
    ]
    for consumer in consumers:
        consumer.start()
        assert consumer.connected.wait(5)
    time.sleep(0.3)  # the SUBACK: the session holds the subscription from now on
    workers = [threading.Thread(target=c.run, daemon=True) for c in consumers]
    for worker in workers:
        worker.start()

    acked = []
    clients = []
    for device in devices:
        client = publisher(broker["host"], broker["port"], username=device.code, password=device.plain_key)
        client.reconnect_delay_set(0.1, 2)
        client.on_publish = lambda *args: acked.append(1)
        clients.append(client)
    done: list = []
    streams = [
        threading.Thread(target=publish_stream, args=(c, d, acked, done)) for c, d in zip(clients, devices, strict=True)
    ]
    for t in streams:
        t.start()
    time.sleep(1.2)  # about a third of the stream
    assert 0 < Observation.objects.count() < len(devices) * PER_DEVICE

    # the devices come back before the consumer does: what they publish then must wait in its session
    for consumer in consumers:
        consumer.reconnect_delay_set(min_delay=3, max_delay=3)
    proc = broker["proc"]
    proc.terminate()  # SIGTERM: Mosquitto writes its persistence file and exits
    proc.wait(10)
    assert not reachable(broker["host"], broker["port"])
    time.sleep(0.8)  # devices keep publishing into paho's queue meanwhile
    own_broker()  # the same configuration, port and persistence directory

    for t in streams:
        t.join(60)
    total = len(devices) * PER_DEVICE
    deadline = time.monotonic() + 15
    while (len(acked) < total or Observation.objects.count() < total) and time.monotonic() < deadline:
        time.sleep(0.2)
    for client in clients:
        client.disconnect()
        client.loop_stop()
    for consumer, worker in zip(consumers, workers, strict=True):
        consumer.stopping.set()
        worker.join(10)

    assert all(c.stats.reconnects >= 1 for c in consumers), "a consumer never saw the broker go away"
    assert len(acked) == total, "the broker did not acknowledge every publication"
    assert Observation.objects.count() == total
    per_key = Observation.objects.values("ts", "device").annotate(n=Count("id")).filter(n__gt=1)
    assert not per_key.exists()
    for device in devices:
        values = sorted(Observation.objects.filter(device=device).values_list("value", flat=True))
        assert values == [float(n) for n in range(PER_DEVICE)]
    assert sum(c.stats.accepted for c in consumers) == total  # each observation counted as new exactly once
    if processes > 1:  # the devices were shared out, not all stored by one process
        assert all(0 < c.stats.accepted < total for c in consumers)
