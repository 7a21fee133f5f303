"""A consumer that stops after storing everything leaves its session empty: its acknowledgements reach the
broker before the connection closes (a close with unread data resets the connection, and Mosquitto drops
the acknowledgements it had not read yet — they would come back as redeliveries)."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.sensing.conftest import publish_all, publisher
from yiwang.sensing.models import Observation
from yiwang.sensing.mqtt import Consumer, device_topic

pytestmark = pytest.mark.django_db(transaction=True)
N = 2000


def test_stopped_consumer_leaves_nothing_for_its_session_to_redeliver(own_broker, make_device):
    device = make_device()
    broker = own_broker()

    def consumer():
        return Consumer(
            client_id="ingest-stop-test",
            host=broker["host"],
            port=broker["port"],
            username=broker["username"],
            password=broker["password"],
            batch_size=500,
            batch_wait=0.05,
        )

    first = consumer()
    first.start()
    assert first.connected.wait(5)
    base = datetime(2026, 7, 1, tzinfo=UTC)
    pub = publisher(broker["host"], broker["port"], username=device.code, password=device.plain_key)
    publish_all(pub, [(device_topic(device.code), json.dumps({"ts": (base + timedelta(seconds=n)).isoformat(),
                                                              "value": n})) for n in range(N)])  # fmt: skip
    pub.disconnect()
    pub.loop_stop()

    def stop_when_all_stored(c):
        if c.stats.messages_committed >= N:
            c.stopping.set()

    assert first.run(stop_after_idle=5, on_batch=stop_when_all_stored).accepted == N
    again = consumer().run(stop_after_idle=1.0)
    assert again.received == 0, f"{again.received} messages redelivered after they were stored and acknowledged"
    assert Observation.objects.count() == N
