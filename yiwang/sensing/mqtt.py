"""The MQTT consumer behind ``yiwang ingest``.

Topic scheme: devices publish to ``yiwang/v1/devices/{device_code}/obs`` (QoS 1) a JSON observation
or a list of them. Each consumer process subscribes to ``yiwang/v1/devices/+/obs`` with a persistent
session (clean_start False and a session expiry), so a restarted one gets what it had not
acknowledged. Several processes partition the devices: process i of n stores the devices whose
CRC-32 of the code is i modulo n and acknowledges the others at once (each process receives every
message). A plain subscription, not an MQTT 5 shared one, because Mosquitto 2.0 restores plain
subscriptions from its persistence file after a restart but not shared ones: what devices publish
between the broker's restart and the consumers' reconnection would be dropped
(``shared=True`` / ``yiwang ingest --shared`` still uses ``$share/yiwang-ingest/...``, one copy per
message, without that guarantee). Messages are acknowledged MANUALLY (paho ``manual_ack=True``): only after the batch
holding them is committed. A crash before the commit therefore loses nothing: the broker redelivers,
and the (ts, device) key makes the redelivered rows no-ops.

A lost connection (broker restart, network) is retried by paho's network thread with the same client
id and session. Packet ids belong to one connection: a message received on an earlier connection is
still stored but never acknowledged on a later one (the broker redelivers it under the same packet id,
and that copy is acknowledged) — acknowledging it late could release a different message the broker
has since sent under the same id.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import timedelta

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from yiwang.core.actor import Actor, Channel

from .devices import device_cache
from .parsing import parse_payload_rows
from .store import dead_letter, store_rows

log = logging.getLogger("yiwang.sensing.ingest")

TOPIC_PREFIX = "yiwang/v1/devices/"
TOPIC_SUFFIX = "/obs"
SHARE_GROUP = "yiwang-ingest"
SUBSCRIPTION = f"$share/{SHARE_GROUP}/yiwang/v1/devices/+/obs"


def subscription(group: str = SHARE_GROUP) -> str:
    return f"$share/{group}/yiwang/v1/devices/+/obs"


SESSION_EXPIRY_SECONDS = 7 * 24 * 3600
TOPIC_FILTER = "yiwang/v1/devices/+/obs"


def partition_of(code: str, n: int) -> int:
    """The consumer process (of ``n``) that stores device ``code``: stable across restarts and hosts."""
    return zlib.crc32(code.encode()) % n


def device_topic(code: str) -> str:
    return f"{TOPIC_PREFIX}{code}{TOPIC_SUFFIX}"


def code_from_topic(topic: str) -> str | None:
    if topic.startswith(TOPIC_PREFIX) and topic.endswith(TOPIC_SUFFIX):
        code = topic[len(TOPIC_PREFIX) : -len(TOPIC_SUFFIX)]
        if code and "/" not in code:
            return code
    return None


@dataclass
class ConsumerStats:
    received: int = 0
    messages_committed: int = 0
    accepted: int = 0
    duplicate: int = 0
    dead: int = 0
    batches: int = 0
    reconnects: int = 0  # connections after the first
    unacknowledged: int = 0  # stored, but received on a connection that has gone (the broker redelivers)


def build_batch(messages, now) -> tuple[list, list]:
    """Rows ``(UTC text, device id, value, seq)`` (``store_rows``) and dead letters for (topic, payload)s."""
    max_future = timedelta(seconds=settings.SENSING["MAX_FUTURE_SECONDS"])
    rows, dead, minutes = [], [], {}  # minutes: formatted minute prefixes shared by the batch's payloads
    for topic, payload in messages:
        code = code_from_topic(topic)
        if code is None:
            dead.append(dead_letter("mqtt", _("topic does not follow the scheme"), payload, topic=topic))
            continue
        device = device_cache.by_device_code(code)
        if device is None:
            dead.append(dead_letter("mqtt", _("unknown or retired device"), payload, topic=topic, device_code=code))
            continue
        try:
            parsed, errors = parse_payload_rows(payload, now, max_future, device.id, minutes=minutes)
        except ValueError as exc:
            dead.append(dead_letter("mqtt", str(exc), payload, topic=topic, device_code=code))
            continue
        if errors:
            reason = "; ".join(f"[{e.index}] {e.field}: {e.message}" for e in errors[:5])
            dead.append(dead_letter("mqtt", reason, payload, topic=topic, device_code=code))
        rows.extend(parsed)
    return rows, dead


class Consumer:
    """One consumer process: a paho network thread feeding a queue, the main loop storing batches."""

    def __init__(
        self,
        *,
        client_id: str,
        host: str | None = None,
        port: int | None = None,
        username: str | None = None,
        password: str | None = None,
        batch_size: int | None = None,
        batch_wait: float | None = None,
        share_group: str = SHARE_GROUP,
        shared: bool = False,
        partition: tuple[int, int] = (0, 1),
    ):
        conf = settings.SENSING
        self.host = host or conf["MQTT_HOST"]
        self.port = port or conf["MQTT_PORT"]
        self.batch_size = batch_size or conf["BATCH_SIZE"]
        self.batch_wait = batch_wait if batch_wait is not None else conf["BATCH_WAIT_SECONDS"]
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.stats = ConsumerStats()
        self.subscription = subscription(share_group) if shared else TOPIC_FILTER
        self.partition = (0, 1) if shared else partition
        if not 0 <= self.partition[0] < self.partition[1]:
            raise ValueError(f"partition {partition}: need 0 <= i < n")
        self.started = False
        self.on_buffered = None  # fn(count): called while a batch is being filled and the queue is idle
        self.stopping = threading.Event()
        self.connected = threading.Event()
        # bumped on every connect and disconnect (network thread); a message is acknowledged only on the
        # connection it came on. The lock keeps an acknowledgement from crossing a reconnection.
        self.connection = 0
        self.connection_lock = threading.Lock()
        self.connections = 0
        self.actor = Actor.system(Channel.MQTT)
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        user = username if username is not None else conf["MQTT_USERNAME"]
        if user:
            self.client.username_pw_set(user, password if password is not None else conf["MQTT_PASSWORD"])
        self.client.max_inflight_messages_set(max(20, self.batch_size * 2))
        self.client.reconnect_delay_set(min_delay=0.1, max_delay=5)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("MQTT connect refused: %s", reason_code)
            return
        with self.connection_lock:
            self.connection += 1
        self.connections += 1
        if self.connections > 1:
            self.stats.reconnects += 1
            if not flags.session_present:
                log.warning("the broker lost the session of %s: messages queued while away may be gone", client)
        client.subscribe(self.subscription, qos=1)  # a no-op when the session kept it
        self.connected.set()
        log.info("connected to %s:%s, subscribed %s", self.host, self.port, self.subscription)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        with self.connection_lock:
            self.connection += 1
        self.connected.clear()
        if not self.stopping.is_set():
            log.warning("connection to %s:%s lost (%s); reconnecting", self.host, self.port, reason_code)

    def _on_message(self, client, userdata, msg):
        i, n = self.partition
        if n > 1:
            code = code_from_topic(msg.topic)
            owner = partition_of(code, n) if code is not None else 0  # off-scheme topics: process 0's dead letters
            if owner != i:  # another process stores it
                if msg.qos > 0:
                    client.ack(msg.mid, msg.qos)
                return
        self.inbox.put((msg.mid, msg.qos, msg.topic, msg.payload, self.connection))

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY_SECONDS
        props.ReceiveMaximum = min(65535, max(20, self.batch_size * 2))
        # asynchronous: the network thread connects, and reconnects after a broker restart
        self.client.connect_async(self.host, self.port, keepalive=30, clean_start=False, properties=props)
        self.client.loop_start()

    def stop(self, *, forget_session: bool = False) -> None:
        """Disconnect; ``forget_session`` ends the broker's session too (expiry 0)."""
        self.stopping.set()
        props = None
        if forget_session:
            props = Properties(PacketTypes.DISCONNECT)
            props.SessionExpiryInterval = 0
        try:
            self.client.disconnect(properties=props)
        except OSError:
            pass
        self.client.loop_stop()

    def _collect(self) -> list:
        batch = []
        deadline = None
        while len(batch) < self.batch_size and not self.stopping.is_set():
            timeout = 0.2 if deadline is None else deadline - time.monotonic()
            if deadline is not None and timeout <= 0:
                break
            try:
                batch.append(self.inbox.get(timeout=min(timeout, 0.2)))
            except queue.Empty:
                if batch and self.on_buffered:
                    self.on_buffered(len(batch))
                if deadline is None:
                    break  # nothing came: let the caller check idleness and stop requests
                continue
            if deadline is None:
                deadline = time.monotonic() + self.batch_wait
            get = self.inbox.get_nowait  # drain what is already queued without a timed wait per message
            try:
                while len(batch) < self.batch_size:
                    batch.append(get())
            except queue.Empty:
                pass
        return batch

    def process(self, batch: list) -> None:
        """Store one batch in one transaction, then acknowledge its messages."""
        self.stats.received += len(batch)
        rows, dead = build_batch([(topic, payload) for _mid, _qos, topic, payload, _c in batch], timezone.now())
        result = store_rows(self.actor, rows, dead=dead, source="mqtt")
        with self.connection_lock:
            for mid, qos, _topic, _payload, connection in batch:
                if qos > 0 and connection == self.connection:
                    self.client.ack(mid, qos)
                elif qos > 0:
                    self.stats.unacknowledged += 1
        self.stats.messages_committed += len(batch)
        self.stats.accepted += result.accepted
        self.stats.duplicate += result.duplicate
        self.stats.dead += result.dead
        self.stats.batches += 1

    def run(self, *, stop_after_idle: float | None = None, on_batch=None, forget_session=False) -> ConsumerStats:
        """Consume until stopped (or idle for ``stop_after_idle`` seconds once something arrived)."""
        self.start()
        idle_since = time.monotonic()
        try:
            while not self.stopping.is_set():
                batch = self._collect()
                if not batch:
                    if stop_after_idle is not None and time.monotonic() - idle_since > stop_after_idle:
                        break
                    close_old_connections()
                    continue
                idle_since = time.monotonic()
                try:
                    self.process(batch)
                except Exception:
                    # not acknowledged: the broker redelivers after reconnecting; stop this process
                    log.exception("storing a batch of %d messages failed", len(batch))
                    raise
                if on_batch:
                    on_batch(self)
        finally:
            self.stop(forget_session=forget_session)
        return self.stats
