"""Every procedure shipped with an e-form, end to end on the demo: filed online with its tờ khai, accepted, processed,
its result generated from the form and signed, returned online; the applicant downloads it, the PDF holds the
answers and poppler validates the signature."""

import subprocess
from pathlib import Path

import pytest
from django.db.models import Q
from django.test import Client

from motcua.catalogue.models import Component
from motcua.catalogue.selectors import get_version_on
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.demo.seed import seed
from motcua.documents.results import generate_result, sign_result
from motcua.dossiers import drafts
from motcua.dossiers.filled import papers_asked, result_values, return_methods
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.rules import allowed, available_actions
from motcua.dossiers.services import Applicant, Filing, Inputs, Paper, complete_step, perform, submit_online
from motcua.dossiers.tests.factories import TUESDAY_9AM, user
from motcua.eforms.lists import shipped_forms
from motcua.eforms.selectors import definition_of, form_for
from motcua.eforms.tests.valid import valid_answers
from motcua.organizations.models import Membership, Unit, User
from motcua.signing.models import SignedDocument

pytestmark = pytest.mark.django_db
CITIZEN = "0912345678"


def staff_of(unit_ids: set[int]) -> list[User]:
    users = Membership.objects.filter(unit__in=unit_ids).values_list("user", flat=True)
    return list(User.objects.filter(pk__in=users).order_by("username"))


def file_online(code: str, changes: dict[str, str] | None = None, leave_out: tuple[str, ...] = ()) -> Dossier:
    """File the procedure's first case online with valid answers (and `changes`), its mandatory papers and those the
    answers ask for, but for the papers coded in `leave_out`."""
    version = get_version_on(code)
    assert version is not None, f"{code} is not in the demo catalogue"
    case = version.cases.order_by("position")[0]
    form = form_for(case)
    assert form is not None, f"{code}: the demo did not publish its tờ khai"
    definition = definition_of(form)
    replaced = definition.replaces_paper
    answers = valid_answers(definition) | (changes or {})
    asked = papers_asked(definition, answers)  # as intake requires them
    handed_in = Q(is_mandatory=True) | Q(code__in=asked)
    mandatory = Component.objects.filter(handed_in, case=case).exclude(code__in=(replaced, *leave_out))
    filing = Filing(
        case.pk,
        2,
        Applicant(name="Nguyễn Văn Dân", citizen_id="082090001234", phone=CITIZEN, email="dan@example.vn"),
        tuple(Paper(c.pk, is_digitised=True) for c in mandatory),
        "28261",
        answers=answers,
        return_method=return_methods(version)[-1],  # online where offered
    )
    return submit_online(filing, citizen=user(CITIZEN), receiving_unit=Unit.objects.get(code="28261.TTPVHCC")).dossier


def drive_to_the_end(dossier: Dossier) -> None:
    """Act as the people the rules let act, one step at a time, until the result is returned."""
    for _ in range(20):
        dossier = Dossier.objects.get(pk=dossier.pk)
        if dossier.status == Status.RETURNED:
            return
        people = staff_of(
            {dossier.receiving_unit_id, dossier.competent_unit_id, *dossier.steps.values_list("unit", flat=True)}
        )
        for person in people:
            may = allowed(available_actions(dossier, person))
            if Action.ATTACH_RESULT in may and not dossier.results.exists():
                generate_result(dossier, person)
            elif Action.SIGN_RESULT in may:
                sign_result(dossier, person)
            elif Action.RETURN_RESULT in may:
                channel = Inputs(return_channel=dossier.return_method)
                perform(dossier, Action.RETURN_RESULT, actor=person, inputs=channel)
            elif may & {Action.ACCEPT, Action.START}:
                perform(dossier, min(may & {Action.ACCEPT, Action.START}), actor=person)
            elif may & {Action.COMPLETE_STEP, Action.TRANSFER, Action.COMPLETE}:
                complete_step(dossier, actor=person)
            else:
                continue
            break
        else:
            steps = [(s.name, s.unit_id, s.staff_position, s.state) for s in dossier.steps.order_by("position")]
            raise AssertionError(f"nobody may act on {dossier.code} (status {dossier.status}): {steps}")
    raise AssertionError(f"{dossier.code} did not reach its end")


def text_of(content: bytes, path: Path) -> str:
    path.write_bytes(content)
    return " ".join(
        subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout.split()
    )


# Every shipped form, through the demo's staff: the building permit passes the head of the Phòng Kinh tế's review,
# who also signs the household business certificate TL. under the register.
JOURNEYS = sorted(shipped_forms())
SIGNERS = {"1.001612": "mytho.truongphong"}  # the others: the chairman, TM. Ủy ban nhân dân


@pytest.mark.parametrize("code", JOURNEYS)
def test_filed_with_its_form_processed_signed_and_downloaded(code: str, client: Client, tmp_path: Path) -> None:
    seed()
    with clock.frozen(TUESDAY_9AM):
        dossier = file_online(code)
        drive_to_the_end(dossier)
    dossier.refresh_from_db()
    result = dossier.results.order_by("-created_at", "-pk").first()
    assert result is not None and result.signature is not None
    client.force_login(user(CITIZEN))
    page = client.get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
    assert f"/ca-nhan/ho-so/{dossier.code}/ket-qua/{result.pk}.pdf" in page
    download = client.get(f"/ca-nhan/ho-so/{dossier.code}/ket-qua/{result.pk}.pdf")
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    text = text_of(content, tmp_path / "ket-qua.pdf")
    # Whom the result is about: every name typed in the tờ khai that the result names (a template may print more).
    names = [
        value.get("ho_ten", "") if isinstance(value, dict) else value
        for name, value in result_values(dossier).items()
        if name.endswith("ho_ten") or isinstance(value, dict)
    ]
    missing = [n for n in names if n and n not in text and n.upper() not in text]
    assert not missing, f"{code}: the result does not print {missing}"
    check = subprocess.run(["pdfsig", tmp_path / "ket-qua.pdf"], capture_output=True, text=True).stdout
    assert "Signature is Valid" in check
    signer = SignedDocument.objects.get(public_id=result.signature).official.username
    assert signer == SIGNERS.get(code, "mytho.lanhdao"), signer


def test_a_paper_the_tờ_khai_asks_for_is_required(client: Client) -> None:
    seed()
    authorised = {"nguoi_yeu_cau.quan_he": "uy_quyen"}  # the requester acts for the parents: the authorisation
    draft = drafts.save_answers(drafts.draft_for(user(CITIZEN), get_version_on("1.001193")), authorised)  # type: ignore[arg-type]
    client.force_login(user(CITIZEN))
    papers = client.get("/nop-ho-so/1.001193/").content.decode()
    assert papers.count('data-asked="true"') == 1 and "(bắt buộc theo tờ khai đã khai)" in papers
    drafts.save_answers(draft, {"nguoi_yeu_cau.quan_he": "cha"})
    assert 'data-asked="true"' not in client.get("/nop-ho-so/1.001193/").content.decode()
    with clock.frozen(TUESDAY_9AM), pytest.raises(DomainError, match="Còn thiếu giấy tờ bắt buộc: Văn bản ủy quyền"):
        file_online("1.001193", authorised, leave_out=("GT_UQ",))
    with clock.frozen(TUESDAY_9AM):
        before = Dossier.objects.count()
        filed = file_online("1.001193", authorised)
    assert Dossier.objects.count() == before + 1
    assert DossierComponent.objects.filter(dossier=filed, component__code="GT_UQ").exists()
