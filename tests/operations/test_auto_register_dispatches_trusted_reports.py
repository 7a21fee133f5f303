"""Intake policy auto-register: a trusted channel's report is accepted, registered and dispatched at once."""

import pytest

from tests.operations.conftest import IN_G1A, report
from yiwang.core.actions import PermissionDenied
from yiwang.core.actor import Actor, Channel
from yiwang.core.audit.models import AuditEvent
from yiwang.core.workcal.actions import open_clock
from yiwang.operations.actions import report_case, set_intake_policy
from yiwang.operations.models import Case, CaseAssignment, CaseStatusChange

pytestmark = pytest.mark.django_db


def open311(world, **kwargs):
    return report_case(
        Actor.system(Channel.OPEN311), channel="open311", discovery="passive", category=world.garbage,
        lon=IN_G1A[0], lat=IN_G1A[1], description="Rubbish", **kwargs,
    )  # fmt: skip


def test_a_trusted_report_is_dispatched_by_the_rules_in_the_same_transaction(world):
    from yiwang.operations.models import RoutingRule

    rule = RoutingRule.objects.create(name="garbage to the grid team", position=1, team_mode="grid_team")
    rule.categories.add(world.environment)
    set_intake_policy(Actor.system(), world.garbage, "auto_register", ["open311"])
    case = open311(world)
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == "dispatched" and stored.department_id == world.urban.pk  # the category's department
    assert stored.team_id == world.team_g1a.pk  # the grid's team, as the rule says
    assert stored.registered_at == stored.dispatched_at == stored.created_at
    steps = list(CaseStatusChange.objects.filter(case=case).order_by("version").values_list("action", "to_status"))
    assert steps == [("report", "reported"), ("accept", "accepted"), ("register", "registered"),
                     ("dispatch", "dispatched")]  # fmt: skip
    assignment = CaseAssignment.objects.get(case=case)
    assert (assignment.routed_by, assignment.rule_id, assignment.department_id) == ("rule", rule.pk, world.urban.pk)
    clock = open_clock(("operations.case", str(case.pk)), "handle")
    assert clock is not None and stored.due_at == clock.due_at and stored.clock_kind == "handle"
    event = AuditEvent.objects.get(action="operations.case.auto_intake", object_id=str(case.pk))
    assert event.actor_label.startswith("system") and event.summary["after"]["steps"] == ["accept", "register",
                                                                                          "dispatch"]  # fmt: skip


def test_other_channels_and_manual_categories_wait_for_a_dispatcher(world):
    set_intake_policy(Actor.system(), world.garbage, "auto_register", ["open311"])
    assert report(world).status == "reported"  # hotline is not among the trusted channels
    set_intake_policy(Actor.system(), world.garbage, "manual")
    assert open311(world).status == "reported"


def test_without_a_rule_the_operations_centre_takes_the_case(world):
    set_intake_policy(Actor.system(), world.garbage, "auto_register")
    case = open311(world)
    assert (case.status, case.department_id, case.team_id) == ("dispatched", world.centre.pk, None)
    assert CaseAssignment.objects.get(case=case).routed_by == "fallback"


def test_only_an_administrator_sets_the_policy(world):
    from tests.operations.conftest import actor

    with pytest.raises(PermissionDenied):
        set_intake_policy(actor(world.dispatcher), world.garbage, "auto_register")
    row = set_intake_policy(actor(world.admin), world.garbage, "auto_register")
    assert row.intake_policy == "auto_register"
    assert AuditEvent.objects.filter(action="operations.category.intake_policy").count() == 1
