import io

import pytest
from django.core.files.storage import storages
from PIL import Image

from tests.uploads import samples
from tests.uploads.conftest import upload
from yiwang.core.audit.models import AuditEvent
from yiwang.core.uploads.actions import store_upload


def _open(name) -> Image.Image:
    with storages["default"].open(name, "rb") as fh:
        return Image.open(io.BytesIO(fh.read()))


@pytest.mark.django_db
def test_public_copy_has_no_exif_gps_or_comment_and_the_original_keeps_them(system):
    stored = store_upload(system, upload(samples.jpeg_with_gps()), purpose="case-photo", public=True)
    assert stored.kind == "jpeg" and stored.public

    original = _open(stored.private_name)
    assert original.getexif().get_ifd(samples.GPS_IFD) == samples.GPS
    assert original.getexif()[0x010F] == "YiwangCam"

    for name in (stored.public_name, stored.thumbnail_name):
        clean = _open(name)
        assert clean.format == "JPEG"
        assert len(clean.getexif()) == 0
        assert clean.getexif().get_ifd(samples.GPS_IFD) == {}
        assert not {"exif", "comment", "xmp", "icc_profile"} & set(clean.info)
        with storages["default"].open(name, "rb") as fh:
            raw = fh.read()
        assert b"Exif" not in raw and b"YiwangCam" not in raw and b"Li Si" not in raw


@pytest.mark.django_db
def test_orientation_is_applied_before_stripping(system):
    # 64×48 stored with orientation 6 (rotate 90° clockwise to display): shown as 48×64
    stored = store_upload(system, upload(samples.jpeg_with_gps(size=(64, 48))), purpose="case-photo", public=True)
    assert (stored.width, stored.height) == (48, 64)
    clean = _open(stored.public_name)
    assert clean.size == (48, 64)
    # the blue mark at the top left of the sensor image is at the top right once rotated clockwise
    r, g, b = clean.convert("RGB").getpixel((44, 2))
    assert b > 150 and r < 100


@pytest.mark.django_db
def test_public_copy_fits_image_max_side_and_thumbnail_is_small(system, settings):
    settings.UPLOADS = {**settings.UPLOADS, "IMAGE_MAX_SIDE": 100, "THUMBNAIL_SIDE": 20}
    stored = store_upload(system, upload(samples.png((400, 200)), "big.png"), purpose="p", public=True)
    assert (stored.width, stored.height) == (400, 200)  # the original's size is recorded
    assert _open(stored.public_name).size == (100, 50)
    assert max(_open(stored.thumbnail_name).size) == 20
    assert _open(stored.private_name).size == (400, 200)


@pytest.mark.django_db
def test_private_upload_keeps_clean_copies_out_of_the_public_area(system):
    stored = store_upload(system, upload(samples.jpeg_with_gps()), purpose="evidence")
    assert not stored.public and stored.public_url == "" and stored.thumbnail_url == ""
    for name in (stored.private_name, stored.public_name, stored.thumbnail_name):
        assert name.startswith("uploads/private/evidence/")
    assert "photo" not in stored.private_name  # never named after the client's file


@pytest.mark.django_db
def test_webp_is_accepted_and_reencoded_as_webp(system):
    stored = store_upload(system, upload(samples.webp(), "x.webp", "image/webp"), purpose="p", public=True)
    assert stored.kind == "webp" and _open(stored.public_name).format == "WEBP"
    assert stored.public_url.startswith("/media/uploads/public/p/")


@pytest.mark.django_db
def test_store_is_audited_without_the_client_file_name(system):
    stored = store_upload(system, upload(samples.png(), "李四身份证.png"), purpose="p")
    event = AuditEvent.objects.get(action="uploads.file.store", object_id=str(stored.pk))
    assert event.summary["after"]["sha256"] == stored.sha256
    assert "李四" not in str(event.summary)
    assert stored.client_name == "李四身份证.png"
