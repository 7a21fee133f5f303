"""Published with duplicates and out of order → exactly the distinct observations stored; bad ones dead-lettered."""

import json
import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.sensing.conftest import publish_all, publisher
from yiwang.sensing.models import DeadLetter, Observation
from yiwang.sensing.mqtt import Consumer, device_topic
from yiwang.sensing.store import register_observation_listener, unregister_observation_listener

pytestmark = pytest.mark.django_db(transaction=True)


def test_duplicates_and_late_data_store_each_distinct_observation_once(shared_broker, make_device):
    host, port = shared_broker
    devices = [make_device() for _ in range(3)]
    base = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    distinct = set()
    messages = []
    rng = random.Random(7)
    for device in devices:
        for i in range(60):
            ts = base + timedelta(seconds=30 * i)
            distinct.add((device.id, ts))
            ms = int(ts.timestamp() * 1000)
            body = {"ts": ms if i % 2 else ts.isoformat(), "value": i * 0.1, "seq": i}
            messages.append((device_topic(device.code), json.dumps(body)))
    messages += rng.sample(messages, 40)  # redelivered / resent
    rng.shuffle(messages)  # out of order, late data
    # one message holding a list, overlapping what was sent already
    listed = [{"ts": (base + timedelta(seconds=30 * i)).isoformat(), "value": 1.0} for i in range(55, 65)]
    messages.append((device_topic(devices[0].code), json.dumps(listed)))
    distinct |= {(devices[0].id, base + timedelta(seconds=30 * i)) for i in range(60, 65)}
    # malformed and unknown: dead letters, the consumer goes on
    messages.append((device_topic(devices[1].code), b"{not json"))
    messages.append((device_topic(devices[1].code), json.dumps({"ts": "2026-07-01T08:00:00", "value": 1})))
    messages.append((device_topic("no-such-device"), json.dumps({"ts": 1, "value": 1})))
    messages.append((device_topic(devices[2].code), json.dumps({"ts": base.isoformat(), "value": "high"})))

    seen = []
    register_observation_listener(seen.extend)
    group = f"test-{uuid.uuid4().hex[:8]}"
    consumer = Consumer(
        client_id=f"c-{group}",
        host=host,
        port=port,
        username="",
        batch_size=100,
        batch_wait=0.2,
        share_group=group,
        shared=True,
    )
    try:
        consumer.start()
        assert consumer.connected.wait(5)
        import time

        time.sleep(0.3)  # the SUBACK
        pub = publisher(host, port)
        publish_all(pub, messages)
        pub.disconnect()
        pub.loop_stop()
        stats = consumer.run(stop_after_idle=1.0, forget_session=True)
    finally:
        unregister_observation_listener(seen.extend)

    stored = set(Observation.objects.values_list("device_id", "ts"))
    assert stored == distinct
    assert stats.received == len(messages)
    assert stats.accepted == len(distinct)
    assert sorted((o.device_id, o.ts) for o in seen) == sorted(distinct)
    reasons = list(DeadLetter.objects.values_list("device_code", "reason"))
    assert len(reasons) == 4
    assert ("no-such-device", "unknown or retired device") in reasons
    assert any("not JSON" in r for _c, r in reasons)
    assert any("time zone" in r for _c, r in reasons)
    assert any("value must be a finite number" in r for _c, r in reasons)
