"""The demo's simulated reader: a button puts the demo card on the reader; the kiosk then reads it
and signs its holder in at assurance id_card; with no card the kiosk says so."""

import pytest

from yiwang.core.models import User
from yiwang.services.kiosk import session as ks

pytestmark = pytest.mark.django_db


def test_the_demo_button_puts_a_card_the_kiosk_reads(client, card_reader):
    assert client.post("/services/kiosk/reader/").status_code == 302
    read = client.post("/services/kiosk/card/", {"next": "/services/kiosk/"})
    assert read["Location"] == "/services/kiosk/"
    holder = User.objects.get(verified_id_number=ks.DEMO_CARD.id_number)
    assert client.session["_auth_user_id"] == str(holder.pk)
    assert client.session["assurance"] == "id_card"
    assert client.session[ks.CARD_KEY]["name"] == ks.DEMO_CARD.name


def test_no_card_on_the_reader_is_said_plainly(client, card_reader):
    response = client.post("/services/kiosk/card/", {"next": "/services/kiosk/"})
    assert response.status_code == 200  # stays on the "place your card" screen
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1 and "kiosk-messages" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert ks.CARD_KEY not in client.session
