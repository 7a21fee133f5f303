"""Rotation: the new key signs from now on, old licences still verify until their key is retired."""

import pytest
from django.core.management import CommandError, call_command

from yiwang.core.actor import Actor
from yiwang.services.licences.keys import jwks
from yiwang.services.licences.models import SigningKey
from yiwang.services.licences.tokens import licence_token
from yiwang.services.licences.verify import verify_licence

pytestmark = pytest.mark.django_db


def kid_of(token):
    from joserfc import jws

    return jws.extract_compact(token.encode()).protected["kid"]


def test_rotation_keeps_old_licences_valid_and_signs_new_ones_with_the_new_key(issue):
    before, old_token = issue()
    call_command("licences", "rotate-key")
    after, new_token = issue()
    assert kid_of(old_token) == before.signing_key.kid
    assert kid_of(new_token) == after.signing_key.kid != before.signing_key.kid
    assert verify_licence(old_token).valid and verify_licence(new_token).valid
    assert {k["kid"] for k in jwks()["keys"]} == {before.signing_key.kid, after.signing_key.kid}


def test_retired_key_no_longer_verifies_its_licences(issue):
    old, old_token = issue()
    call_command("licences", "rotate-key")
    _, new_token = issue()
    call_command("licences", "retire-key", "--", old.signing_key.kid)  # a kid may begin with "-"
    assert verify_licence(old_token).reason == "key_retired"
    assert verify_licence(new_token).valid
    assert old.signing_key.kid not in {k["kid"] for k in jwks()["keys"]}


def test_retiring_an_unknown_or_retired_key_is_refused(issue):
    licence, _ = issue()
    with pytest.raises(CommandError):
        call_command("licences", "retire-key", "nope")
    call_command("licences", "retire-key", "--", licence.signing_key.kid)
    with pytest.raises(CommandError):
        call_command("licences", "retire-key", "--", licence.signing_key.kid)


def test_private_keys_and_tokens_are_sealed_at_rest(issue, settings):
    licence, token = issue(holder_id_number="11010519491231002X")
    key = SigningKey.objects.get()
    assert "PRIVATE KEY" not in key.private_key_sealed and key.private_key_sealed.startswith("v1:")
    assert "d" not in key.public_jwk  # the published JWK has no private part
    assert token not in licence.token_sealed
    assert licence_token(licence) == token
    assert licence.holder_id_masked == "110***********002X"
    settings.YIWANG_LICENCE_KEY_SECRET = "another secret"
    with pytest.raises(Exception):  # noqa: B017 - the AEAD refuses a wrong key (InvalidTag)
        licence_token(licence)


def test_rotation_is_audited_and_refused_to_ordinary_users(db):
    from tests.factories import make_user
    from yiwang.core.actions import PermissionDenied
    from yiwang.core.audit.models import AuditEvent
    from yiwang.services.licences.keys import rotate_key

    key = rotate_key(Actor.system())
    assert AuditEvent.objects.filter(action="licences.key.rotate", object_id=str(key.pk)).exists()
    with pytest.raises(PermissionDenied):
        rotate_key(Actor(user=make_user()))
