"""The "reopen" policy hands a bad rating to the hook its subject's context registered."""

import pytest

from tests.reviews.helpers import make_dept, open_for, rate_by_token
from yiwang.core.actions import ActionError
from yiwang.reviews import actions, hooks
from yiwang.reviews.hooks import register_bad_rating_hook, unregister_bad_rating_hook
from yiwang.reviews.models import Level, Rating, Rectification


@pytest.fixture(autouse=True)
def _real_hooks_restored():
    """These tests replace the hooks operations registered at start-up: put them back afterwards."""
    saved = dict(hooks._HOOKS)
    yield
    hooks._HOOKS.clear()
    hooks._HOOKS.update(saved)


@pytest.fixture
def reopen_calls():
    calls = []
    register_bad_rating_hook("operations.case", calls.append)
    yield calls
    unregister_bad_rating_hook("operations.case")


@pytest.mark.django_db
def test_reopen_policy_calls_the_hook_of_the_subject_type_and_opens_no_rectification(reopen_calls):
    opportunity = open_for(make_dept(), subject=("operations.case", "7"), network="operations", policy="reopen")
    rating = rate_by_token(opportunity, Level.VERY_DISSATISFIED)
    assert [r.pk for r in reopen_calls] == [rating.pk]
    assert reopen_calls[0].opportunity.subject_id == "7"
    assert Rating.objects.get(pk=rating.pk).follow_up == Rating.FollowUp.HOOK
    assert not Rectification.objects.exists()


@pytest.mark.django_db
def test_reopen_policy_leaves_good_ratings_alone(reopen_calls):
    rate_by_token(open_for(make_dept(), subject=("operations.case", "8"), policy="reopen"), Level.BASICALLY_SATISFIED)
    assert reopen_calls == []


@pytest.mark.django_db
def test_a_failing_hook_keeps_the_rating_and_opens_a_rectification_instead():
    def broken(rating):
        raise ActionError("case cannot be reopened")

    register_bad_rating_hook("operations.case", broken)
    try:
        rating = rate_by_token(
            open_for(make_dept(), subject=("operations.case", "9"), policy="reopen"), Level.DISSATISFIED
        )
    finally:
        unregister_bad_rating_hook("operations.case")
    assert Rating.objects.get(pk=rating.pk).follow_up == Rating.FollowUp.HOOK_FAILED
    assert Rectification.objects.filter(rating=rating).exists()


@pytest.mark.django_db
def test_reopen_without_a_registered_hook_falls_back_to_rectification():
    rating = rate_by_token(open_for(make_dept(), subject=("kiosk.session", "1"), policy="reopen"), Level.DISSATISFIED)
    assert Rectification.objects.filter(rating=rating).exists()


@pytest.mark.django_db
def test_a_named_policy_calls_its_hook():
    seen = []
    register_bad_rating_hook("services.callback", seen.append)
    try:
        rating = rate_by_token(open_for(make_dept(), policy="services.callback"), Level.DISSATISFIED)
    finally:
        unregister_bad_rating_hook("services.callback")
    assert seen == [rating] and not Rectification.objects.exists()


@pytest.mark.django_db
def test_an_unknown_policy_is_refused_when_opening():
    with pytest.raises(ActionError) as err:
        open_for(make_dept(), policy="no-such-hook")
    assert err.value.field == "policy"
    assert actions.Policy.RECTIFY == "rectify"
