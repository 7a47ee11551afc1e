"""The demo's feedback cases, filed and handled through the real services: a PAKN answered, signed and published; a
complaint being handled; a case sent above its level, handled below as a child."""

from datetime import date

from motcua.core import clock
from motcua.feedback.lifecycle import Action, Kind, Topic
from motcua.feedback.models import FeedbackCase
from motcua.feedback.services import Intake, Sender, act, file_case
from motcua.organizations.models import Unit, User
from motcua.signing.models import DocumentType


def seed_feedback(province: str, commune: str, citizen_phone: str) -> None:
    if FeedbackCase.objects.filter(kind=Kind.COMPLAINT).exists():
        return  # seeded already
    # The decree's type, here even on a database emptied after its migrations (the live-server tests').
    DocumentType.objects.get_or_create(
        code="cong_van", defaults={"name": "Công văn", "legal_basis": "Nghị định 30/2020/NĐ-CP, điều 7"}
    )
    committee = Unit.objects.get(code=f"{commune}.UBND")
    citizen = User.objects.get(username=citizen_phone)
    chairman = User.objects.get(username="mytho.lanhdao")
    sender = Sender(citizen.full_name, "Số 5 Lê Lợi, Phường Mỹ Tho", citizen_phone, citizen.email)
    answered = file_case(
        Intake(Kind.PAKN, sender, "Đề nghị bỏ yêu cầu nộp bản sao có chứng thực giấy khai sinh khi đăng ký thường "
               "trú, vì cơ quan đã tra cứu được trên Cơ sở dữ liệu hộ tịch điện tử.", Topic.REGULATION, committee),
        citizen=citizen,
    )  # fmt: skip
    act(answered, Action.ACCEPT, actor=chairman)
    act(answered, Action.CONCLUDE, actor=chairman, verified=True,
        reason="Kiến nghị có cơ sở. Từ nay Bộ phận Một cửa khai thác giấy khai sinh trên Cơ sở dữ liệu hộ tịch điện "
               "tử, không yêu cầu người dân nộp bản sao có chứng thực.")  # fmt: skip
    act(answered, Action.SIGN, actor=chairman)
    act(answered, Action.PUBLISH, actor=chairman)
    complaint = file_case(
        Intake(Kind.COMPLAINT, sender, "Không đồng ý việc từ chối tiếp nhận hồ sơ đăng ký hộ kinh doanh.",
               subject_unit=committee, decision="Phiếu từ chối tiếp nhận hồ sơ ngày 20/11/2026",
               known_on=min(date(2026, 11, 20), clock.today()), signed=True),
        citizen=citizen,
    )  # fmt: skip
    act(complaint, Action.ACCEPT, actor=chairman)
    file_case(
        Intake(Kind.PAKN, sender, "Đã phản ánh với phường nhưng quá hạn chưa được trả lời về việc chiếu sáng đường "
               "Ấp Bắc.", Topic.REGULATION, committee, addressed_unit=Unit.objects.get(code=f"{province}.UBND")),
    )  # fmt: skip
