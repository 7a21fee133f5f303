"""Image checks and re-encoding with Pillow.

The public copy and the thumbnail are rebuilt from the decoded pixels only: the orientation from EXIF is
applied first, colours are converted to sRGB when the image carries an ICC profile, and then nothing of
the original file's metadata is carried over — no EXIF (GPS position, camera, time), no XMP, no ICC
profile, no comments, no PNG text chunks. Animated images keep their first frame only.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .detect import JPEG, PNG, WEBP

PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


class ImageRefused(ValueError):
    """``reason`` is "bomb" (too many pixels), "mismatch" (Pillow sees another format) or "damaged"."""

    def __init__(self, reason: str, *, width: int = 0, height: int = 0, pil_format: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.width = width
        self.height = height
        self.pil_format = pil_format


@dataclass
class CheckedImage:
    image: Image.Image  # fully decoded, first frame
    width: int  # after applying the EXIF orientation
    height: int


def check_image(data: bytes, kind: str, max_pixels: int) -> CheckedImage:
    """Open, verify and decode ``data`` as ``kind``; refuse decompression bombs before decoding."""
    try:
        with warnings.catch_warnings():
            # our own limit (checked below, before decoding) is the stricter one; Pillow's hard error
            # (over twice its MAX_IMAGE_PIXELS) still stops gigantic images at open()
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if probe.format != PIL_FORMATS[kind]:
                    raise ImageRefused("mismatch", pil_format=probe.format or "")
                if width * height > max_pixels:
                    raise ImageRefused("bomb", width=width, height=height)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except Image.DecompressionBombError:
        raise ImageRefused("bomb") from None
    except ImageRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise ImageRefused("damaged") from exc
    oriented_w, oriented_h = (height, width) if _orientation(image) in (5, 6, 7, 8) else (width, height)
    return CheckedImage(image, oriented_w, oriented_h)


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1) or 1)
    except Exception:
        return 1


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _normalise_mode(image: Image.Image, kind: str) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if kind == JPEG:
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    return image.convert("RGBA" if has_alpha else "RGB")


def _bare(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: no info dict, no EXIF, no ICC, no comments."""
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == JPEG:
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif kind == WEBP:
        image.save(out, "WEBP", quality=85, method=4)
    else:
        image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def clean_copies(checked: CheckedImage, kind: str, max_side: int, thumb_side: int) -> tuple[bytes, bytes, int, int]:
    """Re-encode: (public copy, thumbnail, width, height of the public copy), all metadata stripped."""
    image = ImageOps.exif_transpose(checked.image)  # returns a new image with the rotation applied
    image = _to_srgb(image)
    image = _normalise_mode(image, kind)
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    public = _bare(image)
    thumb = public.copy()
    thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
    thumb = _bare(thumb)
    return _encode(public, kind), _encode(thumb, kind), public.width, public.height
