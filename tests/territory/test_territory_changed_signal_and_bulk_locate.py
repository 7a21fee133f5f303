"""Other contexts hear about imports on commit; many points are located in one call."""

import pytest

from tests.territory.builders import poi, poi_collection, small_territory
from yiwang.core.actor import Actor
from yiwang.territory import services
from yiwang.territory.actions import ImportRefused, import_pois, import_territory

pytestmark = pytest.mark.django_db


def test_territory_changed_is_sent_on_commit_only(django_capture_on_commit_callbacks):
    heard = []

    def receiver(sender, units, pois, **kwargs):
        heard.append((units, pois))

    services.territory_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_territory(Actor.system(), small_territory())
        assert heard == [(True, False)]
        with django_capture_on_commit_callbacks(execute=True):
            import_pois(Actor.system(), poi_collection(poi("C", "camera", 121.41, 31.21)))
        assert heard[-1] == (False, True)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportRefused):
            import_pois(Actor.system(), poi_collection(poi("C", "nonsense", 121.41, 31.21)))
        assert len(heard) == 2
    finally:
        services.territory_changed.disconnect(receiver)


def test_locate_many_equals_locate_point_by_point():
    import_territory(Actor.system(), small_territory())
    points = [(121.401 + 0.0057 * i, 31.201 + 0.0039 * j) for i in range(10) for j in range(10)] + [(0.0, 0.0)]
    many = services.locate_many(points)
    assert [p.codes for p in many] == [services.locate(*pt).codes for pt in points]
    assert many[-1].outside
    assert {p.grid.code for p in many if not p.outside} == {"G1a", "G1b", "G2a", "G2b", "G3a", "G3b"}
