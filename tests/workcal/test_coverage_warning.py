"""Administrators are warned from 60 days before the work calendar's coverage ends: banner and in-app message."""

import sys
from datetime import date

import pytest

from tests.factories import login_as, make_user
from tests.workcal.conftest import local
from yiwang.core.actor import Actor
from yiwang.core.roles import Role
from yiwang.core.workcal.actions import publish_calendar_year, save_calendar_year, start_clock
from yiwang.core.workcal.jobs import coverage_check
from yiwang.core.workcal.services import coverage_warning

pytestmark = pytest.mark.django_db


def publish_2027():
    row = save_calendar_year(Actor.system(), year=2027, holidays="2027-01-01")
    publish_calendar_year(Actor.system(), row)


@pytest.mark.parametrize(
    "today,warned",
    [(date(2026, 10, 1), False), (date(2026, 10, 31), False), (date(2026, 11, 1), True), (date(2026, 12, 31), True)],
)
def test_warning_starts_sixty_days_before_coverage_ends(today, warned):
    message = coverage_warning(today)
    assert (message is not None) == warned
    if warned:
        assert "2026-12-31" in message and "2027" in message


def test_warning_days_come_from_settings(settings):
    settings.WORKCAL = {**settings.WORKCAL, "COVERAGE_WARNING_DAYS": 10}
    assert coverage_warning(date(2026, 12, 20)) is None
    assert coverage_warning(date(2026, 12, 21)) is not None


def test_an_uncovered_current_year_is_always_warned_about():
    message = coverage_warning(date(2027, 2, 1))
    assert message is not None and "2027" in message and "provisional" in message


def test_publishing_the_next_year_silences_the_warning():
    publish_2027()
    assert coverage_warning(date(2026, 11, 28)) is None
    assert "2027-12-31" in coverage_warning(date(2027, 11, 28))


def test_daily_check_notifies_every_system_administrator_in_app():
    from yiwang.core.notify.models import Notification

    admins = [make_user(Role.SYSTEM_ADMIN), make_user(Role.SYSTEM_ADMIN)]
    make_user(Role.DISPATCHER)
    assert coverage_check(date(2026, 11, 28)) == "warned 2 administrators"
    sent = Notification.objects.filter(channel="inapp")
    assert sorted(sent.values_list("recipient_id", flat=True)) == sorted(a.pk for a in admins)
    assert all("2026-12-31" in n.body for n in sent)
    assert coverage_check(date(2026, 6, 1)) == "covered"
    assert sent.count() == 2


def test_daily_check_only_logs_when_the_notify_service_is_absent(monkeypatch, caplog):
    make_user(Role.SYSTEM_ADMIN)
    monkeypatch.setitem(sys.modules, "yiwang.core.notify.services", None)  # import now raises ImportError
    assert coverage_check(date(2026, 11, 28)) == "warned in the log"
    assert "notify service not available" in caplog.text


def test_admin_pages_show_the_warning_banner(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 28))
    admin = make_user(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    login_as(client, admin)
    page = client.get("/admin/").content.decode()
    assert "2026-12-31" in page and "messagelist" in page
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 6, 1))
    assert "2026-12-31" not in client.get("/admin/").content.decode()


def test_admin_clock_list_marks_provisional_deadlines(client):
    admin = make_user(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    start_clock(Actor.system(), ("tests.thing", "prov"), "handle", "wd", 5, started_at=local(2026, 12, 28, 10))
    start_clock(Actor.system(), ("tests.thing", "firm"), "handle", "wd", 2, started_at=local(2026, 12, 28, 10))
    login_as(client, admin)
    page = client.get("/admin/workcal/clock/").content.decode()
    assert "2027-01-04 17:30 (provisional 暂定)" in page
    assert "2026-12-30 17:30 (" not in page and "2026-12-30 17:30" in page
    assert "icon-yes" in page and "icon-no" in page  # the provisional column


def test_admin_publish_action_recomputes_clocks(client):
    admin = make_user(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    clock = start_clock(Actor.system(), ("tests.thing", "1"), "handle", "wd", 5, started_at=local(2026, 12, 28, 10))
    login_as(client, admin)
    response = client.post(
        "/admin/workcal/calendaryear/add/",
        {"year": "2027", "holidays": "2027-01-01", "workdays": "", "note": "State Council notice"},
    )
    assert response.status_code == 302
    from yiwang.core.workcal.models import CalendarYear

    row = CalendarYear.objects.get(year=2027)
    assert row.published is False
    response = client.post(
        "/admin/workcal/calendaryear/", {"action": "publish", "_selected_action": [row.pk]}, follow=True
    )
    assert response.status_code == 200
    clock.refresh_from_db()
    assert clock.provisional is False and clock.due_at == local(2027, 1, 5, 17, 30)


def test_admin_form_refuses_a_weekday_as_adjusted_working_day(client):
    admin = make_user(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    login_as(client, admin)
    response = client.post("/admin/workcal/calendaryear/add/", {"year": "2027", "workdays": "2027-02-10"})
    assert response.status_code == 200
    assert "2027-02-10" in response.content.decode()
    from yiwang.core.workcal.models import CalendarYear

    assert not CalendarYear.objects.exists()
