"""Logging in at a window or kiosk with a resident ID card (assurance id_card)."""

from datetime import date

import pytest
from django.test import override_settings

from tests.factories import make_user
from yiwang.core import scope
from yiwang.core.audit.models import AuditEvent
from yiwang.core.identity.cardreader import CardData, CardReader, CardReadError, SimulatedCardReader, set_reader
from yiwang.core.models import LoginRecord, User
from yiwang.core.roles import Role

ID_NUMBER = "11010519491231002X"
READER = "yiwang.core.identity.cardreader.SimulatedCardReader"


@pytest.fixture
def reader(db):
    simulated = SimulatedCardReader()
    with override_settings(IDENTITY={"CARD_READER": READER}):
        set_reader(simulated)
        yield simulated
    set_reader(None)


def test_a_first_card_creates_a_resident_with_the_verified_number(client, reader):
    reader.insert(CardData(id_number=ID_NUMBER, name="李四"))
    response = client.post("/accounts/card/", {"next": "/services/"})
    assert response.status_code == 302 and response["Location"] == "/services/"
    user = User.objects.get(verified_id_number=ID_NUMBER)
    assert user.display_name == "李四" and scope.acting_roles(user) == {Role.RESIDENT}
    assert ID_NUMBER not in user.username  # usernames reach the audit trail
    assert not user.has_usable_password()
    assert client.session["assurance"] == "id_card"
    record = LoginRecord.objects.get(user=user)
    assert (record.method, record.assurance) == ("id_card", "id_card")
    assert not AuditEvent.objects.filter(summary__icontains=ID_NUMBER).exists()


def test_a_known_card_logs_in_to_the_same_account(client, reader):
    known = make_user(Role.RESIDENT, verified_id_number=ID_NUMBER)
    reader.insert(CardData(id_number=ID_NUMBER))
    client.post("/accounts/card/")
    assert int(client.session["_auth_user_id"]) == known.pk
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (CardData(id_number="110105194912310021"), "check digit"),
        (CardData(id_number="12345"), "valid ID number"),
        (CardData(id_number=ID_NUMBER, valid_until=date(2020, 1, 1)), "expired"),
    ],
)
def test_a_bad_card_logs_nobody_in(client, reader, card, message):
    reader.insert(card)
    response = client.post("/accounts/card/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "_auth_user_id" not in client.session
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_no_card_on_the_reader_is_reported(client, reader):
    response = client.post("/accounts/card/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "_auth_user_id" not in client.session
    assert "No ID card" in response.content.decode()


def test_a_disabled_account_is_not_logged_in_by_card(client, reader):
    make_user(Role.RESIDENT, verified_id_number=ID_NUMBER, is_active=False)
    reader.insert(CardData(id_number=ID_NUMBER))
    client.post("/accounts/card/")
    assert "_auth_user_id" not in client.session


def test_the_card_page_is_absent_without_a_reader(client, db):
    with override_settings(IDENTITY={"CARD_READER": ""}):
        assert client.get("/accounts/card/").status_code == 404


def test_a_reader_adapter_must_implement_read():
    with pytest.raises(TypeError):
        CardReader()

    class Broken(CardReader):
        def read(self, timeout=10.0):
            raise CardReadError("chip not readable")

    with pytest.raises(CardReadError):
        Broken().read()


def test_card_data_never_prints_the_full_number():
    assert ID_NUMBER not in repr(CardData(id_number=ID_NUMBER, name="李四"))
