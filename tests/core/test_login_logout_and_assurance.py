"""Password login and logout pages, login records, and asking for a stronger login."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from tests.factories import login_as, make_user
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.identity import InsufficientAssurance, assurance_required, require_assurance
from yiwang.core.models import LoginRecord
from yiwang.core.roles import Role


@pytest.mark.django_db
def test_password_login_records_method_assurance_and_address(client):
    user = make_user(Role.DISPATCHER, username="disp", password="pw-long-enough-1")
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "disp", "password": "pw-long-enough-1"}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    assert client.session["assurance"] == "password"
    record = LoginRecord.objects.get(user=user)
    assert (record.method, record.assurance, record.client_ip) == ("password", "password", "10.1.2.3")
    login_event = AuditEvent.objects.get(action="core.user.login")
    assert login_event.object_id == str(user.pk) and login_event.actor_label == "disp"


@pytest.mark.django_db
def test_a_wrong_password_logs_nobody_in_and_records_only_a_failed_attempt(client):
    user = make_user(username="disp", password="pw-long-enough-1")
    response = client.post("/accounts/login/", {"username": "disp", "password": "wrong"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not LoginRecord.objects.filter(user=user).exists()
    assert list(LoginRecord.objects.values_list("outcome", flat=True)) == ["failed"]


@pytest.mark.django_db
def test_an_inactive_user_cannot_log_in(client):
    make_user(username="gone", password="pw-long-enough-1", is_active=False)
    client.post("/accounts/login/", {"username": "gone", "password": "pw-long-enough-1"})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_post_only(client):
    login_as(client, make_user())
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_page_says_which_assurance_is_needed(client):
    page = client.get("/accounts/login/", {"assurance": "id_card", "next": "/x/"}).content.decode()
    assert "身份证核验" in page or "Verified ID card" in page


LEVELS = [
    ("password", "password", True),
    ("password", "id_card", False),
    ("id_card", "id_card", True),
    ("gov_sso", "id_card", True),
    ("id_card", "gov_sso", False),
    ("bogus", "password", True),  # an unknown session value counts as the weakest level
    ("bogus", "id_card", False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("session_level", "needed", "ok"), LEVELS)
def test_require_assurance_compares_levels(client, session_level, needed, ok):
    login_as(client, make_user(), assurance=session_level)
    request = RequestFactory().get("/")
    request.user = make_user()
    request.session = client.session
    if ok:
        require_assurance(request, needed)
    else:
        with pytest.raises(InsufficientAssurance):
            require_assurance(request, needed)


@pytest.mark.django_db
def test_require_assurance_refuses_anonymous_requests(client):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = client.session
    with pytest.raises(InsufficientAssurance):
        require_assurance(request, "password")


@pytest.mark.django_db
def test_assurance_required_view_sends_a_weak_login_to_log_in_again(client):
    @assurance_required("id_card")
    def view(request):
        return HttpResponse("secret")

    user = make_user()
    login_as(client, user, assurance="password")
    request = RequestFactory().get("/records/7/")
    request.user, request.session = user, client.session
    response = view(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?") and "assurance=id_card" in response["Location"]
    login_as(client, user, assurance="id_card")
    request.session = client.session
    assert view(request).content == b"secret"


@pytest.mark.django_db
def test_actor_from_request_carries_the_session_assurance(client):
    user = make_user()
    login_as(client, user, assurance="gov_sso")
    request = RequestFactory().get("/")
    request.user, request.session = user, client.session
    assert Actor.from_request(request).assurance == "gov_sso"


@pytest.mark.django_db
@pytest.mark.parametrize(("behind_proxy", "expected"), [(False, "10.9.9.9"), (True, "203.0.113.7")])
def test_the_client_address_trusts_x_forwarded_for_only_behind_our_proxy(settings, behind_proxy, expected):
    from yiwang.core.actor import client_address

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if behind_proxy else None
    request = RequestFactory().get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_address(request) == expected
