"""The pure rule kinds: graded thresholds with hysteresis, duration, rate of rise, flow windows, transitions."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.sensing.alerts.rules import CLEAR, RAISE, UPDATE, Reading, RuleError, evaluate, make_rule, replay

T0 = datetime(2026, 3, 2, 0, 0)
LEVELS = {"blue": 10.0, "yellow": 20.0, "orange": 30.0, "red": 40.0}


def run(rule, values, every=timedelta(minutes=5)):
    """Feed readings one by one; return the transitions and the final level."""
    current, out, readings = None, [], []
    for n, v in enumerate(values):
        readings.append(Reading(T0 + n * every, v))
        result = evaluate(rule, "d1", "level", readings, readings[-1].ts, current)
        out.extend(result.transitions)
        current = result.level
    return out, current


def test_threshold_raises_updates_and_clears_by_grade():
    rule = make_rule("threshold", {"levels": LEVELS, "hysteresis": 2})
    out, level = run(rule, [5, 12, 25, 45, 39, 37, 9, 7])
    assert [(t.kind, t.level) for t in out] == [
        (RAISE, "blue"),
        (UPDATE, "yellow"),
        (UPDATE, "red"),
        (UPDATE, "orange"),  # 37 < 40 − 2 but ≥ 30 (39 stays red)
        (UPDATE, "blue"),  # 9 ≥ 10 − 2: blue held by its hysteresis
        (CLEAR, None),  # 7 < 10 − 2
    ]
    assert level is None


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(list(LEVELS)),
    hysteresis=st.floats(0.5, 5),
    band=st.lists(st.floats(0, 1), min_size=2, max_size=40),
)
def test_hysteresis_never_flaps_on_a_signal_oscillating_inside_the_band(name, hysteresis, band):
    rule = make_rule("threshold", {"levels": LEVELS, "hysteresis": hysteresis})
    threshold = LEVELS[name]
    # reach the level, then oscillate within [threshold − hysteresis, threshold)
    inside = [threshold - hysteresis + f * (hysteresis * 0.999) for f in band]
    out, level = run(rule, [threshold, *inside])
    assert len(out) == 1 and out[0].kind == RAISE and out[0].level == name
    assert level == name


def test_threshold_parameters_are_validated():
    with pytest.raises(RuleError):
        make_rule("threshold", {"levels": {"blue": 5, "red": 3}})
    with pytest.raises(RuleError):
        make_rule("threshold", {"levels": {"purple": 5}})
    with pytest.raises(RuleError):
        make_rule("nonsense", {})
    with pytest.raises(RuleError):
        make_rule("no_consumption", {"hours": "twelve"})


def test_duration_needs_the_whole_span_above_and_no_gap():
    rule = make_rule("duration", {"above": 50, "minutes": 10, "max_gap_minutes": 6, "level": "red"})
    out, level = run(rule, [60, 60, 60])  # 10 minutes covered at the third reading
    assert [t.kind for t in out] == [RAISE] and level == "red"
    out, level = run(rule, [60, 40, 60, 60])
    assert level is None or out[-1].at == T0 + timedelta(minutes=15)
    # a gap longer than max_gap makes the rule silent, not raised
    readings = [Reading(T0, 60), Reading(T0 + timedelta(minutes=20), 60)]
    result = evaluate(rule, "d", "c", readings, readings[-1].ts)
    assert result.silent and not result.transitions


def test_rate_of_rise_per_hour():
    rule = make_rule("rate_of_rise", {"per_hour": 10, "window_hours": 1, "level": "yellow"})
    out, level = run(rule, [float(n) for n in range(13)])  # 1 per 5 min = 12 per hour
    assert level == "yellow" and out[0].kind == RAISE
    out, level = run(rule, [n * 0.5 for n in range(13)])  # 6 per hour
    assert level is None and out == []


def hourly(values, start=T0):
    return [Reading(start + timedelta(hours=k, minutes=30), v) for k, v in enumerate(values) if v is not None]


def test_continuous_flow_needs_flow_in_every_hour():
    rule = make_rule("continuous_flow", {"min_flow": 0.002, "hours": 2})
    fired = replay(rule, hourly([0.0, 0.01, 0.01, 0.01, 0.0, 0.01]))
    assert [(t.kind, t.at) for t in fired] == [
        (RAISE, T0 + timedelta(hours=3)),
        (CLEAR, T0 + timedelta(hours=5)),
    ]


def test_no_consumption_counts_daytime_hours_only():
    rule = make_rule("no_consumption", {"max_total": 0.01, "hours": 4, "day_start": 8, "day_end": 20})
    values = [0.05] * 8 + [0.0] * 4 + [0.05] * 12  # quiet 08:00–12:00
    fired = replay(rule, hourly(values), start=T0 + timedelta(hours=8))
    assert fired[0].kind == RAISE and fired[0].at == T0 + timedelta(hours=12)
    assert fired[1].kind == CLEAR
    night = [0.0] * 8 + [0.05] * 16  # quiet night does not count
    assert replay(rule, hourly(night), start=T0 + timedelta(hours=8)) == []
