"""Every process notices another process's import through the revision counter, within the interval."""

import pytest

from tests.territory.builders import changed, small_territory
from yiwang.core.actor import Actor
from yiwang.territory import services
from yiwang.territory.actions import import_territory

pytestmark = pytest.mark.django_db


def import_elsewhere(monkeypatch, data):
    """An import as another worker would make it: with its own cache; this process's cache is not told."""
    with monkeypatch.context() as m:
        m.setattr(services, "_cache", services._Cache())
        import_territory(Actor.system(), data)


def test_stale_until_the_revision_is_checked_again(monkeypatch, settings):
    settings.TERRITORY = {**settings.TERRITORY, "REVISION_CHECK_SECONDS": 1.0}
    clock = [1000.0]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    data = small_territory()
    import_territory(Actor.system(), data)
    assert services.locate(121.43, 31.23).grid.name == "单元G2b"

    import_elsewhere(monkeypatch, changed(data, "G2b", name="新网格"))
    clock[0] += 0.5  # within the interval: the revision is not read again
    assert services.locate(121.43, 31.23).grid.name == "单元G2b"
    clock[0] += 0.6  # past it: the revision moved, the index is rebuilt
    assert services.locate(121.43, 31.23).grid.name == "新网格"


def test_an_import_in_this_process_is_seen_at_once(monkeypatch, settings):
    settings.TERRITORY = {**settings.TERRITORY, "REVISION_CHECK_SECONDS": 3600.0}
    data = small_territory()
    import_territory(Actor.system(), data)
    assert services.locate(121.43, 31.23).grid.name == "单元G2b"
    import_territory(Actor.system(), changed(data, "G2b", name="新网格"))
    assert services.locate(121.43, 31.23).grid.name == "新网格"


def test_the_revision_is_read_at_most_once_per_interval(monkeypatch, settings, django_assert_num_queries):
    settings.TERRITORY = {**settings.TERRITORY, "REVISION_CHECK_SECONDS": 1.0}
    clock = [50.0]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    import_territory(Actor.system(), small_territory())
    services.locate(121.43, 31.23)
    with django_assert_num_queries(0):
        for _ in range(100):
            services.locate(121.43, 31.23)
    clock[0] += 2
    with django_assert_num_queries(1):
        services.locate(121.43, 31.23)
