"""``yiwang open311``: API keys of Open311 clients.

yiwang open311 key "Street app"              # issue a key; printed once, only its hash is stored
yiwang open311 key "Batch app" --token       # a client that expects tokens (batch-style replies)
yiwang open311 keys                          # list keys (never the keys themselves)
yiwang open311 revoke "Street app"           # by name or prefix
yiwang open311 drain [--once] [--batch 500]  # register queued POSTs (yiwang worker does it too)
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor, Channel
from yiwang.operations.open311.keys import find_key, issue_key, revoke_key
from yiwang.operations.open311.models import ApiKey


class Command(BaseCommand):
    help = "Issue, list and revoke API keys of Open311 GeoReport v2 clients."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        key = sub.add_parser("key", help="issue a key for a client (printed once)")
        key.add_argument("name", help="the client's name, unique")
        key.add_argument("--contact", default="", help="who runs the client app")
        key.add_argument("--note", default="")
        key.add_argument("--token", action="store_true", help="answer its POSTs with tokens (batch-style)")
        sub.add_parser("keys", help="list the keys")
        revoke = sub.add_parser("revoke", help="revoke a key by name or prefix")
        revoke.add_argument("name")
        drain = sub.add_parser("drain", help="register queued POSTs as cases until stopped (or --once)")
        drain.add_argument("--once", action="store_true", help="drain what is queued now, then exit")
        drain.add_argument("--batch", type=int, default=None, help="reports per transaction (OPEN311 QUEUE_BATCH)")

    def handle(self, *args, **opts):
        actor = Actor.system(Channel.CLI)
        if opts["what"] == "drain":
            self.drain(opts)
            return
        try:
            if opts["what"] == "key":
                row, secret = issue_key(
                    actor, name=opts["name"], contact=opts["contact"], note=opts["note"], reply_with_token=opts["token"]
                )
                self.stdout.write(secret)
                self.stderr.write(f"issued the Open311 API key of “{row.name}” — copy it now, it is not shown again")
            elif opts["what"] == "keys":
                for row in ApiKey.objects.order_by("name"):
                    state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
                    used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used"
                    self.stdout.write(f"{row.prefix}…  {row.name}  ({state}, {used})")
            else:
                row = find_key(opts["name"])
                if row is None:
                    raise CommandError(f"no Open311 API key named or starting with “{opts['name']}”")
                revoke_key(actor, row)
                self.stdout.write(f"revoked the Open311 API key of “{row.name}”")
        except ActionError as exc:
            raise CommandError(str(exc.message))

    def drain(self, opts) -> None:
        import signal
        import threading

        from yiwang.operations.open311 import drain

        if opts["once"]:
            done = drain.drain_all(opts["batch"])
            self.stdout.write(f"registered {done.registered}, refused {done.refused}, failed {done.failed}")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_a: stop.set())
        self.stdout.write("draining the Open311 intake queue; Ctrl+C to stop")
        drain.run(stop, opts["batch"])
