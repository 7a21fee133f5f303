"""A real HTTP client (requests) against a live server: what an Open311 app on a phone does."""

import xml.etree.ElementTree as ET

import pytest
import requests

from tests.open311.conftest import IN_G1A

pytestmark = pytest.mark.django_db(transaction=True)


def test_post_form_then_fetch_the_request_back_in_both_formats(live_server, world, api_key):
    base = f"{live_server.url}/open311/v2/"
    with requests.Session() as http:
        services = http.get(base + "services.json", timeout=10)
        assert services.status_code == 200
        assert services.headers["Content-Type"] == "application/json; charset=utf-8"
        assert "ENV-GARBAGE" in {s["service_code"] for s in services.json()}
        definition = ET.fromstring(http.get(base + "services/ENV-GARBAGE.xml", timeout=10).content)
        required = [a.findtext("code") for a in definition.iter("attribute") if a.findtext("required") == "true"]
        assert required == ["volume"]

        data = [
            ("api_key", api_key),
            ("service_code", "ENV-GARBAGE"),
            ("lat", str(IN_G1A[1])),
            ("long", str(IN_G1A[0])),
            ("address_string", "幸福小区7号楼"),
            ("description", "垃圾堆在门口 <b>已经三天</b>"),
            ("attribute[volume]", "large"),
            ("attribute[kinds][]", "household"),
            ("attribute[kinds][]", "building"),
            ("email", "resident@example.org"),
        ]
        created = http.post(base + "requests.xml", data=data, timeout=10)
        assert created.status_code == 200, created.text
        assert created.headers["Content-Type"] == "text/xml; charset=utf-8"
        code = ET.fromstring(created.content).findtext("request/service_request_id")
        assert code

        fetched = http.get(base + f"requests/{code}.json", params={"extensions": "true"}, timeout=10)
        [item] = fetched.json()
        assert item["service_request_id"] == code
        assert item["status"] == "open"
        assert item["description"] == "垃圾堆在门口 <b>已经三天</b>"
        assert item["address"] == "幸福小区7号楼"
        assert item["extended_attributes"]["notes"][0]["detailed_status"] == "reported"
        assert "resident@example.org" not in fetched.text

        listed = ET.fromstring(
            http.get(base + "requests.xml", params={"service_code": "ENV-GARBAGE"}, timeout=10).content
        )
        assert [r.findtext("service_request_id") for r in listed.iter("request")] == [code]

        refused = http.post(base + "requests.json", data=[p for p in data if p[0] != "api_key"], timeout=10)
        assert refused.status_code == 403
        assert refused.json()[0]["code"] == 403
