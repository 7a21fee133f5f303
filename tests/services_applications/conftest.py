"""Fixtures of the application tests: each test starts with an empty catalogue cache."""

import pytest

from yiwang.services.applications import lookups


@pytest.fixture(autouse=True)
def _fresh_catalogue_cache():
    lookups.invalidate()
    yield
    lookups.invalidate()
