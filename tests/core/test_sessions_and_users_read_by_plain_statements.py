"""Each request's session and user are read by plain prepared statements (no ORM compilation); who is
logged in is decided exactly as Django decides it: a logout, an expired session, a deactivated user or a
changed password ends the login at the next request, and sessions made before the backend moved still
log their user in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.factories import make_user
from yiwang.core.identity.backends import DJANGO_MODEL_BACKEND
from yiwang.core.identity.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _logged_in(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _user_of(session_key: str):
    """The user the next request with this session cookie is (any worker: nothing is cached)."""
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = session_key
    SessionMiddleware(lambda r: None).process_request(request)
    return auth.get_user(request)


def test_a_logged_in_session_gives_its_user_with_its_fields():
    user = make_user(display_name="王五")
    found = _user_of(_logged_in(user))
    assert found.is_authenticated and found.pk == user.pk
    assert found.display_name == "王五" and found.date_joined == user.date_joined


def test_after_logout_the_session_is_nobody():
    key = _logged_in(make_user())
    SessionStore(session_key=key).flush()  # logout deletes the row
    assert not _user_of(key).is_authenticated


def test_an_expired_session_is_nobody():
    key = _logged_in(make_user())
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not _user_of(key).is_authenticated


def test_a_deactivated_user_is_nobody():
    user = make_user()
    key = _logged_in(user)
    user.is_active = False
    user.save()
    assert not _user_of(key).is_authenticated


def test_a_changed_password_ends_the_other_sessions():
    user = make_user()
    key = _logged_in(user)
    user.set_password("another-pw-yiwang")
    user.save()
    assert not _user_of(key).is_authenticated


def test_a_session_made_before_the_backend_moved_still_logs_its_user_in():
    user = make_user()
    key = _logged_in(user)
    store = SessionStore(session_key=key)
    data = store.load()
    data[BACKEND_SESSION_KEY] = DJANGO_MODEL_BACKEND
    Session.objects.filter(session_key=key).update(session_data=store.encode(data))
    assert _user_of(key).pk == user.pk


def test_an_unknown_session_key_is_nobody():
    assert not _user_of("x" * 32).is_authenticated
