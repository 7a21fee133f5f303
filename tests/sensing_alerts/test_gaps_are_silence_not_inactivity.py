"""Meter gaps make a device silent, never inactive; the household baselines detect real inactivity."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.sensing.alerts.rules import RAISE, Reading, evaluate, make_rule, replay

T0 = datetime(2026, 3, 2, 0, 0)
DAYS = 18
INACTIVITY = {
    "no_consumption": {"max_total": 0.01, "hours": 6, "day_start": 7, "day_end": 22},
    "quiet_likelihood": {"alpha": 1e-3, "days": 14, "min_history_days": 7},
    "baseline_deviation": {"days": 14, "min_history_days": 7, "day_start": 6},
}


def usage(hour: int, day: int) -> float:
    """A regular resident: some water in every daytime hour, none at night."""
    if 7 <= hour < 22:
        return 0.01 + 0.02 * ((hour * 7 + day * 3) % 5)
    return 0.0


def readings(mask=None, quiet_from=None):
    out = []
    for k in range(DAYS * 24):
        if mask is not None and not mask[k]:
            continue
        v = 0.0 if quiet_from is not None and k >= quiet_from else usage(k % 24, k // 24)
        out.append(Reading(T0 + timedelta(hours=k, minutes=59), v))
    return out


@settings(max_examples=15, deadline=None)
@given(
    missing_hours=st.sets(st.integers(0, DAYS * 24 - 1), max_size=200),
    missing_days=st.sets(st.integers(0, DAYS - 1), max_size=6),
    tail_gap=st.integers(0, 60),
)
def test_gaps_never_produce_an_inactivity_alert(missing_hours, missing_days, tail_gap):
    n = DAYS * 24
    mask = [k not in missing_hours and k // 24 not in missing_days and k < n - tail_gap for k in range(n)]
    data = readings(mask)
    if not data:
        return
    for kind, params in INACTIVITY.items():
        fired = replay(make_rule(kind, params), data, end=T0 + timedelta(hours=n))
        assert not [t for t in fired if t.kind == RAISE], kind


def test_too_few_readings_give_a_silent_verdict_for_every_inactivity_rule():
    data = readings()
    silent_from = len(data) - 30
    gappy = data[:silent_from]  # meter silent for the last 30 hours
    now = T0 + timedelta(hours=DAYS * 24)
    for kind, params in INACTIVITY.items():
        result = evaluate(make_rule(kind, params), "m1", "inactivity", gappy, now)
        assert result.silent and result.transitions == [], kind


def test_household_baselines_detect_a_day_without_water():
    quiet_from = (DAYS - 2) * 24 + 6  # from 06:00 on the day before last
    data = readings(quiet_from=quiet_from)
    for kind, params in INACTIVITY.items():
        fired = replay(make_rule(kind, params), data, start=T0 + timedelta(hours=quiet_from - 24))
        raised = [t for t in fired if t.kind == RAISE]
        assert raised, kind
        delay = (raised[0].at - (T0 + timedelta(hours=quiet_from))) / timedelta(hours=1)
        assert 0 < delay <= 10, (kind, delay)


def test_a_quiet_day_right_after_a_silent_meter_day_is_still_detected():
    silent_day = DAYS - 2
    mask = [k // 24 != silent_day for k in range(DAYS * 24)]
    last_day = (DAYS - 1) * 24
    data = readings(mask, quiet_from=last_day)  # the meter is back at midnight; no water all day
    rule = make_rule("quiet_likelihood", INACTIVITY["quiet_likelihood"])
    fired = [t for t in replay(rule, data, start=T0 + timedelta(hours=last_day)) if t.kind == RAISE]
    assert fired
    assert (fired[0].at - (T0 + timedelta(hours=last_day + 7))) / timedelta(hours=1) <= 6  # 07:00 + ≤ 6 h
