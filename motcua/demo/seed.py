"""Demo data: Đồng Tháp (code 82) with its agencies, two pre-2025 provinces and one account per role."""

import json
import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import transaction
from weasyprint import HTML

from motcua.catalogue.models import Channel, Component, Procedure
from motcua.catalogue.selectors import get_version_on, listed_fees
from motcua.catalogue.services import import_catalogue
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, FeeCollection
from motcua.dossiers.processing import Rating
from motcua.dossiers.services import (
    Applicant,
    Evaluation,
    Filing,
    Inputs,
    Paper,
    SupplementRequest,
    attach_result,
    complete_step,
    perform,
    receive_at_counter,
    submit_online,
    watch_deadlines,
)
from motcua.eforms.lists import shipped_forms, shipped_results
from motcua.eforms.services import publish, publish_result
from motcua.feedback.services import ExtraPaperReport, Sender, report_extra_paper
from motcua.organizations.models import COMMUNE_LEVEL_TYPES, Membership, Position, Role, Unit, UnitType, User, UserKind
from motcua.organizations.second_factor import give_known_device
from motcua.organizations.services import (
    REFORM_BASIS,
    AgencySpec,
    provision_province_agencies,
    record_historic_unit,
    sync_divisions,
)
from motcua.worktime.arithmetic import WorkCalendar
from motcua.worktime.selectors import calendar_for
from motcua.worktime.services import seed_official_calendar

from .eoffice import seed_eoffice
from .feedback import seed_feedback
from .par import seed_par
from .reform import seed_reform
from .signing import seed_signing

PROVINCE = "82"
# Real procedures as published nationally, with their sources in SOURCES.md beside the file.
DEMO_CATALOGUE = Path(__file__).resolve().parent.parent / "catalogue" / "data" / "procedures.json"
DEMO_PASSWORD = "Demo@2026"
# Every demo official's authenticator key (the RFC 6238 test key): `motcua demo` prints it in base32 so that a tester
# can add it to an authenticator app. Never a real account's key.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
# Identifiers below are illustrative values of the right shape (QĐ 20/2020/QĐ-TTg): the real ones are issued to the
# province and entered by an admin. H20 as Đồng Tháp's suffix is unconfirmed [R].
IDENTIFIER_BASIS = "Minh họa theo dạng QĐ 20/2020/QĐ-TTg (sửa đổi QĐ 09/2025/QĐ-TTg); thay bằng mã được cấp"
AGENCIES = [
    AgencySpec("UBND", "Ủy ban nhân dân tỉnh Đồng Tháp", UnitType.PROVINCIAL_COMMITTEE, "000.00.00.H20"),
    AgencySpec("VP", "Văn phòng Ủy ban nhân dân tỉnh", UnitType.PROVINCIAL_OFFICE, "000.00.01.H20", "UBND"),
    AgencySpec(
        "TTPVHCC",
        "Trung tâm Phục vụ hành chính công tỉnh Đồng Tháp",
        UnitType.PROVINCIAL_SERVICE_CENTRE,
        "000.00.02.H20",
        "VP",
    ),
    AgencySpec("SNV", "Sở Nội vụ", UnitType.DEPARTMENT, "000.00.03.H20", "UBND"),
    AgencySpec("STP", "Sở Tư pháp", UnitType.DEPARTMENT, "000.00.04.H20", "UBND"),
    AgencySpec("STC", "Sở Tài chính", UnitType.DEPARTMENT, "000.00.05.H20", "UBND"),
    AgencySpec("SCT", "Sở Công Thương", UnitType.DEPARTMENT, "000.00.06.H20", "UBND"),
    AgencySpec("SNNMT", "Sở Nông nghiệp và Môi trường", UnitType.DEPARTMENT, "000.00.07.H20", "UBND"),
    AgencySpec("SXD", "Sở Xây dựng", UnitType.DEPARTMENT, "000.00.08.H20", "UBND"),
    AgencySpec("SKHCN", "Sở Khoa học và Công nghệ", UnitType.DEPARTMENT, "000.00.09.H20", "UBND"),
    AgencySpec("SGDDT", "Sở Giáo dục và Đào tạo", UnitType.DEPARTMENT, "000.00.10.H20", "UBND"),
    AgencySpec("SYT", "Sở Y tế", UnitType.DEPARTMENT, "000.00.11.H20", "UBND"),
    AgencySpec("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", UnitType.DEPARTMENT, "000.00.12.H20", "UBND"),
]
DEMO_COMMUNE = "28261"  # Phường Mỹ Tho, seat of the provincial People's Committee


def _commune_identifiers() -> dict[str, tuple[str, str]]:
    communes = Unit.objects.filter(parent__code=PROVINCE, type__in=COMMUNE_LEVEL_TYPES)
    codes = communes.order_by("code").values_list("code", flat=True)
    return {code: (f"{n:03d}.00.00.H20", f"{n:03d}.01.00.H20") for n, code in enumerate(codes, start=1)}


# (username, full name, unit code, position, role)
STAFF = [
    ("quantri", "Quản trị hệ thống", f"{PROVINCE}.VP", Position.CIVIL_SERVANT, Role.SYSTEM_ADMIN),
    ("giamsat", "Nguyễn Thị Giám Sát", f"{PROVINCE}.VP", Position.CHIEF_OF_OFFICE, Role.PROVINCE_MONITOR),
    ("stp.motcua", "Trần Văn Tiếp Nhận", f"{PROVINCE}.STP", Position.ONE_STOP_OFFICER, Role.ONE_STOP_OFFICER),
    ("stp.chuyenvien", "Lê Thị Xử Lý", f"{PROVINCE}.STP", Position.SPECIALIST, Role.SPECIALIST),
    ("stp.lanhdao", "Phạm Văn Giám Đốc", f"{PROVINCE}.STP", Position.DIRECTOR, Role.LEADER),
    ("mytho.motcua", "Võ Thị Một Cửa", f"{DEMO_COMMUNE}.TTPVHCC", Position.ONE_STOP_OFFICER, Role.ONE_STOP_OFFICER),
    ("mytho.chuyenvien", "Huỳnh Văn Chuyên Viên", f"{DEMO_COMMUNE}.UBND", Position.SPECIALIST, Role.SPECIALIST),
    ("mytho.lanhdao", "Đặng Văn Chủ Tịch", f"{DEMO_COMMUNE}.UBND", Position.CHAIRMAN, Role.LEADER),
    ("mytho.phochutich", "Bùi Thị Phó Chủ Tịch", f"{DEMO_COMMUNE}.UBND", Position.VICE_CHAIRMAN, Role.LEADER),
    # The head of the commune's Phòng Kinh tế: reviews building permits, signs household business certificates TL.
    ("mytho.truongphong", "Lâm Văn Trưởng Phòng", f"{DEMO_COMMUNE}.UBND", Position.HEAD_OF_DIVISION, Role.SPECIALIST),
    # Administrative reform: Văn phòng UBND tỉnh follows directives, Sở Nội vụ the CCHC reports and inspections.
    ("vpubnd.theodoi", "Phan Văn Theo Dõi", f"{PROVINCE}.VP", Position.SPECIALIST, Role.DIRECTIVE_TRACKER),
    ("snv.caicach", "Trịnh Thị Cải Cách", f"{PROVINCE}.SNV", Position.SPECIALIST, Role.REFORM_OFFICER),
    ("snv.kiemtra", "Đoàn Văn Kiểm Tra", f"{PROVINCE}.SNV", Position.SPECIALIST, Role.INSPECTOR),
    # The committee's văn thư: registers incoming documents, presents them, issues outgoing ones (ND 30/2020).
    ("mytho.vanthu", "Tạ Thị Văn Thư", f"{DEMO_COMMUNE}.UBND", Position.CIVIL_SERVANT, Role.CLERK),
    ("snnmt.chuyenvien", "Ngô Văn Đất", f"{PROVINCE}.SNNMT", Position.SPECIALIST, Role.SPECIALIST),
    # The national portal's system account: hands dossiers over (POST /api/v1/national/dossiers), nothing else.
    ("dvcqg", "Kênh Cổng Dịch vụ công quốc gia", f"{PROVINCE}.VP", Position.CIVIL_SERVANT, Role.NATIONAL_CHANNEL),
]
CITIZEN = {
    "phone": "0912345678",
    "email": "congdan@example.vn",
    "full_name": "Nguyễn Văn Dân",
    "citizen_id": "082090001234",
}

# The birth registration the demo citizen files for his son, as typed on the tờ khai (the shipped 1.001193 form);
# the son is born before the oldest demo dossier (eight months back), see `_birth_answers`.
FAMILY = {
    "nguoi_yeu_cau.ho_ten": CITIZEN["full_name"],
    "nguoi_yeu_cau.ngay_sinh": "20/10/1990",
    "nguoi_yeu_cau.so_dinh_danh": CITIZEN["citizen_id"],
    "nguoi_yeu_cau.noi_cu_tru.commune": DEMO_COMMUNE,
    "nguoi_yeu_cau.noi_cu_tru.detail": "Số 12 đường Ấp Bắc",
    "nguoi_yeu_cau.quan_he": "cha",
    "tre.ho_ten": "Nguyễn Minh An",
    "tre.gioi_tinh": "nam",
    "tre.dan_toc": "01",
    "tre.quoc_tich": "VN",
    "tre.noi_sinh.commune": DEMO_COMMUNE,
    "tre.noi_sinh.detail": "Bệnh viện Đa khoa tỉnh Đồng Tháp",
    "tre.que_quan": "Phường Mỹ Tho, tỉnh Đồng Tháp",
    "me_khai.co_me": "co",
    "me.nguoi.ho_ten": "Trần Thị Hoa",
    "me.nguoi.ngay_sinh": "12/05/1995",
    "me.nguoi.dan_toc": "01",
    "me.nguoi.quoc_tich": "VN",
    "me.nguoi.noi_cu_tru.commune": DEMO_COMMUNE,
    "me.nguoi.noi_cu_tru.detail": "Số 12 đường Ấp Bắc",
    "cha_khai.co_cha": "co",
    "cha.nguoi.ho_ten": CITIZEN["full_name"],
    "cha.nguoi.ngay_sinh": "20/10/1990",
    "cha.nguoi.dan_toc": "01",
    "cha.nguoi.quoc_tich": "VN",
    "cha.nguoi.noi_cu_tru.commune": DEMO_COMMUNE,
    "cha.nguoi.noi_cu_tru.detail": "Số 12 đường Ấp Bắc",
    "ban_sao.so_ban": "2",
}


def _birth_answers() -> dict[str, str]:
    born = clock.today() - timedelta(days=250)
    return FAMILY | {"tre.ngay_sinh": born.strftime("%d/%m/%Y")}


@transaction.atomic
def seed(*, catalogue: bool = True) -> dict[str, int]:
    """Load everything the demo needs; running it again changes nothing."""
    sync_divisions()
    seed_official_calendar(range(2020, 2031))
    provision_province_agencies(
        PROVINCE,
        AGENCIES,
        commune_identifiers=_commune_identifiers(),
        legal_basis=IDENTIFIER_BASIS,
    )
    new_province = Unit.objects.get(code=PROVINCE)
    for code, name in [("82.1976", "Tỉnh Tiền Giang"), ("87.1989", "Tỉnh Đồng Tháp")]:
        record_historic_unit(
            code=code,
            name=name,
            type=UnitType.HISTORIC_PROVINCE,
            province=PROVINCE,
            valid_to=date(2025, 6, 30),
            successors=[new_province],
            legal_basis=REFORM_BASIS,
        )
    for username, full_name, unit_code, position, role in STAFF:
        user = _account(username, full_name=full_name, kind=UserKind.STAFF, is_staff=role == Role.SYSTEM_ADMIN)
        give_known_device(user, DEMO_TOTP_KEY)
        if role == Role.SYSTEM_ADMIN and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        Membership.objects.get_or_create(
            user=user,
            unit=Unit.objects.get(code=unit_code),
            role=role,
            valid_from=date(2025, 7, 1),
            defaults={"position": position},
        )
    _account(CITIZEN["phone"], kind=UserKind.CITIZEN, **{k: v for k, v in CITIZEN.items()})
    if catalogue:
        import_catalogue(json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8")))
        _forms()
        if not Dossier.objects.exists():
            _dossiers()
            _processing()
    seed_signing()
    if catalogue:
        seed_feedback(PROVINCE, DEMO_COMMUNE, CITIZEN["phone"])
        seed_reform(PROVINCE, DEMO_COMMUNE)
        seed_eoffice(DEMO_COMMUNE)
        give_known_device(seed_par(DEMO_PASSWORD), DEMO_TOTP_KEY)
    return {"units": Unit.objects.count(), "accounts": User.objects.count(), "procedures": Procedure.objects.count()}


def _forms() -> None:
    """Publish the shipped e-forms (tờ khai) and result templates of the procedures in force; the same content again
    is a no-op."""
    for document in shipped_forms().values():
        version = get_version_on(document["procedure"])
        if version is not None:
            publish(document, version=version)
    for document in shipped_results().values():
        version = get_version_on(document["procedure"])
        if version is not None:
            publish_result(document, version=version)


def _dossiers() -> None:
    """File three dossiers through the real services: at the counter, online, and one waiting for papers."""
    version = get_version_on("1.001193")
    if version is None:
        return
    case = version.cases.order_by("position").first()
    papers = tuple(Paper(c.pk, originals=1) for c in Component.objects.filter(case=case))
    centre = Unit.objects.get(code=f"{DEMO_COMMUNE}.TTPVHCC")
    officer = User.objects.get(username="mytho.motcua")
    citizen = User.objects.get(username=CITIZEN["phone"])
    person = Applicant(name=CITIZEN["full_name"], citizen_id=CITIZEN["citizen_id"], phone=CITIZEN["phone"])
    answers = _birth_answers()  # filed with the tờ khai: the result is generated from it
    filing = Filing(case.pk, Channel.COUNTER, person, papers, DEMO_COMMUNE, answers=answers)  # type: ignore[union-attr]
    receive_at_counter(filing, officer=officer, receiving_unit=centre)
    online = Filing(case.pk, Channel.ONLINE, person, papers, DEMO_COMMUNE, answers=answers)  # type: ignore[union-attr]
    filed_online = submit_online(online, citizen=citizen, receiving_unit=centre).dossier
    # The citizen reports being asked, about the online dossier, for a paper the procedure does not list.
    sender = Sender(CITIZEN["full_name"], "Số 5 Lê Lợi, Phường Mỹ Tho", CITIZEN["phone"], citizen.email)
    asked = "Giấy xác nhận tình trạng hôn nhân của cha mẹ"
    report_extra_paper(ExtraPaperReport(filed_online, sender, asked, "Bị yêu cầu khi hỏi tại quầy."), citizen=citizen)
    waiting = receive_at_counter(filing, officer=officer, receiving_unit=centre).dossier
    first = Component.objects.filter(case=case).order_by("position").first()
    reason = "Tờ khai thiếu chữ ký người đi khai sinh"
    perform(
        waiting,
        Action.REQUEST_SUPPLEMENT,
        actor=officer,
        reason=reason,
        supplements=(SupplementRequest(first.pk, reason),),  # type: ignore[union-attr]
    )
    _history(filing, online, officer, citizen, centre)


def _history(counter: Filing, online: Filing, officer: User, citizen: User, centre: Unit) -> None:
    """Eight months of dossiers at Phường Mỹ Tho, filed through the services with the clock set back, so that the
    leaders' dashboard (QĐ 766) has months to compare: some withdrawn early, on time or late, some still open."""
    rng = random.Random(766)  # noqa: S311 (demo data, not secrets)
    scanned = replace(counter, papers=tuple(replace(paper, is_digitised=True) for paper in counter.papers))
    today = clock.today()
    for days_back in range(240, 0, -3):
        day = today - timedelta(days=days_back)
        if day.weekday() >= 5:
            continue
        at = datetime(day.year, day.month, day.day, rng.randint(7, 15), rng.choice((0, 15, 30, 45)), tzinfo=VIETNAM)
        with clock.frozen(at):
            if rng.random() < 0.35:
                dossier = submit_online(online, citizen=citizen, receiving_unit=centre).dossier
                at += timedelta(hours=rng.randint(1, 30))
                with clock.frozen(at):
                    dossier = perform(dossier, Action.ACCEPT, actor=officer).dossier
            else:
                filing = scanned if rng.random() < 0.6 else counter
                dossier = receive_at_counter(filing, officer=officer, receiving_unit=centre).dossier
        if rng.random() < 0.85 and days_back > 2:
            # The result is not recorded by a lifecycle action yet; a withdrawal ends the handling in the demo.
            with clock.frozen(at + timedelta(hours=rng.choice((3, 6, 24, 26, 50, 75)))):
                perform(dossier, Action.WITHDRAW, actor=officer, reason="Người nộp xin rút hồ sơ")


def _processing() -> None:
    """Show processing at work: dossiers at different steps, one near-due, one overdue, one returned and rated.

    Past dossiers are filed with the clock set back, through the same services as everything else, so their events
    read as they would have happened; the deadline watch then flags what is near-due or overdue.
    """
    certification = get_version_on("2.000815")
    if certification is None:
        return
    case = certification.cases.order_by("position").first()
    papers = tuple(Paper(c.pk, originals=1) for c in Component.objects.filter(case=case))
    centre = Unit.objects.get(code=f"{DEMO_COMMUNE}.TTPVHCC")
    counter, specialist, chairman = (
        User.objects.get(username=n) for n in ("mytho.motcua", "mytho.chuyenvien", "mytho.lanhdao")
    )
    person = Applicant(name="Trần Thị Bình", citizen_id="082190004567", phone="0987654321")
    fee = next(iter(listed_fees(case, Channel.COUNTER)), None)  # type: ignore[arg-type]
    collection = FeeCollection.BEFORE if fee and fee.amount else FeeCollection.NONE
    filing = Filing(
        case.pk,  # type: ignore[union-attr]
        Channel.COUNTER,
        person,
        papers,
        DEMO_COMMUNE,
        fee.pk if fee else None,
        collection,
    )
    now = clock.now()
    calendar = calendar_for(centre)

    def received(at: datetime) -> Dossier:
        with clock.frozen(at):
            dossier = receive_at_counter(filing, officer=counter, receiving_unit=centre).dossier
            perform(dossier, Action.START, actor=counter)
            complete_step(dossier, actor=counter)
        return dossier

    # Returned and rated "Không hài lòng": it appears on the chairman's review list.
    week_ago = _working_morning(calendar, now, back=5)
    returned = received(week_ago)
    with clock.frozen(week_ago + timedelta(hours=2)):
        attach_result(returned, actor=specialist, title="Bản sao có chứng thực", pdf=_result_pdf(returned.code))
        complete_step(returned, actor=specialist)
        complete_step(returned, actor=chairman)
        complete_step(returned, actor=counter)
        perform(returned, Action.RETURN_RESULT, actor=counter, inputs=Inputs(return_channel="counter"))
        rating = Evaluation(Rating.SATISFIED, Rating.UNSATISFIED, "Phải chờ ở quầy lâu")
        perform(returned, Action.RATE, actor=counter, inputs=Inputs(evaluation=rating))
    # Overdue: received three working days ago, still waiting for the specialist.
    received(_working_morning(calendar, now, back=3))
    # Received now: one waiting for the chairman's signature (step 3), one with the specialist; near-due (or at D-1).
    signing = received(now)
    complete_step(signing, actor=specialist)
    received(now)
    watch_deadlines()


def _working_morning(calendar: WorkCalendar, now: datetime, *, back: int) -> datetime:
    """Return 08:00 of the working day `back` working days before today (today if it is a working day)."""
    day = now.astimezone(clock.VIETNAM).date()
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    for _ in range(back):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=clock.VIETNAM)


def _result_pdf(code: str) -> bytes:
    html = f"<h1>BẢN SAO CÓ CHỨNG THỰC</h1><p>Hồ sơ {code}. Tài liệu minh họa của dữ liệu mẫu.</p>"
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _account(username: str, **fields: object) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user
