"""``yiwang sensing import-devices FILE`` and ``yiwang sensing broker-config --out DIR``."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor, Channel


class Command(BaseCommand):
    help = "Sensing devices: import the registry, write the broker configuration."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        imp = sub.add_parser("import-devices", help="create or update devices from CSV or GeoJSON (all or nothing)")
        imp.add_argument("file")
        imp.add_argument("--system", default="wgs84", choices=["wgs84", "gcj02", "bd09"])
        imp.add_argument("--keys-out", help="write the generated device keys here (CSV code,key; mode 600)")
        conf = sub.add_parser("broker-config", help="write mosquitto.conf, passwd and acl for Mosquitto 2")
        conf.add_argument("--out", required=True)
        conf.add_argument("--port", type=int, default=1883)
        conf.add_argument("--bind", default="0.0.0.0")
        conf.add_argument("--ingest-password", help="default: YIWANG_MQTT_PASSWORD")
        conf.add_argument("--run-as", default="", help="user Mosquitto runs as when started by root")

    def handle(self, *args, verb, **options):
        if verb == "import-devices":
            return self.do_import(**options)
        return self.do_broker_config(**options)

    def do_import(self, file, system, keys_out=None, **_):
        from yiwang.sensing.actions import import_devices, read_rows

        path = Path(file)
        try:
            rows = read_rows(path.read_text(encoding="utf-8"), path.name)
            result = import_devices(Actor.system(Channel.CLI), rows, system=system)
        except ActionError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"devices created: {result.created}, updated: {result.updated}")
        if result.keys:
            if keys_out:
                fd = os.open(keys_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write("code,key\n")
                    fh.writelines(f"{code},{key}\n" for code, key in result.keys.items())
                self.stdout.write(f"{len(result.keys)} new device keys written to {keys_out} (shown only now)")
            else:
                self.stdout.write("new device keys (shown only now; only hashes are stored):")
                for code, key in result.keys.items():
                    self.stdout.write(f"{code},{key}")

    def do_broker_config(self, out, port, bind, ingest_password=None, run_as="", **_):
        from yiwang.sensing.broker import write_broker_config

        try:
            done = write_broker_config(out, port=port, bind=bind, ingest_password=ingest_password, run_as=run_as)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for path in done["paths"].values():
            self.stdout.write(f"wrote {path}")
        self.stdout.write(f"{done['devices']} devices may publish")
