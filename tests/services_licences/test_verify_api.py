"""POST /api/v1/licences/verify and the JWKS, as an outside verifier sees them."""

import json

import pytest

from yiwang.core.actor import Actor
from yiwang.services.licences.actions import revoke_licence

pytestmark = pytest.mark.django_db
URL = "/api/v1/licences/verify"


def post(client, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def test_valid_licence_answers_valid_with_masked_holder_only(client, issue):
    licence, token = issue(holder_id_number="11010519491231002X", holder_name="王小明")
    response = post(client, {"credential": token})
    assert response.status_code == 200
    data = response.json()
    assert data["valid"] is True and data["reason"] == "valid"
    assert data["holder"] == "110***********002X" and data["holder_name"] == "王**"
    assert data["number"] == licence.number
    assert "11010519491231002X" not in response.content.decode()


def test_revoked_licence_answers_invalid_with_its_reason(client, issue):
    licence, token = issue()
    revoke_licence(Actor.system(), licence, reason="duplicate")
    data = post(client, {"credential": token}).json()
    assert (data["valid"], data["reason"]) == (False, "revoked")
    assert data["message"] == "The licence has been revoked."


def test_garbage_credential_is_invalid_not_an_error(client, db):
    data = post(client, {"credential": "not-a-token"}).json()
    assert (data["valid"], data["reason"]) == (False, "malformed")


@pytest.mark.parametrize(
    ("body", "fragment", "loc"),
    [
        ('{"credential": ', "not valid JSON", ["body"]),
        ("[1, 2]", "must be a JSON object", ["body"]),
        ("{}", '"credential" is missing', ["body", "credential"]),
        ('{"credential": 7}', "must be a string", ["body", "credential"]),
        (json.dumps({"credential": "x" * 9000}), "longer than", ["body", "credential"]),
    ],
)
def test_bad_bodies_give_a_precise_422(client, db, body, fragment, loc):
    response = post(client, body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert fragment in detail["msg"] and detail["loc"] == loc


def test_invalid_json_names_line_and_column(client, db):
    detail = post(client, '{\n  "credential": oops}').json()["detail"][0]
    assert "line 2, column 17" in detail["msg"]


def test_jwks_publishes_active_public_keys_without_private_parts(client, issue):
    licence, _ = issue()
    keys = client.get("/api/v1/licences/jwks.json").json()["keys"]
    assert [k["kid"] for k in keys] == [licence.signing_key.kid]
    assert keys[0]["alg"] == "ES256" and keys[0]["crv"] == "P-256" and "d" not in keys[0]


def test_openapi_documents_the_request_body(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/licences/verify"]["post"]["requestBody"]["content"]["application/json"]
    assert "credential" in body["schema"]["properties"]
