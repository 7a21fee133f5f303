"""One-thing bundles at the kiosk: a tile on the home screen, the bundle's screen, the card, one screen
of materials (免交 for what the licence library holds), one submission (channel kiosk), one status, and
a one-tap rating of the session."""

import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.services_kiosk.helpers import hold_licence, kiosk_bundle
from tests.services_licences.conftest import id_number
from yiwang.core.identity.cardreader import CardData
from yiwang.reviews.models import Rating
from yiwang.services.bundles.models import BundleApplication
from yiwang.services.bundles.plan import material_key

pytestmark = pytest.mark.django_db


def _png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_home_offers_the_bundles_within_six_tiles(client, card_reader):
    from tests.factories import make_department
    from tests.services_applications.helpers import make_situation

    for n in range(8):
        make_situation(make_department(name=f"部门{n}"), materials=())
    kiosk_bundle()
    home = client.get("/services/kiosk/").content.decode()
    assert home.count("kiosk-btn choice") == 6 and "/services/kiosk/bundles/" in home
    listing = client.get("/services/kiosk/bundles/").content.decode()
    assert "开店一件事" in listing and "/services/kiosk/bundle/open-shop/" in listing


def test_a_bundle_with_a_part_not_at_the_kiosk_is_not_offered_there(client, card_reader):
    kiosk_bundle(all_at_kiosk=False)
    assert "开店一件事" not in client.get("/services/kiosk/bundles/").content.decode()
    assert client.get("/services/kiosk/bundle/open-shop/").status_code == 404
    assert "/services/kiosk/bundles/" not in client.get("/services/kiosk/").content.decode()


def test_the_whole_bundle_at_the_kiosk(client, card_reader):
    bundle, parts = kiosk_bundle()
    number = id_number()
    licence = hold_licence(number)
    screen = client.get("/services/kiosk/bundle/open-shop/").content.decode()
    assert 'class="days-bundle">5<' in screen and 'class="materials-bundle">3<' in screen  # 3 instead of 5
    asked = client.get("/services/kiosk/bundle/open-shop/apply/")
    assert asked.status_code == 302 and asked["Location"].startswith("/services/kiosk/card/")
    card_reader.insert(CardData(number, "欧阳娜娜"))
    read = client.post("/services/kiosk/card/", {"next": "/services/kiosk/bundle/open-shop/apply/"})
    assert read["Location"] == "/services/kiosk/bundle/open-shop/apply/"
    form = client.get(read["Location"]).content.decode()
    assert "免交" in form and licence.number in form  # the business licence need not be scanned
    assert form.count('type="file"') == 2  # lease contract (asked once) and sign drawing
    keys = {m.name: material_key(m) for s in parts for m in s.materials.all()}

    refused = client.post(read["Location"], {f"m_{keys['Lease contract']}": _png("lease.png")})
    assert refused.status_code == 200 and not BundleApplication.objects.exists()  # all or nothing
    assert "Sign drawing" in refused.content.decode()

    files = {f"m_{keys['Lease contract']}": _png("lease.png"), f"m_{keys['Sign drawing']}": _png("sign.png")}
    done = client.post(read["Location"], files)
    bundled = BundleApplication.objects.get()
    assert done["Location"] == f"/services/kiosk/bundle-application/{bundled.pk}/"
    applications = list(bundled.parts.all())
    assert len(applications) == 3
    assert {a.channel for a in applications} == {"kiosk"} and all(a.identity_verified for a in applications)
    assert {a.status for a in applications} == {"submitted"}
    receipt = client.get(done["Location"]).content.decode()
    assert all(a.code in receipt for a in applications) and 'data-level="4"' in receipt

    pdf = client.get(f"/services/kiosk/bundle-application/{bundled.pk}/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert all(a.code in text for a in applications) and "开店一件事" in text and "受理回执" in text
    assert "欧阳娜娜" not in text  # the name is masked

    client.post(done["Location"], {"level": "4"})
    rating = Rating.objects.get()
    opportunity = rating.opportunity
    assert (rating.level, opportunity.channel, opportunity.network) == (4, "kiosk", "services")
    assert opportunity.item_code == "bundle:open-shop" and opportunity.window_code == "KIOSK-01"
    assert opportunity.subject_id == f"bundle-{bundled.pk}"
    client.post(done["Location"], {"level": "1"})  # rated once only
    assert Rating.objects.count() == 1 and Rating.objects.get().level == 4
    assert 'data-level="4"' not in client.get(done["Location"]).content.decode()


def test_someone_else_cannot_see_the_bundle_receipt(client, card_reader):
    bundle, _parts = kiosk_bundle()
    assert client.get("/services/kiosk/bundle-application/1/").status_code == 404


def test_at_the_kiosk_the_bundle_asks_its_questions_one_a_screen(client, card_reader):
    from tests.services_bundles.helpers import bundle_with_questions

    bundle, _parts = bundle_with_questions()
    number = id_number()
    card_reader.insert(CardData(number, "欧阳娜娜"))
    client.post("/services/kiosk/card/", {"next": "/"})
    url = "/services/kiosk/bundle/shop/apply/"
    asked = client.get(url).content.decode()
    assert "Who applies?" in asked and asked.count("kiosk-btn choice") == 2 and 'type="file"' not in asked
    assert "q_agent=proxy" in asked
    form = client.get(url, {"q_agent": "proxy"}).content.decode()
    assert 'name="q_agent" value="proxy"' in form and form.count('type="file"') == 3
    assert client.post(url, {}).status_code == 200 and not BundleApplication.objects.exists()  # answers first
    keys = ("application_form", "power_of_attorney", "floor_plan")
    files = {f"m_name-{k}": _png(f"{k}.png") for k in keys}
    done = client.post(url, {"q_agent": "proxy", **files})
    bundled = BundleApplication.objects.get()
    assert done["Location"] == f"/services/kiosk/bundle-application/{bundled.pk}/"
    assert [a.situation.name for a in bundled.parts.order_by("id")][:2] == ["By a proxy", "By a proxy"]
    assert {a.channel for a in bundled.parts.all()} == {"kiosk"}
