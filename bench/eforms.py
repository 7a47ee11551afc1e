"""The birth-registration e-form rendered and checked, and its result generated and signed, each beside a reference
measured in the same run.

    .venv/bin/python bench/eforms.py

Builds a demo database (SQLite, in a temporary directory) with the shipped forms published. The e-form: laying out
the definition with the typed answers, rendering the portal's fields and checking the answers, against a hand-written
Django form with the same fields (a select of the same communes) rendered and validated. The result: the Giấy khai
sinh rendered from the form's answers and signed (stamp, QR), against Form 01 of the same dossier rendered and signed.
Prints one tab-separated line per figure (milliseconds; median and p95 of the best of three batches).
"""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
WORK = Path(tempfile.mkdtemp(prefix="motcua-bench-eforms-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MOTCUA_SIGNING_KEY_DIR"] = str(WORK / "keys")
os.environ["MOTCUA_SIGNING_TRUST_ROOTS"] = str(WORK / "keys" / "test-ca.pem")
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django  # noqa: E402

django.setup()

from django import forms  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from motcua.catalogue.selectors import get_version_on  # noqa: E402
from motcua.core import clock  # noqa: E402
from motcua.demo.seed import seed  # noqa: E402
from motcua.documents.forms import render_form  # noqa: E402
from motcua.documents.results import render_result  # noqa: E402
from motcua.dossiers.filled import commune_exists  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.eforms.answers import check  # noqa: E402
from motcua.eforms.layout import blocks  # noqa: E402
from motcua.eforms.lists import pick_lists  # noqa: E402
from motcua.eforms.selectors import definition_of, form_for  # noqa: E402
from motcua.eforms.tests.birth import ANSWERS  # noqa: E402  # what a citizen types, as in the tests
from motcua.organizations.models import COMMUNE_LEVEL_TYPES, Unit, User  # noqa: E402
from motcua.signing import pdf  # noqa: E402
from motcua.signing.keys import issue_test_certificate  # noqa: E402
from motcua.signing.providers import Pkcs12FileProvider  # noqa: E402

CALLS = int(os.environ.get("BENCH_EFORM_CALLS", "200"))


def timed(call: Callable[[], object], count: int) -> tuple[float, float]:
    """Return the median and p95 (ms) of the best of three batches: the machine is shared."""
    best: list[float] = []
    for _ in range(3):
        samples = []
        for _ in range(count):
            began = time.perf_counter()
            call()
            samples.append((time.perf_counter() - began) * 1000)
        if not best or statistics.median(samples) < statistics.median(best):
            best = samples
    return statistics.median(best), statistics.quantiles(best, n=20)[-1]


class HandWritten(forms.Form):
    """The same questions as Django forms are usually written by hand: one field each, Django's own validation."""

    communes = Unit.objects.filter(parent__code="82", type__in=COMMUNE_LEVEL_TYPES).order_by("name")
    requester_name = forms.CharField(max_length=100)
    requester_birth = forms.DateField(input_formats=["%d/%m/%Y"])
    requester_id = forms.RegexField(regex=r"\d{12}")
    requester_commune = forms.ModelChoiceField(communes, to_field_name="code")
    requester_detail = forms.CharField(max_length=200)
    relation = forms.ChoiceField(choices=[("cha", "Cha"), ("me", "Mẹ"), ("ong_ba", "Ông, bà")])
    child_name = forms.CharField(max_length=100)
    child_birth = forms.DateField(input_formats=["%d/%m/%Y"])
    child_sex = forms.ChoiceField(choices=pick_lists()["gioi_tinh"].items)
    child_ethnic = forms.ChoiceField(choices=pick_lists()["dan_toc"].items)
    child_nationality = forms.ChoiceField(choices=pick_lists()["quoc_tich"].items)
    birth_commune = forms.ModelChoiceField(communes, to_field_name="code")
    birth_detail = forms.CharField(max_length=200)
    home_town = forms.CharField(max_length=200)
    mother_known = forms.ChoiceField(choices=[("co", "Có"), ("khong", "Không")])
    mother_name = forms.CharField(max_length=100)
    mother_birth = forms.DateField(input_formats=["%d/%m/%Y"])
    mother_ethnic = forms.ChoiceField(choices=pick_lists()["dan_toc"].items)
    mother_nationality = forms.ChoiceField(choices=pick_lists()["quoc_tich"].items)
    mother_commune = forms.ModelChoiceField(communes, to_field_name="code")
    mother_detail = forms.CharField(max_length=200)
    father_known = forms.ChoiceField(choices=[("co", "Có"), ("khong", "Không")])
    copies = forms.IntegerField(min_value=0, max_value=20)


HAND_DATA = {
    "requester_name": "Nguyễn Văn Dân",
    "requester_birth": "20/10/1990",
    "requester_id": "082090001234",
    "requester_commune": "28261",
    "requester_detail": "Số 5 Lê Lợi",
    "relation": "cha",
    "child_name": "Nguyễn Minh An",
    "child_birth": "01/03/2026",
    "child_sex": "nam",
    "child_ethnic": "01",
    "child_nationality": "VN",
    "birth_commune": "28261",
    "birth_detail": "Bệnh viện Đa khoa tỉnh",
    "home_town": "Phường Mỹ Tho, tỉnh Đồng Tháp",
    "mother_known": "co",
    "mother_name": "Trần Thị Hoa",
    "mother_birth": "12/05/1995",
    "mother_ethnic": "01",
    "mother_nationality": "VN",
    "mother_commune": "28261",
    "mother_detail": "Số 5 Lê Lợi",
    "father_known": "khong",
    "copies": "2",
}


def main() -> None:
    call_command("migrate", verbosity=0)
    seed()
    version = get_version_on("1.001193")
    assert version is not None
    form = form_for(version.cases.order_by("position")[0])
    assert form is not None, "the demo did not publish the birth-registration form"
    definition = definition_of(form)

    def ours() -> None:
        result = check(definition, ANSWERS, lists=pick_lists(), commune_exists=commune_exists, today=clock.today())
        laid = blocks(definition, ANSWERS, result.errors)
        render_to_string("portal/eform_fields.html", {"blocks": laid, "redraw_url": "/to-khai/"})
        assert result.valid, result.errors

    def hand() -> None:
        bound = HandWritten(HAND_DATA)
        assert bound.is_valid(), bound.errors
        bound.as_div()

    ours()
    hand()
    mine, reference = timed(ours, CALLS), timed(hand, CALLS)
    for index, name in enumerate(("median", "p95")):
        figure = f"birth e-form render + check, {name} (ms)"
        print(f"{figure}\t{mine[index]:.2f}\thand-written Django form\t{reference[index]:.2f}")

    values = check(definition, ANSWERS, lists=pick_lists(), commune_exists=commune_exists, today=clock.today())
    template = Dossier.objects.filter(version=version).select_related("competent_unit", "version__procedure").first()
    assert template is not None, "the demo filed no birth registration"
    dossier = Dossier.objects.select_related("competent_unit", "version__procedure").get(pk=template.pk)
    dossier.form, dossier.form_data = form, values.values  # as if filed with the form: rendered, never saved
    official = User.objects.get(username="mytho.lanhdao")
    issue_test_certificate(
        WORK / "keys", username=official.username, full_name=official.full_name, organisation="Bench", passphrase=b"b"
    )
    signer = Pkcs12FileProvider(WORK / "keys", b"b").signer_for(official)
    block = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n" + official.full_name

    def signed(content: bytes) -> bytes:
        url = "http://127.0.0.1:8000/xac-thuc/bench"
        return pdf.sign_pdf(
            content, signer, public_id="bench", block=block, url=url, reason="Ký", location="Đồng Tháp", at=clock.now()
        )

    result_pdf = signed(render_result(dossier, "Giấy khai sinh"))
    assert pdf.validate(result_pdf).is_valid
    signed(render_form(dossier, "01"))
    count = max(CALLS // 10, 10)
    result = timed(lambda: signed(render_result(dossier, "Giấy khai sinh")), count)
    receipt = timed(lambda: signed(render_form(dossier, "01")), count)
    for index, name in enumerate(("median", "p95")):
        figure = f"Giấy khai sinh from the form, render + sign, {name} (ms)"
        print(f"{figure}\t{result[index]:.2f}\tForm 01 render + sign\t{receipt[index]:.2f}")


if __name__ == "__main__":
    main()
