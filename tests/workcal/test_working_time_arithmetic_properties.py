"""Invariants of working-time arithmetic, checked by hypothesis over the years chinese-calendar covers."""

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workcal.conftest import SHANGHAI
from yiwang.core.workcal.calendar import WORKING_DAYS, WORKING_HOURS, Probe, WorkCalendar

CAL = WorkCalendar("08:30-12:00,13:00-17:30", "Asia/Shanghai")

days = st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 31))
instants = st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2025, 12, 31), timezones=st.just(SHANGHAI))
minutes = st.integers(min_value=0, max_value=60 * 8 * 40)


@settings(deadline=None)  # a shared 2-core machine: no per-example time limit
@given(day=days, n=st.integers(min_value=0, max_value=120))
def test_counting_working_days_gives_back_the_amount_added(day, n):
    due = CAL.add_working_days(day, n)
    assert CAL.working_days_between(day, due) == n


@settings(deadline=None)  # a shared 2-core machine: no per-example time limit
@given(start=instants, amount=minutes)
def test_counting_working_time_gives_back_the_amount_added(start, amount):
    delta = timedelta(minutes=amount)
    due = CAL.add_working_time(start, delta)
    assert CAL.working_time_between(start, due) == delta
    assert due >= start


@settings(deadline=None)  # a shared 2-core machine: no per-example time limit
@given(start=instants, n=st.integers(min_value=1, max_value=60))
def test_working_day_deadlines_fall_on_working_days_at_close_of_office(start, n):
    due = CAL.deadline(start, WORKING_DAYS, n).astimezone(SHANGHAI)
    assert CAL.is_working_day(due.date())
    assert (due.hour, due.minute) == (17, 30)
    assert CAL.working_days_between(start.astimezone(SHANGHAI).date(), due.date()) == n


@settings(deadline=None)  # a shared 2-core machine: no per-example time limit
@given(start=instants, hours=st.integers(min_value=1, max_value=200))
def test_working_hour_deadlines_fall_inside_office_hours_of_working_days(start, hours):
    due = CAL.deadline(start, WORKING_HOURS, hours).astimezone(SHANGHAI)
    assert CAL.is_working_day(due.date())
    moment = due.time()
    assert any(seg_start < moment <= seg_end for seg_start, seg_end in CAL.segments)


@settings(max_examples=150, deadline=None)
@given(
    start=instants,
    unit=st.sampled_from(["wd", "wh", "ch"]),
    amount=st.integers(min_value=1, max_value=30),
    pause_offset=st.integers(min_value=0, max_value=60 * 24 * 20),
    pause_length=st.integers(min_value=0, max_value=60 * 24 * 20),
)
def test_pausing_never_shortens_a_deadline_and_moves_it_by_the_paused_time(
    start, unit, amount, pause_offset, pause_length
):
    paused_at = start + timedelta(minutes=pause_offset)
    resumed_at = paused_at + timedelta(minutes=pause_length)
    before = CAL.schedule(start, unit, amount).due_at
    paused = CAL.measure(paused_at, resumed_at, unit)
    after = CAL.schedule(start, unit, amount, paused).due_at
    assert after >= before
    assert CAL.measure(before, after, unit) == paused


@settings(deadline=None)  # a shared 2-core machine: no per-example time limit
@given(start=instants, first=minutes, second=minutes)
def test_adding_working_time_in_two_steps_equals_adding_it_at_once(start, first, second):
    a, b = timedelta(minutes=first), timedelta(minutes=second)
    assert CAL.add_working_time(CAL.add_working_time(start, a), b) == CAL.add_working_time(start, a + b)


@settings(deadline=None)  # a shared 2-core machine: no per-example time limit
@given(
    start=st.datetimes(min_value=datetime(2026, 6, 1), max_value=datetime(2029, 12, 31), timezones=st.just(SHANGHAI)),
    n=st.integers(min_value=1, max_value=300),
)
def test_provisional_deadlines_still_obey_the_invariants_and_say_so(start, n):
    probe = Probe()
    due = CAL.deadline(start, WORKING_DAYS, n, probe).astimezone(SHANGHAI)
    assert probe.provisional == (due.year > 2026)
    assert CAL.is_working_day(due.date(), Probe())
    assert CAL.working_days_between(start.astimezone(SHANGHAI).date(), due.date(), Probe()) == n
