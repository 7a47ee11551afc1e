"""Forms 04 and 05 when the action is taken: the configuration (the longest extension, whether a deputy does the
head's step) and the signing register, which refuses the extension or the stop of a signer it does not entitle."""

import runpy
from datetime import date, datetime
from pathlib import Path

import pytest
from django.test import override_settings

from motcua.catalogue.models import Field
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError, NotPermittedError
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import Offer, available_actions
from motcua.dossiers.services import Inputs, StopRequest, complete_step, perform
from motcua.notifications.models import OutgoingMessage
from motcua.organizations.models import Position, Role
from motcua.signing.authority import Mode
from motcua.signing.models import RegisterEntry

from .factories import TUESDAY_9AM, user
from .processing_factories import department_head, department_officer, file, load_processing_catalogue

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "settings" / "base.py"


def settings_read_with(monkeypatch: pytest.MonkeyPatch, **environment: str | None) -> dict[str, object]:
    """Read the settings module afresh with these environment variables (None: unset)."""
    for name, value in environment.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("0", False), ("false", False), ("1", True), ("true", True), (" True ", True), ("yes", True)],
)
def test_deputy_may_act_for_head_is_off_by_default_and_parsed_like_other_booleans(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool
) -> None:
    read = settings_read_with(monkeypatch, MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD=value, DEBUG=value)
    assert read["MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD"] is expected
    assert read["DEBUG"] is expected  # the same words mean the same for every boolean setting


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), ("5", 5)])
def test_the_longest_extension_is_optional(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int) -> None:
    assert (
        settings_read_with(monkeypatch, MOTCUA_MAX_EXTENSION_WORKING_DAYS=value)["MOTCUA_MAX_EXTENSION_WORKING_DAYS"]
        == expected
    )


@pytest.mark.django_db
def test_a_deputy_does_the_heads_step_only_where_the_province_allows_it() -> None:
    load_processing_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.001193", officer="mytho.motcua", at="28261.TTPVHCC")  # birth: the chairman signs
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        complete_step(dossier, actor=user("mytho.motcua"))
        complete_step(dossier, actor=user("mytho.chuyenvien"))  # now at the chairman's step

        def offered() -> bool:
            offers = available_actions(Dossier.objects.get(pk=dossier.pk), user("mytho.phochutich"))
            return any(o.allowed for o in offers if o.action in {Action.CLAIM, Action.TRANSFER, Action.COMPLETE})

        assert not offered()
        with override_settings(MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD=True):
            assert offered()


@pytest.mark.django_db
def test_an_extension_longer_than_configured_is_refused_and_changes_nothing() -> None:
    load_processing_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")  # due Tuesday 31/03 09:00
        perform(dossier, Action.START, actor=user("stp.motcua"))

    def extend(new_due: datetime) -> None:
        with clock.frozen(TUESDAY_9AM):
            perform(
                Dossier.objects.get(pk=dossier.pk),
                Action.EXTEND,
                actor=user("stp.lanhdao"),
                reason="Chờ kết quả đo đạc",
                inputs=Inputs(new_due_at=new_due),
            )

    six_days, five_days = (datetime(2026, 4, day, 9, 0, tzinfo=VIETNAM) for day in (8, 7))
    with override_settings(MOTCUA_MAX_EXTENSION_WORKING_DAYS=5):
        with pytest.raises(DomainError, match=r"tối đa 5 ngày làm việc.*09:00 07/04/2026") as refused:
            extend(six_days)
        assert refused.value.field == "new_due_at"
        unchanged = Dossier.objects.get(pk=dossier.pk)
        assert unchanged.original_due_at is None and not unchanged.events.filter(action=Action.EXTEND).exists()
        extend(five_days)
    assert Dossier.objects.get(pk=dossier.pk).due_at == five_days


@pytest.mark.django_db
def test_without_a_maximum_any_later_working_day_is_accepted() -> None:
    load_processing_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        far = datetime(2026, 6, 30, 9, 0, tzinfo=VIETNAM)
        perform(dossier, Action.EXTEND, actor=user("stp.lanhdao"), reason="Chờ", inputs=Inputs(new_due_at=far))
    assert Dossier.objects.get(pk=dossier.pk).due_at == far


# -- the signing register decides when the letter is issued, not only when it is printed (ND 30/2020 art. 13) ---------

STOP_REQUEST = StopRequest("Đơn đề nghị dừng giải quyết của ông Nguyễn Văn An", date(2026, 3, 10))
OUTSIDE_FIELDS = "Phó Chủ tịch không được phân công lĩnh vực"


def snapshot(dossier: Dossier) -> tuple[object, ...]:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return fresh.status, fresh.due_at, fresh.original_due_at, fresh.closed_at, fresh.events.count()


def offer(dossier: Dossier, person: str, action: Action) -> Offer:
    offers = available_actions(Dossier.objects.get(pk=dossier.pk), user(person))
    return next(o for o in offers if o.action is action)


@pytest.mark.django_db
def test_a_deputy_outside_their_fields_may_neither_extend_nor_stop_and_is_told_why() -> None:
    load_processing_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.001193", officer="mytho.motcua", at="28261.TTPVHCC")  # birth: civil status
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        before = snapshot(dossier)
        new_due = datetime(2026, 3, 13, 9, 0, tzinfo=VIETNAM)
        for action, inputs, letter in (
            (Action.EXTEND, Inputs(new_due_at=new_due), "Văn bản xin lỗi và đề nghị gia hạn (Mẫu số 04)"),
            (Action.STOP, Inputs(stop=STOP_REQUEST), "Thông báo dừng giải quyết hồ sơ (Mẫu số 05)"),
        ):
            offered = offer(dossier, "mytho.phochutich", action)
            assert not offered.allowed and offered.code == "not_permitted"
            assert f"không được ký {letter} của Ủy ban nhân dân Phường Mỹ Tho" in offered.refusal
            assert OUTSIDE_FIELDS in offered.refusal
            with pytest.raises(NotPermittedError) as refused:
                perform(dossier, action, actor=user("mytho.phochutich"), reason="Theo đề nghị", inputs=inputs)
            assert refused.value.message == offered.refusal  # the page and the action say the same
            assert snapshot(dossier) == before
            assert offer(dossier, "mytho.lanhdao", action).allowed  # the chairman signs both
        # Assigned the field, the vice-chairman signs KT. and the actions are his.
        deputy = RegisterEntry.objects.get(official__username="mytho.phochutich", mode=Mode.DEPUTY)
        deputy.fields.add(*Field.objects.filter(versions=dossier.version_id))
        assert offer(dossier, "mytho.phochutich", Action.EXTEND).allowed
        assert offer(dossier, "mytho.phochutich", Action.STOP).allowed
        perform(
            dossier,
            Action.STOP,
            actor=user("mytho.phochutich"),
            reason="Theo đề nghị",
            inputs=Inputs(stop=STOP_REQUEST),
        )
    assert Dossier.objects.get(pk=dossier.pk).status == Status.STOPPED


def late_at_the_other_department() -> Dossier:
    """A 1.999015 dossier whose step at the Department of Agriculture ran a week over its three working days."""
    other = department_officer()
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        Dossier.objects.filter(pk=dossier.pk).update(applicant_email="an.nguyen@example.vn")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.chuyenvien"))
    with clock.frozen(LATE):
        complete_step(dossier, actor=other)
    return Dossier.objects.get(pk=dossier.pk)


LATE = datetime(2026, 3, 20, 9, 0, tzinfo=VIETNAM)
PROMISED = datetime(2026, 4, 7, 9, 0, tzinfo=VIETNAM)


@pytest.mark.django_db
def test_the_signer_chosen_in_the_late_unit_must_be_entitled_by_its_register() -> None:
    load_processing_catalogue()
    head = department_head()  # registered as the department's head
    deputy = department_officer(
        "snnmt.phogiamdoc", full_name="Lý Thị Phó", role=Role.LEADER, position=Position.DEPUTY_DIRECTOR
    )  # a leader there, but not in its register
    dossier = late_at_the_other_department()
    before = snapshot(dossier)
    # The competent unit's director records the apology; the department that ran late issues and signs it.
    with clock.frozen(LATE):
        assert offer(dossier, "stp.lanhdao", Action.EXTEND).allowed
    with clock.frozen(LATE), pytest.raises(DomainError) as refused:
        perform(
            dossier,
            Action.EXTEND,
            actor=user("stp.lanhdao"),
            reason="Sở Nông nghiệp và Môi trường trả lời chậm",
            inputs=Inputs(new_due_at=PROMISED, signer=deputy),
        )
    assert refused.value.field == "signer"
    assert refused.value.message == (
        "Lý Thị Phó không được ký Văn bản xin lỗi và đề nghị gia hạn (Mẫu số 04) của Sở Nông nghiệp và Môi trường "
        "theo sổ đăng ký thẩm quyền ký: Lý Thị Phó không có tên trong sổ đăng ký thẩm quyền ký của Sở Nông nghiệp và "
        "Môi trường."
    )
    assert snapshot(dossier) == before
    assert not OutgoingMessage.objects.filter(reference=dossier.code, subject__startswith="Xin lỗi").exists()
    with clock.frozen(LATE):
        perform(
            dossier,
            Action.EXTEND,
            actor=user("stp.lanhdao"),
            reason="Sở Nông nghiệp và Môi trường trả lời chậm",
            inputs=Inputs(new_due_at=PROMISED, signer=head),
        )
    # The applicant is told by the unit that apologises in Form 04, not by the competent one.
    told = OutgoingMessage.objects.get(
        reference=dossier.code, recipient="an.nguyen@example.vn", subject__startswith="Xin lỗi"
    )
    assert told.body.startswith("Sở Nông nghiệp và Môi trường xin lỗi ông/bà vì chưa giải quyết xong hồ sơ")
    assert "Sở Tư pháp" not in told.body
