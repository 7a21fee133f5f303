from django import forms

from tests.uploads import samples
from tests.uploads.conftest import upload
from yiwang.core.uploads import detect
from yiwang.core.uploads.forms import ContentCheckedFileField


class PhotoForm(forms.Form):
    photo = ContentCheckedFileField(kinds=detect.IMAGE_KINDS)


class AnyForm(forms.Form):
    file = ContentCheckedFileField(required=False)


def test_field_accepts_a_real_image_and_exposes_the_inspection():
    form = PhotoForm(files={"photo": upload(samples.png(), "x.jpg")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["photo"].inspection.kind == "png"


def test_field_refuses_text_named_jpg_with_the_detected_type():
    form = PhotoForm(files={"photo": upload(b"just words\n", "x.jpg")})
    assert not form.is_valid()
    assert "plain text" in form.errors["photo"][0]


def test_field_narrowed_to_images_refuses_a_pdf_and_says_what_is_allowed():
    form = PhotoForm(files={"photo": upload(samples.pdf(), "x.jpg")})
    assert not form.is_valid()
    message = form.errors["photo"][0]
    assert "PDF document" in message and "JPEG image" in message


def test_field_refuses_a_bomb_and_renders_an_accept_hint():
    form = AnyForm(files={"file": upload(samples.png_bomb(), "b.png")})
    assert not form.is_valid()
    assert "megapixels" in form.errors["file"][0]
    assert 'accept="image/jpeg,image/png,image/webp,video/mp4,video/quicktime,application/pdf"' in str(
        AnyForm()["file"]
    )
    assert AnyForm(files={}).is_valid()  # optional field left empty
