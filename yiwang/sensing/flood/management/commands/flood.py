"""``yiwang flood report [--from DATE] [--to DATE] [--format json|csv]`` and
``yiwang flood import-warnings FILE`` (CSV or JSON, all or nothing)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = "The flood scene: the post-flood report, importing weather warnings."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        rep = sub.add_parser("report", help="alerts, cases, response times and hot spots of a period")
        rep.add_argument("--from", dest="start", help="first day (default: 30 days ago)")
        rep.add_argument("--to", dest="end", help="last day, inclusive (default: today)")
        rep.add_argument("--warning", type=int, help="an event: the id of a weather warning (overrides the dates)")
        rep.add_argument("--format", choices=("json", "csv"), default="json")
        imp = sub.add_parser("import-warnings", help="import a CSV or JSON file of weather warnings")
        imp.add_argument("file")

    def handle(self, *args, what, **options):
        if what == "report":
            return self._report(options)
        return self._import(options["file"])

    def _report(self, options):
        from yiwang.sensing.flood.models import WeatherWarning
        from yiwang.sensing.flood.report import Period, build_report, event_period

        if options["warning"] is not None:
            warning = WeatherWarning.objects.filter(pk=options["warning"]).first()
            if warning is None:
                raise CommandError(f"there is no weather warning {options['warning']}")
            return self._print(build_report(event_period(warning)), options["format"])
        today = timezone.localdate()
        start = _date(options["start"]) if options["start"] else today - dt.timedelta(days=30)
        end = _date(options["end"]) if options["end"] else today
        if end < start:
            raise CommandError("--to is before --from")
        tz = timezone.get_current_timezone()
        period = Period(
            dt.datetime.combine(start, dt.time(), tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
        )
        return self._print(build_report(period), options["format"])

    def _print(self, report: dict, fmt: str):
        from yiwang.sensing.flood.report import report_rows

        if fmt == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        writer = csv.writer(self.stdout)
        for row in report_rows(report):
            writer.writerow(row)

    def _import(self, path: str):
        from yiwang.core.actor import Actor, Channel
        from yiwang.sensing.flood.actions import WarningsRefused, import_warnings

        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        fmt = "json" if path.lower().endswith(".json") else "csv"
        try:
            result = import_warnings(Actor.system(Channel.CLI), data, fmt)
        except WarningsRefused as exc:
            for problem in exc.problems:
                sys.stderr.write(f"{problem}\n")
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(json.dumps(result.summary()))
