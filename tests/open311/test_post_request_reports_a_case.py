import pytest

from tests.open311.conftest import IN_G1A, body, form, get, post, xml
from yiwang.core.audit.models import AuditEvent
from yiwang.operations.models import Case, CaseStatusChange
from yiwang.operations.open311.models import Submission

pytestmark = pytest.mark.django_db


def test_form_post_with_attribute_arrays_reports_a_case_into_the_loop(client, api_key, world):
    pairs = form(
        api_key,
        **{"attribute[bags]": "3", "attribute[seen_at]": "2026-11-28T08:15:00+08:00", "attribute[landmark]": "gate 2"},
    )
    pairs += [("attribute[kinds][]", "household"), ("attribute[kinds][]", "garden")]
    response = post(client, "xml", pairs)
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    code = request.findtext("service_request_id")
    assert request.find("token") is None  # realtime: the id, not a token (spec: never both)
    assert request.findtext("account_id") == "acct-7"
    assert code in request.findtext("service_notice") and "2 working hours" in request.findtext("service_notice")

    case = Case.objects.get(code=code)
    assert case.channel == "open311"  # the channel of third-party Open311 clients
    assert case.discovery == "passive"
    assert case.status == "reported"
    assert case.category == world.garbage
    assert (case.subdistrict_code, case.grid_code) == ("S1", "G1a")
    assert (case.lon, case.lat) == pytest.approx(IN_G1A)
    assert case.answers == {
        "volume": "large",
        "kinds": ["household", "garden"],
        "bags": 3,
        "seen_at": "2026-11-28T08:15:00+08:00",
        "landmark": "gate 2",
    }
    assert (case.reporter_name, case.reporter_phone) == ("Si Li", "13912345678")
    event = AuditEvent.objects.get(action="operations.case.report", object_id=str(case.pk))
    assert event.channel == "open311"
    assert event.actor_label == "open311:Street app"
    assert "13912345678" not in str(event.summary)
    submission = Submission.objects.get(case=case)
    assert submission.api_key.name == "Street app"
    assert (submission.email, submission.device_id, submission.account_id) == (
        "li.si@example.org",
        "device-42",
        "acct-7",
    )
    assert case.external_ref == f"open311:{submission.token}"
    assert CaseStatusChange.objects.get(case=case).actor_label == "open311:Street app"


def test_json_post_answers_with_a_json_list(client, api_key, world):
    response = post(client, "json", form(api_key, account_id=None))
    assert response.status_code == 200
    [item] = body(response)
    assert set(item) == {"service_request_id", "service_notice", "account_id"}
    assert item["account_id"] is None
    assert Case.objects.filter(code=item["service_request_id"]).exists()


def test_address_id_places_the_report_at_a_known_building(client, api_key, world):
    response = post(client, "json", form(api_key, lat=None, long=None, address_id="BLDG-7"))
    assert response.status_code == 200, response.content
    case = Case.objects.get(code=body(response)[0]["service_request_id"])
    assert (case.lon, case.lat) == pytest.approx((121.407, 31.207))
    assert case.address == "幸福小区7号楼"
    assert case.grid_code == "G1a"
    assert Submission.objects.get(case=case).address_id == "BLDG-7"


def test_address_id_may_name_a_level4_area(client, api_key, world):
    response = post(client, "json", form(api_key, lat=None, long=None, address_id="R1"))
    assert response.status_code == 200, response.content
    case = Case.objects.get(code=body(response)[0]["service_request_id"])
    assert 121.402 <= case.lon <= 121.410 and 31.202 <= case.lat <= 31.210


def test_address_string_naming_a_known_building_is_enough(client, api_key, world):
    pairs = form(api_key, lat=None, long=None, address_string="上海市X区 幸福小区7号楼 东门")
    response = post(client, "json", pairs)
    assert response.status_code == 200, response.content
    case = Case.objects.get(code=body(response)[0]["service_request_id"])
    assert (case.lon, case.lat) == pytest.approx((121.407, 31.207))
    assert case.address == "上海市X区 幸福小区7号楼 东门"


def test_gcj02_coordinates_are_converted_when_the_client_says_so(client, api_key, world):
    from yiwang.territory.coords import wgs84_to_gcj02

    glon, glat = wgs84_to_gcj02(*IN_G1A)
    response = post(client, "json", form(api_key, lat=f"{glat:.7f}", long=f"{glon:.7f}", coord_system="gcj02"))
    assert response.status_code == 200, response.content
    case = Case.objects.get(code=body(response)[0]["service_request_id"])
    assert (case.lon, case.lat) == pytest.approx(IN_G1A, abs=1e-5)


def test_a_post_without_description_is_recorded_under_the_service_name(client, api_key, world):
    response = post(client, "json", form(api_key, description=""))
    assert response.status_code == 200
    case = Case.objects.get(code=body(response)[0]["service_request_id"])
    assert case.description == "暴露垃圾"


def test_a_token_key_gets_a_token_which_resolves_once_the_case_is_accepted(client, token_key, world):
    from tests.operations.conftest import actor
    from yiwang.operations.actions import accept

    response = post(client, "xml", form(token_key))
    assert response.status_code == 200
    request = xml(response).find("request")
    assert request.find("service_request_id") is None
    token = request.findtext("token")
    assert token
    waiting = xml(get(client, f"tokens/{token}.xml")).find("request")
    assert waiting.findtext("token") == token
    assert not waiting.findtext("service_request_id")  # queued: nobody has looked at it yet
    case = Submission.objects.get(token=token).case
    accept(actor(world.dispatcher), case)
    [ready] = body(get(client, f"tokens/{token}.json"))
    assert ready == {"service_request_id": case.code, "token": token}


def test_unknown_token_is_404(client, world):
    response = get(client, "tokens/nosuchtoken.json")
    assert response.status_code == 404
    assert body(response) == [{"code": 404, "description": "token “nosuchtoken” was not found."}]


def test_api_key_may_come_in_the_query_string_and_is_marked_used(client, api_key, world):
    from urllib.parse import urlencode

    from yiwang.operations.open311.models import ApiKey

    pairs = [p for p in form(api_key) if p[0] != "api_key"]
    response = client.post(
        f"/open311/v2/requests.json?api_key={api_key}",
        data=urlencode(pairs),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert ApiKey.objects.get(name="Street app").last_used_at is not None
