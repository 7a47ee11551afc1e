"""The demo's official documents, through the real services: an incoming letter registered by the commune's văn thư
and presented to the chairman, and the reply a specialist is drafting."""

from datetime import timedelta

from motcua.core import clock
from motcua.eoffice import incoming, outgoing
from motcua.eoffice.models import IncomingDocument
from motcua.organizations.models import Unit, User


def seed_eoffice(commune: str) -> None:
    if IncomingDocument.objects.exists():
        return  # seeded already
    committee = Unit.objects.get(code=f"{commune}.UBND")
    clerk, chairman, specialist = (
        User.objects.get(username=n) for n in ("mytho.vanthu", "mytho.lanhdao", "mytho.chuyenvien")
    )
    letter = incoming.register(
        by=clerk, unit=committee, channel="paper", sender="Sở Nội vụ", sender_notation="215/SNV-CCHC",
        sender_date=(clock.today() - timedelta(days=2)).isoformat(), document_type="cong_van",
        summary="V/v báo cáo kết quả cải cách hành chính quý", urgency="thuong", pages=2,
    ).document  # fmt: skip
    incoming.present(letter, by=clerk, to=chairman)
    outgoing.draft(
        by=specialist, unit=committee, document_type="cong_van",
        summary="V/v báo cáo kết quả cải cách hành chính quý", reply_to=letter,
        body="Kính gửi: Sở Nội vụ.\nỦy ban nhân dân phường báo cáo kết quả cải cách hành chính quý như sau.",
        recipients="Sở Nội vụ\nLưu: VT",
    )  # fmt: skip
