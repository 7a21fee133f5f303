import pytest

from tests.open311.conftest import QUESTIONS, body, error_descriptions, get, xml

pytestmark = pytest.mark.django_db


def test_discovery_names_the_spec_this_endpoint_and_both_formats(client, world, settings):
    settings.OPEN311 = {**settings.OPEN311, "CONTACT": "城运中心 021-12345", "KEY_SERVICE": "Ask the operations centre"}
    root = xml(get(client, "discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("contact") == "城运中心 021-12345"
    assert root.findtext("key_service") == "Ask the operations centre"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2/"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    data = body(get(client, "discovery.json"))
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert data["endpoints"][0]["type"] == "production"


def test_services_are_the_leaf_categories_with_group_metadata_and_keywords(client, world):
    root = xml(get(client, "services.xml"))
    services = {s.findtext("service_code"): s for s in root.findall("service")}
    # parents are groups, not services; a top-level category without children is a service
    assert set(services) == {"ENV-GARBAGE", "MKT-UNLICENSED", "SAFE-FLOOD", "LIVE-ELDER"}
    garbage = services["ENV-GARBAGE"]
    assert garbage.findtext("service_name") == "Exposed garbage"  # English asked for: name_en
    assert garbage.findtext("group") == "City appearance"
    assert garbage.findtext("metadata") == "true"
    assert garbage.findtext("type") == "realtime"
    assert garbage.findtext("keywords") == "垃圾, rubbish, litter"
    assert "3 working days" in garbage.findtext("description")
    assert services["SAFE-FLOOD"].findtext("metadata") == "false"
    assert "4 hours" in services["SAFE-FLOOD"].findtext("description")
    assert services["LIVE-ELDER"].findtext("group").startswith("People's livelihood")
    as_json = {s["service_code"]: s for s in body(get(client, "services.json"))}
    assert as_json["ENV-GARBAGE"]["metadata"] is True
    assert as_json["MKT-UNLICENSED"]["metadata"] is False


def test_services_follow_the_language_asked_for(client, world):
    response = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    names = {s["service_code"]: s["service_name"] for s in body(response)}
    assert names["ENV-GARBAGE"] == "暴露垃圾"


def test_inactive_categories_and_children_of_inactive_parents_are_not_services(client, world):
    world.unlicensed.active = False
    world.unlicensed.save()
    world.safety.active = False
    world.safety.save()
    codes = {s["service_code"] for s in body(get(client, "services.json"))}
    # MKT lost its only active child: cases are now recorded against MKT itself (as report_case allows)
    assert codes == {"ENV-GARBAGE", "LIVE-ELDER", "MKT"}


def test_service_definition_lists_every_question_as_an_attribute(client, world):
    root = xml(get(client, "services/ENV-GARBAGE.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "ENV-GARBAGE"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == [q["code"] for q in QUESTIONS]
    assert [a.findtext("datatype") for a in attributes] == [q["datatype"] for q in QUESTIONS]
    assert [a.findtext("order") for a in attributes] == [str(i) for i in range(1, len(QUESTIONS) + 1)]
    volume = attributes[0]
    assert volume.findtext("variable") == "true"
    assert volume.findtext("required") == "true"
    assert volume.findtext("description") == "How much?"
    assert [(v.findtext("key"), v.findtext("name")) for v in volume.findall("values/value")] == [
        ("small", "A bag"),
        ("large", "A heap"),
    ]
    kinds = body(get(client, "services/ENV-GARBAGE.json"))["attributes"][1]
    assert kinds["values"][1] == {"key": "building", "name": "Building waste"}  # a mapping key → name
    assert "attribute[CODE][]" in kinds["datatype_description"]
    number = body(get(client, "services/ENV-GARBAGE.json"))["attributes"][2]
    assert "values" not in number and number["required"] is False


def test_unknown_service_is_404_in_the_spec_error_format(client, world):
    response = get(client, "services/NOPE.xml")
    assert response.status_code == 404
    assert error_descriptions(response) == ["service_code “NOPE” was not found."]
    response = get(client, "services/NOPE.json")
    assert response.status_code == 404
    assert error_descriptions(response) == ["service_code “NOPE” was not found."]


def test_the_configured_jurisdiction_is_accepted_and_any_other_is_404(client, world, settings):
    settings.OPEN311 = {**settings.OPEN311, "JURISDICTION_ID": "x-district.gov.cn"}
    assert get(client, "services.json", jurisdiction_id="x-district.gov.cn").status_code == 200
    response = get(client, "services.xml", jurisdiction_id="elsewhere.gov.cn")
    assert response.status_code == 404
    assert error_descriptions(response) == ["jurisdiction_id “elsewhere.gov.cn” was not found."]


def test_unknown_resources_and_formats_answer_404_in_the_spec_format(client, world):
    response = get(client, "services.csv")
    assert response.status_code == 404
    assert "services.csv" in error_descriptions(response)[0]
    response = get(client, "nothing.json")
    assert response.status_code == 404
    assert error_descriptions(response)


def test_a_wrong_method_is_405_with_allow(client, world):
    response = client.post("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert error_descriptions(response) == ["POST is not allowed here."]
