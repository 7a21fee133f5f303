"""Between two people the kiosk forgets everything: the session is flushed on the server when the
idle countdown runs out (even if the page's script never ran) or when the person presses "finish"."""

import pytest

from tests.services_kiosk.helpers import item_with_question
from tests.services_licences.conftest import id_number
from yiwang.core.identity.cardreader import CardData
from yiwang.services.applications.models import Application
from yiwang.services.kiosk import session as ks

pytestmark = pytest.mark.django_db


def _signed_in(client, card_reader):
    item, first, _ = item_with_question()
    card_reader.insert(CardData(id_number(), "欧阳娜娜"))
    client.post("/services/kiosk/card/", {"next": "/services/kiosk/"})
    client.post(f"/services/kiosk/start/{first.pk}/")
    return Application.objects.get()


def test_a_session_idle_past_the_countdown_is_wiped_on_the_next_request(client, card_reader, settings):
    application = _signed_in(client, card_reader)
    page = f"/services/kiosk/application/{application.code}/"
    assert "欧阳娜娜" in client.get(page).content.decode()
    old_key = client.session.session_key
    settings.KIOSK = {"IDLE_SECONDS": 0, "WARN_SECONDS": 0}
    wiped = client.get(page)
    assert wiped.status_code == 302 and wiped["Location"] == "/services/kiosk/"
    assert ks.CARD_KEY not in client.session and "_auth_user_id" not in client.session
    assert client.session.session_key != old_key
    settings.KIOSK = {"IDLE_SECONDS": 60, "WARN_SECONDS": 20}
    assert client.get(page).status_code == 404  # the next person cannot open the last one's application


def test_an_active_session_is_kept(client, card_reader, settings):
    application = _signed_in(client, card_reader)
    settings.KIOSK = {"IDLE_SECONDS": 60, "WARN_SECONDS": 20}
    page = client.get(f"/services/kiosk/application/{application.code}/")
    assert page.status_code == 200 and "欧阳娜娜" in page.content.decode()


def test_finish_forgets_the_card_and_the_login(client, card_reader):
    application = _signed_in(client, card_reader)
    done = client.post("/services/kiosk/wipe/")
    assert done["Location"] == "/services/kiosk/"
    assert ks.CARD_KEY not in client.session and "_auth_user_id" not in client.session
    assert client.get(f"/services/kiosk/application/{application.code}/").status_code == 404


def test_every_kiosk_page_forbids_storing(client, card_reader):
    application = _signed_in(client, card_reader)
    for url in (
        "/services/kiosk/",
        f"/services/kiosk/application/{application.code}/",
        "/services/kiosk/card/",
    ):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_without_a_reader_the_kiosk_sends_people_to_a_window(client, settings):
    settings.IDENTITY = {"CARD_READER": ""}
    page = client.get("/services/kiosk/card/").content.decode()
    assert "go to a service window" in page
    assert client.get("/services/kiosk/reader/").status_code == 404
