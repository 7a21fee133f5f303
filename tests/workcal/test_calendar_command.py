"""``yiwang calendar add|between|coverage`` print what the work calendar computes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yiwang.core.actor import Actor
from yiwang.core.workcal.actions import publish_calendar_year, save_calendar_year

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().splitlines()


def test_add_working_days_to_a_date_prints_the_nth_working_day_after_it():
    assert run("add", "2025-09-30", "5wd") == ["2025-10-14"]


def test_add_working_hours_to_an_instant_prints_the_local_instant():
    assert run("add", "2025-09-30 16:00", "8wh") == ["2025-10-09 16:00"]
    assert run("add", "2025-09-30T08:00:00+00:00", "2wh") == ["2025-10-09 09:00"]  # from 16:00 local


def test_add_working_days_to_an_instant_prints_close_of_office():
    assert run("add", "2025-09-30 10:00", "5wd") == ["2025-10-14 17:30"]


def test_add_calendar_hours_ignores_holidays():
    assert run("add", "2025-10-01 09:00", "24ch") == ["2025-10-02 09:00"]


def test_add_into_an_uncovered_year_is_marked_provisional_or_refused_with_strict():
    lines = run("add", "2026-12-28", "5wd")
    assert lines[0] == "2027-01-04"
    assert "provisional" in lines[1] and "2027" in lines[1]
    with pytest.raises(CommandError, match="2027"):
        run("add", "2026-12-28", "5wd", "--strict")


def test_bad_input_is_a_command_error():
    with pytest.raises(CommandError):
        run("add", "2025-09-30", "5 fortnights")
    with pytest.raises(CommandError):
        run("add", "30/09/2025", "5wd")


def test_between_prints_working_time_and_working_days():
    assert run("between", "2025-09-30 16:00", "2025-10-09 16:00") == [
        "8:00 working time (8 working hours)",
        "working days: 1",
    ]
    assert run("between", "2025-09-29 08:30", "2025-10-14 12:00")[0] == "51:30 working time (51.5 working hours)"


def test_coverage_lists_what_covers_each_year():
    lines = run("coverage")
    assert lines[0].startswith("2004–2026") and "chinese-calendar" in lines[0]
    row = save_calendar_year(Actor.system(), year=2027, holidays="2027-01-01")
    publish_calendar_year(Actor.system(), row)
    lines = run("coverage")
    assert lines[0].startswith("2004–2026")
    assert lines[1].startswith("2027") and "override" in lines[1]
