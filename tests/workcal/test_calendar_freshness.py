"""The calendar a process holds is checked against the published years at most every FRESHNESS_SECONDS:
a year saved in this process is seen at once, one changed elsewhere (no signal here) once the time is up."""

from datetime import date

import pytest

from yiwang.core.workcal import services
from yiwang.core.workcal.models import CalendarYear

pytestmark = pytest.mark.django_db

NEW_YEAR_2027 = date(2027, 1, 1)  # a Friday


def _publish_2027():
    return CalendarYear.objects.create(year=2027, holidays="2027-01-01", published=True)


def test_a_year_saved_in_this_process_is_seen_by_the_next_deadline():
    assert services.is_working_day(NEW_YEAR_2027, strict=False)  # not covered: weekdays only
    _publish_2027()
    assert not services.is_working_day(NEW_YEAR_2027, strict=False)


def test_a_year_changed_elsewhere_is_seen_once_the_freshness_time_is_up(monkeypatch, settings):
    settings.WORKCAL = {**getattr(settings, "WORKCAL", {}), "FRESHNESS_SECONDS": 5}
    _publish_2027()
    assert not services.is_working_day(NEW_YEAR_2027, strict=False)
    # another process withdraws the year: no signal reaches this one
    CalendarYear.objects.filter(year=2027).update(published=False)
    assert not services.is_working_day(NEW_YEAR_2027, strict=False)  # trusted for a few seconds
    later = services.time.monotonic() + 6
    monkeypatch.setattr(services.time, "monotonic", lambda: later)
    assert services.is_working_day(NEW_YEAR_2027, strict=False)


def test_no_freshness_time_asks_the_database_every_time(settings):
    settings.WORKCAL = {**getattr(settings, "WORKCAL", {}), "FRESHNESS_SECONDS": 0}
    _publish_2027()
    assert not services.is_working_day(NEW_YEAR_2027, strict=False)
    CalendarYear.objects.filter(year=2027).update(published=False)
    assert services.is_working_day(NEW_YEAR_2027, strict=False)
