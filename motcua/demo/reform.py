"""The demo's administrative-reform work, made through the real services: directives of Văn phòng UBND tỉnh with
tasks in various states (one overdue with its evidence, for the head-of-unit page), an inspection conclusion's
recommendation, an annual CCHC plan, and this year's periodic report periods opened."""

from datetime import date, datetime, time, timedelta

from weasyprint import HTML

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.organizations.models import Unit, User
from motcua.reform.models import Directive
from motcua.reform.reports.services import open_year
from motcua.reform.tasks.lifecycle import Action
from motcua.reform.tasks.services import Evidence, Inputs, TaskDraft, act, create_directive, create_plan

TRACKER, REFORM_OFFICER, INSPECTOR = "vpubnd.theodoi", "snv.caicach", "snv.kiemtra"


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=VIETNAM)


def _pdf(title: str) -> bytes:
    pdf: bytes = HTML(string=f"<h1>{title}</h1><p>Tài liệu minh họa của dữ liệu mẫu.</p>").write_pdf()
    return pdf


def seed_reform(province: str, commune: str) -> None:
    if Directive.objects.exists():
        return  # seeded already
    today = clock.today()
    tracker = User.objects.get(username=TRACKER)
    chairman, stp_leader = User.objects.get(username="mytho.lanhdao"), User.objects.get(username="stp.lanhdao")
    committee, justice = Unit.objects.get(code=f"{commune}.UBND"), Unit.objects.get(code=f"{province}.STP")
    home_affairs = Unit.objects.get(code=f"{province}.SNV")
    issued = today - timedelta(days=45)
    with clock.frozen(_at(issued)):
        review = create_directive(
            source_kind="ket_luan_hop", source_number="85/TB-UBND", source_date=issued,
            leader_name="Trần Văn Chủ Tịch", leader_position="ct", urgency="khan", by=tracker,
            summary="Kết luận của Chủ tịch UBND tỉnh tại hội nghị sơ kết công tác cải cách hành chính",
            tasks=[
                TaskDraft("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn tồn đọng", committee, (justice,),
                          today - timedelta(days=10), "Báo cáo kết quả số hóa"),
                TaskDraft("Rà soát, đề xuất cắt giảm thành phần hồ sơ thủ tục lĩnh vực hộ tịch", justice, (),
                          today + timedelta(days=20), "Tờ trình phương án đơn giản hóa"),
                TaskDraft("Công khai kết quả giải quyết hồ sơ trên Cổng dịch vụ công", committee, (),
                          today - timedelta(days=5), "Đường dẫn công khai"),
                TaskDraft("Tổ chức đối thoại với người dân về thủ tục đất đai", committee, (), None, ""),
            ],
        )  # fmt: skip
    digitise, simplify, publish, dialogue = list(review.tasks.order_by("position"))
    with clock.frozen(_at(issued + timedelta(days=2))):
        act(digitise, Action.ACCEPT, actor=chairman)
        act(simplify, Action.ACCEPT, actor=stp_leader)
        act(publish, Action.ACCEPT, actor=chairman)
    with clock.frozen(_at(issued + timedelta(days=20))):
        evidence = Evidence("bien-ban-so-hoa.pdf", _pdf("Biên bản kiểm tra số hóa hồ sơ"))
        act(digitise, Action.REPORT, actor=chairman,
            inputs=Inputs(percent=60, text="Đã số hóa 60 % hồ sơ tồn đọng.", files=[evidence]))  # fmt: skip
        product = Evidence("ket-qua-cong-khai.pdf", _pdf("Kết quả công khai"), is_product=True)
        act(publish, Action.REPORT, actor=chairman, inputs=Inputs(percent=100, text="Đã công khai.", files=[product]))
        act(publish, Action.ASK_COMPLETION, actor=chairman)
    with clock.frozen(_at(issued + timedelta(days=22))):
        act(publish, Action.RETURN, actor=tracker, inputs=Inputs(reason="Chưa công khai đủ kết quả của quý."))
    del dialogue  # left new: the commune has not accepted it yet
    concluded = today - timedelta(days=30)
    with clock.frozen(_at(concluded)):
        create_directive(
            source_kind="ket_luan_kiem_tra", source_number="12/TB-SNV", source_date=concluded,
            leader_name="Lê Thị Phó Chủ Tịch", leader_position="pct", urgency="thuong", by=tracker,
            summary="Thông báo kết luận kiểm tra công tác cải cách hành chính",
            tasks=[TaskDraft("Khắc phục tình trạng yêu cầu nộp thêm giấy tờ ngoài quy định", committee, (),
                             concluded + timedelta(days=15), "Báo cáo khắc phục")],
        )  # fmt: skip
    with clock.frozen(_at(date(today.year, 1, 10))):
        create_plan(
            unit=committee, year=today.year, number=f"05/KH-UBND ({today.year})", issued_on=date(today.year, 1, 10),
            title=f"Kế hoạch cải cách hành chính năm {today.year}", by=tracker,
            items=[
                TaskDraft("Tỷ lệ hồ sơ trực tuyến toàn trình", committee, (), date(today.year, 12, 15), "Báo cáo",
                          "Đạt 80 %"),
                TaskDraft("Tự kiểm tra công tác CCHC tại các bộ phận", committee, (home_affairs,),
                          date(today.year, 11, 30), "Báo cáo tự kiểm tra", "≥ 50 % bộ phận"),
            ],
        )  # fmt: skip
    open_year(today.year)
