"""WGS-84 ⇄ GCJ-02 ⇄ BD-09 conversions. Pure numpy; no Django.

* GCJ-02 (国测局坐标, "Mars coordinates"; Amap/Gaode, Tencent, Google China) is WGS-84 plus a
  published, deterministic offset of a few hundred metres, computed on the Krasovsky 1940 ellipsoid.
  It applies inside mainland China only; elsewhere GCJ-02 equals WGS-84.
* BD-09 (百度坐标; Baidu) is GCJ-02 plus a further small polar perturbation and shift, applied
  everywhere.
* The inverses have no closed form: GCJ-02→WGS-84 and BD-09→GCJ-02 are solved by fixed-point iteration
  on the forward transforms (the offsets vary slowly, so it converges in a few steps) to better than 1e-9°.

Every function accepts floats (returns a pair of floats) or numpy arrays (returns a pair of arrays).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

SYSTEMS = ("wgs84", "gcj02", "bd09")

_KRASOVSKY_A = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
_TOL_DEG = 1e-10
_MAX_ITER = 30

# Mainland China as coarse rectangles (lon_min, lat_min, lon_max, lat_max), drawn for this module from the
# borders' rough course; Taiwan is excluded. Points inside get the GCJ-02 offset. Near a land border the
# decision is coarse (tens of km), which does not matter for a district that lies well inside.
_CHINA = np.array(
    [
        (73.5, 35.0, 80.2, 40.5),  # Kashgar, Hotan
        (80.2, 35.0, 96.5, 45.0),  # Xinjiang centre and east, north Tibet, Qinghai
        (82.5, 45.0, 91.0, 49.2),  # north Xinjiang (Ili, Altay)
        (78.0, 30.5, 104.0, 36.0),  # Tibet, Qinghai, Sichuan west
        (84.0, 28.3, 104.0, 30.5),  # south Tibet (Lhasa), Sichuan
        (98.5, 21.2, 106.5, 28.3),  # Yunnan, Guizhou
        (104.0, 21.5, 106.5, 42.0),  # Sichuan, Chongqing, Shaanxi, Gansu east
        (106.5, 20.9, 123.0, 42.0),  # central, east and south China
        (109.5, 20.2, 111.2, 20.9),  # Leizhou peninsula
        (108.5, 18.0, 111.2, 20.2),  # Hainan
        (96.5, 36.0, 111.0, 42.5),  # Gansu, Ningxia, west Inner Mongolia
        (111.0, 40.0, 119.5, 44.5),  # central Inner Mongolia
        (119.0, 40.0, 126.0, 53.6),  # Liaoning, Jilin west, Hulunbuir, Heilongjiang west
        (126.0, 42.5, 131.3, 50.0),  # Jilin east, Heilongjiang
        (131.3, 45.0, 135.1, 48.5),  # Heilongjiang east (Fuyuan)
    ]
)
_NOT_CHINA = np.array([(119.9, 21.8, 122.2, 25.4)])  # Taiwan
_CHINA_T = [tuple(map(float, r)) for r in _CHINA]
_NOT_CHINA_T = [tuple(map(float, r)) for r in _NOT_CHINA]


def in_mainland_china(lon: Any, lat: Any) -> Any:
    """True where the GCJ-02 offset applies (coarse mainland-China test); bool or bool array."""
    x, y = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    inside = np.zeros(np.broadcast(x, y).shape, dtype=bool)
    for x0, y0, x1, y1 in _CHINA:
        inside |= (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    for x0, y0, x1, y1 in _NOT_CHINA:
        inside &= ~((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
    return bool(inside) if inside.ndim == 0 else inside


class _Arr:
    """numpy under the names of the math module, so one formula serves floats (fast) and arrays."""

    sin, cos, sqrt, radians, atan2 = np.sin, np.cos, np.sqrt, np.radians, np.arctan2


def _gcj_offset(lon, lat, np=_Arr):  # noqa: A002  (np: math for floats, _Arr for arrays)
    """The GCJ-02 offset (degrees) at a WGS-84 point, without the mainland test."""
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    sx = np.sqrt(abs(x))
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad = np.radians(lat)
    magic = 1.0 - _KRASOVSKY_EE * np.sin(rad) * np.sin(rad)
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_KRASOVSKY_A * (1 - _KRASOVSKY_EE)) / (magic * sqrt_magic) * pi)
    dlon = dlon * 180.0 / (_KRASOVSKY_A / sqrt_magic * np.cos(rad) * pi)
    return dlon, dlat


def _pair(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray, bool]:
    x, y = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return x, y, x.ndim == 0


def _out(x: np.ndarray, y: np.ndarray, scalar: bool):
    return (float(x), float(y)) if scalar else (x, y)


def _in_china_scalar(x: float, y: float) -> bool:
    if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in _NOT_CHINA_T):
        return False
    return any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in _CHINA_T)


def _scalars(lon: Any, lat: Any) -> bool:
    return isinstance(lon, float | int) and isinstance(lat, float | int)


def wgs84_to_gcj02(lon: Any, lat: Any):
    if _scalars(lon, lat):
        if not _in_china_scalar(lon, lat):
            return float(lon), float(lat)
        dlon, dlat = _gcj_offset(float(lon), float(lat), math)
        return lon + dlon, lat + dlat
    x, y, scalar = _pair(lon, lat)
    dlon, dlat = _gcj_offset(x, y)
    inside = np.asarray(in_mainland_china(x, y))
    return _out(np.where(inside, x + dlon, x), np.where(inside, y + dlat, y), scalar)


def gcj02_to_wgs84(lon: Any, lat: Any):
    """Exact inverse of `wgs84_to_gcj02` by iteration (< 1e-9°); points outside mainland China unchanged."""
    if _scalars(lon, lat):
        gx, gy = float(lon), float(lat)
        if not _in_china_scalar(gx, gy):
            return gx, gy
        wx, wy = gx, gy
        for _ in range(_MAX_ITER):
            dlon, dlat = _gcj_offset(wx, wy, math)
            ex, ey = gx - (wx + dlon), gy - (wy + dlat)
            wx, wy = wx + ex, wy + ey
            if abs(ex) < _TOL_DEG and abs(ey) < _TOL_DEG:
                break
        return wx, wy
    gx, gy, scalar = _pair(lon, lat)
    inside = np.asarray(in_mainland_china(gx, gy))
    wx, wy = gx.copy(), gy.copy()
    for _ in range(_MAX_ITER):
        dlon, dlat = _gcj_offset(wx, wy)
        ex, ey = gx - (wx + dlon), gy - (wy + dlat)
        wx, wy = wx + ex, wy + ey
        if np.all(np.abs(ex) < _TOL_DEG) and np.all(np.abs(ey) < _TOL_DEG):
            break
    return _out(np.where(inside, wx, gx), np.where(inside, wy, gy), scalar)


def _bd_forward(x, y, np=_Arr):
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.atan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def gcj02_to_bd09(lon: Any, lat: Any):
    if _scalars(lon, lat):
        return _bd_forward(float(lon), float(lat), math)
    x, y, scalar = _pair(lon, lat)
    return _out(*_bd_forward(x, y), scalar)


def bd09_to_gcj02(lon: Any, lat: Any):
    """Exact inverse of `gcj02_to_bd09` by iteration, starting from the usual closed-form approximation."""
    scalar = _scalars(lon, lat)
    m = math if scalar else _Arr
    if scalar:
        bx, by = float(lon), float(lat)
    else:
        bx, by, _ = _pair(lon, lat)
    x, y = bx - 0.0065, by - 0.006
    z = m.sqrt(x * x + y * y) - 0.00002 * m.sin(y * _X_PI)
    theta = m.atan2(y, x) - 0.000003 * m.cos(x * _X_PI)
    gx, gy = z * m.cos(theta), z * m.sin(theta)
    for _ in range(_MAX_ITER):
        fx, fy = _bd_forward(gx, gy, m)
        ex, ey = bx - fx, by - fy
        gx, gy = gx + ex, gy + ey
        if np.all(np.abs(ex) < _TOL_DEG) and np.all(np.abs(ey) < _TOL_DEG):
            break
    return (gx, gy) if scalar else _out(gx, gy, np.ndim(gx) == 0)


def wgs84_to_bd09(lon: Any, lat: Any):
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: Any, lat: Any):
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def _same(lon: Any, lat: Any):
    return (float(lon), float(lat)) if _scalars(lon, lat) else _out(*_pair(lon, lat))


_TO_WGS84 = {"wgs84": _same, "gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
_FROM_WGS84 = {"wgs84": _same, "gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}


def _check(system: str) -> str:
    if system not in SYSTEMS:
        raise ValueError(f"unknown coordinate system {system!r}; expected one of {', '.join(SYSTEMS)}")
    return system


def to_wgs84(lon: Any, lat: Any, system: str):
    """(lon, lat) in `system` ("wgs84", "gcj02" or "bd09") → WGS-84. ValueError for another system."""
    return _TO_WGS84[_check(system)](lon, lat)


def from_wgs84(lon: Any, lat: Any, system: str):
    """WGS-84 (lon, lat) → `system` ("wgs84", "gcj02" or "bd09"). ValueError for another system."""
    return _FROM_WGS84[_check(system)](lon, lat)


def convert(lon: Any, lat: Any, source: str, target: str):
    """(lon, lat) from one system to another, through WGS-84."""
    _check(target)
    return from_wgs84(*to_wgs84(lon, lat, source), target)
