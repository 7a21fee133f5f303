"""Each test starts with empty per-process territory caches (the database is rolled back between tests)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_territory_caches():
    from yiwang.territory import queries, services

    services.invalidate()
    queries.invalidate_pois()
    yield
    services.invalidate()
    queries.invalidate_pois()
