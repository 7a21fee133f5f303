"""The dispatcher's queue: filters (status, category, unit at any level, overdue), deadline order, paging, scope."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.operations_web.staff_world import IN_G1A, IN_G2A, case_in, client_for, report
from yiwang.operations.models import Case


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def codes(response) -> list[str]:
    return re.findall(r'<tr data-code="([^"]+)"', response.content.decode())


def total(response) -> int:
    return int(re.search(r'id="queue-count" data-total="(\d+)"', response.content.decode()).group(1))


def test_status_category_unit_and_overdue_filters(world):
    registered = case_in(world, "registered")
    dispatched = case_in(world, "dispatched")
    market = case_in(world, "registered", category=world.unlicensed)
    elsewhere = case_in(world, "registered", at=IN_G2A)
    late = case_in(world, "registered")
    Case.objects.filter(pk=late.pk).update(overdue=True)
    ops = client_for(world.ops)

    assert set(codes(ops.get("/ops/queue/", {"status": "registered"}))) == {
        registered.code,
        market.code,
        elsewhere.code,
        late.code,
    }
    assert codes(ops.get("/ops/queue/", {"status": "dispatched"})) == [dispatched.code]
    # a top-level category includes its sub-categories
    assert codes(ops.get("/ops/queue/", {"category": world.shops.pk})) == [market.code]
    # a unit of any level: subdistrict, grid, level-4 residential area
    assert codes(ops.get("/ops/queue/", {"unit": "S2"})) == [elsewhere.code]
    assert elsewhere.code not in codes(ops.get("/ops/queue/", {"unit": "G1a"}))
    assert registered.code in codes(ops.get("/ops/queue/", {"unit": "R1"}))
    assert elsewhere.code not in codes(ops.get("/ops/queue/", {"unit": "R1"}))
    assert codes(ops.get("/ops/queue/", {"overdue": "on"})) == [late.code]


def test_sorted_by_deadline_and_paged_with_the_total(world):
    cases = [case_in(world, "registered") for _ in range(27)]
    base = timezone.now() + timedelta(days=1)
    # deadlines in reverse order of creation
    for i, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(due_at=base - timedelta(minutes=i))
    expected = [c.code for c in reversed(cases)]
    client = client_for(world.dispatcher)
    first = client.get("/ops/queue/")
    second = client.get("/ops/queue/", {"page": 2})
    assert total(first) == 27 and total(second) == 27
    assert codes(first) == expected[:25]
    assert codes(second) == expected[25:]
    assert 'rel="next"' in first.content.decode() and 'rel="next"' not in second.content.decode()


def test_a_dispatcher_sees_only_their_subdistrict(world):
    mine = case_in(world, "registered")
    other = case_in(world, "registered", at=IN_G2A)
    assert codes(client_for(world.dispatcher).get("/ops/queue/")) == [mine.code]
    assert codes(client_for(world.dispatcher_s2).get("/ops/queue/")) == [other.code]


def test_an_unknown_filter_value_is_refused_with_a_message(world):
    response = client_for(world.ops).get("/ops/queue/", {"status": "nonsense", "unit": "NOWHERE"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body


def test_the_map_data_holds_the_filtered_cases_without_personal_data(world):
    here = report(world, at=IN_G1A)
    there = report(world, at=IN_G2A)
    data = client_for(world.ops).get("/ops/map/cases.geojson", {"unit": "S1"}).json()
    assert [f["properties"]["code"] for f in data["features"]] == [here.code]
    assert there.code not in str(data)
    assert "13912345678" not in str(data) and "李四" not in str(data)
    assert client_for(world.ops).get("/ops/map/", {"unit": "S1"}).status_code == 200
