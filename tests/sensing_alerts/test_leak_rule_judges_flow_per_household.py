"""The flow_likelihood leak rule: running water that would be improbable for this household, from hourly data."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.sensing.alerts.presets import WATER_STEWARD
from yiwang.sensing.alerts.rules import CLEAR, RAISE, Reading, RuleError, evaluate, make_rule, replay

T0 = datetime(2026, 3, 2, 0, 0)
DAYS = 21
LEAK = {"alpha": 1e-4, "days": 14, "min_history_days": 7}


def resident(day: int, hour: int) -> float:
    """An elderly resident living alone: mornings and evenings, some daytime use, a flush some nights."""
    if 7 <= hour < 9:
        return 0.03 + 0.01 * ((day + hour) % 3)
    if 18 <= hour < 21:
        return 0.02 + 0.01 * ((day * hour) % 4)
    if 10 <= hour < 17 and (day + hour) % 3 == 0:
        return 0.01 + 0.005 * (hour % 4)
    if hour == 2 and day % 5 == 0:
        return 0.006
    return 0.0


def busy_family(day: int, hour: int) -> float:
    """Water in every hour from 06:00 to midnight, volumes varying from day to day."""
    if 6 <= hour < 24:
        return 0.02 + 0.015 * ((day * 7 + hour * 3) % 5)
    return 0.0


def hourly(use, days=DAYS, extra=None, missing=()):
    """Readings at hh:59 of each hour; ``extra(k)`` adds flow in hour k; ``missing`` hours are dropped."""
    out = []
    for k in range(days * 24):
        if k in missing:
            continue
        value = use(k // 24, k % 24) + (extra(k) if extra else 0.0)
        out.append(Reading(T0 + timedelta(hours=k, minutes=59), round(value, 4)))
    return out


def raises(rule, data, start_hour):
    fired = replay(rule, data, start=T0 + timedelta(hours=start_hour), end=T0 + timedelta(hours=DAYS * 24))
    return [t for t in fired if t.kind == RAISE]


def hours_after(transition, hour: int) -> float:
    return (transition.at - (T0 + timedelta(hours=hour))) / timedelta(hours=1)


LAST_NIGHT = (DAYS - 2) * 24 + 23  # 23:00 on the day before last


def test_fires_on_a_night_time_running_tap():
    rule = make_rule("flow_likelihood", LEAK)
    tap = hourly(resident, extra=lambda k: 0.01 if k >= LAST_NIGHT else 0.0)
    fired = raises(rule, tap, start_hour=(DAYS - 3) * 24)
    assert len(fired) == 1
    assert 2 <= hours_after(fired[0], LAST_NIGHT) <= 4  # two to four night hours of flow


def test_stays_quiet_on_the_same_residents_normal_nights():
    rule = make_rule("flow_likelihood", LEAK)
    assert raises(rule, hourly(resident), start_hour=7 * 24) == []


def test_stays_quiet_on_a_busy_familys_normal_daytime_use():
    rule = make_rule("flow_likelihood", LEAK)
    assert raises(rule, hourly(busy_family), start_hour=7 * 24) == []
    # the fixed "flow in every hour for 2 h" rule fires on this family every day
    fixed = make_rule("continuous_flow", {"min_flow": 0.001, "hours": 2})
    assert len(raises(fixed, hourly(busy_family), start_hour=7 * 24)) >= DAYS - 8
    # and the same family's cistern running through the night is caught
    cistern = hourly(busy_family, extra=lambda k: 0.008 if k >= LAST_NIGHT - 3 else 0.0)
    fired = raises(rule, cistern, start_hour=(DAYS - 3) * 24)
    assert fired and hours_after(fired[0], LAST_NIGHT) <= 6


def test_a_tap_left_wide_open_fires_within_two_hours_in_the_daytime():
    rule = make_rule("flow_likelihood", LEAK)
    opened = (DAYS - 1) * 24 + 10  # 10:00 on the last day
    tap = hourly(resident, extra=lambda k: 0.4 if k >= opened else 0.0)
    fired = raises(rule, tap, start_hour=(DAYS - 2) * 24)
    assert len(fired) == 1 and hours_after(fired[0], opened) == 2


def test_the_alert_clears_when_the_water_stops():
    rule = make_rule("flow_likelihood", LEAK)
    stop = LAST_NIGHT + 6
    data = hourly(resident, extra=lambda k: 0.01 if LAST_NIGHT <= k < stop else 0.0)
    fired = replay(rule, data, start=T0 + timedelta(hours=(DAYS - 3) * 24))
    kinds = [(t.kind, hours_after(t, stop)) for t in fired]
    assert kinds[0][0] == RAISE and (CLEAR, 1.0) in kinds  # 05:00 has no flow: cleared at 06:00


def test_a_meter_gap_is_not_flow():
    rule = make_rule("flow_likelihood", LEAK)
    # the meter is silent all night, then its first reading carries the night's volume (a catch-up)
    night = set(range(LAST_NIGHT - 1, LAST_NIGHT + 8))
    data = hourly(resident, missing=night)
    catch_up = T0 + timedelta(hours=LAST_NIGHT + 8, minutes=59)
    data = [Reading(r.ts, r.value + 0.3) if r.ts == catch_up else r for r in data]
    assert raises(rule, data, start_hour=(DAYS - 3) * 24) == []


def test_a_missing_newest_hour_keeps_an_open_leak_alert():
    rule = make_rule("flow_likelihood", LEAK)
    tap = hourly(resident, extra=lambda k: 0.01 if k >= LAST_NIGHT else 0.0)
    now = T0 + timedelta(hours=LAST_NIGHT + 6)
    silent = [r for r in tap if r.ts < now - timedelta(hours=1)]  # the 04:00 hour never arrived
    result = evaluate(rule, "m1", "leak", silent, now, current="orange")
    assert result.silent and result.transitions == [] and result.level == "orange"
    assert evaluate(rule, "m1", "leak", [r for r in tap if r.ts < now], now, current="orange").level == "orange"


@settings(max_examples=15, deadline=None)
@given(missing=st.sets(st.integers(7 * 24, DAYS * 24 - 1), max_size=150), outage=st.integers(0, 40))
def test_gaps_in_normal_use_never_produce_a_leak_alert(missing, outage):
    rule = make_rule("flow_likelihood", LEAK)
    hidden = set(missing) | set(range(DAYS * 24 - 60, DAYS * 24 - 60 + outage))
    assert raises(rule, hourly(resident, missing=hidden), start_hour=7 * 24) == []


def test_a_new_meter_without_history_is_silent():
    rule = make_rule("flow_likelihood", LEAK)
    tap = hourly(resident, days=5, extra=lambda k: 0.01)
    result = evaluate(rule, "m1", "leak", tap, T0 + timedelta(days=5))
    assert result.silent and result.transitions == []


def test_leak_rule_parameters_are_validated():
    with pytest.raises(RuleError, match="alpha"):
        make_rule("flow_likelihood", {"alpha": 2})
    with pytest.raises(RuleError, match="max_p"):
        make_rule("flow_likelihood", {"alpha": 1e-3, "max_p": 0.7, "max_hours": 48})
    with pytest.raises(RuleError, match="surge_factor"):
        make_rule("flow_likelihood", {"surge_factor": 0.5})


def test_the_default_water_steward_rules_are_valid_rules():
    conditions = {}
    for preset in WATER_STEWARD:
        conditions[preset["condition"]] = make_rule(preset["kind"], preset["params"])
    assert set(conditions) == {"inactivity", "leak"}


def test_a_leak_running_for_days_raises_once_and_clears_when_it_stops():
    rule = make_rule("flow_likelihood", LEAK)
    start, stop = (DAYS - 4) * 24 + 1, (DAYS - 1) * 24 + 12  # from 01:00, three and a half days
    data = hourly(resident, extra=lambda k: 0.004 if start <= k < stop else 0.0)
    fired = replay(rule, data, start=T0 + timedelta(hours=start - 2))
    assert [t.kind for t in fired] == [RAISE, CLEAR]
    assert hours_after(fired[0], start) <= 4 and hours_after(fired[1], stop) == 1


def test_the_alert_holds_through_busy_hours_while_the_water_keeps_running():
    # a short window: six daytime hours of ordinary use alone would not keep the evidence below alpha
    rule = make_rule("flow_likelihood", {**LEAK, "max_hours": 6, "max_p": 0.25})
    start, stop = (DAYS - 1) * 24 + 1, (DAYS - 1) * 24 + 22  # 01:00 to 22:00 on the last day
    data = hourly(resident, extra=lambda k: 0.004 if start <= k < stop else 0.0)
    fired = replay(rule, data, start=T0 + timedelta(hours=start - 2))
    assert [t.kind for t in fired] == [RAISE, CLEAR]
    assert hours_after(fired[1], stop) == 1
