"""PoiIndex answers equal a brute-force scan with the exact distance, on every query path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.territory.poi_index import PoiIndex, distance_m

SHANGHAI = (121.47, 31.23)


def cloud(rng, n, lon, lat, spread_deg):
    return lon + rng.uniform(-spread_deg, spread_deg, n), np.clip(
        lat + rng.uniform(-spread_deg, spread_deg, n), -90, 90
    )


def brute_within(lons, lats, lon, lat, radius):
    d = distance_m(lon, lat, lons, lats)
    hits = [(i, float(d[i])) for i in np.flatnonzero(d <= radius)]
    return sorted(hits, key=lambda h: h[1])


def same_answer(got, want):
    """Equal ids and distances; order by distance (ties may come in any order)."""
    assert [d for _, d in got] == pytest.approx([d for _, d in want], abs=2e-5)
    assert sorted(i for i, _ in got) == sorted(i for i, _ in want)
    assert all(a[1] <= b[1] for a, b in zip(got, got[1:], strict=False))


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([SHANGHAI, (179.999, 0.0), (-179.9995, 10.0), (10.0, 88.5), (0.0, -89.0), (45.0, 0.0)]),
    st.sampled_from([0.001, 0.01, 0.2]),
    st.floats(0.0, 3000.0),
    st.integers(0, 2**32 - 1),
)
def test_within_equals_brute_force_everywhere(centre, spread, radius, seed):
    rng = np.random.default_rng(seed)
    lons, lats = cloud(rng, 800, *centre, spread)
    lons = (lons + 180) % 360 - 180
    idx = PoiIndex(list(range(len(lons))), lons, lats)
    for _ in range(5):
        qlon, qlat = cloud(rng, 1, *centre, spread)
        qlon = (qlon + 180) % 360 - 180
        want = brute_within(lons, lats, float(qlon[0]), float(qlat[0]), radius)
        same_answer(idx.within(float(qlon[0]), float(qlat[0]), radius), want)
        same_answer(idx.within_kdtree(float(qlon[0]), float(qlat[0]), radius), want)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_nearest_k_equals_brute_force(k, seed):
    rng = np.random.default_rng(seed)
    lons, lats = cloud(rng, 500, *SHANGHAI, 0.05)
    idx = PoiIndex([f"cam-{i}" for i in range(len(lons))], lons, lats)
    qlon, qlat = cloud(rng, 1, *SHANGHAI, 0.06)
    d = distance_m(float(qlon[0]), float(qlat[0]), lons, lats)
    want = [(f"cam-{i}", float(d[i])) for i in np.argsort(d, kind="stable")[:k]]
    got = idx.nearest(float(qlon[0]), float(qlat[0]), k)
    assert len(got) == k
    assert [g[1] for g in got] == pytest.approx([w[1] for w in want], abs=2e-5)
    assert {g[0] for g in got[:-1]} <= {w[0] for w in want} | {g[0] for g in got if g[1] == got[-1][1]}


def test_within_many_equals_single_queries():
    rng = np.random.default_rng(5)
    lons, lats = cloud(rng, 5000, *SHANGHAI, 0.02)
    idx = PoiIndex(list(range(len(lons))), lons, lats)
    qlon, qlat = cloud(rng, 50, *SHANGHAI, 0.02)
    offsets, positions, dists = idx.within_many(qlon, qlat, 300.0)
    assert len(offsets) == 51
    for i in range(50):
        want = idx.within(float(qlon[i]), float(qlat[i]), 300.0)
        got = list(
            zip(idx.ids_at(positions[offsets[i] : offsets[i + 1]]), dists[offsets[i] : offsets[i + 1]], strict=True)
        )
        same_answer(got, want)


def test_duplicate_locations_are_all_returned_at_the_same_distance():
    idx = PoiIndex(["a", "b", "c"], [121.47, 121.47, 121.471], [31.23, 31.23, 31.23])
    got = idx.within(121.4701, 31.23, 200)
    assert {i for i, _ in got[:2]} == {"a", "b"} and got[0][1] == got[1][1]
    assert got[2][0] == "c"


def test_ids_keep_their_python_types():
    assert idx_ids(PoiIndex([7, 8], [121.47, 121.4701], [31.23, 31.23])) == {7, 8}
    assert idx_ids(PoiIndex(["x", "y"], [121.47, 121.4701], [31.23, 31.23])) == {"x", "y"}
    assert idx_ids(PoiIndex([("cam", 1), ("cam", 2)], [121.47, 121.4701], [31.23, 31.23])) == {("cam", 1), ("cam", 2)}


def idx_ids(idx):
    out = {i for i, _ in idx.within(121.47, 31.23, 100)}
    assert all(type(i) in (int, str, tuple) for i in out)
    return out


def test_radius_is_inclusive_and_zero_radius_finds_the_exact_spot():
    idx = PoiIndex([1, 2], [121.47, 121.48], [31.23, 31.23])
    d = dict(idx.within(121.47, 31.23, 2000))[2]
    assert d == pytest.approx(distance_m(121.47, 31.23, 121.48, 31.23), abs=1e-8)
    assert [i for i, _ in idx.within(121.47, 31.23, d)] == [1, 2]
    assert [i for i, _ in idx.within(121.47, 31.23, np.nextafter(d, 0))] == [1]
    assert [i for i, _ in idx.within(121.47, 31.23, 0.0)] == [1]


def test_empty_index_and_bad_input():
    empty = PoiIndex([], [], [])
    assert empty.within(121.47, 31.23, 300) == [] and empty.nearest(121.47, 31.23, 3) == []
    assert len(empty) == 0
    with pytest.raises(ValueError, match="same length"):
        PoiIndex([1], [121.0, 122.0], [31.0, 31.0])
    with pytest.raises(ValueError, match="finite"):
        PoiIndex([1], [float("nan")], [31.0])
    idx = PoiIndex([1], [121.47], [31.23])
    assert idx.within(float("nan"), 31.23, 300) == [] and idx.within(121.47, 31.23, -1) == []


@pytest.mark.parametrize("small_window", [0, 10**9])
def test_plain_python_and_numpy_paths_agree_with_brute_force(monkeypatch, small_window):
    from yiwang.territory import poi_index

    monkeypatch.setattr(poi_index, "SMALL_WINDOW", small_window)
    rng = np.random.default_rng(11)
    lons, lats = cloud(rng, 3000, *SHANGHAI, 0.01)
    idx = PoiIndex(list(range(len(lons))), lons, lats)
    for radius in (0.0, 15.0, 120.0, 400.0):
        for qlon, qlat in zip(*cloud(rng, 20, *SHANGHAI, 0.011), strict=True):
            want = brute_within(lons, lats, float(qlon), float(qlat), radius)
            same_answer(idx.within(float(qlon), float(qlat), radius), want)
            pos, dist = idx.within_positions(float(qlon), float(qlat), radius)
            same_answer(list(zip(pos.tolist(), dist.tolist(), strict=True)), want)
