"""Real files made on the fly: photos with GPS EXIF, PNG, WebP, a decompression bomb, MP4, PDF."""

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
GPS = {1: "N", 2: (31.0, 13.0, 30.0), 3: "E", 4: (121.0, 28.0, 12.0)}


def jpeg_with_gps(size=(64, 48), orientation=6) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1] // 4))  # a blue mark at the top left
    exif = Image.Exif()
    exif[0x010F] = "YiwangCam"  # Make
    exif[0x0112] = orientation
    exif[GPS_IFD] = GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"shot at home of Li Si")
    return out.getvalue()


def png(size=(40, 30), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "green").save(out, "PNG")
    return out.getvalue()


def webp(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "WEBP")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width=12_000, height=12_000) -> bytes:
    """A 1-bit PNG of width × height pixels that compresses to a few kilobytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(brand=b"isom", seconds=5, location=b"+31.2304+121.4737/") -> bytes:
    """A minimal ISO-BMFF movie: ftyp, moov (mvhd + udta with a ©xyz GPS location), mdat."""
    ftyp = box(b"ftyp", brand + struct.pack(">I", 512) + b"isom" + b"mp41")
    timescale = 1000
    mvhd = box(
        b"mvhd",
        b"\x00\x00\x00\x00"  # version 0, flags
        + struct.pack(">IIII", 3_700_000_000, 3_700_000_001, timescale, seconds * timescale)
        + b"\x00" * 80,
    )
    xyz = box(b"\xa9xyz", struct.pack(">HH", len(location), 0x15C7) + location)
    udta = box(b"udta", xyz)
    moov = box(b"moov", mvhd + udta)
    mdat = box(b"mdat", b"\x00\x00\x00\x10fake-h264-frames" * 8)
    return ftyp + moov + mdat


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )
