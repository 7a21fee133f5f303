"""``yiwang calendar``: working-time arithmetic and coverage of the work calendar.

    yiwang calendar add 2025-09-30 5wd            → 2025-10-14
    yiwang calendar add "2025-09-30 16:00" 8wh    → 2025-10-09 16:00
    yiwang calendar add "2026-12-28 10:00" 24ch   → 2026-12-29 10:00
    yiwang calendar between "2025-09-30 16:00" "2025-10-09 16:00"
    yiwang calendar coverage

Instants are read and printed in the district's zone (settings.TIME_ZONE). A result that reaches into
a year the calendar does not cover is computed with weekdays only and marked provisional; ``--strict``
refuses instead.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yiwang.core.workcal.calendar import WORKING_DAYS, CalendarNotCovered, Probe, parse_amount
from yiwang.core.workcal.services import coverage_warning, get_calendar


def parse_when(text: str, tz) -> date | datetime:
    """``2025-09-30`` (a date) or ``2025-09-30 16:00`` / ISO 8601 (an instant; local unless it has an offset)."""
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date or date-time: {text!r} (write 2025-09-30 or '2025-09-30 16:00')")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz)
    return moment


def fmt(moment: datetime, tz) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def fmt_duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    sign = "-" if minutes < 0 else ""
    return f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"


class Command(BaseCommand):
    help = "Working-day and working-hour arithmetic on the work calendar, and what it covers."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        add = sub.add_parser("add", help="add working days (5wd), working hours (8wh) or calendar hours (4ch)")
        add.add_argument("start", help="a date (2025-09-30) or an instant ('2025-09-30 16:00')")
        add.add_argument("amount", help="5wd, 8wh, 1.5wh, 24ch")
        add.add_argument("--strict", action="store_true", help="refuse uncovered years instead of guessing")
        between = sub.add_parser("between", help="working time between two instants")
        between.add_argument("start")
        between.add_argument("end")
        between.add_argument("--strict", action="store_true")
        sub.add_parser("coverage", help="which years are covered, and by what")

    def handle(self, *args, subcommand, **options):
        try:
            getattr(self, f"do_{subcommand}")(**options)
        except CalendarNotCovered as exc:
            raise CommandError(str(exc))

    def _provisional_note(self, probe: Probe | None) -> None:
        if probe is not None and probe.provisional:
            years = ", ".join(str(y) for y in sorted(probe.years))
            self.stdout.write(
                self.style.WARNING(f"provisional: {years} not covered by the work calendar (weekdays only)")
            )

    def do_add(self, start, amount, strict=False, **_):
        calendar = get_calendar()
        try:
            value, unit = parse_amount(amount)
        except ValueError as exc:
            raise CommandError(str(exc))
        when = parse_when(start, calendar.tz)
        probe = None if strict else Probe()
        if unit == WORKING_DAYS and not isinstance(when, datetime):
            self.stdout.write(calendar.add_working_days(when, int(value), probe).isoformat())
        else:
            if not isinstance(when, datetime):
                when = datetime.combine(when, datetime.min.time(), calendar.tz)
            self.stdout.write(fmt(calendar.deadline(when, unit, value, probe), calendar.tz))
        self._provisional_note(probe)

    def do_between(self, start, end, strict=False, **_):
        calendar = get_calendar()
        a, b = parse_when(start, calendar.tz), parse_when(end, calendar.tz)
        a = a if isinstance(a, datetime) else datetime.combine(a, datetime.min.time(), calendar.tz)
        b = b if isinstance(b, datetime) else datetime.combine(b, datetime.min.time(), calendar.tz)
        probe = None if strict else Probe()
        worked = calendar.working_time_between(a, b, probe)
        days = calendar.working_days_between(calendar.local_date(a), calendar.local_date(b), probe)
        hours = worked.total_seconds() / 3600
        self.stdout.write(f"{fmt_duration(worked.total_seconds())} working time ({hours:g} working hours)")
        self.stdout.write(f"working days: {days}")
        self._provisional_note(probe)

    def do_coverage(self, **_):
        calendar = get_calendar()
        runs: list[tuple[int, int, str]] = []
        for year, source in calendar.coverage().items():
            if runs and runs[-1][2] == source and runs[-1][1] == year - 1:
                runs[-1] = (runs[-1][0], year, source)
            else:
                runs.append((year, year, source))
        for first, last, source in runs:
            span = str(first) if first == last else f"{first}–{last}"
            self.stdout.write(f"{span:<10} {source}")
        today = timezone.localdate()
        end = calendar.covered_until(today)
        if end is None:
            self.stdout.write(f"{today.year} is not covered: deadlines in it are provisional (weekdays only)")
        else:
            self.stdout.write(f"covered up to {end.isoformat()} ({(end - today).days} days from today)")
        warning = coverage_warning(today)
        if warning:
            self.stdout.write(self.style.WARNING(warning))
