"""A resident's report becomes a case: 随身拍 channel, passive discovery, their contact or anonymity, photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import login_as
from tests.uploads.samples import jpeg_with_gps
from yiwang.core.uploads.models import StoredFile
from yiwang.operations.models import Case, CaseAttachment

from .conftest import IN_R1


def photo(name="p.jpg", data=None):
    return SimpleUploadedFile(name, data or jpeg_with_gps(), content_type="image/jpeg")


def post(client, world, **fields):
    data = {
        "category": world.manhole.pk,
        "description": "井盖缺失，有人差点掉下去",
        "lon": IN_R1[0],
        "lat": IN_R1[1],
        "address": "幸福小区3号楼门口",
        "phone": "138 0013 8001",
        "name": "王五",
    }
    data.update(fields)
    return client.post("/report/", {k: v for k, v in data.items() if v is not None})


@pytest.mark.django_db
def test_report_with_contact_creates_a_passive_photo_report_and_shows_its_code(client, world):
    response = post(client, world)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/report/done/{case.code}/"
    assert (case.channel, case.discovery, case.category) == ("photo_report", "passive", world.manhole)
    assert (case.reporter_name, case.reporter_phone, case.reporter_anonymous) == ("王五", "13800138001", False)
    assert case.grid_code == "G1a" and case.address == "幸福小区3号楼门口"
    done = client.get(response.url)
    assert case.code in done.content.decode()


@pytest.mark.django_db
def test_anonymous_report_keeps_no_name_or_phone(client, world):
    post(client, world, anonymous="on", phone="13800138001", name="王五")
    case = Case.objects.get()
    assert case.reporter_anonymous is True
    assert (case.reporter_name, case.reporter_phone, case.reporter_id) == ("", "", None)


@pytest.mark.django_db
def test_logged_in_resident_reports_as_themselves(client, world):
    login_as(client, world.resident)
    post(client, world, phone="", name="")
    case = Case.objects.get()
    assert case.reporter == world.resident and case.created_by == world.resident


@pytest.mark.django_db
def test_photos_are_stored_content_checked_and_published_without_exif_for_a_public_category(client, world):
    response = client.post(
        "/report/",
        {
            "category": world.manhole.pk,
            "description": "井盖缺失",
            "lon": IN_R1[0],
            "lat": IN_R1[1],
            "anonymous": "on",
            "photos": [photo("a.jpg"), photo("b.jpg", jpeg_with_gps(size=(80, 60)))],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    files = [a.file for a in CaseAttachment.objects.filter(case=case).select_related("file")]
    assert len(files) == 2 and all(f.public and f.kind == "jpeg" for f in files)
    from yiwang.core.uploads.storage import public_storage

    with public_storage().open(files[0].public_name, "rb") as fh:
        clean = Image.open(io.BytesIO(fh.read()))
    assert not clean.getexif().get(0x8825)  # no GPS in the copy everyone sees


@pytest.mark.django_db
def test_photos_of_a_non_public_category_stay_private(client, world):
    client.post(
        "/report/",
        {
            "category": world.unlicensed.pk,
            "description": "无证摊贩",
            "lon": IN_R1[0],
            "lat": IN_R1[1],
            "anonymous": "on",
            "photos": [photo()],
        },
    )
    assert StoredFile.objects.get().public is False


@pytest.mark.django_db
def test_the_categorys_questions_are_asked_and_answered(client, world):
    fragment = client.get(f"/report/questions/?category={world.garbage.pk}").content.decode()
    assert 'name="q_volume"' in fragment and 'value="large"' in fragment
    post(client, world, category=world.garbage.pk, q_volume="large")
    assert Case.objects.get().answers == {"volume": "large"}


@pytest.mark.django_db
def test_a_place_name_typed_without_a_map_click_is_found(client, world):
    response = post(client, world, lon=None, lat=None, address="幸福小区12号楼")
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.grid_code == "G1a" and "R1" in set(case.areas.values_list("unit_code", flat=True))
