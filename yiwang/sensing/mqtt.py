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

One thread does everything (``Consumer``): it drives paho's network loop itself, fills a batch, stores
it, acknowledges it. A lost connection (broker restart, network) is retried with the same client id and
session. Packet ids belong to one connection: a message received on an earlier connection is
still stored but never acknowledged on a later one (the broker redelivers it under the same packet id,
and that copy is acknowledged) — acknowledging it late could release a different message the broker
has since sent under the same id.
"""

from __future__ import annotations

import logging
import select
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
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
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
    """One consumer process, one thread: it drives paho's network loop itself (``loop_read``/``loop_write``),
    fills a batch, stores it and acknowledges it, in turn.

    Measured against paho's own thread feeding a queue (docs/benchmarks.md): a third less CPU a message —
    no hand-off between threads, no fight over the GIL, one ``select`` for all the packets waiting, and the
    acknowledgements of a batch queued and written in one ``loop_write`` instead of waking the network
    thread per message. The broker keeps sending while
    a batch is stored (up to the Receive Maximum of twice the batch size in flight); the socket buffers it.
    Keep-alive pings are sent between batches (keepalive 30 s, far above a batch's time).
    """

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
        self.buffer: list[tuple] = []  # (mid, qos, topic, payload, connection) received, not yet in a batch
        self.stats = ConsumerStats()
        self.subscription = subscription(share_group) if shared else TOPIC_FILTER
        self.partition = (0, 1) if shared else partition
        if not 0 <= self.partition[0] < self.partition[1]:
            raise ValueError(f"partition {partition}: need 0 <= i < n")
        self.started = False
        self.on_buffered = None  # fn(count): called while a batch is being filled and the socket is idle
        self.stopping = threading.Event()  # may be set from another thread or a signal handler
        self.connected = threading.Event()
        # bumped on every connect and disconnect; a message is acknowledged only on the connection it came on
        self.connection = 0
        self.connections = 0
        self.reconnect_delay_set(0.1, 5)
        self.actor = Actor.system(Channel.MQTT)
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        user = username if username is not None else conf["MQTT_USERNAME"]
        if user:
            self.client.username_pw_set(user, password if password is not None else conf["MQTT_PASSWORD"])
        self.client.max_inflight_messages_set(max(20, self.batch_size * 2))
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        # outgoing packets (acknowledgements, pings, SUBSCRIBE) are queued and written by our loop_write calls,
        # a batch's acknowledgements in one, not each at once as paho does without a network thread
        self.client.on_socket_register_write = lambda client, userdata, sock: None

    def reconnect_delay_set(self, min_delay: float, max_delay: float) -> None:
        """After a lost connection wait ``min_delay`` seconds, doubling up to ``max_delay``, between attempts."""
        self.min_delay, self.max_delay, self.delay = min_delay, max_delay, None

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("MQTT connect refused: %s", reason_code)
            return
        self.connection += 1
        self.connections += 1
        self.delay = None
        if self.connections > 1:
            self.stats.reconnects += 1
            if not flags.session_present:
                log.warning("the broker lost the session of %s: messages queued while away may be gone", client)
        client.subscribe(self.subscription, qos=1)  # a no-op when the session kept it
        self.connected.set()
        log.info("connected to %s:%s, subscribed %s", self.host, self.port, self.subscription)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.connection += 1
        self.connected.clear()
        if not self.stopping.is_set():
            log.warning("connection to %s:%s lost (%s); reconnecting", self.host, self.port, reason_code)

    def _on_message(self, client, userdata, msg):
        i, n = self.partition
        topic = msg.topic  # decoded from bytes on each access
        if n > 1:
            code = code_from_topic(topic)
            owner = partition_of(code, n) if code is not None else 0  # off-scheme topics: process 0's dead letters
            if owner != i:  # another process stores it
                if msg.qos > 0:
                    client.ack(msg.mid, msg.qos)
                return
        self.buffer.append((msg.mid, msg.qos, topic, msg.payload, self.connection))

    def start(self) -> None:
        """Connect and subscribe (waiting up to 5 s for the broker; later attempts happen in ``run``)."""
        if self.started:
            return
        self.started = True
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = SESSION_EXPIRY_SECONDS
        props.ReceiveMaximum = min(65535, max(20, self.batch_size * 2))
        self.client.connect_async(self.host, self.port, keepalive=30, clean_start=False, properties=props)
        self._reconnect(wait=False)
        deadline = time.monotonic() + 5
        while not self.connected.is_set() and not self.stopping.is_set() and time.monotonic() < deadline:
            self._pump(0.05)

    def _reconnect(self, *, wait: bool = True) -> None:
        """One connection attempt after a delay (0.1 s, doubling up to 5 s by default, until one succeeds)."""
        self.delay = self.min_delay if self.delay is None else min(self.delay * 2, self.max_delay)
        if wait and self.stopping.wait(self.delay):
            return
        try:
            self.client.reconnect()  # the same client id and session; CONNACK arrives through _pump
        except OSError as exc:
            log.debug("reconnecting to %s:%s failed: %s", self.host, self.port, exc)

    def _pump(self, timeout: float) -> None:
        """Wait up to ``timeout`` for the socket; read every packet that is there (up to a full batch), write
        what is queued, send keep-alive pings. Reconnects when there is no connection."""
        client = self.client
        sock = client.socket()
        if sock is None:
            self._reconnect()
            return
        try:
            readable, writable, _ = select.select([sock], [sock] if client.want_write() else [], [], max(timeout, 0))
        except (OSError, ValueError):  # closed under us
            return
        if writable and client.loop_write() != MQTTErrorCode.MQTT_ERR_SUCCESS:
            return
        if readable:
            buffer, limit = self.buffer, self.batch_size
            while True:  # loop_read reads one packet per call; stop when one brings no message
                before = len(buffer)
                if client.loop_read() != MQTTErrorCode.MQTT_ERR_SUCCESS or len(buffer) == before:
                    break
                if len(buffer) >= limit:
                    break
        if client.socket() is not None:
            if client.want_write():
                client.loop_write()
            client.loop_misc()

    def stop(self, *, forget_session: bool = False) -> None:
        """Disconnect; ``forget_session`` ends the broker's session too (expiry 0)."""
        self.stopping.set()
        props = None
        if forget_session:
            props = Properties(PacketTypes.DISCONNECT)
            props.SessionExpiryInterval = 0
        try:
            self._flush(5.0)  # the last batch's acknowledgements: a full socket buffer may have held some back
            # read what the broker sent meanwhile (not acknowledged: it is redelivered): closing a socket with
            # unread data resets the connection, and Mosquitto then drops the acknowledgements it had not read
            while self.client.socket() is not None and select.select([self.client.socket()], [], [], 0.05)[0]:
                if self.client.loop_read() != MQTTErrorCode.MQTT_ERR_SUCCESS:
                    break
            if self.client.socket() is not None:
                self.client.disconnect(properties=props)
                self._flush(1.0)  # sends DISCONNECT; paho then closes the socket
        except OSError:
            pass

    def _flush(self, timeout: float) -> None:
        """Write what is queued, waiting for the socket to take it (up to ``timeout`` seconds)."""
        client, deadline = self.client, time.monotonic() + timeout
        while client.want_write() and client.socket() is not None and time.monotonic() < deadline:
            select.select([], [client.socket()], [], max(deadline - time.monotonic(), 0))
            if client.loop_write() != MQTTErrorCode.MQTT_ERR_SUCCESS:
                return

    def _collect(self) -> list:
        deadline = None
        while len(self.buffer) < self.batch_size and not self.stopping.is_set():
            had = len(self.buffer)
            if had and deadline is None:
                deadline = time.monotonic() + self.batch_wait
            timeout = 0.2 if deadline is None else deadline - time.monotonic()
            if deadline is not None and timeout <= 0:
                break
            self._pump(min(timeout, 0.2))
            if len(self.buffer) == had:
                if had and self.on_buffered:
                    self.on_buffered(had)
                if deadline is None:
                    break  # nothing came: let the caller check idleness and stop requests
        batch, self.buffer = self.buffer[: self.batch_size], self.buffer[self.batch_size :]
        return batch

    def process(self, batch: list) -> None:
        """Store one batch in one transaction, then acknowledge its messages."""
        self.stats.received += len(batch)
        rows, dead = build_batch([(topic, payload) for _mid, _qos, topic, payload, _c in batch], timezone.now())
        result = store_rows(self.actor, rows, dead=dead, source="mqtt")
        ack, current = self.client.ack, self.connection
        for mid, qos, _topic, _payload, connection in batch:
            if qos > 0 and connection == current:
                ack(mid, qos)  # queued; written below in one go
            elif qos > 0:
                self.stats.unacknowledged += 1
        if self.client.want_write():
            self.client.loop_write()
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
