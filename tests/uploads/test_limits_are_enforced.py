import pytest

from tests.uploads import samples
from tests.uploads.conftest import upload
from yiwang.core.uploads.actions import store_upload
from yiwang.core.uploads.checks import UploadRefused
from yiwang.core.uploads.models import StoredFile


@pytest.mark.django_db
def test_oversized_file_is_refused_whatever_size_the_client_claims(system, settings):
    settings.UPLOADS = {**settings.UPLOADS, "MAX_BYTES": 1000}
    data = samples.png((300, 300), mode="RGB") + b"\x00" * 2000
    lying = upload(data, "small.png", "image/png")
    lying.size = 10  # the client claims a tiny file
    with pytest.raises(UploadRefused) as err:
        store_upload(system, lying, purpose="p")
    assert err.value.code == "too_large"
    assert "1000" in str(err.value.message) or "KB" in str(err.value.message)
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
def test_decompression_bomb_is_refused_before_decoding(system):
    bomb = samples.png_bomb(12_000, 12_000)  # 144 megapixels in ~18 KB
    assert len(bomb) < 100_000
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(bomb, "bomb.png", "image/png"), purpose="p")
    assert err.value.code == "too_many_pixels"
    assert "12000 × 12000" in str(err.value.message)
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
def test_image_over_the_configured_pixel_limit_is_refused(system, settings):
    settings.UPLOADS = {**settings.UPLOADS, "MAX_IMAGE_PIXELS": 1000}
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(samples.png((50, 50)), "a.png"), purpose="p")
    assert err.value.code == "too_many_pixels"
    # just under the limit is fine
    assert store_upload(system, upload(samples.png((40, 25)), "b.png"), purpose="p").kind == "png"


@pytest.mark.django_db
def test_invalid_purpose_is_refused(system):
    with pytest.raises(Exception) as err:
        store_upload(system, upload(samples.png()), purpose="../etc")
    assert getattr(err.value, "field", None) == "purpose"


@pytest.mark.django_db
def test_gigantic_bomb_is_refused_by_pillows_hard_limit_too(system):
    with pytest.raises(UploadRefused) as err:
        store_upload(system, upload(samples.png_bomb(20_000, 20_000), "b.png"), purpose="p")
    assert err.value.code == "too_many_pixels"
