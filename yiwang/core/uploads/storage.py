"""Where upload bytes go: Django's storage API, so S3-compatible storage works by configuration.

``storages["default"]`` holds everything unless ``settings.UPLOADS["PRIVATE_STORAGE"]`` names another
alias of ``settings.STORAGES`` for the private originals (recommended in production: a bucket or a
directory that no web server serves). See docs/operations.md, "Uploads and file storage".

Layout: ``uploads/private/<purpose>/<yyyy>/<mm>/<random>.<ext>`` for originals (and for clean copies of
non-public files), ``uploads/public/<purpose>/…`` for clean copies meant for anyone. Names are random
(``secrets.token_urlsafe``), never derived from the content or the client's file name.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("yiwang.uploads")

ROOT = "uploads"


def public_storage() -> Storage:
    return storages[settings.UPLOADS.get("PUBLIC_STORAGE", "default")]


def private_storage() -> Storage:
    return storages[settings.UPLOADS.get("PRIVATE_STORAGE", "default")]


def new_name(area: str, purpose: str, ext: str, *, suffix: str = "", now: datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    token = secrets.token_urlsafe(18)
    return f"{ROOT}/{area}/{purpose}/{now:%Y}/{now:%m}/{token}{suffix}.{ext}"


def save(storage: Storage, name: str, data: bytes) -> str:
    return storage.save(name, ContentFile(data))


def delete_quietly(storage: Storage, names) -> None:
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except Exception:  # a cleanup must never mask the original error
            logger.warning("could not delete %s", name, exc_info=True)


def _walk(storage: Storage, path: str):
    try:
        dirs, files = storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for f in files:
        yield f"{path}/{f}"
    for d in dirs:
        yield from _walk(storage, f"{path}/{d}")


def sweep_orphans(older_than: timedelta = timedelta(hours=1), now: datetime | None = None, batch: int = 500) -> int:
    """Delete files under ``uploads/`` that no StoredFile row references and that are older than ``older_than``.

    Files written by an upload whose transaction rolled back (or whose process died) are left behind
    in storage; this sweep — run hourly by the worker — removes them. The age limit protects files of
    uploads whose transaction is still open. Returns how many files were deleted.
    """
    from .models import StoredFile

    cutoff = (now or timezone.now()) - older_than
    seen: set[int] = set()
    deleted = 0
    for storage in (private_storage(), public_storage()):
        if id(storage) in seen:
            continue
        seen.add(id(storage))
        names = list(_walk(storage, ROOT))
        for i in range(0, len(names), batch):
            chunk = names[i : i + batch]
            referenced = set()
            for row in StoredFile.objects.filter(
                Q(private_name__in=chunk) | Q(public_name__in=chunk) | Q(thumbnail_name__in=chunk)
            ).values_list("private_name", "public_name", "thumbnail_name"):
                referenced.update(row)
            for name in chunk:
                if name in referenced:
                    continue
                try:
                    if storage.get_modified_time(name) > cutoff:
                        continue
                except (NotImplementedError, FileNotFoundError):
                    continue
                delete_quietly(storage, [name])
                deleted += 1
    return deleted
