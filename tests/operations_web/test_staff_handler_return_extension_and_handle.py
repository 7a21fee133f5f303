"""The department handler: take in hand, return (退单) with a reason, ask for more time (延期), handle with photos.

Each form validates with a precise message and saves nothing half-way.
"""

import pytest

from tests.operations_web.staff_world import case_in, client_for, not_an_image, png
from yiwang.core.uploads.models import StoredFile
from yiwang.operations.models import CaseAttachment, CaseNote, ExtensionRequest


@pytest.fixture
def world(db):
    from tests.operations.conftest import build_world

    return build_world()


def post(client, case, action, data, files=None):
    payload = {f"{action}-{k}": v for k, v in data.items()}
    payload[f"{action}-version"] = case.version
    if files:
        payload.update({f"{action}-{k}": v for k, v in files.items()})
    return client.post(f"/ops/cases/{case.code}/act/{action}/", payload)


def test_the_inbox_lists_the_departments_cases_by_deadline(world):
    first = case_in(world, "dispatched")
    second = case_in(world, "handling")
    market = case_in(world, "registered", category=world.unlicensed)
    body = client_for(world.handler).get("/ops/inbox/").content.decode()
    assert first.code in body and second.code in body
    assert market.code not in body
    assert body.index(first.code) < body.index(second.code)  # earlier deadline first


def test_take_in_hand_then_return_with_a_reason(world):
    case = case_in(world, "dispatched")
    client = client_for(world.handler)
    assert post(client, case, "start_handling", {"note": ""}).status_code == 302
    case.refresh_from_db()
    assert case.status == "handling"

    empty = post(client, case, "return", {"reason": "   "})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    case.refresh_from_db()
    assert case.status == "handling"

    done = post(client, case, "return", {"reason": "Private land: not ours"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "returned"
    assert CaseNote.objects.get(case=case, kind="return").text == "Private land: not ours"


def test_an_extension_needs_a_reason_and_a_time_within_limits(world):
    case = case_in(world, "handling")
    client = client_for(world.handler)
    too_long = post(client, case, "request_extension", {"reason": "Waiting for parts", "amount": 61})
    assert too_long.status_code == 400
    assert "less than or equal to 60" in too_long.content.decode()
    no_reason = post(client, case, "request_extension", {"reason": "", "amount": 2})
    assert no_reason.status_code == 400
    assert not ExtensionRequest.objects.filter(case=case).exists()

    assert post(client, case, "request_extension", {"reason": "Waiting for parts", "amount": 2}).status_code == 302
    case.refresh_from_db()
    assert case.status == "extension_requested"
    row = ExtensionRequest.objects.get(case=case)
    assert (row.working_days, row.reason) == (2, "Waiting for parts")
    # the dispatcher now sees the request and may grant or refuse it
    body = client_for(world.dispatcher).get(f"/ops/cases/{case.code}/").content.decode()
    assert 'id="pending-extension"' in body and "Waiting for parts" in body


def test_a_calendar_time_category_asks_for_hours(world):
    from tests.factories import make_user
    from yiwang.core.roles import Role

    water = make_user(Role.DEPARTMENT_HANDLER, org=world.water)
    case = case_in(world, "registered", category=world.flood)
    from tests.operations_web.staff_world import actor
    from yiwang.operations import actions as ops

    case = ops.dispatch(actor(world.dispatcher), case, department=world.water)
    case = ops.start_handling(actor(water), case)
    page = client_for(water).get(f"/ops/cases/{case.code}/").content.decode()
    assert "Extra hours asked for" in page
    assert post(client_for(water), case, "request_extension", {"reason": "Pump broken", "amount": 6}).status_code == 302
    assert ExtensionRequest.objects.get(case=case).calendar_hours == 6


def test_mark_handled_with_photos_keeps_them_with_the_case(world):
    case = case_in(world, "handling")
    response = post(
        client_for(world.handler),
        case,
        "mark_handled",
        {"notes": "Rubbish removed, area swept"},
        {"photos": [png((10, 200, 10), "after.png"), png((10, 10, 200), "after2.png")]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "handled"
    photos = CaseAttachment.objects.filter(case=case, purpose="handling")
    assert photos.count() == 2
    # the case page shows them to staff through the photo view
    body = client_for(world.dispatcher).get(f"/ops/cases/{case.code}/").content.decode()
    url = f"/ops/cases/{case.code}/photos/{photos[0].pk}/thumb/"
    assert url in body
    image = client_for(world.dispatcher).get(url)
    assert image.status_code == 200 and image["Content-Type"].startswith("image/")
    assert client_for(world.dispatcher_s2).get(url).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_saved(world):
    case = case_in(world, "handling")
    before = StoredFile.objects.count()
    response = post(
        client_for(world.handler),
        case,
        "mark_handled",
        {"notes": "Done"},
        {"photos": [png(name="good.png"), not_an_image("bad.png")]},
    )
    assert response.status_code == 400
    assert "bad.png" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "handling"
    assert StoredFile.objects.count() == before
    assert not CaseNote.objects.filter(case=case, kind="handling").exists()


def test_notes_are_required_to_mark_handled(world):
    case = case_in(world, "handling")
    response = post(client_for(world.handler), case, "mark_handled", {"notes": ""}, {"photos": [png()]})
    assert response.status_code == 400
    assert StoredFile.objects.count() == 0
    case.refresh_from_db()
    assert case.status == "handling"
