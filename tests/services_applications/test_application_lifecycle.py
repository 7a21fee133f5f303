"""An application through its life: acceptance starts two clocks, correction pauses them, approval
and delivery stop them and offer a rating; the applicant sees every step."""

import pytest

from tests.factories import make_department, make_user
from tests.services_applications.helpers import approver, as_actor, clerk, make_situation
from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.identity.cardreader import CardData
from yiwang.core.workcal.models import ClockState
from yiwang.core.workcal.queries import clocks_for, open_clock
from yiwang.reviews.models import RatingOpportunity
from yiwang.services.applications import actions
from yiwang.services.applications.states import Status

pytestmark = pytest.mark.django_db


def _submitted_online(situation):
    resident = make_user()
    application = actions.create_application(as_actor(resident), situation=situation, channel="online")
    actions.submit(as_actor(resident), application)
    return resident, application


def test_acceptance_starts_the_promised_and_statutory_clocks_in_working_days():
    situation = make_situation(promised=3, statutory=20, materials=())
    _resident, application = _submitted_online(situation)
    actions.accept(as_actor(clerk()), application)
    promised, statutory = open_clock(application, "promised"), open_clock(application, "statutory")
    assert (promised.unit, promised.amount, statutory.amount) == ("wd", 3, 20)
    assert promised.due_at < statutory.due_at
    assert application.status == Status.ACCEPTED


def test_a_correction_pauses_both_clocks_and_the_correction_resumes_the_same_clocks():
    department = make_department()
    situation = make_situation(department, materials=())
    resident, application = _submitted_online(situation)
    desk = as_actor(clerk())
    actions.accept(desk, application)
    actions.request_correction(as_actor(approver(department)), application, reason="Signature missing")
    assert {c.state for c in clocks_for(application)} == {ClockState.PAUSED}
    assert application.reason == "Signature missing"
    actions.correct(as_actor(resident), application)
    assert {c.state for c in clocks_for(application)} == {ClockState.RUNNING}
    actions.accept(desk, application)
    assert clocks_for(application).count() == 2  # resumed, not restarted


def test_approval_by_the_department_stops_the_clocks_and_delivery_offers_a_rating():
    department = make_department()
    situation = make_situation(department, materials=())
    resident, application = _submitted_online(situation)
    actions.accept(as_actor(clerk()), application)
    decider = as_actor(approver(department))
    actions.start_review(decider, application)
    actions.approve(decider, application)
    assert {c.state for c in clocks_for(application)} == {ClockState.STOPPED}
    actions.deliver(decider, application)
    opportunity = RatingOpportunity.objects.get(subject_id=str(application.pk))
    assert (opportunity.network, opportunity.channel, opportunity.org_unit_id) == ("services", "online", department.pk)
    assert opportunity.rater_id == resident.pk and opportunity.item_code == situation.item.code
    steps = [(h.action, h.to_status) for h in application.history.all()]
    assert steps == [
        ("create", Status.DRAFT),
        ("submit", Status.SUBMITTED),
        ("accept", Status.ACCEPTED),
        ("start_review", Status.UNDER_REVIEW),
        ("approve", Status.APPROVED),
        ("deliver", Status.DELIVERED),
    ]


def test_an_approver_of_another_department_may_not_decide():
    situation = make_situation(materials=())
    _resident, application = _submitted_online(situation)
    actions.accept(as_actor(clerk()), application)
    with pytest.raises(PermissionDenied) as refused:
        actions.start_review(as_actor(approver(make_department())), application)
    assert situation.item.department.name in str(refused.value.message)


def test_any_window_clerk_accepts_any_item_but_an_approver_may_not_accept():
    department = make_department()
    _resident, application = _submitted_online(make_situation(department, materials=()))
    with pytest.raises(PermissionDenied):
        actions.accept(as_actor(approver(department)), application)
    actions.accept(as_actor(clerk()), application)  # a clerk of an unrelated window
    assert application.status == Status.ACCEPTED


def test_not_accepting_needs_a_reason_and_offers_a_rating():
    _resident, application = _submitted_online(make_situation(materials=()))
    desk = as_actor(clerk())
    with pytest.raises(ActionError) as refused:
        actions.not_accept(desk, application, reason="  ")
    assert refused.value.field == "reason"
    actions.not_accept(desk, application, reason="Not in this district")
    assert application.status == Status.NOT_ACCEPTED
    assert RatingOpportunity.objects.filter(subject_id=str(application.pk)).exists()
    with pytest.raises(ActionError) as illegal:
        actions.accept(desk, application)
    assert illegal.value.code == "illegal_transition"


def test_only_the_applicant_withdraws_and_only_before_a_decision():
    resident, application = _submitted_online(make_situation(materials=()))
    actions.accept(as_actor(clerk()), application)
    with pytest.raises(PermissionDenied):
        actions.withdraw(as_actor(make_user()), application)
    actions.withdraw(as_actor(resident), application, reason="Moved away")
    assert application.status == Status.WITHDRAWN
    assert {c.state for c in clocks_for(application)} == {ClockState.STOPPED}


def test_submission_names_the_materials_still_missing():
    resident = make_user()
    situation = make_situation(materials=("Application form", "Floor plan"))
    application = actions.create_application(as_actor(resident), situation=situation, channel="online")
    with pytest.raises(ActionError) as refused:
        actions.submit(as_actor(resident), application)
    assert "Application form" in str(refused.value.message) and "Floor plan" in str(refused.value.message)


def test_a_window_clerk_applies_on_behalf_with_the_card_reader_or_typed_data():
    situation = make_situation(materials=())
    desk = as_actor(clerk())
    read = actions.create_application(
        desk, situation=situation, channel="window", card=CardData("11010519491231002X", "Zhang San"), window_code="W07"
    )
    typed = actions.create_application(
        desk, situation=situation, channel="window", applicant_name="Li Si", applicant_id_number="11010519491231002X"
    )
    assert (read.identity_verified, typed.identity_verified) == (True, False)
    assert read.visits == typed.visits == 1 and read.window_code == "W07"
    with pytest.raises(PermissionDenied):
        actions.create_application(as_actor(make_user()), situation=situation, channel="window", card=None)


def test_a_channel_the_situation_does_not_offer_is_refused():
    situation = make_situation(materials=(), kiosk=False)
    with pytest.raises(ActionError) as refused:
        actions.create_application(as_actor(make_user()), situation=situation, channel="kiosk")
    assert refused.value.field == "channel"


def test_a_clerk_withdraws_for_a_resident_without_an_account_but_not_an_online_application():
    desk = as_actor(clerk())
    situation = make_situation(materials=())
    at_window = actions.create_application(
        desk, situation=situation, channel="window", applicant_name="Li Si", applicant_id_number="110105198503120012"
    )
    actions.withdraw(desk, at_window, reason="Changed their mind")
    assert at_window.status == Status.WITHDRAWN
    _resident, online = _submitted_online(situation)
    with pytest.raises(PermissionDenied):
        actions.withdraw(desk, online)


def test_each_correction_at_the_window_counts_one_more_visit():
    desk = as_actor(clerk())
    application = actions.create_application(
        desk,
        situation=make_situation(materials=()),
        channel="window",
        applicant_name="Li Si",
        applicant_id_number="110105198503120012",
    )
    actions.submit(desk, application)
    for _round in range(2):
        actions.request_correction(desk, application, reason="Stamp missing")
        actions.correct(desk, application)
    application.refresh_from_db()
    assert application.visits == 3
