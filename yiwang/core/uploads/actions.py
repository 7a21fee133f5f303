"""The upload action: check by content, keep the original privately, publish only a clean copy.

Public API::

    store_upload(actor, uploaded_file, *, purpose, public=False) -> StoredFile

What is stored, per detected type:

* **Images** (JPEG, PNG, WebP): the original (private, with its EXIF/GPS, for staff and evidence), a
  re-encoded copy without any metadata, at most ``IMAGE_MAX_SIDE`` pixels on its longest side, and a
  thumbnail (``THUMBNAIL_SIDE``, default 320). The clean copy and the thumbnail are public when
  ``public=True``.
* **Videos** (MP4, QuickTime): cannot be re-encoded here (no ffmpeg). The original is kept private.
  Only when ``settings.UPLOADS["PUBLIC_VIDEOS"]`` is true and ``public=True`` is a copy with its
  container metadata blanked published (see :mod:`yiwang.core.uploads.video` for what that does and
  does not remove); otherwise the video stays staff-only and ``public`` is stored as False.
* **PDF**: stored as uploaded, private. PDFs are not rewritten (author, creator tool and XMP remain),
  so they are published only when ``settings.UPLOADS["PUBLIC_PDFS"]`` is true and ``public=True``.

Deduplication: the same bytes uploaded again for the same purpose return the existing row.

Files and transactions: the bytes are written to storage during the action; if the surrounding
transaction later rolls back, the files stay in storage without a row. ``sweep_orphans`` (run hourly
by the periodic worker when ``yiwang.core.periodic`` exists) deletes such unreferenced files.
"""

from __future__ import annotations

import os
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event
from yiwang.core.actor import Actor

from . import detect, video
from .checks import Inspection, inspect_upload, limits
from .images import clean_copies
from .models import StoredFile
from .storage import delete_quietly, new_name, private_storage, public_storage, save

PURPOSE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def _publishable(kind: str, conf: dict) -> bool:
    if kind in detect.IMAGE_KINDS:
        return True
    if kind in detect.VIDEO_KINDS:
        return conf["PUBLIC_VIDEOS"]
    return conf["PUBLIC_PDFS"]


def _client_name(uploaded_file) -> str:
    name = os.path.basename(str(getattr(uploaded_file, "name", "") or ""))
    return name[:255]


def _clean_bytes(found: Inspection, conf: dict) -> tuple[bytes | None, bytes | None, int | None, int | None]:
    """(clean copy, thumbnail, width, height) — Nones where the kind has no clean copy."""
    if found.kind in detect.IMAGE_KINDS:
        return clean_copies(found.image, found.kind, conf["IMAGE_MAX_SIDE"], conf["THUMBNAIL_SIDE"])
    if found.kind in detect.VIDEO_KINDS and conf["PUBLIC_VIDEOS"]:
        return video.strip_metadata(found.data), None, None, None
    if found.kind == detect.PDF and conf["PUBLIC_PDFS"]:
        return found.data, None, None, None
    return None, None, None, None


def _write_clean_copies(found: Inspection, purpose: str, public: bool, conf: dict) -> tuple[str, str]:
    clean, thumb, _w, _h = _clean_bytes(found, conf)
    if clean is None:
        return "", ""
    storage = public_storage() if public else private_storage()
    area = "public" if public else "private"
    ext = detect.EXTENSIONS[found.kind]
    clean_name = save(storage, new_name(area, purpose, ext, suffix=".clean"), clean)
    thumb_name = save(storage, new_name(area, purpose, ext, suffix=".thumb"), thumb) if thumb else ""
    return clean_name, thumb_name


def _audit_summary(row: StoredFile) -> dict:
    return {
        "sha256": row.sha256,
        "kind": row.kind,
        "size": row.size,
        "purpose": row.purpose,
        "public": row.public,
    }


@action
def store_upload(actor: Actor, uploaded_file, *, purpose: str, public: bool = False) -> StoredFile:
    """Check ``uploaded_file`` by its content and store it; raise ``UploadRefused`` (an ActionError) if refused.

    ``purpose`` is a short slug saying what the file is for ("case-photo", "application-material");
    it scopes deduplication. The caller's action checks who may upload for that purpose.
    """
    if not PURPOSE_RE.match(purpose or ""):
        raise ActionError(_("Invalid upload purpose."), field="purpose")
    conf = limits()
    found = inspect_upload(uploaded_file)
    publish = bool(public) and _publishable(found.kind, conf)

    existing = StoredFile.objects.select_for_update().filter(purpose=purpose, sha256=found.sha256).first()
    if existing is not None:
        return _reuse(actor, existing, found, publish, conf)

    written: list[tuple[object, str]] = []
    try:
        private_name = save(private_storage(), new_name("private", purpose, detect.EXTENSIONS[found.kind]), found.data)
        written.append((private_storage(), private_name))
        clean_name, thumb_name = _write_clean_copies(found, purpose, publish, conf)
        clean_storage = public_storage() if publish else private_storage()
        written += [(clean_storage, clean_name), (clean_storage, thumb_name)]
        row = StoredFile(
            sha256=found.sha256,
            purpose=purpose,
            kind=found.kind,
            size=found.size,
            width=found.width,
            height=found.height,
            duration_seconds=found.duration_seconds,
            private_name=private_name,
            public_name=clean_name,
            thumbnail_name=thumb_name,
            public=publish and bool(clean_name),
            client_name=_client_name(uploaded_file),
            uploaded_by=actor.user,
        )
        with transaction.atomic():  # a savepoint: a concurrent twin upload must not break the caller
            row.save(force_insert=True)
    except IntegrityError:
        # the same content was stored for this purpose by a concurrent upload that committed first
        _forget(written)
        existing = StoredFile.objects.get(purpose=purpose, sha256=found.sha256)
        return _reuse(actor, existing, found, publish, conf)
    except Exception:
        _forget(written)
        raise
    record_event(actor, "uploads.file.store", row, after=_audit_summary(row))
    return row


def _forget(written) -> None:
    for storage, name in written:
        delete_quietly(storage, [name])


def _reuse(actor: Actor, row: StoredFile, found: Inspection, publish: bool, conf: dict) -> StoredFile:
    """The same content again: return the stored row, publishing its clean copy if now asked to."""
    before = {"public": row.public}
    if publish and not row.public:
        old = [row.public_name, row.thumbnail_name]
        row.public_name, row.thumbnail_name = _write_clean_copies(found, row.purpose, True, conf)
        row.public = bool(row.public_name)
        row.save(update_fields=["public_name", "thumbnail_name", "public"])
        transaction.on_commit(lambda: delete_quietly(private_storage(), old))
    record_event(actor, "uploads.file.reuse", row, before=before, after=_audit_summary(row))
    return row


@action
def unpublish(actor: Actor, stored: StoredFile) -> StoredFile:
    """Withdraw a file from the public: its clean copy moves back to private storage."""
    if not stored.public:
        return stored
    before = {"public": True}
    storage = public_storage()
    moved = []
    for field in ("public_name", "thumbnail_name"):
        name = getattr(stored, field)
        if name:
            with storage.open(name, "rb") as fh:
                data = fh.read()
            ext = name.rsplit(".", 1)[-1]
            suffix = ".thumb" if field == "thumbnail_name" else ".clean"
            setattr(
                stored, field, save(private_storage(), new_name("private", stored.purpose, ext, suffix=suffix), data)
            )
            moved.append(name)
    stored.public = False
    stored.save(update_fields=["public_name", "thumbnail_name", "public"])
    record_event(actor, "uploads.file.unpublish", stored, before=before, after={"public": False})
    transaction.on_commit(lambda: delete_quietly(storage, moved))
    return stored
