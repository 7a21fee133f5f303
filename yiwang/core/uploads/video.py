"""MP4 / QuickTime (ISO base media file format) checks and metadata removal — without ffmpeg.

What this can and cannot do, honestly:

* It **checks structure**: the file is a sequence of well-formed boxes that exactly fills the file,
  starts with ``ftyp``, and holds a movie header (``moov``/``mvhd``) and media data (``mdat``).
  Its duration is read from ``mvhd``.
* It **removes container metadata without re-encoding**: every ``udta`` (user data: QuickTime
  ``©xyz`` GPS location, camera make/model, ``XMP_``), ``meta`` (Apple ``com.apple.quicktime.location``
  keys, iTunes tags) and ``uuid`` box (XMP and vendor data) is turned into a ``free`` box of the same
  size with its content zeroed, so every offset in the file stays valid and players skip it. The
  creation and modification times in ``mvhd``, ``tkhd`` and ``mdhd`` are zeroed.
* It **cannot** remove what lives inside the media streams: a GPS telemetry track (GoPro ``gpmd``,
  dash-cam subtitles), SEI messages in the H.264/H.265 stream, faces, licence plates or voices in the
  picture and sound. Removing those needs re-encoding (ffmpeg), which this platform does not ship.

For that reason videos are kept **staff-only** unless ``settings.UPLOADS["PUBLIC_VIDEOS"]`` is true;
then the stripped copy described above is what the public sees.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"dinf", b"stbl", b"edts", b"moof", b"traf", b"mvex"}
METADATA_BOXES = {b"udta", b"meta", b"uuid"}
TIMED_HEADERS = {b"mvhd", b"tkhd", b"mdhd"}


class BoxError(ValueError):
    """The file is not a well-formed ISO base media file."""


@dataclass
class Box:
    type: bytes
    start: int  # offset of the box header
    header: int  # header length (8, or 16 with a 64-bit size)
    end: int  # offset just past the box

    @property
    def body(self) -> int:
        return self.start + self.header


def iter_boxes(data: bytes | bytearray, start: int, end: int) -> Iterator[Box]:
    pos = start
    while pos < end:
        if end - pos < 8:
            raise BoxError("trailing bytes after the last box")
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if end - pos < 16:
                raise BoxError("truncated 64-bit box size")
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:  # extends to the end of the enclosing space
            size = end - pos
        if size < header or pos + size > end:
            raise BoxError(f"box {kind!r} at {pos} overruns its container")
        yield Box(kind, pos, header, pos + size)
        pos += size


@dataclass
class VideoInfo:
    duration_seconds: float | None
    has_media: bool


def inspect(data: bytes | bytearray) -> VideoInfo:
    """Check the box structure of a whole file; raises :class:`BoxError` if it is not well formed."""
    top = list(iter_boxes(data, 0, len(data)))
    if not top or top[0].type != b"ftyp":
        raise BoxError("the first box is not ftyp")
    types = {b.type for b in top}
    moov = next((b for b in top if b.type == b"moov"), None)
    if moov is None:
        raise BoxError("no movie header (moov box)")
    has_media = b"mdat" in types
    duration = None
    for box in iter_boxes(data, moov.body, moov.end):
        if box.type == b"mvhd":
            duration = _mvhd_duration(data, box)
    return VideoInfo(duration, has_media)


def _mvhd_duration(data, box: Box) -> float | None:
    version = data[box.body]
    try:
        if version == 1:
            timescale, duration = struct.unpack(">IQ", data[box.body + 20 : box.body + 32])
        else:
            timescale, duration = struct.unpack(">II", data[box.body + 12 : box.body + 20])
    except struct.error:
        raise BoxError("truncated movie header") from None
    if not timescale:
        return None
    return duration / timescale


def strip_metadata(data: bytes) -> bytes:
    """A copy of ``data`` with metadata boxes blanked and header timestamps zeroed (same size, same offsets)."""
    out = bytearray(data)
    _strip(out, 0, len(out))
    return bytes(out)


def _strip(buf: bytearray, start: int, end: int) -> None:
    for box in iter_boxes(buf, start, end):
        if box.type in METADATA_BOXES:
            _blank(buf, box)
        elif box.type in TIMED_HEADERS:
            _zero_times(buf, box)
        elif box.type in CONTAINERS:
            _strip(buf, box.body, box.end)


def _blank(buf: bytearray, box: Box) -> None:
    buf[box.start + 4 : box.start + 8] = b"free"
    buf[box.body : box.end] = bytes(box.end - box.body)


def _zero_times(buf: bytearray, box: Box) -> None:
    version = buf[box.body]
    width = 16 if version == 1 else 8  # creation + modification time, 64 or 32 bits each
    first = box.body + 4
    if first + width <= box.end:
        buf[first : first + width] = bytes(width)
