"""``yiwang simulate``: play realistic streams of the demo district's devices over MQTT or HTTP.

yiwang simulate                                   # MQTT at SENSING MQTT_HOST:PORT, all scenarios, 30 h at 600×
yiwang simulate --broker 127.0.0.1:1883 --scenario rainstorm --duration 12h --speed 300
yiwang simulate --http http://127.0.0.1:8000 --scenario silent --speed 0     # as fast as possible
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

DURATION_RE = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> timedelta:
    match = DURATION_RE.match(text.strip())
    if not match:
        raise CommandError(f"--duration {text!r}: write a number and a unit, e.g. 90m, 30h, 2d")
    return timedelta(**{UNITS[match[2]]: float(match[1])})


def parse_scenarios(values: list[str]) -> tuple[str, ...]:
    from yiwang.sensing.simulate.generators import SCENARIOS

    chosen = [s.strip() for v in values for s in v.split(",") if s.strip()]
    if not chosen or "all" in chosen:
        return SCENARIOS
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown:
        raise CommandError(f"unknown scenario {', '.join(unknown)}; choose from all, {', '.join(SCENARIOS)}")
    return tuple(dict.fromkeys(chosen))


def parse_broker(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--broker {text!r}: write host:port, e.g. 127.0.0.1:1883")
    return host, int(port)


class Command(BaseCommand):
    help = "Simulate the demo district's sensors: daily water use, a rainstorm, a household falling silent."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--broker", help="MQTT broker host:port (default: SENSING MQTT_HOST:MQTT_PORT)")
        target.add_argument("--http", metavar="URL", help="post to the HTTP bulk endpoint of this server instead")
        parser.add_argument("--scenario", action="append", default=[], help="all (default), daily, rainstorm, silent")
        parser.add_argument("--duration", default="30h", help="simulated period, e.g. 90m, 30h, 2d (default 30h)")
        parser.add_argument("--speed", type=float, default=600, help="simulated seconds per real second; 0: no wait")
        parser.add_argument("--seed", type=int, default=1, help="seed of the simulation (default 1)")
        parser.add_argument("--district-seed", type=int, help="seed of the demo district (default: the seeded one)")
        parser.add_argument("--history-days", type=int, default=28, help="days of meter history sent first")
        parser.add_argument("--devices", help="only these device codes (comma separated)")
        parser.add_argument("--progress-every", type=float, default=5.0, help="seconds between progress lines")

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def handle(self, *args, **o):
        from yiwang.sensing.simulate import generators, registry, runner, sinks

        duration = parse_duration(o["duration"])
        scenarios = parse_scenarios(o["scenario"])
        if o["speed"] < 0 or o["history_days"] < 0:
            raise CommandError("--speed and --history-days must not be negative")
        seed = o["district_seed"] if o["district_seed"] is not None else registry.district_seed()
        if seed is None:
            raise CommandError("no demo district in this database: run `yiwang demo --no-serve` first")
        codes = [c.strip() for c in (o["devices"] or "").split(",") if c.strip()]
        devices = registry.demo_devices(seed, codes)
        if not devices:
            raise CommandError("no demo devices found: run `yiwang demo --no-serve` (the devices step) first")
        start, end = runner.period(duration, o["speed"], timezone.now())
        plan = generators.Plan(start, end, scenarios, o["seed"], o["history_days"])
        sim = generators.build(devices, plan)
        if o["http"]:
            sink = sinks.HttpSink(o["http"], log=self.say)
            self.say(f"sending to {sink.url} as {len(devices)} devices (X-Device-Key each)")
        else:
            host, port = parse_broker(o["broker"]) if o["broker"] else (
                settings.SENSING["MQTT_HOST"], settings.SENSING["MQTT_PORT"])  # fmt: skip
            sink = sinks.MqttSink(host, port, log=self.say)
            self.say(f"publishing to mqtt://{host}:{port} as {len(devices)} devices (own user name and key each)")
        try:
            report = runner.run(
                sim, {d.code: d.key for d in devices}, sink, speed=o["speed"], progress=self.say,
                every=o["progress_every"],
            )  # fmt: skip
        except KeyboardInterrupt:
            left = sink.close(timeout=10)
            raise CommandError(f"interrupted ({left} messages not acknowledged)") from None
        stats = sink.stats
        if o["http"]:
            self.say(f"server: {stats.accepted:,} accepted, {stats.duplicate:,} duplicate, {stats.rejected:,} rejected")
        if stats.errors or report.unacknowledged:
            raise CommandError(f"{stats.errors} errors, {report.unacknowledged} messages unacknowledged")
