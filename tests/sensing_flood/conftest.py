"""The flood test world: the operations test district (S1–S3, grids G1a…G3b), a grid team for every grid,
cameras at exact distances around a water-level gauge, a shelter and a depot, a flood alert rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation
from geographiclib.geodesic import Geodesic

from tests.factories import make_grid_team, make_user
from tests.operations.conftest import IN_G1A, build_world
from tests.territory.builders import poi, poi_collection
from yiwang.core.actor import Actor
from yiwang.core.roles import Role

T0 = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
GAUGE = IN_G1A
# camera code → (distance m, bearing °) from the gauge; CAM-FAR just outside 300 m
CAMERAS = {"CAM-A": (299.5, 10.0), "CAM-B": (12.0, 200.0), "CAM-C": (150.25, 90.0), "CAM-FAR": (300.5, 300.0)}


def at_distance(origin, metres: float, bearing: float) -> tuple[float, float]:
    g = Geodesic.WGS84.Direct(origin[1], origin[0], bearing, metres)
    return g["lon2"], g["lat2"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    from yiwang.operations import codes, lookups
    from yiwang.territory import queries, services

    for clear in (lookups.invalidate, codes.forget, services.invalidate, queries.invalidate_pois):
        clear()
    yield
    for clear in (lookups.invalidate, codes.forget, services.invalidate, queries.invalidate_pois):
        clear()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build_flood_world():
    from yiwang.operations.models import Category, Pillar
    from yiwang.territory.actions import import_pois

    w = build_world()
    w.green = Category.objects.create(
        code="CM-GREEN", name="绿化水务", name_en="Greenery and water", pillar=Pillar.CONSTRUCTION
    )
    w.drain = Category.objects.create(
        code="CM-GREEN-DRAIN", name="排水不畅", name_en="Blocked drain", parent=w.green, pillar=Pillar.CONSTRUCTION
    )  # the default category of a problem found on a checklist item
    w.drain.departments.add(w.water)
    w.teams = {"G1a": w.team_g1a}
    for grid, centre in (("G1b", w.gc_s1), ("G2a", w.gc_s2), ("G2b", w.gc_s2), ("G3a", None), ("G3b", None)):
        w.teams[grid] = make_grid_team(grid, centre=centre)
    w.worker_g2a = make_user(Role.GRID_WORKER, org=w.teams["G2a"], username="grid_g2a")
    features = [
        poi(code, "camera", *at_distance(GAUGE, d, b), name=f"Camera {code}", stream_url=f"rtsp://cams.test/{code}")
        for code, (d, b) in CAMERAS.items()
    ]
    features.append(poi("SCH-NEAR", "school", *at_distance(GAUGE, 5, 0), name="A school (not a camera)"))
    features.append(poi("SHL-1", "shelter", 121.43, 31.21, name="Shelter one", capacity=500))
    features.append(poi("DEP-1", "material_depot", 121.41, 31.23, name="Depot one", capacity=2000))
    import_pois(Actor.system(), poi_collection(*features))
    return w


@pytest.fixture
def world(db):
    return build_flood_world()


@pytest.fixture
def gauge(world):
    from yiwang.sensing.models import Device, DeviceType

    kind = DeviceType.objects.create(code="water-level", name="Water level gauge", unit="m", interval_seconds=300)
    return Device.objects.create(
        code="wl-001", name="Underpass gauge", type=kind, lon=GAUGE[0], lat=GAUGE[1],
        address="S1 road 1 underpass", key_hash="0" * 64, mqtt_password_hash="x",
        subdistrict_code="S1", grid_code="G1a",
    )  # fmt: skip


@pytest.fixture
def rule(gauge):
    from yiwang.sensing.alerts.models import Rule

    r = Rule(
        name="Underpass water level",
        device_type=gauge.type,
        kind="threshold",
        condition="water-level",
        params={"levels": {"blue": 0.1, "yellow": 0.2, "red": 0.5}},
        category_code="SAFE-FLOOD",
    )
    r.full_clean()
    r.save()
    return r


def raise_alert(rule, device, level: str, at: datetime, value: float = 0.6):
    """A raise transition through the alerts action (opens a case: the rule escalates at once)."""
    from yiwang.sensing.alerts import rules as pure
    from yiwang.sensing.alerts.actions import apply_transition

    t = pure.Transition(device=device.code, condition=rule.condition, kind="raise", level=level, previous=None,
                        at=at, value=value)  # fmt: skip
    return apply_transition(Actor.system(), rule, device, t)
