"""A dossier as the national portal (DVCQG) synchronisation record names its fields (DOMAIN.md §2).

The field names follow the synchronisation payload that provincial systems send to DVCQG. The wire format of dates
is not confirmed by a published specification [R], so instants are given in ISO 8601 with their offset. Flags the
system has no source for yet (reuse from the national data store) are sent as false, which is what they are:
not done. `DuocThanhToanTrucTuyen` is 0, 1 (DVCQG's platform) or 2 (a ministry or local gateway).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from motcua.core.clock import VIETNAM

from . import counters
from .lifecycle import ACTION_LABELS, Action, Status
from .models import ApplicantKind, Dossier, FeeCollection, ResultDocument

# LoaiDoiTuong: 1 công dân, 2 doanh nghiệp, 3 cơ quan nhà nước, 4 tổ chức khác.
CITIZEN, BUSINESS, OTHER_ORGANISATION = 1, 2, 4
# LoaiDinhDanh of DinhDanhCHS: the personal identification number, or an organisation's tax code.
PERSONAL_ID, TAX_CODE = 1, 2
# HinhThucThu of DanhSachLePhi [R]: the codes are not published; these follow the Form 01 wording.
COLLECTION_CODES = {FeeCollection.NONE: 0, FeeCollection.BEFORE: 1, FeeCollection.AFTER: 2}
# HinhThuc (how the result went back) [R]: 0 at the counter, 1 by post, 2 online, as the return channel is recorded.
RETURN_CODES = {"counter": 0, "post": 1, "online": 2}
# The statuses whose record carries NgayKetThucXuLy: processed, returned, withdrawn, stopped.
ENDED = frozenset({Status.WITHDRAWN, Status.STOPPED, Status.FINISHED, Status.RETURNED})


def _result(result: ResultDocument) -> dict[str, Any]:
    """A result as the national record lists it; a signed one is the e-result, named by its code and the public
    address where anyone verifies it (QĐ 766 indicators 3.3, 4.1, 4.2 count it)."""
    if result.signature is None:
        return {"TenGiayTo": result.title, "GiayToId": result.sha256, "DuongDanTepTinKetQua": result.file.name}
    return {
        "TenGiayTo": result.title,
        "GiayToId": result.sha256,
        "MaGiayToKetQua": str(result.signature),
        "DuongDanTepTinKetQua": f"{settings.MOTCUA_PUBLIC_BASE_URL}/xac-thuc/{result.signature}",
    }


def acknowledged(codes: Sequence[str], at: datetime) -> None:
    """Record the national portal's first acknowledgement of these dossiers' records (the outbox calls this).

    Counted for 1.4 on the reception day: now if the dossier is received, else by the reception itself. The rows are
    locked (in one order) before they change, so an acceptance running at the same moment sees one or the other.
    """
    with transaction.atomic():
        fresh = Dossier.objects.filter(code__in=codes, synced_at__isnull=True).order_by("pk")
        if connection.vendor == "postgresql":
            fresh = fresh.select_for_update(of=("self",))
        dossiers = list(fresh.select_related("version"))
        Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(synced_at=at)
        for dossier in dossiers:
            if dossier.received_at is not None:
                counters.record_sync(dossier)


def sync_record(dossier: Dossier) -> dict[str, Any]:
    """Return the dossier's DVCQG synchronisation record, with its papers, fees, supplements and processing trail."""
    version = dossier.version
    field = version.fields.order_by("code").first()
    events = list(dossier.events.select_related("actor", "unit").order_by("sequence"))
    papers = list(dossier.components.select_related("component"))
    uploads = list(dossier.uploads.select_related("component"))
    is_person = dossier.applicant_kind == ApplicantKind.PERSON
    identifier = dossier.applicant_citizen_id if is_person else dossier.tax_code
    refused = next((e for e in events if e.status_after == Status.REFUSED), None)
    returned = next((e for e in reversed(events) if e.action == Action.RETURN_RESULT), None)
    # A withdrawn or stopped dossier has ended too: the 766 method ends it at that instant (DOMAIN-2.md §1.2, 2.1).
    ended = dossier.closed_at if dossier.status in ENDED else None
    national = getattr(dossier, "national", None)  # handed over by DVCQG: the portal knows it by its own code
    return {
        "MaHoSo": national.national_code if national is not None else dossier.code,
        "MaTTHC": version.procedure.code,
        "TenTTHC": version.name,
        "MaLinhVuc": field.code if field else "",
        "TenLinhVuc": field.name if field else "",
        "KenhThucHien": dossier.channel,
        "ChuHoSo": dossier.owner_name or (dossier.applicant_name if is_person else dossier.organisation_name),
        "SoGiayToChuHoSo": identifier,
        "LoaiDoiTuong": CITIZEN if is_person else BUSINESS if dossier.tax_code else OTHER_ORGANISATION,
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": f"{version.name} ({dossier.case.name})" if dossier.case.name else version.name,
        "NgayNopHoSo": _instant(dossier.submitted_at),
        "NgayTiepNhan": _instant(dossier.received_at),
        # The appointment statistics compare with: the original one (moved only by pauses and calendar changes),
        # not the date a Form 04 extension promised.
        "NgayHenTra": _instant(dossier.statistics_due_at),
        "TrangThaiHoSo": dossier.status,
        "NgayTuChoi": _instant(refused.at if refused else None),
        "NgayKetThucXuLy": _instant(ended),
        "NgayTra": _instant(dossier.returned_at),
        # How it went back once returned; before that, how the applicant asked to receive it.
        "HinhThuc": RETURN_CODES.get(str(returned.details.get("channel", "")) if returned else dossier.return_method),
        "NoiNopHoSo": dossier.receiving_unit.name,
        "DonViXuLy": dossier.competent_unit.name,
        "HoSoCoThanhPhanSoHoa": any(p.is_digitised for p in papers),
        "TaiKhoanDuocXacThucVoiVNeID": dossier.is_vneid_verified,
        "DuocThanhToanTrucTuyen": dossier.online_payment,
        "DinhDanhCHS": [{"LoaiDinhDanh": PERSONAL_ID if is_person else TAX_CODE, "SoDinhDanh": identifier}]
        if identifier
        else [],
        "TaiLieuNop": [
            {
                "MaThanhPhanHoSo": p.component.code,
                "TenThanhPhanHoSo": p.component.name,
                "SoBanChinh": p.originals,
                "SoBanSao": p.copies,
                "DuocSoHoa": p.is_digitised,
                "DuocTaiSuDung": False,
                "DuocLayTuKhoDMQG": False,
                "MaKetQuaThayThe": p.component.replacing_result_code,
                "TepDinhKem": [
                    {"TepDinhKemId": u.sha256, "TenTepDinhKem": u.original_name}
                    for u in uploads
                    if u.component_id == p.component_id
                ],
            }
            for p in papers
        ],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": dossier.fee.description,
                "MaPhiLePhi": dossier.fee.code,
                "HinhThucThu": COLLECTION_CODES[FeeCollection(dossier.fee_collection)],
                "Gia": dossier.fee.amount,
            }
        ]
        if dossier.fee
        else [],
        "DanhSachHoSoBoSung": _supplements(events),
        "DanhSachGiayToKetQua": [_result(result) for result in dossier.results.all()],
        "QuaTrinhXuLy": [
            {
                "MaHoSo": dossier.code,
                "NguoiXuLy": e.actor.get_full_name() if e.actor else "",
                "PhongBanXuLy": e.unit.name if e.unit else "",
                "ThoiDiemXuLy": _instant(e.at),
                "NoiDungXuLy": ACTION_LABELS[Action(e.action)] + (f": {e.reason}" if e.reason else ""),
                "TrangThai": e.status_after,
            }
            for e in events
        ],
    }


def _supplements(events: list[Any]) -> list[dict[str, Any]]:
    # Each Form 02 request, with the moment the papers came back if they did.
    requests = []
    for index, event in enumerate(events):
        if event.action != Action.REQUEST_SUPPLEMENT:
            continue
        answer = next((e for e in events[index + 1 :] if e.action == Action.SUBMIT_SUPPLEMENT), None)
        requests.append(
            {
                "NguoiYeuCauBoSung": event.actor.get_full_name() if event.actor else "",
                "NoiDungBoSung": event.reason,
                "NgayBoSung": _instant(event.at),
                "DanhSachGiayToBoSung": [
                    {"MaThanhPhanHoSo": item.component.code, "LyDo": item.reason}
                    for item in event.supplement_items.select_related("component")
                ],
                "NgayTiepNhanBoSung": _instant(answer.at if answer else None),
                "TrangThaiBoSung": 1 if answer else 0,
            }
        )
    return requests


def _instant(moment: datetime | None) -> str | None:
    return moment.astimezone(VIETNAM).isoformat() if moment else None
