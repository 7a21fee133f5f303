"""The post-flood report on a known data set: alerts by level, cases opened/closed, response times and hot
spots — the same figures on the page, in the CSV and from ``yiwang flood report``."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command

from tests.factories import login_as
from tests.operations.conftest import IN_G2A, report
from tests.sensing_flood.conftest import T0, raise_alert
from yiwang.operations.models import Case
from yiwang.sensing.alerts.models import Alert
from yiwang.sensing.flood.report import Period, build_report

pytestmark = pytest.mark.django_db
PERIOD = Period(T0 - timedelta(days=1), T0 + timedelta(days=2))


def minutes(m):
    return T0 + timedelta(minutes=m)


@pytest.fixture
def history(world, gauge, rule):
    from yiwang.sensing.models import Device

    gauge2 = Device.objects.create(
        code="wl-002", name="Market gauge", type=gauge.type, lon=IN_G2A[0], lat=IN_G2A[1],
        key_hash="1" * 64, mqtt_password_hash="x", subdistrict_code="S2", grid_code="G2a",
    )  # fmt: skip
    a1 = raise_alert(rule, gauge, "red", minutes(0))
    Case.objects.filter(pk=a1.case_id).update(created_at=minutes(10), handled_at=minutes(70))
    a2 = raise_alert(rule, gauge2, "yellow", minutes(60))
    Case.objects.filter(pk=a2.case_id).update(created_at=minutes(90))
    long_ago = T0 - timedelta(days=40)  # outside the period
    Alert.objects.create(device=gauge2, rule=rule, condition="water-level", level="blue", state="cleared",
                         raised_at=long_ago, updated_at=long_ago, cleared_at=long_ago)  # fmt: skip
    flood = report(world, category=world.flood, at=IN_G2A, channel="hotline")
    Case.objects.filter(pk=flood.pk).update(created_at=minutes(120), status="closed", closed_at=minutes(300))
    garbage = report(world)  # not a flood case
    Case.objects.filter(pk=garbage.pk).update(created_at=minutes(130))
    return world


def test_report_figures_on_a_known_data_set(history):
    r = build_report(PERIOD)
    assert r["alerts"] == {"total": 2, "by_level": {"blue": 0, "yellow": 1, "orange": 0, "red": 1}}
    assert r["cases"] == {"opened": 3, "closed": 1}
    assert r["response"]["alert_to_case"] == {"count": 2, "median_min": 20.0, "p90_min": 30.0}
    assert r["response"]["case_to_handled"] == {"count": 1, "median_min": 60.0, "p90_min": 60.0}
    assert [(s["grid"], s["alerts"], s["cases"], s["subdistrict"]) for s in r["hot_spots"]] == [
        ("G2a", 1, 2, "S2"),
        ("G1a", 1, 1, "S1"),
    ]


def test_the_page_the_csv_and_the_command_agree(history, client):
    login_as(client, history.leader)
    first, last = PERIOD.start.date(), (PERIOD.end - timedelta(days=1)).date()
    query = f"start={first}&end={last}"
    page = client.get(f"/flood/report/?{query}").content.decode()
    assert '<tr data-code="G2a"><td>单元G2a</td><td>单元S2</td><td>1</td><td>2</td></tr>' in page
    response = client.get(f"/flood/report.csv?{query}")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["alerts", "level red", "1", ""] in rows
    assert ["response", "alert_to_case median (min)", "20.0", ""] in rows
    assert ["hot spot", "1. G2a 单元G2a (单元S2)", "3", "alerts 1, cases 2"] in rows
    out = io.StringIO()
    call_command("flood", "report", "--from", str(first), "--to", str(last), stdout=out)
    assert json.loads(out.getvalue())["alerts"] == build_report(PERIOD)["alerts"]


def test_a_bad_period_is_refused(world, client):
    login_as(client, world.ops)
    response = client.get("/flood/report.csv?start=2026-07-05&end=2026-07-01")
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    assert client.get("/flood/report/?start=not-a-date").status_code == 400


def test_an_events_report_runs_from_its_warning_to_a_day_after_it_ended(history, client, tmp_path):
    from yiwang.core.actor import Actor
    from yiwang.sensing.flood.actions import enter_warning
    from yiwang.sensing.flood.report import event_period

    warning = enter_warning(Actor(user=history.ops), kind="rainstorm", level="red", source="office",
                            issued_at=minutes(-30).isoformat(), valid_to=minutes(45).isoformat())  # fmt: skip
    period = event_period(warning)
    assert (period.start, period.end) == (minutes(-30), minutes(45) + timedelta(hours=24))
    r = build_report(period)
    assert r["alerts"]["total"] == 2 and r["cases"]["opened"] == 3
    assert [w["level"] for w in r["warnings"]] == ["red"]
    login_as(client, history.ops)
    page = client.get(f"/flood/report/?warning={warning.pk}&start=2020-01-01").content.decode()
    assert '<tr><th scope="row">total</th><td>2</td></tr>' in page
    out = io.StringIO()
    call_command("flood", "report", "--warning", str(warning.pk), "--format", "csv", stdout=out)
    assert ["alerts", "total", "2", ""] in list(csv.reader(io.StringIO(out.getvalue())))


def test_the_command_imports_warnings_or_lists_every_problem(world, tmp_path, capsys):
    from django.core.management.base import CommandError

    from yiwang.sensing.flood.models import WeatherWarning

    bad = tmp_path / "bad.csv"
    bad.write_text("kind,level,issued_at,source\nrainstorm,pink,2026-07-01T08:00Z,office\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"The warnings were not imported: 1 problem\(s\)."):
        call_command("flood", "import-warnings", str(bad))
    assert "row 1: level “pink” is not one of blue, yellow, orange, red" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{"kind": "台风", "level": "黄色", "issued_at": "2026-07-01T08:00Z", "source": "CMA"}]))
    out = io.StringIO()
    call_command("flood", "import-warnings", str(good), stdout=out)
    assert json.loads(out.getvalue()) == {"created": 1, "unchanged": 0}
    assert WeatherWarning.objects.get().kind == "typhoon"
