"""Statistics on a known data set: counts by channel, status, category, unit; on time; handling time; satisfaction."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.operations_web.staff_world import IN_G2A, case_in, client_for
from yiwang.core.workcal.models import Clock
from yiwang.operations.models import Case, Category
from yiwang.operations.web.stats_queries import Period, build_table, nearest_rank, performance


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def took(case, hours: float, *, late: bool = False):
    """Pretend the case was handled ``hours`` after dispatch; ``late``: after its handling deadline."""
    dispatched = timezone.now() - timedelta(days=2)
    handled = dispatched + timedelta(hours=hours)
    Case.objects.filter(pk=case.pk).update(dispatched_at=dispatched, handled_at=handled)
    due = handled - timedelta(minutes=1) if late else handled + timedelta(days=1)
    Clock.objects.filter(subject_type="operations.case", subject_id=str(case.pk), kind="handle").update(due_at=due)


def rate(case, level: int):
    from yiwang.reviews.actions import rate as give
    from yiwang.reviews.models import RatingOpportunity

    opportunity = RatingOpportunity.objects.get(subject_type="operations.case", subject_id=str(case.pk))
    give(opportunity.token, opportunity, level)


@pytest.fixture
def data(world):
    from tests.operations_web.staff_world import report

    Category.objects.filter(pk=world.garbage.pk).update(bad_rating_policy="rectify")
    world.garbage.refresh_from_db()
    c1 = case_in(world, "closed")  # S1, hotline, 2 h, on time, rated 5
    c2 = case_in(world, "closed")  # S1, hotline, 4 h, late, rated 2 (bad)
    c3 = report(world, world.grid_worker, channel="grid_patrol", discovery="active")
    from tests.operations.conftest import advance

    c3 = advance(world, c3, "dispatched")  # S1, open, past its deadline
    c4 = case_in(world, "registered", category=world.unlicensed, at=IN_G2A)  # S2, not yet due
    c5 = case_in(world, "handled", at=IN_G2A)  # S2, 10 h, on time
    took(c1, 2)
    took(c2, 4, late=True)
    took(c5, 10)
    Case.objects.filter(pk=c3.pk).update(due_at=timezone.now() - timedelta(hours=1))
    rate(c1, 5)
    rate(c2, 2)
    return c1, c2, c3, c4, c5


def rows(table) -> dict:
    return {row[0]: row[1] for row in table.rows}


def test_counts_by_channel_status_category_and_unit(world, data):
    period = Period(since=timezone.localdate() - timedelta(days=1), until=timezone.localdate())
    ops = world.ops
    assert rows(build_table("channel", ops, period)) == {"12345 hotline 12345热线": 4, "Grid patrol 网格巡查": 1}
    status = rows(build_table("status", ops, period))
    assert status == {"Evaluated 已评价": 2, "Dispatched 已派遣": 1, "Registered 已立案": 1, "Handled 已处置": 1}
    assert rows(build_table("category", ops, period)) == {"市容环境 › 暴露垃圾": 4, "市场秩序 › 无证经营": 1}
    assert {k.split(" · ")[-1]: v for k, v in rows(build_table("subdistrict", ops, period)).items()} == {
        "S1": 3,
        "S2": 2,
    }
    assert {k.split(" · ")[-1]: v for k, v in rows(build_table("grid", ops, period)).items()} == {
        "G1a": 3,
        "G2a": 2,
    }
    # an area narrows every table; a dispatcher sees their own subdistrict only
    assert rows(build_table("channel", ops, Period(period.since, period.until, unit="S2"))) == {
        "12345 hotline 12345热线": 2
    }
    assert sum(rows(build_table("status", world.dispatcher, period)).values()) == 3


def test_on_time_rate_and_handling_time(world, data):
    period = Period(since=timezone.localdate() - timedelta(days=1), until=timezone.localdate())
    total, by_sub = performance(world.ops, period)
    assert (total.cases, total.handled, total.on_time, total.open_overdue) == (5, 3, 2, 1)
    assert total.on_time_rate == pytest.approx(2 / 4)  # c4 is not yet due: not counted
    assert total.median_hours == pytest.approx(4)
    assert total.p90_hours == pytest.approx(10)
    s1 = next(p for p in by_sub if p.label.endswith("S1"))
    assert (s1.handled, s1.on_time, s1.open_overdue, s1.late) == (2, 1, 1, 2)
    table = build_table("performance", world.ops, period)
    assert table.rows[-1][5] == "50.0%"


def test_satisfaction_from_the_ratings(world, data):
    period = Period(since=timezone.localdate(), until=timezone.localdate())
    table = build_table("satisfaction", world.ops, period)
    assert table.summary == {"total": 2, "good": 1, "rate": 0.5}
    # the S2 area has no rated case
    assert build_table("satisfaction", world.ops, Period(period.since, period.until, unit="S2")).summary["total"] == 0
    # a period before the ratings has none
    yesterday = timezone.localdate() - timedelta(days=1)
    assert build_table("satisfaction", world.ops, Period(yesterday, yesterday)).summary["total"] == 0


def test_the_page_shows_the_figures_with_accessible_svg_charts(world, data):
    response = client_for(world.ops).get("/ops/stats/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="kpi-on-time">50.0%' in body
    assert 'id="kpi-median">4.0' in body and 'id="kpi-p90">10.0' in body
    assert 'id="kpi-satisfaction">50.0%' in body
    for key in ("channel", "status", "category", "subdistrict", "grid", "satisfaction"):
        assert f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" id="chart-{key}"' in body
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in body
        assert f'<title id="chart-{key}-title">' in body and f'<desc id="chart-{key}-desc">' in body
        assert f'href="/ops/stats/{key}.csv?' in body


def test_labels_in_charts_are_escaped(world):
    from yiwang.operations.web.stats_charts import bar_chart

    svg = bar_chart([("<script>alert(1)</script>", 3)], chart_id="x", title="<b>t</b>", desc="d & e")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<title id="x-title">&lt;b&gt;t&lt;/b&gt;</title>' in svg and "d &amp; e" in svg


def test_an_inverted_period_is_refused_with_a_message(world):
    response = client_for(world.ops).get("/ops/stats/", {"since": "2026-03-02", "until": "2026-03-01"})
    assert response.status_code == 400
    assert "“To” must not be before “From”." in response.content.decode()


def test_nearest_rank_percentile():
    assert nearest_rank(list(range(1, 11)), 0.9) == 9
    assert nearest_rank([5.0], 0.9) == 5.0
    assert nearest_rank([], 0.9) is None


def test_residents_and_grid_workers_do_not_see_statistics(world):
    assert client_for(world.resident).get("/ops/stats/").status_code == 403
    assert client_for(world.grid_worker).get("/ops/stats/").status_code == 403


def test_the_form_shows_the_default_period(world):
    body = client_for(world.ops).get("/ops/stats/").content.decode()
    today = timezone.localdate()
    assert f'name="until" value="{today.isoformat()}"' in body
    assert f'name="since" value="{(today - timedelta(days=29)).isoformat()}"' in body
