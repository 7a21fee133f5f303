"""Every refusal is in the spec's error format, names the field precisely, and leaves nothing behind."""

import pytest

from tests.open311.conftest import OUTSIDE, error_descriptions, form, post
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.notify.models import Notification
from yiwang.operations.models import Case, CasePlace
from yiwang.operations.open311.models import Submission

pytestmark = pytest.mark.django_db


def counts():
    return (
        Case.objects.count(),
        CasePlace.objects.count(),
        Submission.objects.count(),
        AuditEvent.objects.filter(action__startswith="operations.").count(),
        Notification.objects.count(),
    )


def refused(client, pairs, status=400, fmt="xml") -> list[str]:
    before = counts()
    response = post(client, fmt, pairs)
    assert response.status_code == status, response.content
    assert counts() == before  # no case, place, submission, audit row or notification
    return error_descriptions(response)


def test_missing_api_key_is_403(client, world):
    assert refused(client, [p for p in form("") if p[0] != "api_key"], 403) == [
        "api_key is required to post a service request."
    ]


def test_unknown_api_key_is_403(client, world):
    assert refused(client, form("yw311_notissued"), 403, fmt="json") == ["api_key is not valid (unknown or revoked)."]


def test_revoked_api_key_is_403(client, api_key, world):
    from yiwang.operations.open311.keys import find_key, revoke_key

    assert post(client, "json", form(api_key)).status_code == 200  # the key is now in this worker's cache
    revoke_key(Actor.system(), find_key("Street app"))
    assert refused(client, form(api_key), 403) == ["api_key is not valid (unknown or revoked)."]


def test_missing_and_unknown_service_code(client, api_key, world):
    assert refused(client, form(api_key, service_code="")) == [
        "service_code is required (see services.xml for the codes)."
    ]
    assert refused(client, form(api_key, service_code="NOPE")) == [
        "service_code “NOPE” is not a service of this jurisdiction (see services.xml)."
    ]
    # a group (parent category) is not a service
    assert refused(client, form(api_key, service_code="ENV")) == [
        "service_code “ENV” is not a service of this jurisdiction (see services.xml)."
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"lat": None, "long": None}, "The location is required: lat and long, or address_string, or address_id."),
        ({"long": None}, "lat and long go together: send both, or neither."),
        ({"lat": "north"}, "lat “north” is not a number."),
        ({"lat": "91"}, "lat must lie between -90 and 90."),
        ({"long": "nan"}, "long must lie between -180 and 180."),
        ({"lat": str(OUTSIDE[1]), "long": str(OUTSIDE[0])}, "lies outside this jurisdiction"),
        ({"lat": None, "long": None, "address_id": "NOWHERE"}, "address_id “NOWHERE” is not a known building"),
        ({"lat": None, "long": None, "address_string": "月球"}, "address_string names no residential area"),
        ({"coord_system": "osgb36"}, "coord_system “osgb36” is unknown: use wgs84, gcj02 or bd09."),
    ],
)
def test_location_problems_are_named(client, api_key, world, fields, message):
    [description] = refused(client, form(api_key, **fields))
    assert message in description


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-address"}, "email “not-an-address” is not an e-mail address."),
        ({"phone": "call me"}, "phone may hold only digits, spaces, brackets, hyphens and a leading +."),
        ({"media_url": "javascript:alert(1)"}, "media_url must be an http or https URL."),
        ({"description": "x" * 4001}, "description is longer than 4,000 characters."),
        ({"first_name": "y" * 51}, "first_name is longer than 50 characters."),
        ({"description": "bad\x00byte"}, "description contains a control character."),
    ],
)
def test_contact_and_text_problems_are_named(client, api_key, world, fields, message):
    assert refused(client, form(api_key, **fields)) == [message]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("attribute[volume]", "")], "attribute[volume] is required for service ENV-GARBAGE."),
        ([("attribute[volume]", "enormous")], "attribute[volume] is not one of the keys listed in the service"),
        ([("attribute[volume]", "small"), ("attribute[volume]", "large")], "attribute[volume] takes exactly one"),
        ([("attribute[kinds][]", "household"), ("attribute[kinds][]", "toxic")], "attribute[kinds] is not one of"),
        ([("attribute[bags]", "three")], "attribute[bags] must be a number."),
        ([("attribute[seen_at]", "yesterday")], "attribute[seen_at] must be a date and time in ISO 8601."),
        ([("attribute[landmark]", "z" * 201)], "attribute[landmark] is too long."),
        ([("attribute[colour]", "red")], "attribute[colour] is not an attribute of service ENV-GARBAGE."),
        ([("attribute[volume", "x")], "“attribute[volume” is not a well-formed attribute"),
    ],
)
def test_attribute_problems_are_named(client, api_key, world, pairs, message):
    base = [p for p in form(api_key) if p[0] != "attribute[volume]"]
    if not any(k.startswith("attribute[volume]") for k, _ in pairs):
        base.append(("attribute[volume]", "large"))
    descriptions = refused(client, base + pairs)
    assert any(message in d for d in descriptions), descriptions


def test_every_problem_is_listed_at_once(client, api_key, world):
    pairs = form(api_key, lat="91", email="nope", **{"attribute[volume]": "", "attribute[bags]": "many"})
    descriptions = refused(client, pairs, fmt="json")
    assert descriptions == [
        "email “nope” is not an e-mail address.",
        "lat must lie between -90 and 90.",
        "attribute[volume] is required for service ENV-GARBAGE.",
        "attribute[bags] must be a number.",
    ]


def test_a_refusal_by_the_case_action_rolls_back_the_whole_post(client, api_key, world, monkeypatch):
    """If the operations context refuses after writing part of the case, nothing of it stays."""
    from yiwang.core.actions import ActionError
    from yiwang.operations.open311 import intake

    def failing_insert(objs):
        raise ActionError("The submission could not be stored.")

    monkeypatch.setattr(intake, "insert_objects", failing_insert)  # the submission row's insert
    assert refused(client, form(api_key)) == ["The submission could not be stored."]
