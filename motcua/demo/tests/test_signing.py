"""The demo register: every demo unit with a leader is an issuing body with its head and deputies, as a province
registers them, so that each can sign and print its Forms 04 and 05."""

from datetime import datetime
from pathlib import Path

import pytest

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.demo import signing as demo_signing
from motcua.documents.forms import render_form
from motcua.documents.tests.test_forms import text_of
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import DEPUTIES
from motcua.dossiers.services import Inputs, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, user
from motcua.dossiers.tests.processing_factories import department_officer, file, load_processing_catalogue
from motcua.organizations.models import Position, Role
from motcua.organizations.selectors import memberships_on
from motcua.signing.authority import Mode, Regime
from motcua.signing.models import DocumentType, IssuingBody, RegisterEntry
from motcua.signing.services import entitlement_for

pytestmark = pytest.mark.django_db


def test_every_demo_unit_with_a_leader_is_registered_and_its_head_signs_its_letters() -> None:
    posts = list(memberships_on().filter(role=Role.LEADER).select_related("unit", "user"))
    assert {post.unit.code for post in posts} >= {"82.STP", "28261.UBND"}  # the demo seed's own leaders
    letters = list(DocumentType.objects.filter(code__in=["cong_van", "thong_bao"]))
    assert len(letters) == 2
    for post in posts:
        entry = RegisterEntry.objects.get(body__unit=post.unit, official=post.user)
        assert entry.mode == (Mode.HEAD if post.position in DEPUTIES else Mode.DEPUTY), post
        if entry.mode is Mode.HEAD:
            for kind in letters:
                verdict = entitlement_for(post.user, entry.body, kind, {}, clock.today())
                assert verdict.allowed and verdict.block[-1] == post.user.full_name, (post, kind, verdict.reason)


def test_a_unit_given_a_leader_is_registered_by_the_seed_and_prints_its_apology(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_processing_catalogue()
    other = department_officer()
    director = department_officer(
        "snnmt.giamdoc", full_name="Trương Văn Môi Trường", role=Role.LEADER, position=Position.DIRECTOR
    )
    deputy = department_officer(
        "snnmt.phogiamdoc", full_name="Lý Thị Phó", role=Role.LEADER, position=Position.DEPUTY_DIRECTOR
    )
    monkeypatch.setattr(demo_signing, "issue_demo_certificates", lambda: None)  # the register only
    demo_signing.seed_signing()
    body = IssuingBody.objects.get(unit__code="82.SNNMT")
    assert (body.regime, body.collective_name, body.head_title, body.symbol) == (Regime.HEAD, "", "Giám đốc", "SNNMT")
    assert RegisterEntry.objects.get(body=body, official=director).mode == Mode.HEAD
    assert RegisterEntry.objects.get(body=body, official=deputy, title="Phó Giám đốc").mode == Mode.DEPUTY
    demo_signing.seed_signing()  # running it again changes nothing
    assert RegisterEntry.objects.filter(body__unit__code="82.SNNMT").count() == 2
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.chuyenvien"))  # to the department: three working days
    with clock.frozen(datetime(2026, 3, 20, 9, 0, tzinfo=VIETNAM)):  # a week later
        complete_step(dossier, actor=other)
        perform(
            dossier,
            Action.EXTEND,
            actor=user("stp.lanhdao"),
            reason="Sở Nông nghiệp và Môi trường trả lời chậm",
            inputs=Inputs(new_due_at=datetime(2026, 4, 7, 9, 0, tzinfo=VIETNAM), signer=director),
        )
    pdf = tmp_path / "04.pdf"
    pdf.write_bytes(render_form(Dossier.objects.get(pk=dossier.pk), "04"))
    text = text_of(pdf)
    assert "Sở Nông nghiệp và Môi trường chân thành xin lỗi ông/bà" in text
    assert "GIÁM ĐỐC (Ký, ghi rõ họ tên và đóng dấu) Trương Văn Môi Trường" in text
