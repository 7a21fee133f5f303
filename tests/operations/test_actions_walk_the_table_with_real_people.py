"""Every transition of the table through the real actions: refused (nothing written) for each person whose
role the table does not name, then done by a person whose role it names and whose scope covers the case."""

import pytest

from tests.factories import make_user
from tests.operations.conftest import actor, report
from yiwang.core.actions import ActionError, PermissionDenied
from yiwang.core.audit.models import AuditEvent
from yiwang.core.roles import Role
from yiwang.operations import actions as ops
from yiwang.operations import workflow
from yiwang.operations.models import Case, CaseStatus, CaseStatusChange

PATHS = {
    "reported": [],
    "accepted": ["accept"],
    "registered": ["accept", "register"],
    "dispatched": ["accept", "register", "dispatch"],
    "returned": ["accept", "register", "dispatch", "return"],
    "handling": ["accept", "register", "dispatch", "start_handling"],
    "extension_requested": ["accept", "register", "dispatch", "start_handling", "request_extension"],
    "suspended": ["accept", "register", "dispatch", "suspend"],
    "handled": ["accept", "register", "dispatch", "start_handling", "mark_handled"],
    "verified": ["accept", "register", "dispatch", "start_handling", "mark_handled", "verify_pass"],
    "closed": ["accept", "register", "dispatch", "start_handling", "mark_handled", "verify_pass", "close"],
    "evaluated": [
        "accept",
        "register",
        "dispatch",
        "start_handling",
        "mark_handled",
        "verify_pass",
        "close",
        "evaluate",
    ],
    "split": ["accept", "register", "split"],
}
SYSTEM_ONLY = {"escalate", "close_parent"}
PAIRS = sorted(k for k, t in workflow.TRANSITIONS.items() if t.action not in SYSTEM_ONLY)


def people(world):
    """One person per role (scoped to the case's subdistrict, grid or department where scope applies)."""
    return {
        Role.RESIDENT: world.other_resident,
        Role.HOTLINE_OPERATOR: world.hotline,
        Role.GRID_WORKER: world.grid_worker,
        Role.DISPATCHER: world.dispatcher,
        Role.DEPARTMENT_HANDLER: world.handler,
        Role.OPERATIONS_CENTRE: world.ops,
        Role.WINDOW_CLERK: make_user(Role.WINDOW_CLERK),
        Role.APPROVER: make_user(Role.APPROVER),
        Role.LEADER: world.leader,
        Role.DATA_STEWARD: make_user(Role.DATA_STEWARD),
        Role.SYSTEM_ADMIN: world.admin,
        workflow.REPORTER: world.resident,
    }


def perform(world, case, action, user):
    a = actor(user)
    calls = {
        "accept": lambda: ops.accept(a, case),
        "reject": lambda: ops.reject(a, case, reason="Not a municipal matter"),
        "register": lambda: ops.register(a, case),
        "dispatch": lambda: ops.dispatch(a, case, department=world.urban),
        "start_handling": lambda: ops.start_handling(a, case),
        "return": lambda: ops.return_case(a, case, reason="Not ours"),
        "request_extension": lambda: ops.request_extension(a, case, reason="Parts on order", working_days=2),
        "grant_extension": lambda: ops.grant_extension(a, case),
        "refuse_extension": lambda: ops.refuse_extension(a, case, reason="No"),
        "suspend": lambda: ops.suspend(a, case, reason="Waiting for the owner"),
        "resume": lambda: ops.resume(a, case),
        "mark_handled": lambda: ops.mark_handled(a, case, notes="Cleared"),
        "verify_pass": lambda: ops.verify(a, case, passed=True),
        "verify_fail": lambda: ops.verify(a, case, passed=False, notes="Still there"),
        "close": lambda: ops.close(a, case),
        "evaluate": lambda: ops.evaluate(a, case, level=4),
        "reopen": lambda: ops.reopen(a, case, reason="Back again"),
        "supervise": lambda: ops.supervise(a, case, note="Hurry up"),
        "merge": lambda: ops.merge_into(a, case, world.target),
        "split": lambda: ops.split_case(
            a, case, [{"department": world.urban}, {"department": world.market}], reason="Two departments"
        ),
    }
    return calls[action]()


def allowed_user(world, roles_to_people, transition):
    for role in (
        workflow.REPORTER,
        Role.DISPATCHER,
        Role.DEPARTMENT_HANDLER,
        Role.HOTLINE_OPERATOR,
        Role.GRID_WORKER,
        Role.OPERATIONS_CENTRE,
    ):
        if role in transition.roles:
            return roles_to_people[role]
    raise AssertionError(f"no person for {transition}")


def reach(world, state):
    case = report(world, world.resident, channel="photo_report", reporter=None)
    for action in PATHS[state]:
        transition = workflow.TRANSITIONS[(case.status, action)]
        perform(world, case, action, allowed_user(world, people(world), transition))
        case = Case.objects.get(pk=case.pk)
    assert case.status == state
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_transition_through_the_actions(world, state, action):
    world.target = report(world, world.hotline, at=(121.43, 31.21))  # an open case elsewhere, to merge into
    case = reach(world, state)
    transition = workflow.TRANSITIONS[(state, action)]
    everyone = people(world)
    writes_before = (CaseStatusChange.objects.count(), AuditEvent.objects.count())
    for role, user in everyone.items():
        if role in transition.roles:
            continue
        if role == Role.RESIDENT and workflow.REPORTER in transition.roles:
            continue  # a resident who is not the reporter is refused below by scope, not by role
        with pytest.raises(PermissionDenied):
            perform(world, Case.objects.get(pk=case.pk), action, user)
    assert (CaseStatusChange.objects.count(), AuditEvent.objects.count()) == writes_before
    result = perform(world, Case.objects.get(pk=case.pk), action, allowed_user(world, everyone, transition))
    after = Case.objects.get(pk=case.pk)
    assert after.version == case.version + 1
    expected = workflow.check(state, action, transition.roles, previous=after.status)
    assert after.status == expected
    assert AuditEvent.objects.filter(object_id=str(case.pk), action=f"operations.case.{action}").exists()
    assert result is not None


@pytest.mark.django_db
def test_a_resident_who_did_not_report_may_not_reopen(world):
    case = reach(world, "closed")
    with pytest.raises(PermissionDenied):
        ops.reopen(actor(world.other_resident), case, reason="not mine")


@pytest.mark.django_db
def test_illegal_transition_through_an_action_names_the_states(world):
    case = report(world)
    with pytest.raises(ActionError) as err:
        ops.dispatch(actor(world.dispatcher), case, department=world.urban)
    assert err.value.code == "illegal_transition"
    message = str(err.value.message)
    assert str(CaseStatus.REPORTED.label) in message and str(CaseStatus.REGISTERED.label) in message
