"""The simulator's generators are pure and seeded: a rainstorm lifts water past the red level at the
flood-prone gauges, a silent household uses nothing for more than a day while its meter keeps reporting,
meters have gaps (missing hours, not zeros), and the same seed gives the same streams."""

from datetime import UTC, datetime, timedelta

import pytest

from yiwang.sensing.demo import DRAIN_LEVEL, MANHOLE_TILT, RAIN_GAUGE, WATER_LEVEL, WATER_LEVELS, WATER_METER
from yiwang.sensing.simulate.generators import LOCAL, OUTAGE_HOURS, Plan, SimDevice, build, grid_times

START = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
DEVICES = (
    [SimDevice(f"WL-{i:04d}", WATER_LEVEL, f"XD-S{i % 4:02d}") for i in range(1, 31)]
    + [SimDevice(f"DP-{i:04d}", DRAIN_LEVEL, f"XD-S{i % 4:02d}") for i in range(1, 21)]
    + [SimDevice(f"MH-{i:04d}", MANHOLE_TILT, "XD-S01") for i in range(1, 11)]
    + [SimDevice(f"RG-{i:02d}", RAIN_GAUGE, f"XD-S{i:02d}") for i in range(4)]
    + [SimDevice(f"WM-{i:04d}", WATER_METER) for i in range(1, 13)]
)
RED = WATER_LEVELS["red"]


@pytest.fixture(scope="module")
def sim():
    return build(DEVICES, Plan(START, START + timedelta(hours=36), seed=5, history_days=21))


def events(sim, scenario, text):
    return [e for e in sim.events if e.scenario == scenario and text in e.what]


def test_rising_water_crosses_red_at_the_flood_prone_gauges_only(sim):
    flooded = {e.device: e.at for e in events(sim, "rainstorm", "red level")}
    assert 2 <= len(flooded) <= 8
    storm_begins = events(sim, "rainstorm", "rain begins")[0].at
    for d in (d for d in DEVICES if d.type == WATER_LEVEL):
        rows = sim.readings[d.code]
        assert all(v < WATER_LEVELS["blue"] for ts, v in rows if ts < storm_begins)  # dry before the rain
        peak_at, peak = max(rows, key=lambda r: r[1])
        if d.code in flooded:
            crossing = next(ts for ts, v in rows if v >= RED)
            assert crossing == flooded[d.code] and peak >= RED
            wet = next(ts for ts, v in rows if v >= WATER_LEVELS["blue"])
            rising = [v for ts, v in rows if wet <= ts <= crossing]  # from 5 cm up to the red level
            assert storm_begins < wet < crossing
            assert sum(b >= a for a, b in zip(rising, rising[1:], strict=False)) >= 0.8 * (len(rising) - 1)
            assert rows[-1][1] < WATER_LEVELS["blue"]  # the water drains away after the storm
        else:
            assert peak < WATER_LEVELS["orange"]


def test_rain_falls_only_during_the_storm_and_one_manhole_cover_lifts(sim):
    storm = events(sim, "rainstorm", "rain begins")[0].at
    for d in (d for d in DEVICES if d.type == RAIN_GAUGE):
        rows = sim.readings[d.code]
        assert all(v == 0 for ts, v in rows if ts < storm)
        assert 2 <= max(v for _, v in rows) <= 12  # mm in 5 minutes at the peak (~25-140 mm/h)
    lifted = events(sim, "rainstorm", "manhole cover")
    assert len(lifted) == 1
    for d in (d for d in DEVICES if d.type == MANHOLE_TILT):
        top = max(v for _, v in sim.readings[d.code])
        assert (top > 15) == (d.code == lifted[0].device)


def test_silent_household_uses_nothing_for_more_than_a_day_while_its_meter_reports(sim):
    (silent,) = events(sim, "silent", "stops using water")
    rows = [(ts, v) for ts, v in sim.readings[silent.device] if ts >= silent.at]
    assert rows[-1][0] - rows[0][0] >= timedelta(hours=24)
    assert all(v == 0 for _, v in rows)
    assert len(rows) >= 0.9 * ((rows[-1][0] - rows[0][0]) / timedelta(hours=1))  # reported, not missing
    before = [v for ts, v in sim.readings[silent.device] if ts < silent.at]
    assert sum(before) / 21 > 0.05  # m³ a day before falling silent


def test_meters_have_gaps_not_zeros_and_a_complete_history(sim):
    plan = sim.plan
    hours = grid_times(plan.start, plan.end, 3600)
    (outage,) = events(sim, "silent", "drops out")
    present = {ts for ts, _ in sim.readings[outage.device]}
    missing = [ts for ts in hours if ts not in present]
    run = [ts for ts in missing if outage.at <= ts < outage.at + timedelta(hours=OUTAGE_HOURS)]
    assert len(run) == OUTAGE_HOURS
    meters = [d.code for d in DEVICES if d.type == WATER_METER]
    live_missing = sum(len(hours) - sum(1 for ts, _ in sim.readings[m] if ts >= plan.start) for m in meters)
    assert OUTAGE_HOURS < live_missing < OUTAGE_HOURS + 0.1 * len(hours) * len(meters)
    history = grid_times(plan.start - timedelta(days=plan.history_days), plan.start, 3600)
    for m in meters:
        assert [ts for ts, _ in sim.readings[m] if ts < plan.start] == history


def test_meters_follow_a_daily_cycle(sim):
    by_hour = [0.0] * 24
    for d in (d for d in DEVICES if d.type == WATER_METER):
        for ts, v in sim.readings[d.code]:
            by_hour[(ts - timedelta(hours=1)).astimezone(LOCAL).hour] += v
    assert sum(by_hour[1:5]) * 3 < sum(by_hour[6:10])  # nights are quiet, mornings busy
    assert sum(by_hour[17:21]) > sum(by_hour[1:5]) * 3


def test_same_seed_same_streams_and_each_device_independent_of_the_others():
    plan = Plan(START, START + timedelta(hours=10), ("daily",), seed=9)
    one, again = build(DEVICES, plan), build(DEVICES, plan)
    assert one.readings == again.readings
    other = build(DEVICES, Plan(START, START + timedelta(hours=10), ("daily",), seed=10))
    assert other.readings["WM-0001"] != one.readings["WM-0001"]
    alone = build([d for d in DEVICES if d.code == "DP-0003"], plan)
    assert alone.readings["DP-0003"] == one.readings["DP-0003"]


def test_bad_plans_are_refused():
    with pytest.raises(ValueError, match="unknown scenario flood"):
        build(DEVICES, Plan(START, START + timedelta(hours=1), ("flood",)))
    with pytest.raises(ValueError, match="must end after"):
        build(DEVICES, Plan(START, START))
