"""The queue's area column names the subdistrict and grid (the code as a title), from one query per page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.operations_web.staff_world import IN_G2A, case_in, client_for


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def area_cells(response) -> list[str]:
    return re.findall(r'<td class="area">(.*?)</td>', response.content.decode())


def test_the_area_shows_names_with_the_codes_as_titles(world):
    case_in(world, "registered")
    response = client_for(world.ops).get("/ops/queue/")
    assert area_cells(response) == ['<span title="S1">单元S1</span> › <span title="G1a">单元G1a</span>']


def test_the_query_count_does_not_grow_with_the_rows(world):
    client = client_for(world.ops)
    case_in(world, "registered")
    client.get("/ops/queue/")  # warm the per-process caches (categories, territory index)
    with CaptureQueriesContext(connection) as one:
        assert len(area_cells(client.get("/ops/queue/"))) == 1
    for _ in range(3):
        case_in(world, "registered")
        case_in(world, "registered", at=IN_G2A)
    with CaptureQueriesContext(connection) as seven:
        cells = area_cells(client.get("/ops/queue/"))
    assert len(cells) == 7 and any("单元S2" in cell for cell in cells)
    assert len(seven.captured_queries) == len(one.captured_queries)
