"""Real, tiny scans for tests: uploads are parsed and decoded, so a few magic bytes no longer pass for a file."""

import io

from PIL import Image
from pypdf import PdfWriter
from weasyprint import HTML


def pdf(marker: str = "") -> bytes:
    """Return a one-page PDF; a different marker gives different bytes (and another SHA-256)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if marker:
        writer.add_metadata({"/Title": marker})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def result_pdf(title: str = "Giấy khai sinh", *lines: str) -> bytes:
    """Return a printed result as a specialist drafts and attaches it: a real A4 page with its title and lines."""
    body = "".join(f"<p>{line}</p>" for line in lines)
    printed: bytes = HTML(string=f"<h1>{title.upper()}</h1>{body}").write_pdf()
    return printed


def image(kind: str = "PNG", size: tuple[int, int] = (16, 12), **options: object) -> bytes:
    """Return a small PNG or JPEG; `options` go to Pillow's encoder (exif=..., pnginfo=...)."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind, **options)
    return out.getvalue()
