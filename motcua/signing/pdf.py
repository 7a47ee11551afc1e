"""PAdES signatures with pyHanko: a visible Vietnamese stamp with a QR code, and validation against trust roots.

pyHanko's synchronous API runs its own event loop (asyncio.run), which cannot start inside a running loop (an ASGI
server, a browser-driving test); there `_outside_any_loop` runs the call in a thread of its own.
"""

import asyncio
import hashlib
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

import segno
from asn1crypto import pem, x509
from django.conf import settings
from fontTools import subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter, init_xobject_dictionary
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.stamp import QRStamp, QRStampStyle
from pyhanko_certvalidator import ValidationContext

from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError

# fontTools reports every table it subsets at INFO (the stamp font is cut once, on first use).
logging.getLogger("fontTools").setLevel(logging.WARNING)

FIELD_PREFIX = "motcua-"
# Room for the CMS object: an RSA-2048 signature with a two-certificate chain needs about 3 KB; a timestamp token
# adds about as much again. Reserving a fixed size spares pyHanko a dry-run signature per document.
BYTES_RESERVED = 8192
BYTES_RESERVED_WITH_TSA = 16384
# The stamp sits in the lower right of the last page, where Phụ lục I of ND 30/2020 puts the signature.
STAMP_BOX = (300, 36, 565, 168)

T = TypeVar("T")


# The letters of Vietnamese (precomposed) and ASCII: the stamp's font is cut down to these once and then embedded
# whole in every signature (about 25 KB), instead of pyHanko subsetting the full font each time, by far the slowest
# step of a signature.
VIETNAMESE = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư"
STAMP_CODEPOINTS = [*range(0x20, 0x7F), *(ord(c) for c in VIETNAMESE), *range(0x1EA0, 0x1EFA)]


def stamp_font(source: str) -> Path:
    """Return a copy of the font cut down to Vietnamese letters, made once under the data directory."""
    key = hashlib.sha256(f"{source}:{Path(source).stat().st_mtime_ns}".encode()).hexdigest()[:16]
    target = Path(settings.DATA_DIR) / "cache" / f"stamp-font-{key}.ttf"
    if not target.exists():
        options = subset.Options()
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "DSIG"]
        options.name_IDs = ["*"]
        options.hinting = False
        font = TTFont(source)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=STAMP_CODEPOINTS)
        subsetter.subset(font)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(partial))
        partial.replace(target)  # atomic: a concurrent process never reads half a font
    return target


class _WholeFontAccumulator(GlyphAccumulator):
    """Embed the already cut-down stamp font file byte for byte.

    pyHanko subsets and recompiles the font in every signature, which costs more than the signature itself; the cut
    font is small, keeps its glyph ids, and can go in as it is. Relies on pyHanko 0.38's `_extract_subset` and
    `CIDFont.set_font_file` (the version is pinned).
    """

    def __init__(self, *args: Any, raw: bytes, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cidfont = self.cidfont_obj

        def set_font_file(writer: BasePdfFileWriter) -> generic.IndirectObject:
            stream = generic.StreamObject(stream_data=raw)
            stream.compress()
            ref = writer.add_object(stream)
            cidfont._font_descriptor[generic.pdf_name("/FontFile2")] = ref
            return ref

        cidfont.set_font_file = set_font_file  # type: ignore[method-assign]

    def _extract_subset(self, options: object = None) -> None:
        return None


@dataclass(frozen=True)
class _WholeFontFactory(GlyphAccumulatorFactory):
    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: object = None) -> GlyphAccumulator:
        raw = _font_bytes(self.font_file)
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return _WholeFontAccumulator(
            writer=writer, font_handle=BytesIO(raw), font_size=self.font_size, obj_stream=obj_stream, raw=raw
        )


@lru_cache(maxsize=4)
def _font_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


class _SegnoQRStamp(QRStamp):
    """Draw the QR code from segno's matrix with a fixed mask: pyHanko's qrcode path scores all eight masks in pure
    Python, which took longer than the signature. Any mask is a valid code; the score only tunes contrast."""

    def _qr_xobject(self) -> tuple[generic.IndirectObject, int]:
        matrix = segno.make(self.url, error="m", mask=0, micro=False).matrix
        quiet = 4
        size = len(matrix) + 2 * quiet
        commands = [b"0 g"]
        for row, cells in enumerate(matrix):
            y = size - quiet - row - 1  # PDF counts rows from the bottom
            commands.extend(b"%d %d 1 1 re" % (quiet + column, y) for column, dark in enumerate(cells) if dark)
        commands.append(b"f")
        xobject = init_xobject_dictionary(b"\n".join(commands), size, size)
        xobject.compress()
        assert self.writer is not None  # a stamp is always created for a writer
        return self.writer.add_object(xobject), size


@dataclass(frozen=True)
class _SegnoQRStampStyle(QRStampStyle):
    def create_stamp(self, writer: BasePdfFileWriter, box: Any, text_params: dict[str, Any]) -> QRStamp:
        url = text_params.pop("url")
        return _SegnoQRStamp(writer, style=self, url=url, text_params=text_params, box=box)


@lru_cache(maxsize=4)
def stamp_style(font_file: str) -> QRStampStyle:
    """Return the stamp style; the [opentype] font engine embeds the glyphs Vietnamese needs."""
    font = _WholeFontFactory(str(stamp_font(font_file)), font_size=9)
    return _SegnoQRStampStyle(
        stamp_text="%(block)s\nKý số lúc %(ts)s",
        text_box_style=TextBoxStyle(font=font, font_size=9, leading=11),
        border_width=1,
        background=None,
        qr_inner_size=80,
    )


def timestamper() -> TimeStamper | None:
    """Return an RFC 3161 time-stamping client when MOTCUA_SIGNING_TSA_URL is set."""
    url = settings.MOTCUA_SIGNING_TSA_URL
    return HTTPTimeStamper(url) if url else None


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    *,
    public_id: str,
    block: str,
    url: str,
    reason: str,
    location: str,
    at: datetime,
    bytes_reserved: int | None = BYTES_RESERVED,
) -> bytes:
    """Stamp the block and a QR code to `url` on the last page and sign the whole file (PAdES baseline B, or T).

    The signature field is named after the document's public id, so any copy can be traced back to its record.
    """
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError) as error:
        raise DomainError("Tệp cần ký không phải PDF đọc được.") from error
    last_page = int(writer.root["/Pages"]["/Count"]) - 1
    field_name = f"{FIELD_PREFIX}{public_id}"
    tsa = timestamper()
    if tsa is not None and bytes_reserved is not None:
        bytes_reserved = BYTES_RESERVED_WITH_TSA
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        name=str(block.splitlines()[-1]),
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=tsa,
        stamp_style=stamp_style(str(settings.MOTCUA_SIGNING_FONT)),
        new_field_spec=fields.SigFieldSpec(field_name, on_page=last_page, box=STAMP_BOX),
    )
    output = _outside_any_loop(
        pdf_signer.sign_pdf,
        writer,
        bytes_reserved=bytes_reserved,
        appearance_text_params={"block": block, "url": url, "ts": at.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")},
    )
    return bytes(output.getvalue())


def _outside_any_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


@dataclass(frozen=True)
class Check:
    """The outcome of validating a PDF's signature, in words a citizen can read."""

    is_valid: bool
    reason: str
    field_name: str = ""
    signer_subject: str = ""
    signed_at: datetime | None = None
    sha256: str = ""
    timestamped_at: datetime | None = None  # from an RFC 3161 token, when the signature carries one

    @property
    def public_id(self) -> str:
        return self.field_name.removeprefix(FIELD_PREFIX) if self.field_name.startswith(FIELD_PREFIX) else ""


@lru_cache(maxsize=8)
def _trust_roots(paths: tuple[str, ...]) -> tuple[x509.Certificate, ...]:
    roots: list[x509.Certificate] = []
    for path in paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            roots.extend(x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True))
        else:
            roots.append(x509.Certificate.load(data))
    return tuple(roots)


def trust_roots() -> tuple[x509.Certificate, ...]:
    """Return the configured trust roots (MOTCUA_SIGNING_TRUST_ROOTS, PEM or DER files)."""
    paths = tuple(str(p) for p in settings.MOTCUA_SIGNING_TRUST_ROOTS if Path(p).exists())
    return _trust_roots(paths)


def validate(pdf: bytes) -> Check:
    """Validate the last signature of a PDF: integrity, cryptography, trust, and nothing added after signing."""
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # pyHanko raises several kinds of error on files that are not PDF at all
        return Check(False, "Tệp không phải PDF đọc được.", sha256=digest)
    if not signatures:
        return Check(False, "Tệp không có chữ ký số.", sha256=digest)
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=list(trust_roots()), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = _outside_any_loop(validate_pdf_signature, embedded, signer_validation_context=context)
    except (SignatureValidationError, ValueError, PdfReadError) as error:
        return Check(False, f"Không kiểm tra được chữ ký: {error}", embedded.field_name, sha256=digest)
    subject = status.signing_cert.subject.human_friendly
    found = {
        "field_name": embedded.field_name,
        "signer_subject": subject,
        "signed_at": status.signer_reported_dt,
        "sha256": digest,
        "timestamped_at": status.timestamp_validity.timestamp if status.timestamp_validity is not None else None,
    }
    if not status.intact:
        return Check(False, "Nội dung tệp đã bị thay đổi sau khi ký: mã băm không khớp với chữ ký.", **found)
    if not status.valid:
        return Check(False, "Chữ ký số không hợp lệ về mặt mật mã.", **found)
    if not status.trusted:
        return Check(
            False,
            "Chứng thư số không do tổ chức chứng thực được tin cậy cấp, hoặc đã hết hạn.",
            **found,
        )
    if not status.bottom_line:
        return Check(False, "Tệp có nội dung được thêm hoặc sửa sau khi ký.", **found)
    return Check(True, "Chữ ký số hợp lệ; nội dung còn nguyên vẹn từ khi ký.", **found)
