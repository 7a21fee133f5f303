"""The content checks shared by :func:`~yiwang.core.uploads.actions.store_upload` and the form field.

:func:`inspect_upload` reads the file (never more than ``MAX_BYTES`` + 1 bytes, whatever size the
client claimed), recognises its type from the bytes, applies the limits of ``settings.UPLOADS`` and
either returns an :class:`Inspection` or raises :class:`UploadRefused` with a precise, translatable
message that names what the file really is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError

from . import detect, video
from .images import CheckedImage, ImageRefused, check_image

LABELS = {
    detect.JPEG: _("a JPEG image"),
    detect.PNG: _("a PNG image"),
    detect.WEBP: _("a WebP image"),
    detect.MP4: _("an MP4 video"),
    detect.QUICKTIME: _("a QuickTime video"),
    detect.PDF: _("a PDF document"),
    "quicktime_legacy": _("an old QuickTime video without a file-type box"),
    "heif": _("a HEIC/HEIF image"),
    "avif": _("an AVIF image"),
    "mp4_audio": _("an MP4 audio file"),
    "bmff_other": _("an ISO media file of an unsupported kind"),
    "gif": _("a GIF image"),
    "bmp": _("a BMP image"),
    "tiff": _("a TIFF image"),
    "ico": _("an icon file"),
    "psd": _("a Photoshop document"),
    "jpegxl": _("a JPEG XL image"),
    "svg": _("an SVG drawing"),
    "zip": _("a ZIP archive (or an Office document)"),
    "rar": _("a RAR archive"),
    "7z": _("a 7-Zip archive"),
    "gzip": _("a gzip archive"),
    "bzip2": _("a bzip2 archive"),
    "xz": _("an xz archive"),
    "executable": _("an executable program"),
    "script": _("a script"),
    "ms_office": _("an old Microsoft Office document"),
    "rtf": _("an RTF document"),
    "matroska": _("a Matroska/WebM video"),
    "avi": _("an AVI video"),
    "flv": _("a Flash video"),
    "mpeg": _("an MPEG video"),
    "wav": _("a WAV sound file"),
    "riff": _("a RIFF file"),
    "ogg": _("an Ogg media file"),
    "mp3": _("an MP3 sound file"),
    "flac": _("a FLAC sound file"),
    "sqlite": _("an SQLite database"),
    "html": _("an HTML page"),
    "xml": _("an XML document"),
    "text": _("plain text"),
    "unknown": _("data of an unknown type"),
}

ACCEPTED_SUMMARY = _("JPEG, PNG or WebP images, MP4 or QuickTime videos, PDF documents")


def label(kind: str):
    return LABELS.get(kind, LABELS["unknown"])


class UploadRefused(ActionError):
    """The file was refused; ``detected`` is what it really is (a :mod:`~yiwang.core.uploads.detect` kind)."""

    def __init__(self, message, *, detected: str = "", code: str = "upload_refused"):
        super().__init__(message, field="file", code=code)
        self.detected = detected


def limits() -> dict:
    conf = getattr(settings, "UPLOADS", {})
    return {
        "MAX_BYTES": int(conf.get("MAX_BYTES", 20 * 1024 * 1024)),
        "MAX_IMAGE_PIXELS": int(conf.get("MAX_IMAGE_PIXELS", 40_000_000)),
        "IMAGE_MAX_SIDE": int(conf.get("IMAGE_MAX_SIDE", 2560)),
        "THUMBNAIL_SIDE": int(conf.get("THUMBNAIL_SIDE", 320)),
        "VIDEO_MAX_SECONDS": int(conf.get("VIDEO_MAX_SECONDS", 180)),
        "PUBLIC_VIDEOS": bool(conf.get("PUBLIC_VIDEOS", False)),
        "PUBLIC_PDFS": bool(conf.get("PUBLIC_PDFS", False)),
    }


@dataclass
class Inspection:
    kind: str
    data: bytes
    sha256: str
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    image: CheckedImage | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def content_type(self) -> str:
        return detect.CONTENT_TYPES[self.kind]


def read_capped(uploaded_file, max_bytes: int) -> bytes:
    """Read the whole file, refusing as soon as it is larger than ``max_bytes`` (the claimed size is ignored)."""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    chunks, total = [], 0
    chunk_iter = (
        uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else iter(lambda: uploaded_file.read(65536), b"")
    )
    for chunk in chunk_iter:
        total += len(chunk)
        if total > max_bytes:
            raise UploadRefused(
                format_lazy(
                    _("The file is larger than {max}, the largest size accepted."), max=filesizeformat(max_bytes)
                ),
                code="too_large",
            )
        chunks.append(chunk)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    return b"".join(chunks)


def refuse_type(detected: str, allowed: tuple[str, ...] | None = None):
    if allowed is not None and detected in detect.ACCEPTED:
        allowed_text = ", ".join(str(label(k)) for k in allowed)
        msg = _("This file is %(detected)s; here only these are accepted: %(allowed)s.")
        return UploadRefused(msg % {"detected": label(detected), "allowed": allowed_text}, detected=detected)
    msg = _("This file is %(detected)s, which is not accepted. Accepted are %(accepted)s.")
    return UploadRefused(msg % {"detected": label(detected), "accepted": ACCEPTED_SUMMARY}, detected=detected)


def inspect_upload(uploaded_file, *, allowed: tuple[str, ...] | None = None) -> Inspection:
    """Check a file by its content against ``settings.UPLOADS``; raise :class:`UploadRefused` if refused.

    ``allowed`` narrows the accepted kinds (e.g. ``detect.IMAGE_KINDS`` for a photo field).
    """
    conf = limits()
    data = read_capped(uploaded_file, conf["MAX_BYTES"])
    if not data:
        raise UploadRefused(_("The file is empty."), code="empty")
    sniffed = detect.sniff(data[:4096])
    if not sniffed.accepted or (allowed is not None and sniffed.kind not in allowed):
        raise refuse_type(sniffed.kind, allowed)
    found = Inspection(kind=sniffed.kind, data=data, sha256=hashlib.sha256(data).hexdigest())
    if found.kind in detect.IMAGE_KINDS:
        _check_image(found, conf)
    elif found.kind in detect.VIDEO_KINDS:
        _check_video(found, conf)
    elif found.kind == detect.PDF and b"%%EOF" not in data[-2048:]:
        raise UploadRefused(
            _("The file looks like %(detected)s but is damaged or incomplete.") % {"detected": label(found.kind)},
            detected=found.kind,
            code="damaged",
        )
    return found


def _check_image(found: Inspection, conf: dict) -> None:
    try:
        checked = check_image(found.data, found.kind, conf["MAX_IMAGE_PIXELS"])
    except ImageRefused as exc:
        if exc.reason == "bomb":
            size = _("%(width)d × %(height)d pixels") % {"width": exc.width, "height": exc.height}
            msg = _("The image is too large to process (%(size)s); at most %(max)s megapixels are accepted.")
            max_mp = f"{conf['MAX_IMAGE_PIXELS'] / 1_000_000:g}"
            detail = size if exc.width else _("a decompression bomb")
            raise UploadRefused(msg % {"size": detail, "max": max_mp}, detected=found.kind, code="too_many_pixels")
        msg = _("The file looks like %(detected)s but is damaged or incomplete.")
        raise UploadRefused(msg % {"detected": label(found.kind)}, detected=found.kind, code="damaged") from exc
    found.image = checked
    found.width, found.height = checked.width, checked.height


def _check_video(found: Inspection, conf: dict) -> None:
    try:
        info = video.inspect(found.data)
    except video.BoxError as exc:
        msg = _("The file looks like %(detected)s but is damaged or incomplete.")
        raise UploadRefused(msg % {"detected": label(found.kind)}, detected=found.kind, code="damaged") from exc
    if not info.has_media:
        msg = _("The file looks like %(detected)s but holds no video data.")
        raise UploadRefused(msg % {"detected": label(found.kind)}, detected=found.kind, code="damaged")
    if info.duration_seconds is not None and info.duration_seconds > conf["VIDEO_MAX_SECONDS"]:
        msg = _("The video is %(seconds)d seconds long; at most %(max)d seconds are accepted.")
        raise UploadRefused(
            msg % {"seconds": round(info.duration_seconds), "max": conf["VIDEO_MAX_SECONDS"]},
            detected=found.kind,
            code="too_long",
        )
    found.duration_seconds = info.duration_seconds
