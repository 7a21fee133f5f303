"""The small district of the operations tests, Open311 clients' keys, and helpers that talk like a client."""

import json
import xml.etree.ElementTree as ET

import pytest

from tests.operations.conftest import IN_G1A, IN_G2A, OUTSIDE, build_world  # noqa: F401
from tests.territory.builders import poi, poi_collection
from yiwang.core.actor import Actor

BASE = "/open311/v2/"

QUESTIONS = [
    {"code": "volume", "datatype": "singlevaluelist", "required": True, "description": "How much?",
     "values": [{"key": "small", "name": "A bag"}, {"key": "large", "name": "A heap"}]},
    {"code": "kinds", "datatype": "multivaluelist", "required": False, "description": "What kind of rubbish?",
     "values": {"household": "Household", "building": "Building waste", "garden": "Garden waste"}},
    {"code": "bags", "datatype": "number", "required": False, "description": "Number of bags"},
    {"code": "seen_at", "datatype": "datetime", "required": False, "description": "When seen"},
    {"code": "landmark", "datatype": "string", "required": False, "description": "Nearest landmark"},
    {"code": "details", "datatype": "text", "required": False, "description": "Anything else"},
]  # fmt: skip


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # the world has a dozen users; PBKDF2 at full strength costs ~1 s each on this machine
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_territory_caches():
    from yiwang.territory import services

    services.invalidate()
    yield
    services.invalidate()


@pytest.fixture
def world(db):
    from yiwang.operations.models import Category, Pillar
    from yiwang.territory.actions import import_pois

    w = build_world()
    w.garbage.questions = QUESTIONS
    w.garbage.save()
    # a non-public category: descriptions of its cases never leave through GET
    w.eldercare = Category.objects.create(
        code="LIVE-ELDER", name="独居老人关爱", name_en="Elderly living alone", pillar=Pillar.LIVELIHOOD, public=False
    )
    import_pois(
        Actor.system(),
        poi_collection(
            poi("BLDG-7", "residential_building", 121.407, 31.207, name="幸福小区7号楼"),
            poi("CAM-1", "camera", 121.43, 31.21, name="摄像头1"),
        ),
    )
    return w


@pytest.fixture
def api_key(world):
    from yiwang.operations.open311.keys import issue_key

    row, secret = issue_key(Actor.system(), name="Street app", contact="apps@example.org")
    return secret


@pytest.fixture
def token_key(world):
    from yiwang.operations.open311.keys import issue_key

    row, secret = issue_key(Actor.system(), name="Batch app", reply_with_token=True)
    return secret


def form(api_key, **fields):
    """A typical client POST body (a list of pairs, so attribute[CODE][] can repeat)."""
    data = {
        "api_key": api_key,
        "service_code": "ENV-GARBAGE",
        "lat": str(IN_G1A[1]),
        "long": str(IN_G1A[0]),
        "description": "Rubbish heaped by the gate",
        "attribute[volume]": "large",
        "first_name": "Si",
        "last_name": "Li",
        "phone": "13912345678",
        "email": "li.si@example.org",
        "device_id": "device-42",
        "account_id": "acct-7",
    }
    data.update(fields)
    return [(k, v) for k, v in data.items() if v is not None]


def post(client, fmt, pairs, **headers):
    from urllib.parse import urlencode

    return client.post(
        f"{BASE}requests.{fmt}",
        data=urlencode(pairs),
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )


def get(client, path, **params):
    return client.get(BASE + path, params, HTTP_ACCEPT_LANGUAGE="en")


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml"), response["Content-Type"]
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def body(response):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def error_descriptions(response) -> list[str]:
    """The descriptions of the spec's error list, in either format (checking the codes match the status)."""
    if response["Content-Type"].startswith("text/xml"):
        root = xml(response)
        assert root.tag == "errors"
        items = [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]
    else:
        items = [(e["code"], e["description"]) for e in body(response)]
    assert items and all(code == response.status_code for code, _ in items)
    return [d for _, d in items]


def report(world, user=None, *, category=None, at=IN_G1A, channel="hotline", **kwargs):
    """A case reported through another channel (the hotline by default), with the required answers."""
    from tests.operations.conftest import actor
    from yiwang.operations.actions import Reporter, report_case

    category = category or world.garbage
    if category == world.garbage:
        kwargs.setdefault("answers", {"volume": "small"})
    kwargs.setdefault("reporter", Reporter(name="李四", phone="13912345678"))
    kwargs.setdefault("discovery", "passive")
    kwargs.setdefault("address", "S1 road 1")
    kwargs.setdefault("description", "A heap of rubbish by the gate")
    return report_case(actor(user or world.hotline), channel=channel, category=category, lon=at[0], lat=at[1], **kwargs)
