"""The idle warning is one translatable sentence with the countdown inside it (not two halves around it)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_idle_warning_holds_the_countdown_inside_one_sentence(client, settings):
    response = client.get("/services/kiosk/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    warn = re.search(r'<strong id="idle-count">(\d+)</strong>', body)
    assert warn is not None and body.count('id="idle-count"') == 1
    paragraph = re.search(r"<p>([^<]*<strong id=\"idle-count\">\d+</strong>[^<]*)</p>", body).group(1)
    assert (
        paragraph
        == f'For your privacy the screen is cleared in <strong id="idle-count">{warn.group(1)}</strong> seconds.'
    )
