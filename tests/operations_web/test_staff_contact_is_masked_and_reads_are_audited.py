"""Personal data on the case page: masked by default; a full read by a role that needs it is audited."""

import pytest

from tests.operations_web.staff_world import case_in, client_for
from yiwang.core.audit.models import AuditEvent


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def reads(case) -> int:
    return AuditEvent.objects.filter(action="operations.case.read_personal_data", object_id=str(case.pk)).count()


def test_masked_on_the_page_and_revealed_once_with_an_audit_row(world):
    case = case_in(world, "dispatched")
    client = client_for(world.handler)
    body = client.get(f"/ops/cases/{case.code}/").content.decode()
    assert "13912345678" not in body and "李四" not in body
    assert "139****5678" in body and "李*" in body
    assert reads(case) == 0

    revealed = client.post(f"/ops/cases/{case.code}/contact/")
    assert revealed.status_code == 200
    assert "13912345678" in revealed.content.decode()
    assert reads(case) == 1
    # the next ordinary view is masked again
    assert "13912345678" not in client.get(f"/ops/cases/{case.code}/").content.decode()


def test_a_leader_does_not_need_the_contact(world):
    case = case_in(world, "dispatched")
    client = client_for(world.leader)
    assert "/contact/" not in client.get(f"/ops/cases/{case.code}/").content.decode()
    response = client.post(f"/ops/cases/{case.code}/contact/")
    assert response.status_code == 403
    assert "13912345678" not in response.content.decode()
    assert reads(case) == 0


def test_duplicates_are_offered_as_a_merge(world):
    first = case_in(world, "registered")
    again = case_in(world, "accepted")  # the same place and category, reported again
    body = client_for(world.dispatcher).get(f"/ops/cases/{again.code}/").content.decode()
    assert f'data-code="{first.code}"' in body
    response = client_for(world.dispatcher).post(
        f"/ops/cases/{again.code}/act/merge/", {"merge-version": again.version, "merge-target": first.code}
    )
    assert response.status_code == 302 and response["Location"] == f"/ops/cases/{first.code}/"
    again.refresh_from_db()
    assert again.status == "merged" and again.merged_into_id == first.pk


def test_merging_into_an_unknown_code_says_so(world):
    case = case_in(world, "registered")
    response = client_for(world.dispatcher).post(
        f"/ops/cases/{case.code}/act/merge/", {"merge-version": case.version, "merge-target": "YW-NOPE"}
    )
    assert response.status_code == 400
    assert "There is no case with the code “YW-NOPE”." in response.content.decode()
