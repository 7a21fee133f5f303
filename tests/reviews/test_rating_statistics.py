"""Statistics from a known set of ratings: per level, satisfaction rate, bad reviews, timeliness, periods."""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import make_user
from tests.reviews.helpers import handler_of, make_dept, open_for, rate_by_token
from yiwang.core.actor import Actor
from yiwang.core.roles import Role
from yiwang.reviews import actions, queries
from yiwang.reviews.models import Rectification

SH = ZoneInfo("Asia/Shanghai")
IN_PERIOD = datetime(2025, 3, 12, 10, 0, tzinfo=SH)
BEFORE = datetime(2025, 2, 20, 10, 0, tzinfo=SH)

# (department, network, window, clerk, item, level, when)
RATINGS = [
    ("A", "services", "W1", "c1", "I1", 5, IN_PERIOD),
    ("A", "services", "W1", "c1", "I1", 5, IN_PERIOD),
    ("A", "services", "W1", "c2", "I1", 4, IN_PERIOD),
    ("A", "services", "W2", "c2", "I2", 1, IN_PERIOD),
    ("B", "operations", "", None, "", 3, IN_PERIOD),
    ("B", "operations", "", None, "", 2, IN_PERIOD),
    ("B", "operations", "", None, "", 5, IN_PERIOD),
    ("A", "services", "W1", "c1", "I1", 1, BEFORE),  # outside the period
]


@pytest.fixture
def known_set(db, monkeypatch):
    depts = {"A": make_dept(name="Dept A"), "B": make_dept(name="Dept B")}
    clerks = {"c1": make_user(Role.WINDOW_CLERK), "c2": make_user(Role.WINDOW_CLERK)}
    for dept, network, window, clerk, item, level, when in RATINGS:
        monkeypatch.setattr(timezone, "now", lambda when=when: when)
        opportunity = open_for(
            depts[dept],
            network=network,
            window_code=window,
            clerk=clerks.get(clerk),
            item_code=item,
            expires_in_days=None,
        )
        rate_by_token(opportunity, level)
    monkeypatch.undo()
    return depts, clerks


def _expected(index, *, period_only=True):
    levels = defaultdict(Counter)
    for row in RATINGS:
        if period_only and row[6] != IN_PERIOD:
            continue
        levels[row[index]][row[5]] += 1
    return levels


PERIOD = {"since": date(2025, 3, 1), "until": date(2025, 4, 1)}


@pytest.mark.django_db
@pytest.mark.parametrize("by, index", [("department", 0), ("network", 1), ("window", 2), ("item", 4)])
def test_counts_per_level_satisfaction_and_bad_reviews_by_dimension(known_set, by, index):
    depts, _ = known_set
    expected = _expected(index)
    rows = {row.key: row for row in queries.rating_stats(by=by, **PERIOD)}
    if by == "department":
        rows = {name: rows[depts[name].pk] for name in depts}
        assert rows["A"].label == "Dept A"
    assert set(rows) == set(expected)
    for key, counter in expected.items():
        row = rows[key]
        total = sum(counter.values())
        bad = counter[1] + counter[2]
        assert row.levels == {lvl: counter[lvl] for lvl in (5, 4, 3, 2, 1)}
        assert (row.total, row.bad, row.good) == (total, bad, total - bad)
        assert row.satisfaction_rate == pytest.approx((total - bad) / total)


@pytest.mark.django_db
def test_clerk_statistics_and_the_overall_row_across_both_networks(known_set):
    _, clerks = known_set
    by_clerk = {row.key: row for row in queries.rating_stats(by="clerk", **PERIOD)}
    assert by_clerk[clerks["c1"].pk].levels[5] == 2 and by_clerk[clerks["c1"].pk].total == 2
    assert by_clerk[clerks["c2"].pk].bad == 1
    [overall] = queries.rating_stats(**PERIOD)
    in_period = [r for r in RATINGS if r[6] == IN_PERIOD]
    assert overall.total == len(in_period)
    assert overall.bad == sum(1 for r in in_period if r[5] <= 2)
    [everything] = queries.rating_stats()
    assert everything.total == len(RATINGS)
    [services] = queries.rating_stats(network="services", **PERIOD)
    assert services.total == sum(1 for r in in_period if r[1] == "services")


@pytest.mark.django_db
def test_period_bounds_are_inclusive_since_and_exclusive_until(known_set):
    [day] = queries.rating_stats(since=date(2025, 3, 12), until=date(2025, 3, 13))
    [none] = queries.rating_stats(since=date(2025, 3, 13))
    assert day.total == sum(1 for r in RATINGS if r[6] == IN_PERIOD)
    assert none.total == 0 and none.satisfaction_rate is None


@pytest.mark.django_db
def test_rectifications_on_time_share(known_set):
    depts, _ = known_set
    now = timezone.now()
    actor = Actor(user=handler_of(depts["A"]))
    # Dept A has two bad ratings (one in the period, one before): close one on time and one late
    a_items = list(Rectification.objects.filter(org_unit=depts["A"]).order_by("opened_at"))
    late, on_time = a_items
    for rect, due in ((late, now - timedelta(days=1)), (on_time, now + timedelta(days=1))):
        Rectification.objects.filter(pk=rect.pk).update(due_at=due)
        rect.refresh_from_db()
        actions.contact_resident(actor, rect, method="phone", outcome="reached")
        actions.close_rectification(actor, rect, action_taken="done", resident_response="ok")
    # Dept B: one open past its deadline, and one more opened now that is not yet due (pending)
    [b_open] = Rectification.objects.filter(org_unit=depts["B"])
    Rectification.objects.filter(pk=b_open.pk).update(due_at=now - timedelta(hours=1))
    rate_by_token(open_for(depts["B"], network="operations"), 1)

    rows = {row.key: row for row in queries.rectification_timeliness(by="department", now=now)}
    a, b = rows[depts["A"].pk], rows[depts["B"].pk]
    assert (a.total, a.closed, a.closed_on_time, a.closed_late, a.pending) == (2, 2, 1, 1, 0)
    assert a.on_time_rate == pytest.approx(0.5)
    assert (b.total, b.open_overdue, b.pending, b.on_time_rate) == (2, 1, 1, 0.0)
    [overall] = queries.rectification_timeliness(by=None, now=now)
    assert overall.on_time_rate == pytest.approx(1 / 3)
    [march] = queries.rectification_timeliness(by=None, now=now, **PERIOD)
    assert march.total == 2  # the February one and today's are outside March


@pytest.mark.django_db
def test_the_statistics_page_shows_the_figures_to_staff_only(known_set, client):
    from tests.factories import login_as

    login_as(client, make_user(Role.RESIDENT))
    assert client.get("/reviews/stats/").status_code == 403
    login_as(client, make_user(Role.OPERATIONS_CENTRE))
    html = client.get(
        "/reviews/stats/", {"since": "2025-03-01", "until": "2025-04-01", "by": "window"}
    ).content.decode()
    in_period = [r for r in RATINGS if r[6] == IN_PERIOD]
    bad = sum(1 for r in in_period if r[5] <= 2)
    assert f'id="overall-total">{len(in_period)}<' in html
    assert f'id="overall-bad">{bad}<' in html
    assert f'id="overall-rate">{round(100 * (len(in_period) - bad) / len(in_period))}%<' in html
    assert ">W2<" in html


@pytest.mark.django_db
def test_both_networks_side_by_side_by_department(known_set):
    depts, _clerks = known_set
    rows = {row.key: row for row in queries.side_by_side(by="department", **PERIOD)}
    a, b = rows[depts["A"].pk], rows[depts["B"].pk]
    assert (a.services.total, a.operations.total, a.services.bad) == (4, 0, 1)
    assert (b.operations.total, b.services.total, b.operations.bad) == (3, 0, 1)
    assert a.label == "Dept A" and list(rows) == [depts["A"].pk, depts["B"].pk]  # most rated first


@pytest.mark.django_db
def test_the_page_shows_both_networks_and_exports_csv(known_set, client):
    import csv
    import io

    from tests.factories import login_as

    login_as(client, make_user(Role.LEADER))
    html = client.get("/reviews/stats/", {"since": "2025-03-01", "until": "2025-04-01"}).content.decode()
    assert 'id="networks-summary"' in html and 'id="side-by-side"' in html
    summary = html[html.index('class="network-services"') : html.index("</tr>", html.index('class="network-services"'))]
    assert "<td>4</td>" in summary and "75%" in summary
    assert "format=csv" in html and "table=rectifications" in html
    response = client.get("/reviews/stats/", {"since": "2025-03-01", "until": "2025-04-01", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    by = {(r["group"], r["network"]): r for r in rows}
    a_services = by[("Dept A", "services")]
    assert (a_services["total"], a_services["level_5"], a_services["level_1"], a_services["bad"]) == (
        "4",
        "2",
        "1",
        "1",
    )
    assert a_services["satisfaction_rate"] == "0.7500"
    assert by[("Dept A", "operations")]["total"] == "0" and by[("Dept B", "operations")]["total"] == "3"
    items = client.get("/reviews/stats/", {"by": "item", "format": "csv", **{k: str(v) for k, v in PERIOD.items()}})
    assert {r["key"] for r in csv.DictReader(io.StringIO(items.content.decode().lstrip("\ufeff")))} >= {"I1", "I2"}
    rect = client.get("/reviews/stats/", {"format": "csv", "table": "rectifications"}).content.decode()
    assert rect.lstrip("\ufeff").startswith("dimension,key,group,opened,closed_on_time")
    login_as(client, make_user(Role.RESIDENT))
    assert client.get("/reviews/stats/", {"format": "csv"}).status_code == 403
