"""``yiwang ingest [--processes N]``: consume device observations from the MQTT broker."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys

from django.core.management.base import BaseCommand


def _run_one(client_id: str, options: dict, partition: tuple[int, int] = (0, 1)) -> None:
    import django

    django.setup()
    from yiwang.sensing.mqtt import Consumer

    consumer = Consumer(
        client_id=client_id,
        host=options.get("host"),
        port=options.get("port"),
        batch_size=options.get("batch_size"),
        batch_wait=options.get("batch_wait"),
        shared=bool(options.get("shared")),
        partition=partition,
    )
    signal.signal(signal.SIGTERM, lambda *_: consumer.stopping.set())
    if options.get("verbose_batches"):
        consumer.on_buffered = lambda n: print(f"buffered {n}", flush=True)

    def progress(c):
        if options.get("verbose_batches"):
            s = c.stats
            print(
                f"batch {s.batches}: received {s.received} accepted {s.accepted} dup {s.duplicate} dead {s.dead}",
                flush=True,
            )

    stats = consumer.run(stop_after_idle=options.get("exit_when_idle"), on_batch=progress)
    print(f"{client_id}: {stats}", flush=True)


class Command(BaseCommand):
    help = "Consume device observations from MQTT (shared subscription, manual acknowledgement after commit)."

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=1, help="consumer processes sharing the load")
        parser.add_argument("--host")
        parser.add_argument("--port", type=int)
        parser.add_argument("--batch-size", type=int)
        parser.add_argument("--batch-wait", type=float, help="seconds to fill a batch once its first message came")
        parser.add_argument(
            "--client-id",
            help="base MQTT client id (stable across restarts, so that the broker keeps the session); "
            "process i uses <id>-<i>",
        )
        parser.add_argument(
            "--shared",
            action="store_true",
            help="one MQTT 5 shared subscription for all processes instead of partitioning the devices "
            "(less broker traffic; Mosquitto 2.0 does not restore shared subscriptions after a restart)",
        )
        parser.add_argument("--exit-when-idle", type=float, help="exit after this many idle seconds (tests, replays)")
        parser.add_argument("--verbose-batches", action="store_true")

    def handle(self, *args, processes, client_id, **options):
        base = client_id or f"yiwang-ingest-{socket.gethostname()}"
        if processes <= 1:
            _run_one(f"{base}-0", options)
            return
        ctx = multiprocessing.get_context("spawn")
        children = [
            ctx.Process(target=_run_one, args=(f"{base}-{i}", options, (i, processes))) for i in range(processes)
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
        for child in children:
            child.start()

        def forward(signum, frame):
            for child in children:
                if child.is_alive():
                    os.kill(child.pid, signal.SIGTERM)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        for child in children:
            child.join()
        sys.exit(max((c.exitcode or 0) for c in children))
