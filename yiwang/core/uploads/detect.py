"""Recognising a file by its content (magic bytes), never by its name or the client's content type.

Pure Python, no Django model import: :func:`sniff` looks at the first bytes and names what it sees,
accepted or not, so that a refusal can say precisely what the file was ("a GIF image", "a ZIP
archive", "plain text"). ISO base media files (MP4, QuickTime, HEIC, AVIF, M4A) are told apart by the
brands of their ``ftyp`` box.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

# accepted kinds
JPEG, PNG, WEBP, MP4, QUICKTIME, PDF = "jpeg", "png", "webp", "mp4", "quicktime", "pdf"
IMAGE_KINDS = (JPEG, PNG, WEBP)
VIDEO_KINDS = (MP4, QUICKTIME)
ACCEPTED = (*IMAGE_KINDS, *VIDEO_KINDS, PDF)

CONTENT_TYPES = {
    JPEG: "image/jpeg",
    PNG: "image/png",
    WEBP: "image/webp",
    MP4: "video/mp4",
    QUICKTIME: "video/quicktime",
    PDF: "application/pdf",
}
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", MP4: "mp4", QUICKTIME: "mov", PDF: "pdf"}

# ISO-BMFF brands (ISO/IEC 14496-12 and the MP4 registration authority's list)
MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9",
    b"mp41", b"mp42", b"mp71", b"avc1", b"av01", b"hvc1", b"dash", b"msnv", b"M4V ", b"M4VH", b"M4VP",
    b"f4v ", b"XAVC", b"MSNV", b"3gp4", b"3gp5", b"3gp6", b"3g2a",
}  # fmt: skip
QT_BRANDS = {b"qt  "}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}


@dataclass(frozen=True)
class Sniffed:
    kind: str  # one of ACCEPTED, or a key of OTHER_LABELS for refused content
    brand: str = ""  # the ftyp major brand of ISO-BMFF files

    @property
    def accepted(self) -> bool:
        return self.kind in ACCEPTED


def ftyp_brands(head: bytes) -> tuple[bytes, list[bytes]] | None:
    """(major brand, compatible brands) of an ISO-BMFF file starting with an ``ftyp`` box, else None."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    size = struct.unpack(">I", head[:4])[0]
    if size < 16 or size > 4096 or (size - 16) % 4:
        return None
    body = head[8 : min(size, len(head))]
    major = body[:4]
    compatible = [body[i : i + 4] for i in range(8, len(body) - 3, 4)]
    return major, compatible


def _classify_bmff(major: bytes, compatible: list[bytes]) -> str:
    # the major brand decides; compatible brands only when the major one is unknown
    for brands in ([major], compatible):
        for brand in brands:
            if brand in HEIF_BRANDS:
                return "heif"
            if brand in AVIF_BRANDS:
                return "avif"
            if brand in AUDIO_BRANDS:
                return "mp4_audio"
            if brand in QT_BRANDS:
                return QUICKTIME
            if brand in MP4_BRANDS:
                return MP4
    return "bmff_other"


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut at the end of the sample is fine
            try:
                head.decode("gb18030")
            except UnicodeDecodeError:
                return False
    return True


def sniff(head: bytes) -> Sniffed:
    """Name the content of a file from its first bytes (give at least 4 KiB where the file has them)."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(WEBP)
    bmff = ftyp_brands(head)
    if bmff is not None:
        major, compatible = bmff
        return Sniffed(_classify_bmff(major, compatible), brand=major.decode("latin-1").strip())
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip") and len(head) >= 8:
        # very old QuickTime files have no ftyp box; without one we cannot check the brand
        return Sniffed("quicktime_legacy")
    if head.startswith(b"%PDF-"):
        return Sniffed(PDF)
    for magic, kind in _OTHER_MAGIC:
        if head.startswith(magic):
            return Sniffed(kind)
    if head[:4] == b"RIFF":
        return Sniffed({b"AVI ": "avi", b"WAVE": "wav"}.get(head[8:12], "riff"))
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return Sniffed("html")
    if lowered.startswith(b"<svg") or (lowered.startswith(b"<?xml") and b"<svg" in lowered):
        return Sniffed("svg")
    if lowered.startswith(b"<?xml"):
        return Sniffed("xml")
    if _looks_like_text(head):
        return Sniffed("text")
    return Sniffed("unknown")


_OTHER_MAGIC = [
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\x00\x00\x01\x00", "ico"),
    (b"8BPS", "psd"),
    (b"\xff\x0a", "jpegxl"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "jpegxl"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\xcf\xfa\xed\xfe", "executable"),
    (b"\xca\xfe\xba\xbe", "executable"),
    (b"#!", "script"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ms_office"),
    (b"{\\rtf", "rtf"),
    (b"\x1aE\xdf\xa3", "matroska"),
    (b"OggS", "ogg"),
    (b"ID3", "mp3"),
    (b"\xff\xfb", "mp3"),
    (b"fLaC", "flac"),
    (b"FLV\x01", "flv"),
    (b"\x00\x00\x01\xba", "mpeg"),
    (b"SQLite format 3\x00", "sqlite"),
]
