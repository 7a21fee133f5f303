"""Table-driven deadlines at fixed instants: National Day 2025, Spring Festival 2026, the 2026 → 2027 year end."""

from datetime import date

import pytest

from tests.workcal.conftest import SHANGHAI, local
from yiwang.core.workcal.calendar import CalendarNotCovered, Probe

ADD_WORKING_DAYS = [
    # (from, n, expected, why)
    (date(2025, 9, 30), 5, date(2025, 10, 14), "1–8 Oct holidays; Sat 11 Oct is an adjusted working day"),
    (date(2025, 9, 30), 3, date(2025, 10, 11), "the third working day is the adjusted Saturday"),
    (date(2025, 9, 27), 1, date(2025, 9, 28), "Sun 28 Sep 2025 is an adjusted working day"),
    (date(2025, 10, 1), 1, date(2025, 10, 9), "from inside the holiday"),
    (date(2026, 1, 1), 1, date(2026, 1, 4), "New Year 2026: Sun 4 Jan is an adjusted working day"),
    (date(2026, 2, 13), 1, date(2026, 2, 14), "Spring Festival 2026: Sat 14 Feb is an adjusted working day"),
    (date(2026, 2, 13), 2, date(2026, 2, 24), "15–23 Feb are Spring Festival holidays"),
    (date(2026, 2, 12), 5, date(2026, 2, 26), "across the whole Spring Festival break"),
    (date(2026, 2, 27), 1, date(2026, 2, 28), "Sat 28 Feb 2026 is an adjusted working day"),
    (date(2026, 12, 28), 3, date(2026, 12, 31), "still inside the covered year"),
]


@pytest.mark.parametrize("start,n,expected,why", ADD_WORKING_DAYS)
def test_adding_working_days(cal, start, n, expected, why):
    assert cal.add_working_days(start, n) == expected, why
    assert cal.working_days_between(start, expected) == n


DEADLINES = [
    # (start, unit, amount, expected local due, why)
    (local(2025, 9, 30, 10), "wd", 5, local(2025, 10, 14, 17, 30), "close of office on the 5th working day"),
    (local(2025, 9, 30, 7), "wd", 1, local(2025, 10, 9, 17, 30), "day 1 is the next working day, even before office"),
    (local(2025, 9, 30, 16), "wh", 8, local(2025, 10, 9, 16), "1.5 h on 30 Sep, then 6.5 h on 9 Oct"),
    (local(2025, 9, 30, 17), "wh", 2, local(2025, 10, 9, 10), "half an hour before the holiday, 1.5 h after"),
    (local(2025, 9, 30, 11), "wh", 2, local(2025, 9, 30, 14), "the lunch break does not count"),
    (local(2025, 9, 30, 8, 30), "wh", 3.5, local(2025, 9, 30, 12), "ends exactly at the end of a segment"),
    (local(2025, 9, 30, 20), "wh", 1, local(2025, 10, 9, 9, 30), "started after office hours"),
    (local(2026, 2, 13, 16, 30), "wh", 8, local(2026, 2, 14, 16, 30), "the adjusted Saturday counts"),
    (local(2026, 2, 13, 16, 30), "wh", 12, local(2026, 2, 24, 11, 30), "9 h up to Sat 17:30, then 24 Feb"),
    (local(2026, 2, 14, 9), "wd", 1, local(2026, 2, 24, 17, 30), "from the adjusted Saturday over the break"),
    (local(2025, 10, 1, 9), "ch", 24, local(2025, 10, 2, 9), "calendar hours ignore holidays"),
    (local(2026, 12, 28, 10), "wd", 3, local(2026, 12, 31, 17, 30), "inside 2026: not provisional"),
]


@pytest.mark.parametrize("start,unit,amount,expected,why", DEADLINES)
def test_deadline(cal, start, unit, amount, expected, why):
    assert cal.deadline(start, unit, amount) == expected, why
    schedule = cal.schedule(start, unit, amount)
    assert schedule.due_at == expected
    assert schedule.provisional is False


PROVISIONAL = [
    (local(2026, 12, 28, 10), "wd", 5, local(2027, 1, 4, 17, 30), "Fri 1 Jan 2027 guessed as a working day"),
    (local(2026, 12, 31, 16), "wh", 4, local(2027, 1, 1, 11), "1.5 h in 2026, 2.5 h guessed in 2027"),
    (local(2026, 12, 30, 9), "wd", 10, local(2027, 1, 13, 17, 30), "weekdays only in 2027"),
]


@pytest.mark.parametrize("start,unit,amount,expected,why", PROVISIONAL)
def test_deadline_reaching_into_an_uncovered_year_is_provisional(cal, start, unit, amount, expected, why):
    schedule = cal.schedule(start, unit, amount)
    assert schedule.due_at == expected, why
    assert schedule.provisional is True
    assert schedule.provisional_years == (2027,)
    with pytest.raises(CalendarNotCovered) as raised:
        cal.deadline(start, unit, amount)  # the strict API never guesses
    assert raised.value.year == 2027


def test_calendar_hours_into_an_uncovered_year_are_not_provisional(cal):
    schedule = cal.schedule(local(2026, 12, 31, 20), "ch", 24)
    assert schedule.due_at == local(2027, 1, 1, 20)
    assert schedule.provisional is False


def test_strict_api_raises_for_every_question_about_an_uncovered_year(cal):
    day = date(2027, 3, 1)
    for ask in (
        lambda: cal.is_working_day(day),
        lambda: cal.add_working_days(date(2026, 12, 30), 3),
        lambda: cal.working_days_between(date(2026, 12, 1), day),
        lambda: cal.working_time_between(local(2026, 12, 31, 9), local(2027, 1, 2, 9)),
        lambda: cal.add_working_time(local(2026, 12, 31, 9), __import__("datetime").timedelta(hours=20)),
    ):
        with pytest.raises(CalendarNotCovered, match="2027"):
            ask()
    probe = Probe()
    assert cal.is_working_day(day, probe) is True  # a Monday, guessed
    assert probe.provisional and probe.years == {2027}


def test_warning_point_is_the_share_of_the_working_time_budget(cal):
    start = local(2025, 9, 30, 8, 30)  # 8 working hours a day
    schedule = cal.schedule(start, "wh", 16, warn_share=0.75)  # 12 h: all of 30 Sep and 4 h on 9 Oct
    assert schedule.warn_at.astimezone(SHANGHAI) == local(2025, 10, 9, 13, 30)
    assert schedule.due_at.astimezone(SHANGHAI) == local(2025, 10, 9, 17, 30)
