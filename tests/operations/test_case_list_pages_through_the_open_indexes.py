"""The dispatcher's list over open cases walks a covering index in deadline order (no sort), any page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.operations.conftest import IN_G1A, IN_G2A, advance, report
from yiwang.operations.queries import case_list, filter_cases
from yiwang.operations.queries.cases import SORTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world):
    """A few hundred cases, most of them closed, written through the history action (which analyses)."""
    from yiwang.core.actor import Actor
    from yiwang.operations.actions import HistoryCase, seed_history

    base = timezone.now() - timedelta(days=60)
    specs = []
    for i in range(400):
        at = base + timedelta(hours=i)
        done = i % 5 != 0
        specs.append(
            HistoryCase(
                category_id=world.garbage.pk, channel="hotline", discovery="passive", lon=121.406, lat=31.206,
                reported_at=at, registered_at=at + timedelta(hours=1), dispatched_at=at + timedelta(hours=2),
                handled_at=at + timedelta(hours=20) if done else None,
                closed_at=at + timedelta(hours=22) if done else None,
                department_id=world.urban.pk, district_code="D1", subdistrict_code="S1" if i % 2 else "S2",
                grid_code="G1a" if i % 2 else "G2a",
            )
        )  # fmt: skip
    seed_history(Actor.system(), specs, history=False)
    return world


@pytest.mark.parametrize(
    "filters",
    [{"open_only": True}, {"open_only": True, "overdue": True}, {"open_only": True, "unit": "S1"}],
    ids=["open", "open+overdue", "open+subdistrict"],
)
def test_sqlite_uses_a_partial_index_of_open_cases_without_sorting(many, filters):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL proves the partial index condition itself")
    plan = filter_cases(**filters).order_by(*SORTS["due"]).values_list("id", flat=True)[50:100].explain()
    assert "case_open_" in plan and "TEMP B-TREE" not in plan, plan


def test_sqlite_uses_the_subdistrict_and_category_index(many):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan")
    qs = filter_cases(open_only=True, unit="S1", category=many.garbage.pk, overdue=True)
    plan = qs.order_by(*SORTS["due"]).values_list("id", flat=True)[:50].explain()
    assert "case_open_sub_cat_due" in plan and "TEMP B-TREE" not in plan, plan


def test_pages_by_ids_match_the_plain_ordering_and_the_count(world):
    made = [advance(world, report(world, at=IN_G1A if i % 3 else IN_G2A), "registered") for i in range(7)]
    made += [report(world) for _ in range(2)]  # reported: no deadline yet, listed last
    expected = list(filter_cases(open_only=True).order_by(*SORTS["due"]).values_list("id", flat=True))
    pages = [case_list(open_only=True, page=p, page_size=4) for p in (1, 2, 3)]
    assert [c.pk for p in pages for c in p.items] == expected
    assert {p.total for p in pages} == {9} and pages[0].pages == 3
    assert case_list(open_only=True, page=4, page_size=4).items == []
    assert all(c.category_id == world.garbage.pk for c in pages[0].items)
    assert timezone.is_aware(pages[0].items[0].due_at)
