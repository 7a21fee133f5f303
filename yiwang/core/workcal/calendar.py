"""Working-time arithmetic: plain Python, no Django, so it can be property-tested and benchmarked.

Which days are working days
    China's public holidays and adjusted working days (调休) come from the ``chinese-calendar``
    package; an administrator can publish a year's schedule in the override table (it then replaces
    chinese-calendar for that year). In an overridden year a day is a working day when it is a weekday
    and not one of the year's holidays, or when it is one of its adjusted working days.

Years nobody covers
    The *strict* API (every method called without a ``probe``) raises :class:`CalendarNotCovered` for a
    date in a year that neither chinese-calendar nor an override covers: never a silent guess.
    Deadline clocks must keep working all the same, so they compute *provisionally*: pass
    ``probe=Probe()`` and uncovered years count Monday–Friday as working days; afterwards
    ``probe.provisional`` tells whether any guessed day was used. Such a result is flagged provisional
    and recomputed when the year's schedule is published.

Units and deadline rules (``deadline(start, unit, amount)``)
    * ``wd`` working days: "add N working days to a date" is the Nth working day *after* that date
      (2025-09-30 + 5 wd = 2025-10-14: 1–8 October are National Day holidays, Saturday 11 October is an
      adjusted working day). A clock started at an instant is due at the **close of office hours on the
      Nth working day after the start's local date**, whatever the time of day it started.
    * ``wh`` working hours: counted only inside office hours (``OFFICE_HOURS``, local time, e.g.
      ``08:30-12:00,13:00-17:30``) on working days. A deadline that ends exactly at the end of an office
      segment is that instant (12:00), not the start of the next one.
    * ``ch`` calendar hours: plain elapsed time (emergencies); no calendar is consulted.

Pauses
    A paused clock's deadline moves by exactly the working time spent paused (calendar time for
    ``ch``): ``due = shift(base_due, paused)``, where ``shift`` adds working time. Adding working time
    is additive (``shift(shift(t, a), b) == shift(t, a + b)``), so several pauses add up exactly.

Warning point
    ``warn_at`` is where ``warn_share`` of the clock's budget (the working time from the start to the
    unpaused deadline) has elapsed, shifted by the paused time.

All instants are timezone-aware; results are returned in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WORKING_DAYS = "wd"
WORKING_HOURS = "wh"
CALENDAR_HOURS = "ch"
UNITS = (WORKING_DAYS, WORKING_HOURS, CALENDAR_HOURS)
MAX_SCAN_DAYS = 366 * 30  # a guard against runaway loops (30 years)


class CalendarNotCovered(LookupError):
    """A date falls in a year that neither chinese-calendar nor a published override covers."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"the work calendar does not cover {year}: publish {year}'s holidays and adjusted working days "
            "in the work calendar override table"
        )


@dataclass(frozen=True)
class YearSchedule:
    """A published year: its public holidays and its adjusted working days (调休)."""

    year: int
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    source: str = "override"


@dataclass
class Probe:
    """Pass one to compute provisionally: uncovered years count Monday–Friday, and it records that."""

    provisional: bool = False
    years: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Schedule:
    due_at: datetime
    warn_at: datetime | None
    provisional: bool
    provisional_years: tuple[int, ...] = ()


def parse_office_hours(text: str) -> tuple[tuple[time, time], ...]:
    """``"08:30-12:00,13:00-17:30"`` → ((08:30, 12:00), (13:00, 17:30)); ordered, non-overlapping."""
    segments = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        start_text, _, end_text = part.partition("-")
        start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
        if end <= start:
            raise ValueError(f"office hours segment {part!r} ends before it starts")
        segments.append((start, end))
    segments.sort()
    if not segments:
        raise ValueError("office hours are empty")
    for (_, end), (start, _) in zip(segments, segments[1:], strict=False):
        if start < end:
            raise ValueError(f"office hours segments overlap: {text!r}")
    return tuple(segments)


def chinese_calendar_source() -> tuple[dict, dict, range, str]:
    """chinese-calendar's data: (holidays, workdays, covered years, label)."""
    import chinese_calendar
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays}
    version = getattr(chinese_calendar, "__version__", "")
    label = f"chinese-calendar {version}".strip()
    return constants.holidays, constants.workdays, range(min(years), max(years) + 1), label


class WorkCalendar:
    """Which days are working days, and arithmetic over working days and office hours."""

    def __init__(
        self,
        office_hours: str | tuple[tuple[time, time], ...] = "08:30-12:00,13:00-17:30",
        tz: str | ZoneInfo = "Asia/Shanghai",
        overrides: dict[int, YearSchedule] | None = None,
        base: tuple[dict, dict, range, str] | None = None,
    ):
        self.segments = parse_office_hours(office_hours) if isinstance(office_hours, str) else tuple(office_hours)
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.overrides = dict(overrides or {})
        base_holidays, base_workdays, base_years, base_label = base or chinese_calendar_source()
        self._base_holidays = base_holidays
        self._base_workdays = base_workdays
        self.base_years = base_years
        self.base_label = base_label
        self._cache: dict[date, bool] = {}

    # --- days ---------------------------------------------------------------------------------------

    def covers(self, year: int) -> bool:
        return year in self.overrides or year in self.base_years

    def coverage(self) -> dict[int, str]:
        """Covered years → what covers them."""
        years = {y: self.base_label for y in self.base_years}
        for year, schedule in self.overrides.items():
            years[year] = schedule.source
        return dict(sorted(years.items()))

    def covered_until(self, today: date) -> date | None:
        """The last day of the unbroken run of covered years that starts with ``today``'s year."""
        year = today.year
        if not self.covers(year):
            return None
        while self.covers(year + 1):
            year += 1
        return date(year, 12, 31)

    def is_working_day(self, day: date, probe: Probe | None = None) -> bool:
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        year = day.year
        schedule = self.overrides.get(year)
        if schedule is not None:
            working = day in schedule.workdays or (day.weekday() < 5 and day not in schedule.holidays)
        elif year in self.base_years:
            working = day in self._base_workdays or (day.weekday() < 5 and day not in self._base_holidays)
        else:
            if probe is None:
                raise CalendarNotCovered(year)
            probe.provisional = True
            probe.years.add(year)
            return day.weekday() < 5  # a provisional guess: never cached
        self._cache[day] = working
        return working

    def add_working_days(self, day: date, n: int, probe: Probe | None = None) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself when ``n`` is 0)."""
        if n < 0:
            raise ValueError("n must not be negative")
        current = day
        for _ in range(n * 7 + MAX_SCAN_DAYS):
            if n == 0:
                return current
            current += timedelta(days=1)
            if self.is_working_day(current, probe):
                n -= 1
        raise ValueError("no working day found within the scan limit")

    def working_days_between(self, start: date, end: date, probe: Probe | None = None) -> int:
        """Working days ``d`` with ``start < d <= end`` (negative when ``end`` is before ``start``)."""
        if end < start:
            return -self.working_days_between(end, start, probe)
        count = 0
        current = start + timedelta(days=1)
        while current <= end:
            if self.is_working_day(current, probe):
                count += 1
            current += timedelta(days=1)
        return count

    # --- office hours -----------------------------------------------------------------------------

    def office_segments(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's office-hours segments as UTC instants (whether or not it is a working day)."""
        return [
            (
                datetime.combine(day, start, self.tz).astimezone(UTC),
                datetime.combine(day, end, self.tz).astimezone(UTC),
            )
            for start, end in self.segments
        ]

    def close_of_office(self, day: date) -> datetime:
        return self.office_segments(day)[-1][1]

    def local_date(self, instant: datetime) -> date:
        return _aware(instant).astimezone(self.tz).date()

    def add_working_time(self, start: datetime, amount: timedelta, probe: Probe | None = None) -> datetime:
        """The instant at which ``amount`` of working time (office hours on working days) has passed."""
        if amount < timedelta(0):
            raise ValueError("amount must not be negative")
        cursor = _aware(start).astimezone(UTC)
        if amount == timedelta(0):
            return cursor
        remaining = amount
        day = self.local_date(cursor)
        for _ in range(int(amount / timedelta(hours=1)) * 7 + MAX_SCAN_DAYS):
            if self.is_working_day(day, probe):
                for seg_start, seg_end in self.office_segments(day):
                    begin = max(seg_start, cursor)
                    if begin >= seg_end:
                        continue
                    if remaining <= seg_end - begin:
                        return begin + remaining
                    remaining -= seg_end - begin
            day += timedelta(days=1)
        raise ValueError("working time could not be placed within the scan limit")

    def working_time_between(self, start: datetime, end: datetime, probe: Probe | None = None) -> timedelta:
        """Working time inside office hours on working days between two instants (negative if reversed)."""
        start, end = _aware(start).astimezone(UTC), _aware(end).astimezone(UTC)
        if end < start:
            return -self.working_time_between(end, start, probe)
        total = timedelta(0)
        day, last = self.local_date(start), self.local_date(end)
        while day <= last:
            if self.is_working_day(day, probe):
                for seg_start, seg_end in self.office_segments(day):
                    begin, finish = max(seg_start, start), min(seg_end, end)
                    if finish > begin:
                        total += finish - begin
            day += timedelta(days=1)
        return total

    # --- deadlines --------------------------------------------------------------------------------

    def deadline(self, start: datetime, unit: str, amount: float, probe: Probe | None = None) -> datetime:
        """When a clock of ``amount`` ``unit`` started at ``start`` is due (see the module docstring)."""
        start = _aware(start).astimezone(UTC)
        if unit == WORKING_DAYS:
            if amount != int(amount):
                raise ValueError("working days must be a whole number")
            day = self.add_working_days(self.local_date(start), int(amount), probe)
            return self.close_of_office(day)
        if unit == WORKING_HOURS:
            return self.add_working_time(start, timedelta(hours=amount), probe)
        if unit == CALENDAR_HOURS:
            return start + timedelta(hours=amount)
        raise ValueError(f"unknown unit {unit!r}")

    def shift(self, instant: datetime, unit: str, amount: timedelta, probe: Probe | None = None) -> datetime:
        """Move an instant later by ``amount`` of the unit's kind of time (working, or calendar for ``ch``)."""
        if unit == CALENDAR_HOURS:
            return _aware(instant).astimezone(UTC) + amount
        return self.add_working_time(instant, amount, probe)

    def measure(self, start: datetime, end: datetime, unit: str, probe: Probe | None = None) -> timedelta:
        """Time between two instants in the unit's kind of time (working, or calendar for ``ch``)."""
        if unit == CALENDAR_HOURS:
            return _aware(end) - _aware(start)
        return self.working_time_between(start, end, probe)

    def schedule(
        self,
        started_at: datetime,
        unit: str,
        amount: float,
        paused: timedelta = timedelta(0),
        warn_share: float | None = None,
    ) -> Schedule:
        """A clock's due and warning instants, computed provisionally where the calendar has gaps."""
        probe = Probe()
        base_due = self.deadline(started_at, unit, amount, probe)
        due_at = self.shift(base_due, unit, paused, probe)
        warn_at = None
        if warn_share is not None and 0 < warn_share < 1:
            budget = self.measure(started_at, base_due, unit, probe)
            warn_at = self.shift(started_at, unit, _round_seconds(budget * warn_share) + paused, probe)
        return Schedule(due_at, warn_at, probe.provisional, tuple(sorted(probe.years)))


def _round_seconds(delta: timedelta) -> timedelta:
    return timedelta(seconds=round(delta.total_seconds()))


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instants must be timezone-aware")
    return instant


_UNIT_ALIASES = {"wd": WORKING_DAYS, "wh": WORKING_HOURS, "ch": CALENDAR_HOURS, "h": CALENDAR_HOURS}


def parse_amount(text: str) -> tuple[float, str]:
    """``"5wd"`` → (5, "wd"); ``"8wh"``, ``"1.5wh"``; ``"4ch"`` or ``"4h"`` are calendar hours."""
    text = text.strip().lower().replace(" ", "")
    for suffix in sorted(_UNIT_ALIASES, key=len, reverse=True):
        if text.endswith(suffix):
            number = text[: -len(suffix)]
            try:
                amount = float(number)
            except ValueError:
                break
            if amount < 0:
                break
            unit = _UNIT_ALIASES[suffix]
            if unit == WORKING_DAYS and amount != int(amount):
                raise ValueError(f"working days must be a whole number: {text!r}")
            return (int(amount) if amount == int(amount) else amount), unit
    raise ValueError(f"not an amount of time: {text!r} (write e.g. 5wd, 8wh or 4ch)")
