"""A resident at the kiosk: category → item → one question → the ID card → materials (免交 with the
reason) → submit (channel kiosk) → a PDF receipt with Chinese text → a one-tap rating."""

import shutil
import subprocess
from datetime import date, timedelta

import pytest

from tests.factories import make_department
from tests.services_applications.helpers import make_situation
from tests.services_kiosk.helpers import item_with_question
from tests.services_licences.conftest import id_number
from yiwang.core.actor import Actor
from yiwang.core.identity.cardreader import CardData
from yiwang.reviews.models import Rating
from yiwang.services.applications.models import Application, MaterialState
from yiwang.services.licences.actions import issue_licence

pytestmark = pytest.mark.django_db


def _hold(number, type_code="BIZ_LICENCE"):
    today = date.today()
    licence, _token = issue_licence(
        Actor.system(),
        licence_type=type_code,
        holder_id_number=number,
        holder_name="欧阳娜娜",
        valid_from=today - timedelta(days=1),
        valid_until=today + timedelta(days=300),
        issuer=make_department(name="Market Regulation", code="SCJG"),
    )
    return licence


def test_the_whole_kiosk_flow_ends_in_a_kiosk_application_a_pdf_receipt_and_a_rating(client, card_reader):
    department = make_department(name="市场监督管理局")
    item, first, _renewal = item_with_question(department)
    number = id_number()
    licence = _hold(number)

    home = client.get("/services/kiosk/")
    assert home["Cache-Control"] and "no-store" in home["Cache-Control"]
    assert "市场监督管理局" in home.content.decode()
    listing = client.get(f"/services/kiosk/category/{department.pk}/").content.decode()
    assert item.name in listing
    question = client.get(f"/services/kiosk/item/{item.code}/").content.decode()
    assert "Is this your first application?" in question and "Yes, the first" in question
    answered = client.get(f"/services/kiosk/item/{item.code}/?q_kind=first").content.decode()
    assert f"/services/kiosk/start/{first.pk}/" in answered

    # no card yet: the kiosk asks for it, then comes back to the item
    back = f"/services/kiosk/item/{item.code}/?q_kind=first"
    asked = client.post(f"/services/kiosk/start/{first.pk}/", {"next": back})
    assert asked.status_code == 302 and asked["Location"].startswith("/services/kiosk/card/")
    assert client.get(asked["Location"]).context["next"] == back
    elsewhere = client.post(f"/services/kiosk/start/{first.pk}/", {"next": "https://evil.example/"})
    assert client.get(elsewhere["Location"]).context["next"] == f"/services/kiosk/item/{item.code}/"
    card_reader.insert(CardData(number, "欧阳娜娜"))
    read = client.post("/services/kiosk/card/", {"next": f"/services/kiosk/item/{item.code}/?q_kind=first"})
    assert read.status_code == 302
    started = client.post(f"/services/kiosk/start/{first.pk}/")
    application = Application.objects.get()
    assert started["Location"] == f"/services/kiosk/application/{application.code}/"
    assert (application.channel, application.identity_verified, application.applicant_name) == (
        "kiosk",
        True,
        "欧阳娜娜",
    )

    materials = client.get(started["Location"]).content.decode()
    assert "免交" in materials and licence.number in materials  # exempted, with the reason
    row = application.materials.get()
    assert row.state == MaterialState.EXEMPTED

    submitted = client.post(started["Location"], {"action": "submit"})
    assert submitted["Location"] == f"/services/kiosk/application/{application.code}/receipt/"
    application.refresh_from_db()
    assert application.status == "submitted"

    pdf = client.get(f"/services/kiosk/application/{application.code}/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert body.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
        assert application.code in text and "受理回执" in text and "免交" in text
        assert "欧阳娜娜" not in text  # the receipt masks the name
    else:
        assert b"/FontFile2" in body

    receipt = client.get(submitted["Location"]).content.decode()
    assert 'data-level="5"' in receipt
    client.post(f"/services/kiosk/application/{application.code}/rate/", {"level": "5"})
    rating = Rating.objects.get()
    assert rating.level == 5 and rating.opportunity.channel == "kiosk"
    assert 'data-level="5"' not in client.get(submitted["Location"]).content.decode()


def test_a_situation_not_offered_at_the_kiosk_sends_the_resident_to_a_window(client, card_reader):
    situation = make_situation(kiosk=False)
    page = client.get(f"/services/kiosk/item/{situation.item.code}/").content.decode()
    assert f"/services/kiosk/start/{situation.pk}/" not in page
    assert client.post(f"/services/kiosk/start/{situation.pk}/").status_code == 404


def test_long_lists_are_paged_six_choices_a_screen(client, card_reader):
    department = make_department(name="Civil affairs")
    items = [make_situation(department, materials=()).item for _ in range(8)]
    first = client.get(f"/services/kiosk/category/{department.pk}/").content.decode()
    second = client.get(f"/services/kiosk/category/{department.pk}/?page=2").content.decode()
    assert first.count('class="kiosk-btn choice"') == 6 and second.count('class="kiosk-btn choice"') == 2
    assert "page=2" in first
    assert all((f"/item/{i.code}/" in first) != (f"/item/{i.code}/" in second) for i in items)
