import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from yiwang.core.actor import Actor


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the default language is zh-hans once catalogues are compiled)."""
    with translation.override("en"):
        yield


@pytest.fixture
def system():
    return Actor.system()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """The client's name and content type are deliberately whatever the caller says: they are not trusted."""
    return SimpleUploadedFile(name, data, content_type=content_type)
