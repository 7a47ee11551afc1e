"""The access matrix: every URL pattern and API operation, asked by every role, answers as its class says.

The patterns come from the URL resolver, the classes from `access_matrix.py`; an endpoint missing there fails the
first test. Each case requests the endpoint with real objects of one small world (built once for the module, each
test rolled back to it): a dossier of Phường Mỹ Tho filed online by citizen C with its scans, the same citizen's
returned, rated dossier with its result, a refused one, a draft, a signed document. On a refused write the rows of
the domain tables are the same afterwards.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.http import HttpResponse
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from motcua.api.tokens import issue_token
from motcua.catalogue.models import Component
from motcua.catalogue.selectors import get_version_on
from motcua.catalogue.tests.samples import sample
from motcua.conftest import TEST_TOKEN_LIFETIME
from motcua.core import clock
from motcua.core.tests import samples
from motcua.core.tests.access_matrix import ADMIN_MODEL_PAGES, ALLOWED, MATRIX, ROLES, Access
from motcua.core.tests.routes import Route, routes
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers import drafts
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierRating, Draft, ResultDocument, Upload
from motcua.dossiers.processing import Rating
from motcua.dossiers.services import Evaluation, Inputs, attach_result, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, online, user
from motcua.dossiers.tests.processing_factories import load_processing_catalogue, started
from motcua.eforms.tests.birth import checked_birth_answers, publish_birth_form
from motcua.feedback.lifecycle import Action as FeedbackAction
from motcua.feedback.lifecycle import Kind, Topic
from motcua.feedback.models import FeedbackAttachment, FeedbackCase, PublicAnswer
from motcua.feedback.services import ExtraPaperReport, Intake, Sender, file_case, report_extra_paper
from motcua.feedback.services import act as feedback_act
from motcua.office.tests.test_paper_files import online_with_scans
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind
from motcua.par.models import Assessment as ParAssessment
from motcua.par.tests.matrix_world import par_assessment
from motcua.reform.inspections.services import Scheduled
from motcua.reform.inspections.services import create_plan as create_inspection_plan
from motcua.reform.meetings.services import BridgePointDraft, create_meeting
from motcua.reform.models import Inspection, Meeting, MeetingFile, Task, TaskEvidence
from motcua.reform.reports.services import open_year
from motcua.reform.tasks.services import TaskDraft, create_directive
from motcua.signing.models import DocumentType, ResultSigning, SignedDocument
from motcua.signing.services import sign_document
from motcua.worktime.models import CalendarDay, CalendarProposal, DayKind, OfficeSchedule

pytestmark = pytest.mark.django_db
ROUTES = {route.key: route for route in routes()}
ASKED_AT = TUESDAY_9AM + timedelta(minutes=10)  # after the world was built
# The admin site lets in by `is_staff` alone, the same way on each page it generates for a model: those pages are
# asked by a visitor, a leader (the most trusted official who is not staff) and the administrator.
ADMIN_SITE_ROLES = ("anonymous", "leader", "admin")
# Tables a refused request must leave as they were; the request's own traces (audit rows, sessions, sign-in attempts,
# idempotency records, API tokens) are not the domain's.
WATCHED_APPS = (
    *("auth", "catalogue", "dossiers", "feedback", "notifications", "organizations", "otp_totp", "signing"),
    *("reform", "worktime"),
)


@dataclass(frozen=True)
class World:
    open: Dossier  # filed online by C with scans, accepted at the centre, waiting at its first step
    returned: Dossier  # C's, processed, returned and rated unsatisfied
    refused: Dossier  # C's, refused by the centre
    upload: Upload
    component: Component  # a paper of the open dossier's case
    result: ResultDocument  # the returned dossier's result
    rating: DossierRating
    draft: Draft  # C's submission not sent yet
    signed: SignedDocument  # a signed result of the open dossier
    proposal: CalendarProposal
    centre: Unit  # the open dossier's receiving unit
    report: FeedbackCase  # C's report of a paper asked beyond the list, about the open dossier
    task: Task  # a directive's task led by the commune's committee, not yet accepted, with one evidence file
    meeting: Meeting  # under way, with a bridge point at the commune's committee hosted by its leader, and one file
    inspection: Inspection  # the province's planned inspection of the commune's committee
    par: ParAssessment  # the commune committee's PAR self-assessment, its round open at ASKED_AT
    tokens: dict[str, str]  # role → API token
    sessions: dict[str, str]  # role → session key of a browser signed in


def account(role: str) -> User:
    """The account that plays a role (every role but the visitor's)."""
    username = ROLES[role]
    assert username is not None
    return user(username)


def build_world() -> World:
    load_processing_catalogue()
    User.objects.create_user("0987654321", kind=UserKind.CITIZEN, phone="0987654321")  # the other citizen
    citizen, officer = account("citizen"), account("officer_of_unit")
    with clock.frozen(TUESDAY_9AM):
        opened = perform(online_with_scans(), Action.ACCEPT, actor=officer).dossier
        refused = online()
        inputs = Inputs(extra={"kind": "not_competent", "guidance": "Ủy ban nhân dân xã Tân Hội"})
        perform(refused, Action.REFUSE, actor=officer, reason="Không thuộc thẩm quyền", inputs=inputs)
        returned = _returned_and_rated(citizen)
        # The tờ khai, published after those were filed on paper; the open dossier is given its answers (as if filed
        # with it) for the form's own address.
        form = publish_birth_form()
        Dossier.objects.filter(pk=opened.pk).update(form=form, form_data=checked_birth_answers())
        draft = drafts.draft_for(citizen, get_version_on("1.001193"))  # type: ignore[arg-type]
        birth = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
        ResultSigning.objects.create(version=opened.version, document_type=birth)
        signed = sign_document(
            samples.result_pdf(),
            official=user("mytho.lanhdao"),
            document_type=birth,
            summary="Giấy khai sinh",
            dossier=opened,
        )
        proposal, _ = CalendarProposal.objects.get_or_create(
            day=date(2030, 12, 31),
            defaults={"kind": DayKind.OFF, "name": "Nghỉ thử", "source": "kiểm thử", "proposed_at": clock.now()},
        )
        report = report_extra_paper(ExtraPaperReport(opened, Sender("Dân", "Mỹ Tho", "0912345678"), "Sổ hộ khẩu"))
        _published_answer(opened.competent_unit)
        FeedbackAttachment.objects.create(
            case=report, file=ContentFile(samples.pdf("DON"), name="don.pdf"), original_name="don.pdf",
            content_type="application/pdf", size=1, sha256="0" * 64, uploaded_at=clock.now(),
        )  # fmt: skip
        task = _directive_task(opened.competent_unit)
        meeting = _meeting(opened.competent_unit)
        inspection = _planned_inspection(opened.competent_unit)
        open_year(2025)  # the commune's yearly CCHC report, past its cut-off (14/12/2025): submitted late
        par = par_assessment(opened.competent_unit, ASKED_AT, user("mytho.lanhdao"))
        tokens = {role: _token(name) for role, name in ROLES.items() if name is not None}
    with clock.frozen(ASKED_AT):
        sessions = {role: _session(name) for role, name in ROLES.items() if name is not None}
        # A row, and a past version, for the admin pages of the calendar's two models that the seed leaves without.
        OfficeSchedule.objects.create(unit=opened.receiving_unit)
        CalendarDay.objects.order_by("pk")[0].save()
    return World(
        open=opened,
        returned=returned,
        refused=refused,
        upload=opened.uploads.order_by("pk")[0],
        component=Component.objects.filter(case=opened.case).order_by("position")[0],
        result=returned.results.get(),
        rating=DossierRating.objects.get(dossier=returned),
        draft=draft,
        signed=signed,
        proposal=proposal,
        centre=opened.receiving_unit,
        report=report,
        task=task,
        meeting=meeting,
        inspection=inspection,
        par=par,
        tokens=tokens,
        sessions=sessions,
    )


def _directive_task(unit: Unit) -> Task:
    """A directive of Văn phòng UBND tỉnh (its tracker made here: no matrix role is one) with a task for `unit`."""
    tracker = User.objects.create_user("vp.theodoi", kind=UserKind.STAFF)
    Membership.objects.create(user=tracker, unit=Unit.objects.get(code="82.VP"), position=Position.SPECIALIST,
                              role=Role.DIRECTIVE_TRACKER, valid_from=date(2020, 1, 1))  # fmt: skip
    directive = create_directive(
        source_kind="van_ban", source_number="1/UBND", source_date=clock.today(), leader_name="Chủ tịch",
        urgency="thuong", by=tracker, tasks=[TaskDraft("Rà soát thủ tục", unit, (), date(2030, 1, 31), "Báo cáo")],
    )  # fmt: skip
    task = directive.tasks.get()
    TaskEvidence.objects.create(
        task=task, event=task.events.get(), is_product=True, file=ContentFile(samples.pdf("BC"), name="bc.pdf"),
        original_name="bc.pdf", content_type="application/pdf", size=1, sha256="0" * 64, uploaded_at=clock.now(),
    )  # fmt: skip
    return task


def _meeting(unit: Unit) -> Meeting:
    """A briefing from now to three hours on, organised by Văn phòng UBND tỉnh's tracker (who chairs it here)."""
    tracker = User.objects.get(username="vp.theodoi")
    meeting = create_meeting(
        by=tracker, kind="giao_ban", title="Giao ban", chair=tracker, form="truc_tuyen", starts_at=clock.now(),
        ends_at=clock.now() + timedelta(hours=3),
        bridge_points=[BridgePointDraft(unit, "Hội trường", user("mytho.lanhdao"))],
    )  # fmt: skip
    MeetingFile.objects.create(
        meeting=meeting, event=meeting.events.get(), file=ContentFile(samples.pdf("TL"), name="tl.pdf"),
        original_name="tl.pdf", content_type="application/pdf", size=1, sha256="0" * 64, uploaded_at=clock.now(),
    )  # fmt: skip
    return meeting


def _planned_inspection(unit: Unit) -> Inspection:
    """The 2026 CCHC inspection plan over `unit`, its chair made here (no matrix role is Sở Nội vụ's)."""
    chair = User.objects.create_user("snv.truongdoan", kind=UserKind.STAFF)
    Membership.objects.create(user=chair, unit=Unit.objects.get(code="82.SNV"), position=Position.SPECIALIST,
                              role=Role.REFORM_OFFICER, valid_from=date(2020, 1, 1))  # fmt: skip
    plan = create_inspection_plan(
        year=2030, decision_number="1/QĐ-UBND", decision_on=clock.today(), title="Kế hoạch kiểm tra", chair=chair,
        members=[], schedule=[Scheduled(unit, date(2030, 4, 1))], by=chair,
    )  # fmt: skip
    return plan.inspections.get()


def _published_answer(unit: Unit) -> None:
    """A PAKN answered and published, for the public answer pages."""
    case = file_case(Intake(Kind.PAKN, Sender("Dân", "Mỹ Tho", "0912345678"), "Rườm rà", Topic.REGULATION, unit))
    leader = user("mytho.lanhdao")
    for action in (FeedbackAction.ACCEPT, FeedbackAction.CONCLUDE, FeedbackAction.PUBLISH):
        feedback_act(case, action, actor=leader, reason="Đã trả lời.", verified=True)


def _returned_and_rated(citizen: User) -> Dossier:
    """Process a certification to its return, as its applicant's; she rates it unsatisfied (the leader's review)."""
    dossier = started("2.000815", officer="mytho.motcua", at="28261.TTPVHCC")
    Dossier.objects.filter(pk=dossier.pk).update(citizen=citizen)
    complete_step(dossier, actor=user("mytho.motcua"))
    attach_result(dossier, actor=user("mytho.chuyenvien"), title="Bản sao có chứng thực", pdf=samples.pdf("KET-QUA"))
    for name in ("mytho.chuyenvien", "mytho.lanhdao", "mytho.motcua"):
        complete_step(dossier, actor=user(name))
    perform(dossier, Action.RETURN_RESULT, actor=user("mytho.motcua"), inputs=Inputs(return_channel="counter"))
    dossier.refresh_from_db()
    evaluation = Evaluation(Rating.SATISFIED, Rating.UNSATISFIED, "Phải chờ ở quầy lâu")
    perform(dossier, Action.RATE, actor=citizen, inputs=Inputs(evaluation=evaluation))
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    return dossier


def _token(username: str) -> str:
    return issue_token(user(username), lifetime=TEST_TOKEN_LIFETIME)[1]


def _session(username: str) -> str:
    browser = Client()
    browser.force_login(user(username))
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Build the world once, inside a transaction that each test's own (a savepoint) returns to, undone at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _asked_at(world: World) -> Iterator[None]:
    cache.clear()  # no limit counted by the previous case
    with clock.frozen(ASKED_AT):
        yield


REFORM_PERIOD, REFORM_UNIT = "2025-nam", "28261.UBND"  # the competent committee's yearly CCHC report


# What a parameter of a route stands for in the world, unless the entry says otherwise below.
def _values(world: World) -> dict[str, str]:
    citizen = account("citizen")
    return {
        "code": world.open.code,
        "upload_id": str(world.upload.pk),
        "component_id": str(world.component.pk),
        "result_id": str(world.result.pk),
        "rating_id": str(world.rating.pk),
        "draft_id": str(world.draft.pk),
        "unit_id": str(world.centre.pk),
        "public_id": str(world.signed.public_id),
        "pk": str(world.proposal.pk),
        "document_id": "1",  # the world holds no eOffice document: 404 for every role
        "number": "01",
        "kind": "xlsx",
        "fmt": "xlsx",
        "action": "withdraw",
        "uidb64": urlsafe_base64_encode(force_bytes(citizen.pk)),
        "token": default_token_generator.make_token(citizen),
        "app_label": "organizations",
        "url": "khong-co/",
        "id": str(citizen.pk),
    }


SUBJECT: dict[str, Callable[[World], dict[str, str]]] = {
    # Competency tests: ids no attempt, campaign or question has
    "api:assessment-start": lambda w: {
        "campaign_id": "987654",
        "attempt_id": "987654",
        "item_id": "987654",
        "version_id": "987654",
        "action": "approve",
    },
    "api:assessment-attempt": lambda w: {
        "campaign_id": "987654",
        "attempt_id": "987654",
        "item_id": "987654",
        "version_id": "987654",
        "action": "approve",
    },
    "api:assessment-answer": lambda w: {
        "campaign_id": "987654",
        "attempt_id": "987654",
        "item_id": "987654",
        "version_id": "987654",
        "action": "approve",
    },
    "api:assessment-submit": lambda w: {
        "campaign_id": "987654",
        "attempt_id": "987654",
        "item_id": "987654",
        "version_id": "987654",
        "action": "approve",
    },
    "api:assessment-item-action": lambda w: {
        "campaign_id": "987654",
        "attempt_id": "987654",
        "item_id": "987654",
        "version_id": "987654",
        "action": "approve",
    },
    # Competency tests' set-up and pages: ids no campaign, candidate, attempt or item version has
    **{
        name: (
            lambda w: {
                "campaign_id": "987654",
                "candidate_id": "987654",
                "attempt_id": "987654",
                "version_id": "987654",
                "action": "approve",
            }
        )
        for name in (
            "api:assessment-sittings",
            "api:assessment-call",
            "api:assessment-candidates",
            "api:assessment-candidate-action",
            "api:assessment-extend",
            "office:assessment-item-action",
            "office:assessment-campaign",
            "office:assessment-take",
        )
    },
    "api:procedure": lambda w: {"code": "1.001193"},
    "portal:procedure": lambda w: {"code": "1.001193"},
    "portal:submit-start": lambda w: {"code": "1.001193"},
    "api:unit-detail": lambda w: {"code": w.centre.code},
    "api:dossier-action": lambda w: {"action": "start"},
    "portal:result-pdf": lambda w: {"code": w.returned.code},
    "office:result-pdf": lambda w: {"code": w.returned.code},
    "portal:rate": lambda w: {"code": w.returned.code},
    "portal:refusal-pdf": lambda w: {"code": w.refused.code},
    "portal:blank-form": lambda w: {"code": "1.001193", "paper": "GT1", "kind": "pdf"},
    "portal:draft-upload": lambda w: {
        "component_id": str(Component.objects.filter(case__version=w.draft.version).order_by("pk")[0].pk)
    },
    "admin:view_on_site": lambda w: {
        "content_type_id": str(ContentType.objects.get_for_model(Unit).pk),
        "object_id": str(w.centre.pk),
    },
    "admin:catalogue_export": lambda w: {"kind": "xlsx"},
    "office:feedback-case": lambda w: {"code": w.report.code},
    "office:feedback-file": lambda w: {"code": w.report.code, "file_id": str(w.report.attachments.get().pk)},
    "api:feedback-detail": lambda w: {"code": w.report.code},
    "api:feedback-events": lambda w: {"code": w.report.code},
    "api:feedback-tracking": lambda w: {"code": w.report.code},
    "api:feedback-action": lambda w: {"code": w.report.code, "action": "accept"},
    "office:feedback-action": lambda w: {"code": w.report.code, "action": "accept"},
    "portal:report-action": lambda w: {"action": "rate"},
    **{
        key: (lambda w: {"period": REFORM_PERIOD, "unit": REFORM_UNIT, "action": "submit"})
        for key in (
            *("api:reform-report", "api:reform-report-file", "api:reform-report-action", "api:reform-consolidation"),
            *("office:reform-report", "office:reform-report-file", "office:reform-report-action"),
            "office:reform-consolidation",
        )
    },
    "portal:answer": lambda w: {"code": PublicAnswer.objects.get().code},
    "api:inspection": lambda w: {"inspection_id": str(w.inspection.pk)},
    "api:inspection-action": lambda w: {"inspection_id": str(w.inspection.pk), "action": "start"},
    "office:inspection": lambda w: {"inspection_id": str(w.inspection.pk)},
    "office:inspection-action": lambda w: {"inspection_id": str(w.inspection.pk), "action": "start"},
    "api:unit-overview": lambda w: {"code": REFORM_UNIT},
    "office:unit-overview": lambda w: {"code": REFORM_UNIT},
    "office:unit-overview-rows": lambda w: {"code": REFORM_UNIT, "key": "nhiem-vu-qua-han"},
    "office:inspection-plan-draw": lambda w: {"plan_id": str(w.inspection.plan_id)},
    "api:directive": lambda w: {"directive_id": str(w.task.directive_id)},
    "api:task": lambda w: {"task_id": str(w.task.pk)},
    "api:task-events": lambda w: {"task_id": str(w.task.pk)},
    "api:task-action": lambda w: {"task_id": str(w.task.pk), "action": "accept"},
    "office:task": lambda w: {"task_id": str(w.task.pk)},
    "office:task-action": lambda w: {"task_id": str(w.task.pk), "action": "accept"},
    "office:task-file": lambda w: {"task_id": str(w.task.pk), "file_id": str(w.task.evidence.get().pk)},
    "office:eoffice-incoming-file": lambda w: {"pk": "987654", "file_id": "987654"},  # the world holds no document
    "api:meeting": lambda w: {"meeting_id": str(w.meeting.pk)},
    "api:meeting-action": lambda w: {"meeting_id": str(w.meeting.pk), "action": "attendance"},
    "office:meeting": lambda w: {"meeting_id": str(w.meeting.pk)},
    "office:meeting-action": lambda w: {"meeting_id": str(w.meeting.pk), "action": "attendance"},
    "office:meeting-file": lambda w: {"meeting_id": str(w.meeting.pk), "file_id": str(w.meeting.files.get().pk)},
    **{
        key: (
            lambda w: {"round_id": str(w.par.round_id), "unit": w.par.unit.code, "code": "1.1.1", "action": "approve"}
        )
        for key in (
            *("api:par-ranking", "api:par-assessment", "api:par-item", "api:par-action", "office:par-ranking"),
            *("office:par-assessment", "office:par-action"),
        )
    },
    "api:par-set-publish": lambda w: {"set_id": str(w.par.round.index_set_id)},
    "api:par-round-step": lambda w: {"round_id": str(w.par.round_id), "step": "feed"},
    "api:par-evidence": lambda w: {"round_id": str(w.par.round_id), "unit": w.par.unit.code, "code": "1.1.1"},
    "office:par-set-publish": lambda w: {"set_id": str(w.par.round.index_set_id)},
    "office:par-round-step": lambda w: {"round_id": str(w.par.round_id), "step": "feed"},
    "portal:par-ranking": lambda w: {"year": "2025"},
}
QUERY: dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]] = {
    "api:tracking": lambda w: {"secret": w.open.tracking_secret},
    "portal:tracking": lambda w: {"k": w.open.tracking_secret},
    "portal:report-extra-paper": lambda w: {"ma": w.open.code, "k": w.open.tracking_secret},
    "api:feedback-tracking": lambda w: {"secret": w.report.tracking_secret},
    "portal:report-tracking": lambda w: {"ma": w.report.code, "k": w.report.tracking_secret},
    "api:calendar-off-days": {"year": 2026},
    "api:calendar-proposals": {"year": 2026},
    "api:calendar-due": {"start": "2026-03-10T09:00:00+07:00", "working_days": 5},
    "api:register": {"start": "2026-03-01", "end": "2026-03-31"},
    "api:indices-766": {"from": "2026-03-01", "to": "2026-03-31"},
    "api:indices-766-drilldown": {"from": "2026-03-01", "to": "2026-03-31", "figure": "received"},
    "api:indices-766-report": {"from": "2026-03-01", "to": "2026-03-31"},
    "office:indices-drilldown": {"tu": "01/03/2026", "den": "31/03/2026", "so-lieu": "received"},
    "office:indices-report": {"ky": "6thang", "nam": "2026", "so": "1"},
    "office:register": {"tu": "2026-03-01", "den": "2026-03-31"},
    "office:task-kpis": {"ky": "quy", "nam": "2026", "so": "1"},
    "admin:autocomplete": {"app_label": "organizations", "model_name": "membership", "field_name": "unit"},
}


def _pdf(name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.pdf("MA-TRAN-TRUY-CAP"), content_type="application/pdf")


# What a write sends: enough that, were it let through, it would change something.
BODY: dict[str, Callable[[World, str], Any]] = {
    "api:documents-outgoing": lambda w, role: {
        "unit": "28261.UBND",
        "document_type": "cong_van",
        "summary": "V/v thử",
        "body": "Nội dung",
        "recipients": "VT",
    },
    "api:token": lambda w, role: {"username": ROLES["citizen"], "password": DEMO_PASSWORD},
    "portal:vneid-link": lambda w, role: {"code": "123456"},  # without a link under way: back to sign-in
    "api:procedures-import": lambda w, role: [sample(("MATTHC", "1.000099"), ("TENTTHC", "Thủ tục thử nghiệm"))],
    "api:feedback": lambda w, role: {
        "dossier": w.open.code,
        "secret": w.open.tracking_secret,
        "paper_asked": "Sổ hộ khẩu",
        "sender": {"name": "Trần Thị Bình", "address": "Mỹ Tho", "phone": "0901234567"},
    },
    "api:dossiers": lambda w, role: {
        "procedure": "1.001193",
        "channel": 2 if "citizen" in role else 1,
        "receiving_unit": w.centre.code,
        "applicant": {"name": "Trần Thị Bình", "citizen_id": "087195004321", "phone": "0901234567"},
        "papers": [{"component": c.code, "originals": 1} for c in Component.objects.filter(case=w.open.case)],
    },
    "api:dossier-results": lambda w, role: {"title": "Giấy khai sinh", "file": _pdf()},
    # Refused before any file is fetched; let through, it would create a dossier (its file host is not asked here).
    "api:national-dossiers": lambda w, role: {
        "MaHoSo": "G22.99-260310-000999",
        "MaTTHC": "1.001193",
        "KenhThucHien": 2,
        "ChuHoSo": "Trần Thị Bình",
        "SoGiayToChuHoSo": "087195004321",
        "NgayNopHoSo": "20260310090000",
        "NoiNopHoSo": w.centre.code,
        "TaiLieuNop": [
            {"MaThanhPhanHoSo": c.code, "DuongDanTaiTepTin": f"https://dichvucong.gov.vn/tep/{c.code}"}
            for c in Component.objects.filter(case=w.open.case)
        ],
    },
    "api:verify-upload": lambda w, role: {"file": _pdf()},
    "api:unit-list": lambda w, role: {
        "code": "82.BQL",
        "name": "Ban Quản lý",
        "type": "department",
        "parent": "82.UBND",
    },
    "api:unit-detail": lambda w, role: {"name": "Trung tâm (đổi tên)"},
    "portal:supplement-upload": lambda w, role: {"tep": _pdf()},
    "portal:verify-file": lambda w, role: {"tep": _pdf()},
    "portal:rate": lambda w, role: {"thuan-tien": "2", "tong-the": "2", "y-kien": "Tốt"},
    "portal:withdraw": lambda w, role: {"ly-do": "Xin rút hồ sơ"},
    "portal:report-action": lambda w, role: {"ma": w.report.code, "k": w.report.tracking_secret, "danh-gia": "1"},
    "office:reception": lambda w, role: {
        "channel": "counter",
        "kind": "pakn",
        "topic": "quy_dinh",
        "subject_unit": w.centre.code,
        "content": "Thủ tục rườm rà",
        "sender_name": "Trần Thị Bình",
        "sender_address": "Mỹ Tho",
        "sender_phone": "0901234567",
    },
    "portal:case-draft": lambda w, role: {"content": "Nháp"},
    "api:directives": lambda w, role: {
        "source_kind": "van_ban",
        "source_number": "2/UBND",
        "source_date": "2026-03-10",
        "leader_name": "Chủ tịch",
        "urgency": "thuong",
        "tasks": [{"content": "Việc", "lead_unit": w.centre.code}],
    },
    "office:directive-new": lambda w, role: {
        "nguon": "van_ban",
        "ngay": "10/03/2026",
        "lanh-dao": "Chủ tịch",
        "do-khan": "thuong",
        "noi-dung-1": "Việc",
        "chu-tri-1": w.centre.code,
    },
    "office:task-kpis": lambda w, role: {"ky": "quy", "nam": "2025", "so": "4"},
    "api:meetings": lambda w, role: {
        "kind": "giao_ban",
        "title": "Giao ban",
        "chair": "quantri",
        "form": "truc_tiep",
        "starts_at": "2030-03-04T08:00:00+07:00",
        "ends_at": "2030-03-04T10:00:00+07:00",
    },
    "api:meeting-action": lambda w, role: {
        "bridge_point": w.meeting.bridge_points.get().pk,
        "invited": 3,
        "present": 2,
    },
    "office:meeting-action": lambda w, role: {
        "diem-cau": w.meeting.bridge_points.get().pk,
        "moi": "3",
        "co-mat": "2",
    },
    "api:reform-report": lambda w, role: {"sections": {"i-chi-dao": "Đã ban hành kế hoạch CCHC."}},
    "office:reform-report": lambda w, role: {"i-chi-dao": "Đã ban hành kế hoạch CCHC."},
    "api:par-item": lambda w, role: {"value": "co", "explanation": "Kế hoạch số 1/KH-UBND"},
    "office:par-action": lambda w, role: {"code": "1.1.1", "value": "co", "explanation": "Kế hoạch số 1/KH-UBND"},
    "office:eoffice-outgoing": lambda w, role: {
        "co-quan": "28261.UBND",
        "loai": "cong_van",
        "trich-yeu": "V/v thử",
        "noi-dung": "Nội dung",
        "noi-nhan": "VT",
    },
    "api:par-evidence": lambda w, role: {
        "value": "co",
        "files": SimpleUploadedFile("kh.pdf", samples.pdf(), "application/pdf"),
    },
    "portal:file-case": lambda w, role: {
        "kind": "pakn",
        "topic": "quy_dinh",
        "subject_unit": w.centre.code,
        "content": "Thủ tục rườm rà",
        "sender_name": "Trần Thị Bình",
        "sender_address": "Mỹ Tho",
        "sender_phone": "0901234567",
    },
    "portal:draft-save": lambda w, role: {"applicant_name": "Người Khác", "receiving_unit": w.centre.code},
    "portal:draft-upload": lambda w, role: {"tep": _pdf()},
    "portal:draft-next": lambda w, role: {"name": "Người Khác", "receiving_unit": w.centre.code},
    "portal:draft-form": lambda w, role: {"tre.ho_ten": "Người Khác"},
    "portal:draft-return": lambda w, role: {"return_method": "counter"},
    "office:dossier-action": lambda w, role: {"ly-do": "Người nộp xin rút hồ sơ"},
    "office:dossier-result": lambda w, role: {"tao-tu-du-lieu": "1"},
    "office:sign-result": lambda w, role: {"xac-nhan": "1"},
    # A callback saying an order of the open dossier was paid, signed with a key that is not the shared secret.
    "api:payment-callback": lambda w, role: {
        "merchant": settings.MOTCUA_PAYMENT_MERCHANT,
        "reference": "TT20260310FORGED",
        "transaction_id": "GD1",
        "amount": 200000,
        "status": "paid",
        "paid_at": "2026-03-10T09:10:00+07:00",
        "signature": "0" * 64,
    },
}
# Refusals a page shows as a redirect, with nothing changed: (pattern, method) → where it sends the refused.
REFUSED_BY_REDIRECT = {
    # A second click on «Nộp» finds no draft and goes to the account; another citizen's draft looks just the same.
    ("portal:draft-submit", "POST"): "/ca-nhan/",
}
# Let in, with nothing to show: no model on the admin site has a public page to send to.
ANSWERS_NOT_FOUND = {"admin:view_on_site", "quan-tri/(?P<url>.*)$"}
# Cases where the matrix found an answer it should not give: kept failing until the product is fixed.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


def _admin_object(route: Route) -> str:
    """The first row of the model an admin address names, or an id no row has."""
    app_label, model_name = route.route.split("/")[1:3]
    first = apps.get_model(app_label, model_name)._default_manager.order_by("pk").first()
    return str(first.pk) if first is not None else "0"


def url_of(route: Route, world: World) -> str:
    """Fill a route's parameters with the world's objects, as the browser or API client would send them."""
    values = _values(world) | (SUBJECT[route.key](world) if route.key in SUBJECT else {})
    if "<path:object_id>" in route.route and "object_id" not in values:
        values["object_id"] = _admin_object(route)
    text = route.route
    if "history/([^/]+)" in text:  # django-simple-history's page of one past version: (object, version)
        app_label, model_name = text.split("/")[1:3]
        past = apps.get_model(app_label, model_name).history.order_by("history_id").first()
        text = text.replace("^([^/]+)/history/([^/]+)/$", f"{past.id}/history/{past.history_id}/")
    # A regular expression route: its named groups, then its anchors.
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], text)
    for name, value in values.items():
        for form in (f"<{name}>", f"<str:{name}>", f"<int:{name}>", f"<path:{name}>", f"<rowid:{name}>"):
            text = text.replace(form, value)
    text = text.replace("^", "").replace("$", "").replace("\\.", ".")
    assert "<" not in text and "(" not in text, f"parameters left in {text}"
    return "/" + text


def client_for(route: Route, role: str, world: World) -> Client:
    """An API client with the role's token, or a browser with the role's session."""
    username = ROLES[role]
    if route.route.startswith("api/v1/"):
        api = APIClient()
        if username is not None:
            api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
        return api
    browser = Client()
    if username is not None:
        browser.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return browser


def ask(client: Client, route: Route, method: str, role: str, world: World) -> HttpResponse:
    url = url_of(route, world)
    data = BODY[route.key](world, role) if route.key in BODY and method != "GET" else {}
    query = QUERY.get(route.key, {})
    query = query(world) if callable(query) else query
    if isinstance(client, APIClient):
        if method == "GET":
            return client.get(url, query)
        multipart = isinstance(data, dict) and any(isinstance(v, SimpleUploadedFile) for v in data.values())
        return client.generic(method, url, **_encoded(client, data, "multipart" if multipart else "json"))
    if method == "GET":
        return client.get(url, query)  # type: ignore[return-value]  # the test client's response, an HttpResponse
    return client.post(url, data)  # type: ignore[return-value]


def _encoded(api: APIClient, data: Any, kind: str) -> dict[str, Any]:
    body, content_type = api._encode_data(data, format=kind, content_type=None)  # type: ignore[attr-defined]
    return {"data": body, "content_type": content_type}


def snapshot(world: World) -> dict[str, Any]:
    """Count the rows of every domain table, and read the world's own rows whole."""
    tables = sorted(
        {model._meta.db_table for model in apps.get_models() if model._meta.app_label in WATCHED_APPS}
        | {field.m2m_db_table() for field in User._meta.many_to_many}
    )
    with connection.cursor() as cursor:  # one query: this runs twice for every refused write
        quoted = [connection.ops.quote_name(table) for table in tables]
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in quoted))
        counted = dict(zip(tables, cursor.fetchone(), strict=True))
    rows: list[tuple[type[models.Model], list[int]]] = [
        (Dossier, [world.open.pk, world.returned.pk, world.refused.pk]),
        (DossierRating, [world.rating.pk]),
        (Draft, [world.draft.pk]),
        (Upload, [world.upload.pk]),
        (Unit, [world.centre.pk]),
        (CalendarProposal, [world.proposal.pk]),
        (User, list(User.objects.filter(username__in=[n for n in ROLES.values() if n]).values_list("pk", flat=True))),
    ]
    return counted | {
        f"{model._meta.label} rows": list(model._default_manager.filter(pk__in=pks).order_by("pk").values())
        for model, pks in rows
    }


def _signs_in(response: HttpResponse) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith("/dang-nhap/") or location.startswith("/quan-tri/login/")
    )


def check(route: Route, method: str, access: Access, role: str, response: HttpResponse) -> None:
    """Assert the answer the class gives this role: let in, or refused the way this part of the site refuses."""
    status = response.status_code
    where = (
        f"{route.key} as {role}: {status} {response.get('Location', '')} {getattr(response, 'content', b'')[:300]!r}"
    )
    if role in ALLOWED[access]:
        assert status < 400 or (status == 404 and route.key in ANSWERS_NOT_FOUND), f"refused {where}"
        assert access is Access.SIGN_IN or not _signs_in(response), f"sent to sign in: {where}"
        return
    if access is Access.PLATFORM:  # everyone alike: the forged signature is refused
        assert status == 403 and b"payment_signature_invalid" in response.content, where
    elif route.route.startswith("api/v1/") and role == "anonymous":
        assert status == 401, where
    elif route.route.startswith("quan-tri/") and role == "admin":  # let in to the site, refused by the page
        assert status == 403, where
    elif route.route.startswith("quan-tri/"):
        assert _signs_in(response) and response["Location"].startswith("/quan-tri/login/"), where
    elif role == "anonymous":
        assert _signs_in(response) and response["Location"].startswith("/dang-nhap/?next="), where
    elif status == 302 and (route.key, method) in REFUSED_BY_REDIRECT:
        assert response["Location"] == REFUSED_BY_REDIRECT[route.key, method], where
    else:  # 409: a party let in, and the dossier's state refuses what it asks
        assert status in {403, 404, 409}, where


def test_every_endpoint_is_classified() -> None:
    """A pattern added without a class, or a class left behind by a removed pattern, is named here."""
    keys = [route.key for route in routes()]
    assert len(keys) == len(set(keys)), "two patterns with one name"
    unclassified = sorted(set(keys) - set(MATRIX))
    gone = sorted(set(MATRIX) - set(keys))
    assert not unclassified and not gone, f"not classified: {unclassified}; classified but gone: {gone}"
    assert all(set(entry) <= {"GET", "POST", "PATCH", "PUT"} and entry for entry in MATRIX.values())


CASES = [
    pytest.param(
        key,
        method,
        role,
        id=f"{key} {method} {role}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[(key, method, role)])]
        if (key, method, role) in KNOWN_GAPS
        else [],
    )
    for key, entry in MATRIX.items()
    if key in ROUTES
    for method in entry
    for role in (ADMIN_SITE_ROLES if key in ADMIN_MODEL_PAGES else ROLES)
]


@pytest.mark.parametrize(("key", "method", "role"), CASES)
def test_each_role_gets_what_the_class_says(world: World, key: str, method: str, role: str) -> None:
    route, access = ROUTES[key], MATRIX[key][method]
    client = client_for(route, role, world)
    before = snapshot(world) if method != "GET" and role not in ALLOWED[access] else None
    response = ask(client, route, method, role, world)
    check(route, method, access, role, response)
    if before is not None:
        assert snapshot(world) == before, f"{key} {method} as {role} was refused but changed something"


def test_the_world_is_what_the_matrix_assumes(world: World) -> None:
    """The roles stand where the classes say: the dossier in the officer's and leader's scope, not the other's."""
    from motcua.dossiers.selectors import get_dossier_for

    signed_in = [role for role, name in ROLES.items() if name is not None]
    seen = {role: get_dossier_for(account(role), world.open.code) is not None for role in signed_in}
    assert seen == {
        "citizen": True,
        "other_citizen": False,
        "officer_other_unit": False,
        "officer_of_unit": True,
        "leader": True,
        "admin": True,
    }
    assert world.open.status == Status.RECEIVED and world.refused.citizen_id == account("citizen").pk
    staff = {role for role in signed_in if account(role).is_staff}
    assert staff == {"admin"}, "the admin site's pages are asked by fewer roles on this ground"
