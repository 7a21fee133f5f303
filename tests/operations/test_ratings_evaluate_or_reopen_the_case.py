"""Closing a case offers it for rating (好差评); the rating comes back as the case's evaluation, and a bad
one under the category's "reopen" policy sends the case back to its handlers."""

import pytest

from tests.operations.conftest import actor, advance, report
from yiwang.operations.models import Case
from yiwang.reviews.actions import rate
from yiwang.reviews.models import RatingOpportunity

pytestmark = pytest.mark.django_db


def closed_case(world):
    return advance(world, report(world, world.resident, channel="photo_report", reporter=None), "closed")


def opportunity_of(case):
    return RatingOpportunity.objects.get(subject_type="operations.case", subject_id=str(case.pk))


def test_closure_offers_the_reporter_a_rating_for_the_department(world):
    case = closed_case(world)
    opportunity = opportunity_of(case)
    assert (opportunity.rater, opportunity.org_unit, opportunity.policy) == (world.resident, world.urban, "reopen")


def test_a_good_rating_becomes_the_evaluation(world):
    case = closed_case(world)
    rate(actor(world.resident), opportunity_of(case), 5, "Quick, thanks")
    case = Case.objects.get(pk=case.pk)
    assert case.status == "evaluated" and case.evaluation["level"] == 5


def test_a_bad_rating_reopens_the_case_for_its_handlers(world):
    case = closed_case(world)
    rate(actor(world.resident), opportunity_of(case), 1, "Still dirty")
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.department, case.clock_kind) == ("dispatched", world.urban, "handle")
