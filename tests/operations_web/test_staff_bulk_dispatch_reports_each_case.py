"""Bulk dispatch: every selected case goes through the dispatch action (audited one by one); failures are per case."""

import re

import pytest

from tests.operations_web.staff_world import case_in, client_for
from yiwang.core.audit.models import AuditEvent
from yiwang.operations.models import Case


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def outcomes(response) -> dict[str, str]:
    """{case code: "ok" | "failed"} from the result page."""
    found = re.findall(r'<tr class="(ok|failed)" data-code="([^"]+)"', response.content.decode())
    return {code: result for result, code in found}


def test_selected_cases_are_dispatched_each_audited_and_a_stale_one_is_reported(world):
    a, b, stale = (case_in(world, "registered") for _ in range(3))
    seen_version = stale.version
    # someone else changes the third case after the queue was shown
    from tests.operations_web.staff_world import actor
    from yiwang.operations import actions as ops

    ops.supervise(actor(world.ops), stale, note="Hurry")
    picks = [f"{a.pk}:{a.version}", f"{b.pk}:{b.version}", f"{stale.pk}:{seen_version}"]
    response = client_for(world.dispatcher).post(
        "/ops/queue/dispatch/", {"pick": picks, "department": world.market.pk, "note": "Yours"}
    )
    assert response.status_code == 200
    result = outcomes(response)
    assert result == {a.code: "ok", b.code: "ok", stale.code: "failed"}
    body = response.content.decode()
    assert "changed by someone else" in body
    for case in (a, b):
        case.refresh_from_db()
        assert case.status == "dispatched" and case.department_id == world.market.pk
        assert (
            AuditEvent.objects.filter(
                action="operations.case.dispatch", object_type="operations.case", object_id=str(case.pk)
            ).count()
            == 1
        )
    stale.refresh_from_db()
    assert stale.status == "registered" and stale.department_id is None


def test_without_a_department_the_routing_rules_decide(world):
    case = case_in(world, "registered")
    client_for(world.dispatcher).post("/ops/queue/dispatch/", {"pick": [f"{case.pk}:{case.version}"]})
    case.refresh_from_db()
    assert case.status == "dispatched"
    # no routing rule in this world: the rules fall back to the operations centre
    assert case.department_id == world.centre.pk
    assert case.assignment_history.get().routed_by == "fallback"


def test_a_case_outside_the_dispatchers_area_is_refused_by_itself(world):
    from tests.operations_web.staff_world import IN_G2A

    mine = case_in(world, "registered")
    theirs = case_in(world, "registered", at=IN_G2A)
    response = client_for(world.dispatcher).post(
        "/ops/queue/dispatch/",
        {"pick": [f"{mine.pk}:{mine.version}", f"{theirs.pk}:{theirs.version}"], "department": world.urban.pk},
    )
    assert outcomes(response) == {mine.code: "ok", f"#{theirs.pk}": "failed"}
    assert Case.objects.get(pk=theirs.pk).status == "registered"


def test_nothing_selected_gives_a_precise_message_and_dispatches_nothing(world):
    case_in(world, "registered")
    response = client_for(world.dispatcher).post("/ops/queue/dispatch/", {"department": world.urban.pk})
    assert response.status_code == 400
    assert "Select at least one case." in response.content.decode()
    assert not Case.objects.filter(status="dispatched").exists()


def test_only_dispatchers_may_bulk_dispatch(world):
    case = case_in(world, "registered")
    response = client_for(world.leader).post("/ops/queue/dispatch/", {"pick": [f"{case.pk}:{case.version}"]})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == "registered"
