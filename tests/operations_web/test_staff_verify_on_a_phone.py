"""The grid worker's phone pages: the cases to verify in their grid; verify with a photo (pass, or fail with a note)."""

import pytest

from tests.operations_web.staff_world import case_in, client_for, png
from yiwang.operations.models import CaseAttachment, CaseNote


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def test_the_list_shows_handled_cases_of_the_workers_grid_only(world):
    mine = case_in(world, "handled")
    waiting = case_in(world, "handling")
    body = client_for(world.grid_worker).get("/ops/verify/").content.decode()
    assert mine.code in body
    assert waiting.code not in body
    assert f"/ops/verify/{mine.code}/" in body


def test_pass_with_a_photo(world):
    case = case_in(world, "handled")
    client = client_for(world.grid_worker)
    page = client.get(f"/ops/verify/{case.code}/")
    assert page.status_code == 200 and 'capture="environment"' in page.content.decode()
    response = client.post(
        f"/ops/verify/{case.code}/",
        {"outcome": "pass", "verify-version": case.version, "verify-photos": [png()]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "verified"
    assert CaseAttachment.objects.filter(case=case, purpose="verification").count() == 1


def test_a_photo_and_an_outcome_are_required(world):
    case = case_in(world, "handled")
    client = client_for(world.grid_worker)
    no_photo = client.post(f"/ops/verify/{case.code}/", {"outcome": "pass", "verify-version": case.version})
    assert no_photo.status_code == 400
    assert "This field is required." in no_photo.content.decode()
    no_outcome = client.post(f"/ops/verify/{case.code}/", {"verify-version": case.version, "verify-photos": [png()]})
    assert no_outcome.status_code == 400
    assert "Choose whether the problem is fixed." in no_outcome.content.decode()
    case.refresh_from_db()
    assert case.status == "handled"


def test_fail_needs_a_note_and_sends_the_case_back(world):
    case = case_in(world, "handled")
    client = client_for(world.grid_worker)
    silent = client.post(
        f"/ops/verify/{case.code}/", {"outcome": "fail", "verify-version": case.version, "verify-photos": [png()]}
    )
    assert silent.status_code == 400
    case.refresh_from_db()
    assert case.status == "handled"
    response = client.post(
        f"/ops/verify/{case.code}/",
        {
            "outcome": "fail",
            "verify-version": case.version,
            "verify-notes": "Still a heap by the gate",
            "verify-photos": [png((0, 0, 0))],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "handling"
    assert CaseNote.objects.filter(case=case, kind="verification").get().text == "Still a heap by the gate"


def test_a_worker_of_another_grid_cannot_verify(world):
    from tests.factories import make_org, make_user
    from yiwang.core.roles import OrgKind, Role

    team = make_org(OrgKind.GRID_TEAM, territory_code="G2a", parent=world.gc_s2)
    other = make_user(Role.GRID_WORKER, org=team)
    case = case_in(world, "handled")
    assert case.code not in client_for(other).get("/ops/verify/").content.decode()
    assert client_for(other).get(f"/ops/verify/{case.code}/").status_code == 404


def test_the_phone_pages_have_large_touch_targets(world):
    from django.contrib.staticfiles import finders

    css = open(finders.find("operations/staff.css"), encoding="utf-8").read()
    assert ".ops-phone button" in css and "min-height: 48px" in css
    case = case_in(world, "handled")
    body = client_for(world.grid_worker).get(f"/ops/verify/{case.code}/").content.decode()
    assert 'class="ops-staff ops-phone"' in body
