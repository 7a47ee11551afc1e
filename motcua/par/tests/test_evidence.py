"""Evidence through the API (multipart): PDF and images as every upload, and Office documents (.docx, .xlsx, .odt)
checked as packages; a refused file stores nothing and changes nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import client_for
from motcua.core import clock
from motcua.core.tests import samples
from motcua.par.models import Event, Evidence, Item

from .world import DURING, SPECIALIST, UNIT, open_round

pytestmark = pytest.mark.django_db
TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = '<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body><w:p>Kế hoạch CCHC</w:p></w:body></w:document>'


def package(parts: dict[str, bytes | str], *, stored_first: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(stored_first, parts.pop(stored_first), compress_type=zipfile.ZIP_STORED)
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def docx(**extra: bytes | str) -> bytes:
    return package({"[Content_Types].xml": TYPES, "_rels/.rels": RELS, "word/document.xml": DOCUMENT, **extra})


def odt() -> bytes:
    return package({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document/>",
                    "META-INF/manifest.xml": "<manifest/>"}, stored_first="mimetype")  # fmt: skip


def _send(name: str, content: bytes, round_id: int) -> int:
    body = {"value": "co", "files": [SimpleUploadedFile(name, content)]}
    url = f"/api/v1/par/rounds/{round_id}/units/{UNIT}/items/1.1.1/evidence"
    with clock.frozen(DURING):
        return int(client_for(SPECIALIST).post(url, body, format="multipart").status_code)


@pytest.mark.parametrize(("name", "content", "suffix"), [
    ("ke-hoach.pdf", samples.pdf(), ".pdf"), ("anh.png", samples.image(), ".png"), ("ke-hoach.docx", docx(), ".docx"),
    ("ke-hoach.odt", odt(), ".odt"),
])  # fmt: skip
def test_evidence_is_accepted_by_what_it_is(name: str, content: bytes, suffix: str) -> None:
    assessment = open_round()
    assert _send(name, content, assessment.round_id) == 200
    stored = Evidence.objects.get(item__assessment=assessment)
    assert stored.original_name == name and stored.file.name.endswith(suffix)
    assert Item.objects.get(assessment=assessment, sub_criterion__code="1.1.1").value == "co"


EXTERNAL = RELS.replace("</Relationships>", '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/attachedTemplate" Target="http://x.example/t.dotm" '
                        'TargetMode="External"/></Relationships>')  # fmt: skip


UNSAFE = [
    docx(**{"word/vbaProject.bin": b"\x00" * 10}),  # macros
    docx(**{"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}),  # an embedded OLE object
    package({"[Content_Types].xml": TYPES, "_rels/.rels": EXTERNAL, "word/document.xml": DOCUMENT}),  # remote template
    docx(**{"../../etc/cron.d/x": "x"}),  # a path out of the package
    docx(**{"word/media/bomb.xml": b"0" * (30 * 1024 * 1024)}),  # compressed far too well
    b"<html><script>alert(1)</script></html>" + docx(),  # something before the archive
    docx() + b"MZ\x90\x00",  # something after it
    package({"notes.txt": "x"}),  # a ZIP that is no Office document
    package({"[Content_Types].xml": TYPES.replace("document.main", "document.macroEnabled.main"),
             "word/document.xml": DOCUMENT}),
    b"PK\x03\x04" + b"\x00" * 100,  # broken
]  # fmt: skip


@pytest.mark.parametrize("content", UNSAFE)
def test_unsafe_or_fake_office_documents_are_refused_with_nothing_changed(content: bytes) -> None:
    assessment = open_round()
    events = Event.objects.count()
    assert _send("ke-hoach.docx", content, assessment.round_id) == 400
    assert not Evidence.objects.exists() and Event.objects.count() == events
    assert Item.objects.get(assessment=assessment, sub_criterion__code="1.1.1").value == ""


@pytest.mark.parametrize("username", [None, "0912345678", "mytho.lanhdao", "quantri", "stp.lanhdao"])
def test_only_the_units_people_upload_evidence(username: str | None) -> None:
    assessment = open_round()
    body = {"value": "co", "files": [SimpleUploadedFile("a.pdf", samples.pdf())]}
    with clock.frozen(DURING):
        url = f"/api/v1/par/rounds/{assessment.round_id}/units/{UNIT}/items/1.1.1/evidence"
        answer = client_for(username).post(url, body, format="multipart")
    allowed = username == "stp.lanhdao"  # the unit's leader enters items too
    assert answer.status_code == (200 if allowed else 401 if username is None else 403 if username == "0912345678"
                                  else 404)  # fmt: skip
    assert Evidence.objects.exists() == allowed
