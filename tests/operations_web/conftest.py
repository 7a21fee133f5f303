"""The operations test world (tests/operations/conftest.py) with named places, a manhole category and POIs."""

import pytest
from django.utils import translation

import tests.operations.conftest as ops
from tests.territory.builders import find, poi, poi_collection
from yiwang.core.actor import Actor

IN_R1 = (121.404, 31.203)  # inside 幸福小区 (R1), grid G1a, outside the metro station M1
IN_G2A = ops.IN_G2A
OUTSIDE = ops.OUTSIDE
SCHOOL = (121.425, 31.205)  # 向阳小学, in G2a


@pytest.fixture(autouse=True)
def _fresh_caches():
    from yiwang.operations.web import places
    from yiwang.territory import services

    services.invalidate()
    places.forget()
    yield
    services.invalidate()
    places.forget()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the catalogues translate them to Chinese for people)."""
    with translation.override("en"):
        yield


def named_territory(original):
    def build(**extra):
        data = original(**extra)
        find(data, "R1")["properties"]["name"] = "幸福小区"
        find(data, "M1")["properties"]["name"] = "人民广场站"
        find(data, "P1")["properties"]["name"] = "幸福公园"
        find(data, "S1")["properties"]["name"] = "东城街道"
        find(data, "G1a")["properties"]["name"] = "东城一网格"
        return data

    return build


def build_world(monkeypatch):
    from yiwang.operations.models import Category, Pillar
    from yiwang.territory.actions import import_pois

    monkeypatch.setattr(ops, "small_territory", named_territory(ops.small_territory))
    w = ops.build_world()
    import_pois(
        Actor.system(),
        poi_collection(
            poi("SCH1", "school", *SCHOOL, name="向阳小学"),
            poi("CAM1", "camera", 121.426, 31.206, name="向阳摄像头"),
        ),
    )
    w.municipal = Category.objects.create(
        code="MUNI", name="市政设施", name_en="Municipal facilities", pillar=Pillar.CONSTRUCTION
    )
    w.manhole = Category.objects.create(
        code="MUNI-MANHOLE",
        name="井盖",
        name_en="Manhole cover",
        parent=w.municipal,
        keywords="窨井, manhole cover",
        public=True,
        duplicate_radius_m=50,
        duplicate_window_hours=72,
    )
    w.manhole.departments.add(w.urban)
    w.price = Category.objects.create(
        code="MKT-PRICE", name="价格欺诈", name_en="Price fraud", parent=w.shops, pillar=Pillar.MARKET
    )
    return w


@pytest.fixture
def world(db, monkeypatch):
    return build_world(monkeypatch)
