"""A consumer started while the broker is down keeps trying (its own reconnect loop, no paho thread) and
stores what devices publish once the broker is up."""

import json
import threading
import time

import pytest

from tests.sensing.conftest import publish_all, publisher, reachable
from yiwang.sensing.models import Observation
from yiwang.sensing.mqtt import Consumer, device_topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_consumer_started_before_the_broker_connects_when_it_comes_and_stores(own_broker, make_device):
    device = make_device()
    broker = own_broker()
    broker["proc"].terminate()  # the port and configuration stay; the broker is down
    broker["proc"].wait(5)
    assert not reachable(broker["host"], broker["port"])
    consumer = Consumer(
        client_id="ingest-early-test",
        host=broker["host"],
        port=broker["port"],
        username=broker["username"],
        password=broker["password"],
        batch_size=100,
        batch_wait=0.05,
    )
    consumer.reconnect_delay_set(0.1, 0.5)
    worker = threading.Thread(target=consumer.run, daemon=True)
    worker.start()
    time.sleep(1.0)
    assert not consumer.connected.is_set()
    own_broker()  # up now
    assert consumer.connected.wait(10), "the consumer never connected"
    time.sleep(0.3)  # the SUBACK
    pub = publisher(broker["host"], broker["port"], username=device.code, password=device.plain_key)
    publish_all(
        pub, [(device_topic(device.code), json.dumps({"ts": 1782864000000 + n, "value": n})) for n in range(50)]
    )
    pub.disconnect()
    pub.loop_stop()
    deadline = time.monotonic() + 10
    while Observation.objects.count() < 50 and time.monotonic() < deadline:
        time.sleep(0.1)
    consumer.stopping.set()
    worker.join(10)
    assert not worker.is_alive()
    assert Observation.objects.count() == 50
    assert consumer.stats.accepted == 50
