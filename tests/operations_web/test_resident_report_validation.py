"""The resident's form refuses what is wrong with a precise message on the field, and stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.uploads.samples import jpeg_with_gps, png
from yiwang.core.audit.models import AuditEvent
from yiwang.core.uploads.models import StoredFile
from yiwang.operations.models import Case

from .conftest import IN_R1, OUTSIDE


def submit(client, world, **fields):
    data = {
        "category": world.manhole.pk,
        "description": "井盖缺失",
        "lon": IN_R1[0],
        "lat": IN_R1[1],
        "phone": "13800138001",
    }
    data.update(fields)
    response = client.post("/report/", {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 400
    return response.context["form"].errors


def nothing_stored():
    return (
        not Case.objects.exists()
        and not StoredFile.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="operations.").exists()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"category": None}, "category", "Choose what kind of problem it is."),
        ({"description": "   "}, "description", "Describe the problem in a few words."),
        ({"lon": None, "lat": None}, "address", "Choose the place: use your position, tap the map"),
        ({"lon": OUTSIDE[0], "lat": OUTSIDE[1]}, "address", "outside the district"),
        ({"lon": None, "lat": None, "address": "火星基地"}, "address", "No place called “火星基地” is known"),
        ({"lon": None, "lat": None, "address": "幸福"}, "address", "matches several places (幸福"),
        ({"phone": "1380013800"}, "phone", "A mobile number has 11 digits; this one has 10."),
        ({"phone": "12800138000"}, "phone", "A mobile number starts with 13 to 19."),
        ({"phone": "138-0013-800x"}, "phone", "has other characters"),
        ({"phone": "021-123"}, "phone", "landline with its area code"),
        ({"phone": ""}, "phone", "or tick “Report anonymously”"),
        ({"category": "999999"}, "category", "Choose a problem from the list."),
    ],
)
def test_each_mistake_is_named_on_its_field_and_nothing_is_stored(client, world, fields, field, message):
    errors = submit(client, world, **fields)
    assert any(message in e for e in errors[field]), errors
    assert nothing_stored()


@pytest.mark.django_db
def test_a_group_cannot_be_reported_against(client, world):
    errors = submit(client, world, category=world.municipal.pk)
    assert errors["category"] == ["Choose a problem from the list."]


@pytest.mark.django_db
def test_too_many_photos_are_refused(client, world, settings):
    settings.OPERATIONS = {**settings.OPERATIONS, "MAX_PHOTOS": 2}
    photos = [SimpleUploadedFile(f"{i}.png", png(size=(10 + i, 10))) for i in range(3)]
    errors = submit(client, world, photos=photos)
    assert errors["photos"] == ["At most 2 photos, please; you chose 3."]
    assert nothing_stored()


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_by_its_content(client, world):
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    errors = submit(client, world, photos=[SimpleUploadedFile("ok.jpg", jpeg_with_gps()), fake])
    assert len(errors["photos"]) == 1 and errors["photos"][0].startswith("photo.jpg: ")
    assert nothing_stored()


@pytest.mark.django_db
def test_a_wrong_answer_to_a_question_is_refused(client, world):
    errors = submit(client, world, category=world.garbage.pk, q_volume="enormous")
    assert "q_volume" in errors
    assert nothing_stored()


@pytest.mark.django_db
def test_the_form_keeps_what_was_typed_and_lists_the_errors(client, world):
    response = client.post("/report/", {"category": world.manhole.pk, "description": "井盖<b>缺失</b>"})
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert "井盖&lt;b&gt;缺失&lt;/b&gt;" in html and "<b>缺失</b>" not in html
    assert f'value="{world.manhole.pk}" data-group="{world.municipal.pk}" selected' in html
