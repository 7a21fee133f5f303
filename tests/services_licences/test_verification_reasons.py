"""A licence verifies as valid only untouched, signed by a platform key, in its dates and not revoked."""

import base64
import json
from datetime import date, timedelta

import pytest
from joserfc import jws
from joserfc.jwk import ECKey, OctKey

from yiwang.core.actor import Actor
from yiwang.services.licences.actions import revoke_licence
from yiwang.services.licences.models import SigningKey
from yiwang.services.licences.verify import REASONS, verify_licence

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parts(token):
    header, payload, signature = token.split(".")
    return json.loads(unb64(header)), json.loads(unb64(payload)), signature


def test_issued_licence_verifies_with_its_claims(issue):
    licence, token = issue(holder_name="李四")
    result = verify_licence(token)
    assert result.valid and result.reason == "valid"
    assert result.claims["number"] == licence.number
    assert result.claims["holder_name"] == "李四"
    assert result.claims["licence_type"] == "BIZ_LICENCE"
    assert parts(token)[0]["alg"] == licence.algorithm == "ES256"


def test_tampered_payload_is_a_bad_signature(issue):
    _, token = issue()
    header, payload, signature = token.split(".")
    claims = json.loads(unb64(payload))
    claims["valid_until"] = "2099-12-31"
    forged = ".".join([header, b64(json.dumps(claims).encode()), signature])
    assert verify_licence(forged).reason == "bad_signature"
    assert not verify_licence(forged).valid


def test_altered_signature_is_a_bad_signature(issue):
    _, token = issue()
    header, payload, signature = token.split(".")
    raw = bytearray(unb64(signature))
    raw[5] ^= 0x01
    assert verify_licence(f"{header}.{payload}.{b64(bytes(raw))}").reason == "bad_signature"


def test_token_signed_with_another_key_under_our_kid_is_a_bad_signature(issue):
    licence, token = issue()
    header, claims, _ = parts(token)
    stranger = ECKey.generate_key("P-256", private=True)
    forged = jws.serialize_compact(header, json.dumps(claims).encode(), stranger, algorithms=["ES256"])
    assert verify_licence(forged).reason == "bad_signature"


def test_token_with_an_unknown_kid_is_refused(issue):
    _, token = issue()
    header, claims, _ = parts(token)
    stranger = ECKey.generate_key("P-256", private=True)
    forged = jws.serialize_compact(
        {"alg": "ES256", "kid": "not-ours"}, json.dumps(claims).encode(), stranger, algorithms=["ES256"]
    )
    assert verify_licence(forged).reason == "unknown_key"


def test_alg_none_is_refused(issue):
    _, token = issue()
    header, claims, _ = parts(token)
    header["alg"] = "none"
    unsigned = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}."
    assert verify_licence(unsigned).reason == "algorithm_not_allowed"


def test_hs256_with_the_public_key_as_secret_is_refused(issue):
    licence, token = issue()
    header, claims, _ = parts(token)
    public = json.dumps(licence.signing_key.public_jwk).encode()
    forged = jws.serialize_compact(
        {"alg": "HS256", "kid": header["kid"]},
        json.dumps(claims).encode(),
        OctKey.import_key(public),
        algorithms=["HS256"],
    )
    result = verify_licence(forged)
    assert result.reason == "algorithm_not_allowed" and result.claims is None


def test_expired_and_not_yet_valid_licences_are_invalid(issue):
    today = date.today()
    _, old = issue(valid_from=today - timedelta(days=400), valid_until=today - timedelta(days=1))
    _, future = issue(valid_from=today + timedelta(days=1), valid_until=today + timedelta(days=400))
    _, last_day = issue(valid_from=today - timedelta(days=30), valid_until=today)
    assert verify_licence(old).reason == "expired"
    assert verify_licence(future).reason == "not_yet_valid"
    assert verify_licence(last_day).valid  # valid through its last day


def test_revoked_licence_is_invalid_and_audited(issue):
    from yiwang.core.audit.models import AuditEvent

    licence, token = issue()
    revoke_licence(Actor.system(), licence, reason="issued in error")
    result = verify_licence(token)
    assert result.reason == "revoked" and not result.valid
    assert result.claims["number"] == licence.number
    event = AuditEvent.objects.get(action="licences.licence.revoke", object_id=str(licence.pk))
    assert event.summary["after"]["status"] == "revoked"


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "a.b", "x" * 9000, "eyJhbGciOiJFUzI1NiJ9..", None, 42])
def test_garbage_is_malformed_never_an_exception(garbage, issue):
    issue()
    assert verify_licence(garbage).reason in {"malformed", "algorithm_not_allowed", "unknown_key"}
    assert not verify_licence(garbage).valid


def test_every_reason_has_a_message():
    assert all(str(message) for message in REASONS.values())


def test_licence_missing_from_the_library_is_invalid(issue):
    licence, token = issue()
    type(licence).objects.filter(pk=licence.pk).delete()
    assert verify_licence(token).reason == "unknown_licence"
    assert SigningKey.objects.count() == 1
