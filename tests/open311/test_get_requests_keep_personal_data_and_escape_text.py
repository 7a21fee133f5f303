import pytest

from tests.open311.conftest import body, form, get, post, report, xml
from tests.operations.conftest import actor, advance
from yiwang.operations.actions import Reporter

pytestmark = pytest.mark.django_db

SPEC_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def test_every_spec_field_in_order_with_zoned_dates_and_the_deadline(client, world):
    case = advance(world, report(world), "dispatched")
    [item] = body(get(client, f"requests/{case.code}.json"))
    assert list(item) == SPEC_FIELDS
    assert item["status"] == "open"
    assert item["agency_responsible"] == "Urban management 城管"
    assert item["service_name"] == "Exposed garbage"
    assert item["requested_datetime"].endswith("+08:00")
    assert item["updated_datetime"] >= item["requested_datetime"]
    assert item["expected_datetime"].endswith("+08:00")
    case.refresh_from_db()
    from datetime import datetime

    assert datetime.fromisoformat(item["expected_datetime"]) == case.due_at
    assert (item["lat"], item["long"]) == (case.lat, case.lon)
    element = xml(get(client, f"requests/{case.code}.xml")).find("request")
    assert [child.tag for child in element] == SPEC_FIELDS
    assert element.findtext("expected_datetime") == item["expected_datetime"]


def test_reporter_contact_details_never_leave_through_get(client, api_key, world):
    posted = body(post(client, "json", form(api_key)))[0]["service_request_id"]
    hotline = report(world, reporter=Reporter(name="王小明", phone="13700001111"))
    for path in ("requests.xml", "requests.json", f"requests/{posted}.xml", f"requests/{hotline.code}.json"):
        text = get(client, path, extensions="true").content.decode()
        for secret in ("13912345678", "li.si@example.org", "device-42", "acct-7", "Si", "Li ", "王小明", "13700001111"):
            assert secret not in text, (path, secret)
        assert "dispatcher_s1" not in text  # nor staff user names


def test_non_public_categories_are_listed_without_description_address_or_exact_place(client, world):
    secret = report(world, category=world.eldercare, description="Mrs Zhang, 80, has used no water for 14 hours")
    [item] = body(get(client, f"requests/{secret.code}.json", extensions="true"))
    assert item["service_code"] == "LIVE-ELDER"
    assert item["description"] == "" and item["address"] == ""
    assert item["lat"] == round(secret.lat, 3) and item["long"] == round(secret.lon, 3)
    assert "Zhang" not in str(item)
    public = report(world, description="Rubbish by the gate")
    [item] = body(get(client, f"requests/{public.code}.json"))
    assert item["description"] == "Rubbish by the gate"
    assert item["address"] == "S1 road 1"


def test_markup_in_a_description_comes_back_escaped_in_xml_and_as_plain_data_in_json(client, api_key, world):
    nasty = '<script>alert("x")</script> & </description><b>'
    code = body(post(client, "json", form(api_key, description=nasty)))[0]["service_request_id"]
    raw = get(client, f"requests/{code}.xml").content.decode()
    assert "<script>" not in raw and "</description><b>" not in raw
    assert "&lt;script&gt;" in raw
    assert xml(get(client, f"requests/{code}.xml")).find("request").findtext("description") == nasty
    [item] = body(get(client, f"requests/{code}.json"))
    assert item["description"] == nasty


def test_extensions_add_the_status_timeline_and_public_notes(client, world):
    from yiwang.operations.actions import reject

    case = reject(actor(world.dispatcher), report(world), reason="Not on public land")
    plain = body(get(client, f"requests/{case.code}.json"))[0]
    assert "extended_attributes" not in plain
    [item] = body(get(client, "requests.json", extensions="true"))
    ext = item["extended_attributes"]
    assert ext["detailed_status"] == "rejected"
    statuses = [(n["status"], n["detailed_status"]) for n in ext["notes"] if n["type"] == "status"]
    assert statuses == [("open", "reported"), ("closed", "rejected")]
    notes = [n for n in ext["notes"] if n["type"] == "note"]
    assert [(n["kind"], n["description"]) for n in notes] == [("rejection", "Not on public land")]
    root = xml(get(client, f"requests/{case.code}.xml", extensions="true"))
    xml_notes = root.findall("request/extended_attributes/notes/note")
    assert [n.findtext("detailed_status") for n in xml_notes if n.findtext("type") == "status"] == [
        "reported",
        "rejected",
    ]


def test_a_merged_case_is_closed_and_points_to_the_case_that_goes_on(client, world):
    from yiwang.operations.actions import merge_into

    first = report(world)
    second = report(world)
    merge_into(actor(world.dispatcher), second, first)
    [item] = body(get(client, f"requests/{second.code}.json"))
    assert item["status"] == "closed"
    assert first.code in item["status_notes"]
