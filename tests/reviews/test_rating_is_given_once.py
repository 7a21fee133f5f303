"""Each opportunity is rated once; a reopened case is rated again in its next round."""

import threading

import pytest
from django.db import connection

from tests.factories import make_user
from tests.reviews.helpers import make_dept, open_for, rate_by_token
from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.roles import Role
from yiwang.reviews import actions
from yiwang.reviews.models import Level, Rating, RatingOpportunity


@pytest.mark.django_db
def test_second_rating_of_the_same_opportunity_is_refused_with_a_clear_message():
    opportunity = open_for(make_dept())
    rate_by_token(opportunity, Level.SATISFIED)
    with pytest.raises(actions.AlreadyRated) as err:
        rate_by_token(opportunity, Level.VERY_DISSATISFIED)
    assert "only once" in str(err.value.message)
    assert Rating.objects.get(opportunity=opportunity).level == Level.SATISFIED


@pytest.mark.django_db
def test_each_round_of_a_reopened_case_is_rated_once():
    dept = make_dept()
    subject = ("operations.case", "42")
    first = open_for(dept, subject=subject, round=1)
    rate_by_token(first, Level.DISSATISFIED)
    # reopening the same round gives back the same (already rated) opportunity, never a second one
    again = open_for(dept, subject=subject, round=1)
    assert again.pk == first.pk
    with pytest.raises(actions.AlreadyRated):
        rate_by_token(again, Level.SATISFIED)
    second = open_for(dept, subject=subject, round=2)
    assert second.pk != first.pk and second.token != first.token
    rate_by_token(second, Level.SATISFIED)
    levels = dict(Rating.objects.filter(opportunity__subject_id="42").values_list("opportunity__round", "level"))
    assert levels == {1: Level.DISSATISFIED, 2: Level.SATISFIED}


@pytest.mark.django_db
def test_rating_needs_the_token_or_the_named_rater():
    resident, stranger = make_user(Role.RESIDENT), make_user(Role.RESIDENT)
    opportunity = open_for(make_dept(), rater=resident)
    with pytest.raises(PermissionDenied):
        actions.rate(Actor(user=stranger), opportunity, Level.SATISFIED)
    with pytest.raises(PermissionDenied):
        actions.rate("not-the-token", opportunity, Level.SATISFIED)
    rating = actions.rate(Actor(user=resident), opportunity, Level.VERY_SATISFIED, "quick and kind")
    assert rating.rater == resident and rating.comment == "quick and kind"
    event = AuditEvent.objects.get(action="reviews.rating.create", object_id=str(rating.pk))
    assert event.summary["after"]["level"] == Level.VERY_SATISFIED


@pytest.mark.django_db
def test_a_level_outside_the_national_scale_is_refused():
    opportunity = open_for(make_dept())
    for bad_value in (0, 6, "x", None):
        with pytest.raises(ActionError) as err:
            rate_by_token(opportunity, bad_value)
        assert err.value.field == "level"
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_an_expired_opportunity_cannot_be_rated():
    opportunity = open_for(make_dept(), expires_in_days=1)
    RatingOpportunity.objects.filter(pk=opportunity.pk).update(expires_at=opportunity.opened_at)
    opportunity.refresh_from_db()
    with pytest.raises(actions.Expired):
        rate_by_token(opportunity, Level.SATISFIED)


@pytest.mark.django_db
def test_a_resident_may_not_open_an_opportunity_for_someone_else():
    resident, other = make_user(Role.RESIDENT), make_user(Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        actions.open_opportunity(
            Actor(user=resident),
            subject=("services.act", "9"),
            org_unit=make_dept(),
            network="services",
            channel="online",
            rater=other,
        )
    own = actions.open_opportunity(
        Actor(user=resident),
        subject=("services.act", "9"),
        org_unit=make_dept(),
        network="services",
        channel="online",
        rater=resident,
    )
    assert own.rater == resident


@pytest.mark.django_db
def test_a_submit_that_loses_the_race_after_its_check_gets_the_clear_message(monkeypatch):
    """The winner commits between the loser's "already rated?" check and its insert: the unique key decides."""
    opportunity = open_for(make_dept())

    def winner_commits_meanwhile(self, now=None):
        Rating.objects.create(opportunity=self, level=Level.SATISFIED, channel=self.channel)
        return False

    monkeypatch.setattr(RatingOpportunity, "is_expired", winner_commits_meanwhile)
    with pytest.raises(actions.AlreadyRated):  # not a raw IntegrityError
        rate_by_token(opportunity, Level.VERY_DISSATISFIED)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_give_exactly_one_rating():
    opportunity = open_for(make_dept())
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(level):
        try:
            barrier.wait(timeout=10)
            rate_by_token(RatingOpportunity.objects.get(pk=opportunity.pk), level)
            outcomes.append("rated")
        except actions.AlreadyRated:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(lvl,)) for lvl in (Level.SATISFIED, Level.DISSATISFIED)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["already", "rated"]
    assert Rating.objects.filter(opportunity=opportunity).count() == 1
