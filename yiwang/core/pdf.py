"""PDF documents with Chinese text (receipts, reports).

ReportLab embeds TrueType fonts only (not the CFF-based Noto CJK collection used for pages), so PDFs
use the first TrueType CJK font found — Debian's ``fonts-wqy-zenhei`` is part of the set-up — or the
font named by ``YIWANG_PDF_FONT``. Without one, the standard Adobe-GB1 CID font ``STSong-Light`` is used:
it is not embedded, so the reader's own Chinese font renders it.
"""

from __future__ import annotations

import io
import os
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

TRUETYPE_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


@cache
def cjk_font() -> tuple[str, bool]:
    """Register a CJK font; return (font name, embedded?)."""
    candidates = [os.environ["YIWANG_PDF_FONT"]] if os.environ.get("YIWANG_PDF_FONT") else []
    for path in candidates + TRUETYPE_CANDIDATES:
        if os.path.exists(path):
            try:
                pdfmetrics.registerFont(TTFont("YiwangCJK", path, subfontIndex=0))
                return "YiwangCJK", True
            except Exception:  # noqa: BLE001 - a font that cannot be embedded: try the next one
                continue
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light", False


def simple_document(title: str, lines: list[str], *, footer: str = "", page_size=A4) -> bytes:
    """A plain one-column PDF: a title and lines of text (wrapped), Chinese included."""
    font, _embedded = cjk_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=page_size)
    pdf.setTitle(title)
    width, height = page_size
    margin = 20 * mm
    y = height - margin
    pdf.setFont(font, 18)
    pdf.drawString(margin, y, title)
    y -= 12 * mm
    pdf.setFont(font, 12)
    max_width = width - 2 * margin
    for line in lines:
        for chunk in _wrap(line, font, 12, max_width):
            if y < margin + 10 * mm:
                pdf.showPage()
                pdf.setFont(font, 12)
                y = height - margin
            pdf.drawString(margin, y, chunk)
            y -= 7 * mm
    if footer:
        pdf.setFont(font, 9)
        pdf.drawString(margin, margin / 2, footer)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, font: str, size: int, max_width: float) -> list[str]:
    out, current = [], ""
    for char in text:
        if pdfmetrics.stringWidth(current + char, font, size) > max_width:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return out
