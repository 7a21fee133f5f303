import pytest

from tests.uploads import samples
from tests.uploads.conftest import upload
from yiwang.core.uploads.actions import store_upload
from yiwang.core.uploads.checks import UploadRefused
from yiwang.core.uploads.detect import sniff
from yiwang.core.uploads.models import StoredFile


@pytest.mark.django_db
def test_png_renamed_jpg_is_detected_as_png(system):
    stored = store_upload(system, upload(samples.png(), "holiday.jpg", "image/jpeg"), purpose="p", public=True)
    assert stored.kind == "png" and stored.content_type == "image/png"
    assert stored.private_name.endswith(".png") and stored.public_name.endswith(".png")


@pytest.mark.django_db
def test_text_file_named_jpg_is_refused_naming_plain_text(system):
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload("你好, this is not a photo\n".encode(), "photo.jpg"), purpose="p")
    assert err.value.detected == "text"
    assert "plain text" in str(err.value.message)
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, detected, words",
    [
        (b"GIF89a" + b"\x00" * 40, "gif", "GIF image"),
        (b"PK\x03\x04" + b"\x00" * 40, "zip", "ZIP archive"),
        (b"<!DOCTYPE html><html><script>alert(1)</script>", "html", "HTML page"),
        (b"MZ\x90\x00" + b"\x00" * 60, "executable", "executable program"),
        (samples.box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic") + b"\x00" * 16, "heif", "HEIC/HEIF image"),
    ],
)
def test_refusal_names_the_detected_type(system, data, detected, words):
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(data, "photo.jpg"), purpose="p")
    assert err.value.detected == detected
    assert words in str(err.value.message)


@pytest.mark.django_db
def test_truncated_jpeg_is_refused_as_damaged(system):
    data = samples.jpeg_with_gps()
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(data[: len(data) // 3]), purpose="p")
    assert err.value.code == "damaged"


@pytest.mark.django_db
def test_empty_file_is_refused(system):
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(b""), purpose="p")
    assert err.value.code == "empty"


def test_sniff_ignores_everything_but_the_bytes():
    assert sniff(samples.jpeg_with_gps()).kind == "jpeg"
    assert sniff(samples.webp()).kind == "webp"
    assert sniff(samples.pdf()).kind == "pdf"
    assert sniff(samples.mp4(brand=b"qt  ")).kind == "quicktime"
    assert sniff(b"\x00\x01\x02\x03garbage\xff\xfe").kind == "unknown"
