"""Real, tiny scans for tests: uploads are parsed and decoded, so a few magic bytes no longer pass for a file."""

import io

from PIL import Image
from pypdf import PdfWriter


def pdf(marker: str = "") -> bytes:
    """Return a one-page PDF; a different marker gives different bytes (and another SHA-256)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if marker:
        writer.add_metadata({"/Title": marker})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image(kind: str = "PNG", size: tuple[int, int] = (16, 12), **options: object) -> bytes:
    """Return a small PNG or JPEG; `options` go to Pillow's encoder (exif=..., pnginfo=...)."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind, **options)
    return out.getvalue()
