"""A bad rating under the "rectify" policy opens a rectification due 5 working days later."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.reviews.helpers import handler_of, make_dept, open_for, rate_by_token
from yiwang.core.notify.models import Notification
from yiwang.core.workcal.models import Clock, ClockState
from yiwang.core.workcal.services import get_calendar
from yiwang.reviews import deadlines
from yiwang.reviews.models import Level, Rating, Rectification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _freeze(monkeypatch, instant):
    monkeypatch.setattr(timezone, "now", lambda: instant)


@pytest.mark.django_db
@pytest.mark.parametrize("level", [Level.DISSATISFIED, Level.VERY_DISSATISFIED])
def test_bad_rating_opens_a_rectification_for_the_responsible_department(level):
    dept = make_dept()
    handler = handler_of(dept)
    rating = rate_by_token(open_for(dept), level, "nobody answered my questions")
    rectification = Rectification.objects.get(rating=rating)
    assert rectification.org_unit == dept and rectification.state == "open"
    assert Rating.objects.get(pk=rating.pk).follow_up == Rating.FollowUp.RECTIFICATION
    assert Notification.objects.filter(recipient=handler, subject_id=str(rectification.pk)).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("level", [Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED])
def test_good_ratings_open_nothing(level):
    rating = rate_by_token(open_for(make_dept()), level)
    assert not rating.is_bad
    assert not Rectification.objects.exists()
    assert rating.follow_up == Rating.FollowUp.NONE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rated_local, due_local",
    [
        # an ordinary week: Monday morning → the following Monday, close of office
        (datetime(2025, 3, 3, 9, 0), datetime(2025, 3, 10, 17, 30)),
        # National Day: 1–8 October are holidays, Saturday 11 October is an adjusted working day
        (datetime(2025, 9, 30, 10, 0), datetime(2025, 10, 14, 17, 30)),
        # rated late on a Friday evening: counting starts from the next working day
        (datetime(2025, 6, 6, 22, 15), datetime(2025, 6, 13, 17, 30)),
    ],
)
def test_rectification_is_due_exactly_five_working_days_later(monkeypatch, rated_local, due_local):
    rated_at = rated_local.replace(tzinfo=SHANGHAI)
    _freeze(monkeypatch, rated_at)
    rating = rate_by_token(open_for(make_dept(), expires_in_days=None), Level.DISSATISFIED)
    rectification = Rectification.objects.get(rating=rating)
    calendar = get_calendar()
    assert rectification.due_at == due_local.replace(tzinfo=SHANGHAI)
    assert rectification.due_at == calendar.deadline(rated_at, "wd", 5)
    assert calendar.working_days_between(rated_local.date(), timezone.localtime(rectification.due_at).date()) == 5


@pytest.mark.django_db
def test_the_rectification_runs_a_deadline_clock_of_its_own_kind():
    rating = rate_by_token(open_for(make_dept()), Level.VERY_DISSATISFIED)
    rectification = Rectification.objects.get(rating=rating)
    clock = Clock.objects.get(subject_type=deadlines.SUBJECT_TYPE, subject_id=str(rectification.pk))
    assert clock.kind == "rectification" and clock.state == ClockState.RUNNING
    assert clock.due_at == rectification.due_at
