import struct

import pytest
from django.core.files.storage import storages

from tests.uploads import samples
from tests.uploads.conftest import upload
from yiwang.core.uploads import video
from yiwang.core.uploads.actions import store_upload
from yiwang.core.uploads.checks import UploadRefused


def _read(name) -> bytes:
    with storages["default"].open(name, "rb") as fh:
        return fh.read()


@pytest.mark.django_db
@pytest.mark.parametrize("brand, kind", [(b"isom", "mp4"), (b"mp42", "mp4"), (b"qt  ", "quicktime")])
def test_video_with_valid_ftyp_is_accepted_and_kept_staff_only(system, brand, kind):
    stored = store_upload(system, upload(samples.mp4(brand=brand), "clip.txt", "text/plain"), purpose="p", public=True)
    assert stored.kind == kind
    assert stored.duration_seconds == pytest.approx(5.0)
    assert not stored.public and stored.public_name == "" and stored.public_url == ""
    assert _read(stored.private_name) == samples.mp4(brand=brand)  # the original, untouched


@pytest.mark.django_db
def test_public_videos_setting_publishes_a_copy_without_location_or_times(system, settings):
    settings.UPLOADS = {**settings.UPLOADS, "PUBLIC_VIDEOS": True}
    original = samples.mp4()
    stored = store_upload(system, upload(original, "clip.mp4", "video/mp4"), purpose="p", public=True)
    assert stored.public and stored.public_name.startswith("uploads/public/p/")
    clean = _read(stored.public_name)
    assert len(clean) == len(original)  # same offsets: nothing re-muxed
    assert b"+31.2304+121.4737" in original and b"+31.2304+121.4737" not in clean
    assert b"udta" not in clean and b"\xa9xyz" not in clean
    assert clean[-len(b"fake-h264-frames") :] == original[-len(b"fake-h264-frames") :]  # media data kept
    info = video.inspect(clean)  # still a well-formed movie
    assert info.duration_seconds == pytest.approx(5.0)
    mvhd = clean.index(b"mvhd")
    assert struct.unpack(">II", clean[mvhd + 8 : mvhd + 16]) == (0, 0)  # creation/modification times zeroed


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        samples.mp4()[:-20],  # truncated: the last box overruns the file
        samples.box(b"ftyp", b"isom\x00\x00\x00\x00isom") + samples.box(b"mdat", b"x" * 32),  # no moov
    ],
)
def test_damaged_video_is_refused(system, data):
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(data, "clip.mp4"), purpose="p")
    assert err.value.code == "damaged" and err.value.detected == "mp4"


@pytest.mark.django_db
def test_too_long_video_is_refused(system, settings):
    settings.UPLOADS = {**settings.UPLOADS, "VIDEO_MAX_SECONDS": 60}
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(samples.mp4(seconds=600), "clip.mp4"), purpose="p")
    assert err.value.code == "too_long" and "600" in str(err.value.message)


@pytest.mark.django_db
def test_pdf_is_accepted_private_unless_allowed(system, settings):
    stored = store_upload(system, upload(samples.pdf(), "form.jpg", "image/jpeg"), purpose="material", public=True)
    assert stored.kind == "pdf" and not stored.public
    settings.UPLOADS = {**settings.UPLOADS, "PUBLIC_PDFS": True}
    notice = store_upload(system, upload(samples.pdf() + b"\n", "notice.pdf"), purpose="notice", public=True)
    assert notice.public and _read(notice.public_name) == samples.pdf() + b"\n"


@pytest.mark.django_db
def test_truncated_pdf_is_refused(system):
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(samples.pdf()[:40], "a.pdf"), purpose="p")
    assert err.value.code == "damaged"
