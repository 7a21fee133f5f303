"""Signing in through a real (fake) OIDC provider on localhost: the whole code flow with PKCE."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import override_settings

from tests.core.fake_oidc import FakeProvider
from tests.factories import make_user
from yiwang.core import scope
from yiwang.core.audit.models import AuditEvent
from yiwang.core.identity import oidc
from yiwang.core.models import LoginRecord, User
from yiwang.core.roles import Role

ID_NUMBER = "11010519491231002X"  # the standard's sample number (valid check digit)


@pytest.fixture
def provider(db):
    fake = FakeProvider().start()
    config = {
        "ISSUER": fake.issuer,
        "CLIENT_ID": fake.client_id,
        "CLIENT_SECRET": fake.client_secret,
        "ACR_MAP": {"urn:gov:sso": "gov_sso", "urn:id:card": "id_card"},
        "DEFAULT_ASSURANCE": "gov_sso",
    }
    oidc.reset_caches()
    with override_settings(OIDC=config):
        yield fake
    oidc.reset_caches()
    fake.stop()


def sign_in(client, next_url="/after/"):
    start = client.get("/accounts/oidc/login/", {"next": next_url})
    assert start.status_code == 302, start
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/accounts/oidc/callback/"
    return client.get(back.path, parse_qs(back.query))


def logged_in_user(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


@pytest.mark.parametrize("algorithm", ["ES256", "RS256"])
def test_sign_in_creates_a_resident_and_records_the_login(client, provider, algorithm):
    provider.behaviour.algorithm = algorithm
    provider.behaviour.claims = {"acr": "urn:gov:sso", "name": "张三"}
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/after/"
    user = logged_in_user(client)
    assert user is not None and user.oidc_subject == "subject-1"
    assert user.display_name == "张三"
    assert scope.acting_roles(user) == {Role.RESIDENT}
    assert client.session["assurance"] == "gov_sso"
    record = LoginRecord.objects.get(user=user)
    assert (record.method, record.assurance, record.client_ip) == ("oidc", "gov_sso", "127.0.0.1")
    assert AuditEvent.objects.filter(action="core.user.login", object_id=str(user.pk)).exists()


def test_the_flow_uses_pkce_state_and_nonce(client, provider):
    start = client.get("/accounts/oidc/login/")
    query = parse_qs(urlsplit(start["Location"]).query)
    flow = client.session["oidc_flow"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] == [oidc.pkce_challenge(flow["code_verifier"])]
    assert query["state"] == [flow["state"]] and query["nonce"] == [flow["nonce"]]
    back = urlsplit(requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"])
    client.get(back.path, parse_qs(back.query))
    assert provider.token_requests[-1]["code_verifier"] == flow["code_verifier"]
    assert "oidc_flow" not in client.session  # one use only


@pytest.mark.parametrize(
    ("claims", "assurance"),
    [
        ({"acr": "urn:id:card"}, "id_card"),
        ({"acr": "urn:gov:sso"}, "gov_sso"),
        ({}, "gov_sso"),
        ({"acr": "urn:unknown"}, "password"),
    ],
)
def test_acr_maps_to_the_session_assurance(client, provider, claims, assurance):
    provider.behaviour.claims = claims
    sign_in(client)
    assert client.session["assurance"] == assurance
    assert LoginRecord.objects.get().assurance == assurance


def test_a_verified_id_number_claim_is_bound_to_the_account(client, provider):
    provider.behaviour.claims = {"acr": "urn:id:card", "id_number": ID_NUMBER.lower()}
    sign_in(client)
    user = logged_in_user(client)
    assert user.verified_id_number == ID_NUMBER and user.id_verified_at is not None
    event = AuditEvent.objects.get(action="core.user.verify_id")
    assert ID_NUMBER not in str(event.summary) and event.summary["after"]["source"] == "oidc"


def test_an_id_number_from_a_password_level_login_is_ignored(client, provider):
    provider.behaviour.claims = {"acr": "urn:unknown", "id_number": ID_NUMBER}
    sign_in(client)
    user = logged_in_user(client)
    assert user is not None and user.verified_id_number == ""


def test_a_known_subject_logs_in_to_the_existing_staff_account(client, provider):
    staff = make_user(Role.DISPATCHER, oidc_subject="subject-1")
    sign_in(client)
    assert logged_in_user(client) == staff
    assert User.objects.count() == 1


def test_an_id_card_account_is_linked_to_the_oidc_subject_by_its_verified_number(client, provider):
    resident = make_user(Role.RESIDENT, verified_id_number=ID_NUMBER)
    provider.behaviour.claims = {"acr": "urn:gov:sso", "id_number": ID_NUMBER}
    sign_in(client)
    resident.refresh_from_db()
    assert logged_in_user(client) == resident and resident.oidc_subject == "subject-1"


REFUSED = {
    "forged signature": ({"forge": True}, "signature"),
    "expired": ({"expires_in": -600}, "expired"),
    "wrong nonce": ({"nonce": "not-the-nonce"}, "nonce"),
    "wrong audience": ({"audience": "another-client"}, "aud"),
    "wrong issuer": ({"issuer": "http://127.0.0.1:1"}, "iss"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_bad_id_token_is_refused(client, provider, case, caplog):
    changes, reason = REFUSED[case]
    for name, value in changes.items():
        setattr(provider.behaviour, name, value)
    with caplog.at_level("WARNING", logger="yiwang.core.identity.views"):
        response = sign_in(client)
    assert reason in caplog.text, caplog.text
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert logged_in_user(client) is None
    assert not User.objects.exists() and not LoginRecord.objects.exists()


def test_a_callback_with_a_wrong_state_is_refused(client, provider):
    start = client.get("/accounts/oidc/login/")
    back = urlsplit(requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"])
    query = parse_qs(back.query)
    query["state"] = ["forged-state"]
    response = client.get(back.path, query)
    assert response.status_code == 400
    assert logged_in_user(client) is None


def test_verify_id_token_rejects_a_token_signed_by_another_key(provider):
    provider.behaviour.forge = True
    token = provider.id_token("n-1")
    with pytest.raises(oidc.OIDCError, match="signature"):
        oidc.verify_id_token(token, "n-1")
    provider.behaviour.forge = False
    assert oidc.verify_id_token(provider.id_token("n-1"), "n-1")["sub"] == "subject-1"


def test_single_sign_on_is_absent_when_no_issuer_is_configured(client, db):
    with override_settings(OIDC={"ISSUER": ""}):
        assert client.get("/accounts/oidc/login/").status_code == 404
        assert "oidc" not in client.get("/accounts/login/").content.decode()


def test_a_plain_http_provider_off_the_loopback_is_refused():
    with pytest.raises(oidc.OIDCError, match="non-HTTPS"):
        oidc._check_url("http://sso.example.gov.cn/authorize")
