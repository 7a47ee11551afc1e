"""What the assessment tests share: two reform officers (author, reviewer), a bank, an open campaign, a candidate."""

from datetime import date, datetime

from motcua.assessments import bank, services
from motcua.assessments.lifecycle import ItemAction
from motcua.assessments.models import Attempt, Campaign, Candidate, ItemVersion, Sitting
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind

START = datetime(2026, 3, 2, 8, 0, tzinfo=VIETNAM)
CANDIDATE = "mytho.motcua"
INVIGILATOR = "mytho.lanhdao"
BLUEPRINT = [
    {"name": "Pháp luật", "cells": [{"domain": "phap_luat", "difficulty": "de", "count": 2}]},
    {"name": "Nghiệp vụ", "cells": [{"domain": "nghiep_vu", "difficulty": "de", "count": 2}]},
]


def officer(username: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    person = User.objects.create_user(username, kind=UserKind.STAFF, full_name=username)
    Membership.objects.create(
        user=person, unit=Unit.objects.get(code="82.SNV"), position=Position.SPECIALIST, role=Role.REFORM_OFFICER,
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    return person


def author() -> User:
    return officer("snv.soande")


def reviewer() -> User:
    return officer("snv.thamdinh")


def item_data(domain: str = "phap_luat", n: int = 0) -> dict[str, object]:
    return {
        "domain": domain, "difficulty": "de", "type": "mot_dap_an", "stem": f"Câu hỏi {domain} số {n}?",
        "options": [{"id": "a", "text": "Đúng"}, {"id": "b", "text": "Sai"}, {"id": "c", "text": "Không rõ"}],
        "key": ["a"], "legal_source": "Luật Cán bộ, công chức 2025", "source_effective_from": "2025-07-01",
    }  # fmt: skip


def approved(domain: str = "phap_luat", n: int = 0) -> ItemVersion:
    version = bank.create_item(item_data(domain, n), by=author())
    bank.act_on_item(version, ItemAction.SUBMIT, by=author())
    return bank.act_on_item(version, ItemAction.APPROVE, by=reviewer())


def open_campaign(items_per_domain: int = 3) -> Campaign:
    for n in range(items_per_domain):
        approved("phap_luat", n)
        approved("nghiep_vu", n)
    campaign = Campaign.objects.create(
        name="Kiểm tra năng lực công chức cấp xã 2026", basis_number="45/KH-UBND", basis_date=date(2026, 1, 15),
        reference_date=date(2026, 2, 1), opens_at=START, closes_at=datetime(2026, 3, 2, 17, 0, tzinfo=VIETNAM),
        duration_minutes=30, blueprint=BLUEPRINT, pass_marks={"part": 50, "overall": 50},
        publish_on=date(2026, 3, 10), created_by=author(),
    )  # fmt: skip
    campaign.units.set([Unit.objects.get(code="28261.TTPVHCC")])
    with clock.frozen(START):
        return services.open_campaign(campaign, by=author())


def candidate(campaign: Campaign) -> Candidate:
    sitting = Sitting.objects.create(campaign=campaign, room="Phòng 1", starts_at=START, capacity=30)
    sitting.invigilators.add(User.objects.get(username=INVIGILATOR))
    found = Candidate.objects.create(
        campaign=campaign, user=User.objects.get(username=CANDIDATE),
        unit=Unit.objects.get(code="28261.TTPVHCC"), sitting=sitting,
    )  # fmt: skip
    return found


def started(device: str = "máy-1") -> Attempt:
    campaign = open_campaign()
    person = candidate(campaign)
    with clock.frozen(START):
        return services.start_attempt(person, device=device, by=person.user)
