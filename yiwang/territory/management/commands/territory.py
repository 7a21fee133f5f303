"""`yiwang territory import|import-poi|export|export-poi|locate`: the territory from the console.

yiwang territory import district.geojson [--coordinate-system gcj02] [--dry-run] [--replace]
yiwang territory import-poi cameras.geojson [--coordinate-system bd09] [--dry-run]
yiwang territory export [--level 2] [--on 2025-01-01] > units.geojson
yiwang territory locate 121.47 31.23 [--system gcj02] [--on 2025-01-01]
"""

import datetime as dt
import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.actor import Actor, Channel
from yiwang.territory import actions, exporting, services
from yiwang.territory.geometry import SYSTEMS


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not an ISO date (YYYY-MM-DD): {value}")


class Command(BaseCommand):
    help = "Import, export and query the territory (units of the four-level grid, points of interest)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        for name, help_text in (("import", "import units"), ("import-poi", "import points of interest")):
            p = sub.add_parser(name, help=help_text)
            p.add_argument("file", help="a GeoJSON FeatureCollection ('-' reads standard input)")
            p.add_argument("--coordinate-system", choices=SYSTEMS, default=None, help="overrides the file's")
            p.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
            p.add_argument("--replace", action="store_true", help="close (units) or delete (POIs) what the file omits")
            if name == "import":
                p.add_argument("--valid-from", type=_date, default=None, help="date new versions take effect")
        p = sub.add_parser("export", help="export units as GeoJSON to standard output")
        p.add_argument("--level", type=int, choices=[1, 2, 3, 4], default=None)
        p.add_argument("--on", type=_date, default=None, help="the versions in force on this date")
        p = sub.add_parser("export-poi", help="export points of interest as GeoJSON to standard output")
        p.add_argument("--kind", default=None)
        p = sub.add_parser("locate", help="print the unit chain of a point as JSON")
        p.add_argument("lon", type=float)
        p.add_argument("lat", type=float)
        p.add_argument("--system", choices=SYSTEMS, default="wgs84")
        p.add_argument("--on", type=_date, default=None)

    def handle(self, *args, command, **options):
        handler = {
            "import": self.do_import,
            "import-poi": self.do_import,
            "export": self.do_export,
            "export-poi": self.do_export_poi,
            "locate": self.do_locate,
        }[command]
        handler(command, **options)

    def _read(self, path: str) -> dict:
        try:
            if path == "-":
                return json.load(sys.stdin)
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}")
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is not JSON: {exc}")

    def do_import(self, command, *, file, coordinate_system, dry_run, replace, valid_from=None, **_):
        data = self._read(file)
        count = len(data.get("features") or []) if isinstance(data, dict) else 0
        self.stderr.write(f"{command}: {file}: {count} features, validating…")
        actor = Actor.system(Channel.CLI)
        started = time.monotonic()
        kwargs = {"coordinate_system": coordinate_system, "dry_run": dry_run, "replace": replace}
        try:
            if command == "import":
                result = actions.import_territory(actor, data, valid_from=valid_from, **kwargs)
            else:
                result = actions.import_pois(actor, data, **kwargs)
        except actions.ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc.message))
        summary = result.summary()
        summary["seconds"] = round(time.monotonic() - started, 2)
        if command == "import":
            summary["relocated_pois"] = result.relocated_pois
        self.stdout.write(json.dumps(summary))

    def do_export(self, command, *, level, on, **_):
        data = exporting.export_units(level, on=on)
        self.stderr.write(f"export: {len(data['features'])} units")
        self.stdout.write(json.dumps(data, ensure_ascii=False))

    def do_export_poi(self, command, *, kind, **_):
        data = exporting.export_pois(kind)
        self.stderr.write(f"export-poi: {len(data['features'])} points")
        self.stdout.write(json.dumps(data, ensure_ascii=False))

    def do_locate(self, command, *, lon, lat, system, on, **_):
        placement = services.locate(lon, lat, system=system, at=on)
        self.stdout.write(json.dumps(placement.to_dict(), ensure_ascii=False, indent=2))
