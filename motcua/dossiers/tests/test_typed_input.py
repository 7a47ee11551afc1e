"""What officers type with an action is cleaned before any check: NFC, no control or direction characters; a result
file is read by its structure like a scan. A refused input changes nothing."""

import unicodedata

import pytest

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, ResultDocument, StepTask
from motcua.dossiers.services import SupplementRequest, attach_result, perform

from .factories import TUESDAY_9AM, user
from .processing_factories import PDF, file, load_processing_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    load_processing_catalogue()


def snapshot(dossier: Dossier) -> tuple[object, ...]:
    dossier.refresh_from_db()
    steps = list(StepTask.objects.filter(dossier=dossier).values_list("state", "assignee").order_by("position"))
    return dossier.status, dossier.due_at, dossier.events.count(), ResultDocument.objects.count(), steps


def test_a_reason_with_a_direction_override_is_refused_and_nothing_changes() -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        component = dossier.case.components.first()
        assert component is not None
        before = snapshot(dossier)
        for reason, item in (("Thiếu \u202egiấy", "Tờ khai"), ("Thiếu giấy tờ", "Tờ khai\x07 chưa ký")):
            with pytest.raises(DomainError) as refused:
                perform(
                    dossier,
                    Action.REQUEST_SUPPLEMENT,
                    actor=user("stp.motcua"),
                    reason=reason,
                    supplements=(SupplementRequest(component.pk, item),),
                )
            assert refused.value.field in {"reason", "supplements"}
            assert "ký tự" in refused.value.message
        assert snapshot(dossier) == before


def test_a_decomposed_reason_is_kept_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Tờ khai chưa ký")
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        component = dossier.case.components.first()
        assert component is not None
        outcome = perform(
            dossier,
            Action.REQUEST_SUPPLEMENT,
            actor=user("stp.motcua"),
            reason=decomposed,
            supplements=(SupplementRequest(component.pk, decomposed),),
        )
    assert outcome.event.reason == "Tờ khai chưa ký" != decomposed
    assert [item.reason for item in outcome.event.supplement_items.all()] == ["Tờ khai chưa ký"]


@pytest.mark.parametrize(
    "content",
    [
        PDF + b"\n<html><script>alert(1)</script></html>",  # a PDF that browsers would take for a web page
        b"%PDF-1.7\nMZ\x90\x00 not a document",  # a program behind a PDF header
    ],
)
def test_a_result_file_that_is_two_formats_at_once_is_refused(content: bytes) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        perform(dossier, Action.COMPLETE_STEP, actor=user("stp.motcua"))
        perform(dossier, Action.CLAIM, actor=user("stp.chuyenvien"))
        before = snapshot(dossier)
        with pytest.raises(DomainError) as refused:
            attach_result(dossier, actor=user("stp.chuyenvien"), title="Văn bản thẩm định", pdf=content)
        assert refused.value.field == "file"
        assert snapshot(dossier) == before
        attach_result(dossier, actor=user("stp.chuyenvien"), title="Văn bản thẩm định", pdf=PDF)
    assert ResultDocument.objects.filter(dossier=dossier).count() == 1
