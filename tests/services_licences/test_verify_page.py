"""The public verification page and the holder's QR code."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import login_as, make_user
from yiwang.core.actor import Actor
from yiwang.core.roles import Assurance
from yiwang.services.licences.actions import revoke_licence

from .conftest import id_number

pytestmark = pytest.mark.django_db
URL = "/services/licences/verify/"


def test_pasted_valid_token_shows_valid_and_the_masked_holder(client, issue):
    licence, token = issue(holder_id_number="11010519491231002X", holder_name="王小明")
    page = client.post(URL, {"credential": token}).content.decode()
    assert "Valid licence" in page and licence.number in page
    assert "110***********002X" in page and "王**" in page
    assert "11010519491231002X" not in page and "王小明" not in page


def test_uploaded_token_file_is_verified_and_revocation_is_shown(client, issue):
    licence, token = issue()
    revoke_licence(Actor.system(), licence, reason="duplicate")
    upload = SimpleUploadedFile("licence.jws", token.encode(), content_type="text/plain")
    page = client.post(URL, {"credential": "", "file": upload}).content.decode()
    assert "Not a valid licence" in page and "The licence has been revoked." in page


def test_forged_token_is_invalid_and_empty_form_asks_for_a_token(client, db):
    assert "Not a valid licence" in client.post(URL, {"credential": "a.b.c"}).content.decode()
    assert "Paste a licence token" in client.post(URL, {"credential": ""}).content.decode()
    image = SimpleUploadedFile("qr.png", b"\x89PNG\r\n\x1a\n\xff\xfe", content_type="image/png")
    assert "holds no licence token" in client.post(URL, {"file": image}).content.decode()


def test_page_offers_the_form(client, db):
    page = client.get(URL)
    assert page.status_code == 200 and 'name="credential"' in page.content.decode()


def test_holder_sees_a_qr_code_that_decodes_to_the_token(client, issue):
    number = id_number()
    licence, token = issue(holder_id_number=number)
    login_as(client, make_user(verified_id_number=number), assurance=Assurance.ID_CARD)
    response = client.get(f"/services/licences/{licence.jti}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    import segno

    # the same symbol segno makes for the token itself (segno is deterministic for a given text)
    assert response.content.decode() == segno.make(token, error="m").svg_inline(scale=4)


def test_others_get_no_qr_code(client, issue):
    licence, _ = issue(holder_id_number=id_number())
    url = f"/services/licences/{licence.jti}/qr.svg"
    assert client.get(url).status_code == 404
    login_as(client, make_user(verified_id_number=id_number()), assurance=Assurance.ID_CARD)
    assert client.get(url).status_code == 404


def test_back_office_shows_masked_licences_never_the_sealed_token(client, issue):
    from tests.factories import assign_role
    from yiwang.core.roles import Role

    licence, token = issue(holder_id_number="11010519491231002X")
    clerk = make_user(is_staff=True)
    login_as(client, clerk)
    assert client.get(f"/admin/licences/licence/{licence.pk}/change/").status_code == 403
    assign_role(clerk, Role.APPROVER)
    page = client.get(f"/admin/licences/licence/{licence.pk}/change/").content.decode()
    assert "110***********002X" in page and licence.number in page
    assert licence.token_sealed not in page and licence.holder_id_hash not in page and token not in page
    assert client.get(f"/admin/licences/signingkey/{licence.signing_key.pk}/change/").status_code == 403
