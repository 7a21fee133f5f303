"""The dispatcher's list: filters (status, category, unit at any level, overdue), deadline order, paging, counts."""

import pytest

from tests.operations.conftest import IN_G1A, IN_G2A, advance, report
from yiwang.operations.models import Case
from yiwang.operations.queries import case_list, counts_by, filter_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    a = advance(world, report(world, at=IN_G1A), "dispatched")
    b = advance(world, report(world, at=IN_G2A), "registered")
    c = report(world, world.grid_worker, at=IN_G1A, category=world.unlicensed, channel="grid_patrol", reporter=None)
    d = advance(world, report(world, at=IN_G1A, category=world.flood), "dispatched")
    return a, b, c, d


def codes(page):
    return [c.code for c in page.items]


def test_filters_by_status_category_and_unit_of_any_level(world, cases):
    a, b, c, d = cases
    assert set(codes(case_list(status="dispatched"))) == {a.code, d.code}
    assert set(codes(case_list(category=world.environment))) == {a.code, b.code}  # parent includes children
    assert set(codes(case_list(unit="S2"))) == {b.code}
    assert set(codes(case_list(unit="G1a"))) == {a.code, c.code, d.code}
    assert set(codes(case_list(unit="D1"))) == {a.code, b.code, c.code, d.code}
    assert set(codes(case_list(unit="R1"))) == {a.code, c.code, d.code}  # a level-4 residential area
    assert codes(case_list(unit="P1")) == []


def test_overdue_filter_and_deadline_order_with_undated_last(world, cases):
    a, b, c, d = cases
    Case.objects.filter(pk=a.pk).update(overdue=True)
    assert codes(case_list(overdue=True)) == [a.code]
    ordered = case_list(sort="due").items
    dated = [x for x in ordered if x.due_at is not None]
    assert [x.due_at for x in dated] == sorted(x.due_at for x in dated)
    assert ordered[-1].code == c.code  # no deadline yet: last
    assert ordered[0].code == d.code  # the emergency's calendar-hour deadline comes first


def test_paging_gives_the_total_and_each_case_once(world, cases):
    first = case_list(page=1, page_size=3)
    second = case_list(page=2, page_size=3)
    assert first.total == second.total == 4
    assert first.pages == 2 and first.has_next and not second.has_next
    assert sorted(codes(first) + codes(second)) == sorted(c.code for c in cases)


def test_counts_by_channel_status_category_and_subdistrict(world, cases):
    assert counts_by("channel") == {"hotline": 3, "grid_patrol": 1}
    assert counts_by("status") == {"dispatched": 2, "registered": 1, "reported": 1}
    assert counts_by("subdistrict") == {"S1": 3, "S2": 1}
    assert counts_by("pillar") == {"construction": 2, "market": 1, "public_safety": 1}
    assert counts_by("status", unit="S1") == {"dispatched": 2, "reported": 1}


def test_a_dispatcher_sees_only_the_cases_of_their_subdistrict(world, cases):
    a, b, c, d = cases
    assert set(filter_cases(viewer=world.dispatcher_s2).values_list("code", flat=True)) == {b.code}
    assert set(filter_cases(viewer=world.market_handler).values_list("code", flat=True)) == set()
    assert filter_cases(viewer=world.ops).count() == 4
    mine = report(world, world.resident, channel="photo_report", reporter=None)
    assert list(filter_cases(viewer=world.resident).values_list("code", flat=True)) == [mine.code]


# the status indexes, or the partial indexes of open cases (a single open status implies their condition)
STATUS_INDEXES = ("case_sub_status_due", "case_status_due", "case_open_sub_due", "case_open_sub_cat_due")


def test_the_list_uses_an_index_for_status_and_deadline(world, cases):
    from django.db import connection

    qs = filter_cases(status="dispatched", unit="S1").order_by("due_at", "id")
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert any(name in plan for name in STATUS_INDEXES), plan
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert any(name in plan for name in STATUS_INDEXES), plan
