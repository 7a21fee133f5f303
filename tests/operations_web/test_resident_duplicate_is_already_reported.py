"""A second report of the same public problem nearby is told "already reported" with the earlier code."""

import pytest

from tests.operations.conftest import report
from yiwang.operations.models import Case

from .conftest import IN_G2A, IN_R1


def resident_report(client, world, category, at):
    return client.post(
        "/report/",
        {"category": category.pk, "description": "井盖又坏了", "lon": at[0], "lat": at[1], "anonymous": "on"},
    )


@pytest.mark.django_db
def test_a_nearby_report_of_a_public_category_shows_the_earlier_code(client, world):
    earlier = report(world, category=world.manhole, at=IN_R1)
    response = resident_report(client, world, world.manhole, (IN_R1[0] + 0.0001, IN_R1[1]))  # ~10 m away
    page = client.get(response.url).content.decode()
    new = Case.objects.exclude(pk=earlier.pk).get()
    assert new.code in page
    assert "Already reported" in page and f'id="duplicate-code">{earlier.code}<' in page


@pytest.mark.django_db
def test_a_report_far_away_is_not_a_duplicate(client, world):
    report(world, category=world.manhole, at=IN_R1)
    response = resident_report(client, world, world.manhole, IN_G2A)
    assert "Already reported" not in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_a_non_public_category_never_reveals_another_report(client, world):
    world.unlicensed.duplicate_radius_m = 50
    world.unlicensed.save()
    earlier = report(world, category=world.unlicensed, at=IN_R1)
    response = resident_report(client, world, world.unlicensed, IN_R1)
    page = client.get(response.url).content.decode()
    assert "Already reported" not in page and earlier.code not in page
