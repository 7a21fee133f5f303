"""The season's phase follows the date: the year's row (with an extension for a late typhoon), else the
usual calendar (汛前 from 1 April, the season 1 June – 30 September); the demo's season covers its date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import login_as
from yiwang.core.actor import Actor
from yiwang.sensing.flood.demo import demo_season_dates, seed_flood
from yiwang.sensing.flood.models import FloodSeason, InspectionRound
from yiwang.sensing.flood.queries import active_warnings, season_for

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (D(2027, 3, 31), "off"), (D(2027, 4, 1), "preparation"), (D(2027, 5, 31), "preparation"),
        (D(2027, 6, 1), "season"), (D(2027, 9, 30), "season"), (D(2027, 10, 1), "after"),
    ],
)  # fmt: skip
def test_a_year_without_a_row_follows_the_usual_calendar(day, phase):
    season, found = season_for(day)
    assert (found, season.is_usual_calendar, season.year) == (phase, True, 2027)


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (D(2027, 5, 9), "off"),
        (D(2027, 5, 10), "preparation"),
        (D(2027, 10, 15), "extended"),
        (D(2027, 10, 16), "after"),
    ],
)
def test_the_years_row_and_its_extension_decide(day, phase):
    FloodSeason.objects.create(year=2027, prep_from=D(2027, 5, 10), starts_on=D(2027, 6, 10), ends_on=D(2027, 9, 30),
                               extended_to=D(2027, 10, 15))  # fmt: skip
    season, found = season_for(day)
    assert (found, season.is_usual_calendar) == (phase, False)


def test_an_extension_must_end_after_the_season():
    season = FloodSeason(year=2027, prep_from=D(2027, 4, 1), starts_on=D(2027, 6, 1), ends_on=D(2027, 9, 30),
                         extended_to=D(2027, 9, 30))  # fmt: skip
    with pytest.raises(ValidationError, match="An extension ends after the season's end."):
        season.full_clean()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 2, 10), {"prep_from": D(2026, 2, 3), "extended_to": None}),  # preparation starts early
        (D(2026, 7, 1), {"prep_from": D(2026, 4, 1), "extended_to": None}),  # the usual dates
        (D(2026, 11, 28), {"prep_from": D(2026, 4, 1), "extended_to": D(2026, 12, 12)}),  # a late typhoon
        (D(2026, 12, 25), {"prep_from": D(2026, 4, 1), "extended_to": D(2026, 12, 31)}),  # within its year
    ],
)
def test_the_demo_season_covers_the_demo_date(today, expected):
    dates = demo_season_dates(today)
    assert {k: dates[k] for k in expected} == expected
    assert (dates["starts_on"], dates["ends_on"]) == (D(today.year, 6, 1), D(today.year, 9, 30))
    season = FloodSeason(year=today.year, **dates)
    assert season.phase(today) != "off" and season.phase(today) != "after"


def test_the_demo_scene_is_alive_today(world, client):
    from yiwang.operations.seed_categories import seed_categories

    seed_categories(Actor.system())
    seed_flood(Actor.system())
    today = timezone.localdate()
    season, phase = season_for(today)
    assert not season.is_usual_calendar and phase in ("preparation", "season", "extended")
    [warning] = active_warnings()
    assert warning.kind == ("typhoon" if phase == "extended" else "rainstorm")
    issued = InspectionRound.objects.get()
    assert issued.due_on > today and issued.title.startswith("汛前" if phase == "preparation" else "汛期")
    login_as(client, world.ops)
    page = client.get("/flood/").content.decode()
    assert f'<p id="season" data-phase="{phase}">' in page
