"""Two people act on one case at the same moment: the second gets a clear conflict message, no update is lost."""

import re

import pytest

from tests.factories import make_user
from tests.operations_web.staff_world import case_in, client_for
from yiwang.core.roles import Role
from yiwang.operations.models import CaseAssignment, Supervision


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def version_on_page(response) -> int:
    return int(re.search(r'name="dispatch-version" value="(\d+)"', response.content.decode()).group(1))


def test_the_second_dispatcher_is_told_and_the_first_dispatch_stands(world):
    case = case_in(world, "registered")
    colleague = make_user(Role.DISPATCHER, org=world.gc_s1, username="dispatcher_s1_b")
    first, second = client_for(world.dispatcher), client_for(colleague)
    # both open the page and see the same version
    seen_first = version_on_page(first.get(f"/ops/cases/{case.code}/"))
    seen_second = version_on_page(second.get(f"/ops/cases/{case.code}/"))
    assert seen_first == seen_second == case.version

    url = f"/ops/cases/{case.code}/act/dispatch/"
    won = first.post(url, {"dispatch-version": seen_first, "dispatch-department": world.urban.pk})
    assert won.status_code == 302
    lost = second.post(url, {"dispatch-version": seen_second, "dispatch-department": world.market.pk})
    assert lost.status_code == 409
    body = lost.content.decode()
    assert 'id="conflict"' in body
    assert "was changed by someone else" in body
    assert f"you saw version {seen_second}" in body

    case.refresh_from_db()
    assert case.department_id == world.urban.pk  # the first dispatch stands
    assert list(CaseAssignment.objects.filter(case=case).values_list("department_id", flat=True)) == [world.urban.pk]
    # the page the second person gets shows the new version, so a deliberate retry is possible
    assert f'value="{case.version}"' in body


def test_supervising_with_a_stale_version_writes_no_supervision(world):
    case = case_in(world, "dispatched")
    page_version = case.version
    ok = client_for(world.ops).post(
        f"/ops/cases/{case.code}/act/supervise/", {"supervise-version": page_version, "supervise-note": "Hurry up"}
    )
    assert ok.status_code == 302
    late = client_for(world.dispatcher).post(
        f"/ops/cases/{case.code}/act/supervise/", {"supervise-version": page_version, "supervise-note": "Me too"}
    )
    assert late.status_code == 409
    assert list(Supervision.objects.filter(case=case).values_list("note", flat=True)) == ["Hurry up"]
