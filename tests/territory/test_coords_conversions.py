"""WGS-84 ⇄ GCJ-02 ⇄ BD-09: published reference values, exact inverses, no shift outside mainland China."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from yiwang.territory.coords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_mainland_china,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# Reference outputs published with the widely used open-source implementation wandergis/coordtransform
# (test/app.js), input (116.404, 39.915), near Tiananmen, Beijing. Its inverses are one-step
# approximations, so only its forward values are exact references here.
BEIJING = (116.404, 39.915)
WANDERGIS_WGS84_TO_GCJ02 = (116.41024449916938, 39.91640428150164)
WANDERGIS_GCJ02_TO_BD09 = (116.41036949371029, 39.92133699351021)
WANDERGIS_BD09_TO_GCJ02_APPROX = (116.39762729119315, 39.90865673957631)
WANDERGIS_GCJ02_TO_WGS84_APPROX = (116.39775550083061, 39.91359571849836)

china_lon = st.floats(100.0, 122.0)
china_lat = st.floats(22.0, 40.0)


def test_forward_transforms_reproduce_the_published_values():
    assert wgs84_to_gcj02(*BEIJING) == pytest.approx(WANDERGIS_WGS84_TO_GCJ02, abs=1e-12)
    assert gcj02_to_bd09(*BEIJING) == pytest.approx(WANDERGIS_GCJ02_TO_BD09, abs=1e-12)


def test_iterated_inverses_refine_the_published_one_step_approximations():
    # the exact inverse lies within a few 1e-6° of the one-step approximation, and maps forward exactly
    gcj = bd09_to_gcj02(*BEIJING)
    assert gcj == pytest.approx(WANDERGIS_BD09_TO_GCJ02_APPROX, abs=5e-6)
    assert gcj02_to_bd09(*gcj) == pytest.approx(BEIJING, abs=1e-9)
    wgs = gcj02_to_wgs84(*BEIJING)
    assert wgs == pytest.approx(WANDERGIS_GCJ02_TO_WGS84_APPROX, abs=5e-6)
    assert wgs84_to_gcj02(*wgs) == pytest.approx(BEIJING, abs=1e-9)


def test_offsets_are_a_few_hundred_metres_in_shanghai():
    lon, lat = 121.47, 31.23
    g = wgs84_to_gcj02(lon, lat)
    b = wgs84_to_bd09(lon, lat)
    assert 0.001 < abs(g[0] - lon) + abs(g[1] - lat) < 0.01
    assert 0.005 < abs(b[0] - lon) + abs(b[1] - lat) < 0.03


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_gcj02_round_trip_is_exact_to_1e7_degrees(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert abs(back[0] - lon) < 1e-7 and abs(back[1] - lat) < 1e-7
    again = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert abs(again[0] - lon) < 1e-7 and abs(again[1] - lat) < 1e-7


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_bd09_round_trips_through_every_system(lon, lat):
    # Within a shift's reach of the coarse mainland border the forward and inverse transforms can fall on
    # different sides of it; the round trip is only defined away from it.
    near = [(lon + dx, lat + dy) for dx in (-0.03, 0, 0.03) for dy in (-0.03, 0, 0.03)]
    assume(len({in_mainland_china(x, y) for x, y in near}) == 1)
    for system in ("gcj02", "bd09"):
        back = to_wgs84(*from_wgs84(lon, lat, system), system)
        assert back == pytest.approx((lon, lat), abs=1e-7)
    assert bd09_to_wgs84(*wgs84_to_bd09(lon, lat)) == pytest.approx((lon, lat), abs=1e-7)
    assert convert(*convert(lon, lat, "gcj02", "bd09"), "bd09", "gcj02") == pytest.approx((lon, lat), abs=1e-7)


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [
        ("Tokyo", 139.69, 35.69),
        ("Seoul", 126.98, 37.57),
        ("Pyongyang", 125.75, 39.03),
        ("Taipei", 121.56, 25.04),
        ("Ulaanbaatar", 106.91, 47.92),
        ("Hanoi", 105.85, 21.03),
        ("Kathmandu", 85.32, 27.72),
        ("Almaty", 76.95, 43.24),
        ("Vladivostok", 131.89, 43.12),
        ("London", -0.13, 51.51),
        ("Sydney", 151.21, -33.87),
    ],
)
def test_points_outside_mainland_china_are_not_shifted(name, lon, lat):
    assert not in_mainland_china(lon, lat)
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [
        ("Shanghai", 121.47, 31.23),
        ("Beijing", 116.40, 39.90),
        ("Urumqi", 87.62, 43.83),
        ("Kashgar", 75.99, 39.47),
        ("Lhasa", 91.11, 29.65),
        ("Harbin", 126.63, 45.75),
        ("Kunming", 102.83, 24.88),
        ("Sanya", 109.51, 18.25),
        ("Hohhot", 111.75, 40.84),
    ],
)
def test_points_in_mainland_china_are_shifted(name, lon, lat):
    assert in_mainland_china(lon, lat)
    assert wgs84_to_gcj02(lon, lat) != (lon, lat)


def test_arrays_give_the_same_answers_as_scalars():
    lons = np.array([121.47, 139.69, 116.404, 87.62])
    lats = np.array([31.23, 35.69, 39.915, 43.83])
    for fn in (wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, wgs84_to_bd09, bd09_to_wgs84):
        ax, ay = fn(lons, lats)
        assert isinstance(ax, np.ndarray) and ax.shape == (4,)
        for i in range(4):
            sx, sy = fn(float(lons[i]), float(lats[i]))
            assert ax[i] == pytest.approx(sx, abs=1e-12) and ay[i] == pytest.approx(sy, abs=1e-12)


def test_scalars_come_back_as_python_floats():
    for system in ("wgs84", "gcj02", "bd09"):
        out = to_wgs84(121, 31, system)
        assert all(type(v) is float for v in out)


def test_unknown_system_is_refused():
    with pytest.raises(ValueError, match="unknown coordinate system 'cgcs2000'"):
        to_wgs84(121.47, 31.23, "cgcs2000")
    with pytest.raises(ValueError, match="unknown coordinate system"):
        from_wgs84(121.47, 31.23, "WGS84")
    with pytest.raises(ValueError, match="unknown coordinate system"):
        convert(121.47, 31.23, "wgs84", "mars")
