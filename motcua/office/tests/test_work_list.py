"""The officers' work list: tabs with exact counts, search, filters, waiting dossiers first, scope, query count."""

import re
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import SupplementRequest, attach_result, complete_step, perform, watch_deadlines
from motcua.dossiers.tests.factories import PERSON, birth_filing, online, receive, user
from motcua.dossiers.tests.processing_factories import PDF, file, load_processing_catalogue

pytestmark = pytest.mark.django_db
MONDAY_8AM = datetime(2026, 3, 9, 8, 0, tzinfo=VIETNAM)
TUESDAY_9AM = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
TUESDAY_10AM = datetime(2026, 3, 10, 10, 0, tzinfo=VIETNAM)


def officer(username: str = "mytho.motcua") -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def codes_in(html: str) -> list[str]:
    """The dossier codes of the list's rows, in their order."""
    return re.findall(r'<tr class="[^"]*"><td><a href="/can-bo/ho-so/([^/"]+)/">', html)


def tab_counts(html: str) -> dict[str, str]:
    return dict(re.findall(r'<a href="\?xem=([a-z-]+)[^"]*"[^>]*>[^<(]+\(([\d.+]+)\)</a>', html))


def started(dossier: Dossier) -> Dossier:
    return perform(dossier, Action.START, actor=user("mytho.motcua")).dossier


def finished() -> Dossier:
    """A same-day certification through its four steps: the result is ready to be handed back (status 9)."""
    dossier = started(file("2.000815", officer="mytho.motcua", at="28261.TTPVHCC"))
    complete_step(dossier, actor=user("mytho.motcua"))
    perform(dossier, Action.CLAIM, actor=user("mytho.chuyenvien"))
    attach_result(dossier, actor=user("mytho.chuyenvien"), title="Bản sao có chứng thực", pdf=PDF)
    complete_step(dossier, actor=user("mytho.chuyenvien"))
    complete_step(dossier, actor=user("mytho.lanhdao"))
    return complete_step(dossier, actor=user("mytho.motcua")).dossier


@pytest.fixture
def seeded(db: None) -> dict[str, list[Dossier]]:
    """Dossiers of 28261 in every state the tabs show, and one withdrawn; the list is read on Tuesday at 10:00."""
    cache.clear()  # the procedures of the units' dossiers are kept a few minutes
    load_processing_catalogue()
    with clock.frozen(MONDAY_8AM):
        late = [receive()]  # due on Tuesday morning: overdue by 10:00
    with clock.frozen(TUESDAY_9AM):
        waiting = [online(), online()]
        other = replace(PERSON, name="Trần Thị Bích", citizen_id="082190005678", phone="0987654321")
        received = receive(birth_filing(applicant=other))
        processing = started(receive())
        supplement = receive()
        [paper, *_] = Component.objects.filter(case=supplement.case).order_by("position")
        perform(
            supplement,
            Action.REQUEST_SUPPLEMENT,
            actor=user("mytho.motcua"),
            reason="Thiếu giấy tờ",
            supplements=(SupplementRequest(paper.pk, "Bản chụp không rõ"),),
        )
        payment = started(receive())
        perform(payment, Action.REQUEST_PAYMENT, actor=user("mytho.lanhdao"), reason="Nộp lệ phí")
        ready = finished()
        withdrawn = receive()
        perform(withdrawn, Action.WITHDRAW, actor=user("mytho.motcua"), reason="Người nộp xin rút")
    with clock.frozen(TUESDAY_10AM):
        watch_deadlines()  # flags the running dossiers due on Wednesday: near-due (D-1)
    states = {d.code: Dossier.objects.get(pk=d.pk).status for d in [*late, *waiting, received, processing]}
    assert set(states.values()) == {Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING}
    assert Dossier.objects.get(pk=ready.pk).status == Status.FINISHED
    assert Dossier.objects.get(pk=payment.pk).status == Status.PAYMENT_REQUESTED
    return {
        "waiting": waiting,
        "late": late,
        "near": [received, processing],
        "paused": [supplement, payment],
        "ready": [ready],
        "withdrawn": [withdrawn],
    }


def test_tabs_count_each_group_exactly_and_list_it(seeded: dict[str, list[Dossier]]) -> None:
    with clock.frozen(TUESDAY_10AM):
        html = officer().get("/can-bo/ho-so/").content.decode()
        assert tab_counts(html) == {
            "mo": "8",
            "cho-tiep-nhan": "2",
            "dang-xu-ly": "3",
            "sap-den-han": "2",
            "qua-han": "1",
            "cho-bo-sung": "2",
            "cho-tra-ket-qua": "1",
        }
        expected = {
            "cho-tiep-nhan": seeded["waiting"],
            "dang-xu-ly": seeded["late"] + seeded["near"],
            "sap-den-han": seeded["near"],
            "qua-han": seeded["late"],
            "cho-bo-sung": seeded["paused"],
            "cho-tra-ket-qua": seeded["ready"],
        }
        for tab, dossiers in expected.items():
            listed = codes_in(officer().get("/can-bo/ho-so/", {"xem": tab}).content.decode())
            assert sorted(listed) == sorted(d.code for d in dossiers), tab
        everything = codes_in(officer().get("/can-bo/ho-so/", {"xem": "tat-ca"}).content.decode())
        assert seeded["withdrawn"][0].code in everything and len(everything) == 9


def test_waiting_for_acceptance_comes_first_then_the_nearest_deadline(seeded: dict[str, list[Dossier]]) -> None:
    with clock.frozen(TUESDAY_10AM):
        html = officer().get("/can-bo/ho-so/").content.decode()
    listed = codes_in(html)
    assert listed[:2] == sorted(d.code for d in seeded["waiting"])
    assert listed[2] == seeded["late"][0].code  # the most urgent of the others
    assert 'class="waiting"' in html and "Chờ tiếp nhận</strong>" in html


def test_search_by_code_in_lower_case_by_name_without_diacritics_and_by_id_number(
    seeded: dict[str, list[Dossier]],
) -> None:
    received = seeded["near"][0]
    withdrawn = seeded["withdrawn"][0]
    with clock.frozen(TUESDAY_10AM):
        client = officer()
        assert codes_in(client.get("/can-bo/ho-so/", {"q": f" {received.code.lower()} "}).content.decode()) == [
            received.code
        ]
        # A whole code is found among closed dossiers too.
        assert codes_in(client.get("/can-bo/ho-so/", {"q": withdrawn.code.lower()}).content.decode()) == [
            withdrawn.code
        ]
        for query in ("tran thi bich", "TRAN BICH", "Trần Thị", "bich"):
            assert codes_in(client.get("/can-bo/ho-so/", {"q": query}).content.decode()) == [received.code], query
        assert codes_in(client.get("/can-bo/ho-so/", {"q": "thi bic x"}).content.decode()) == []
        assert codes_in(client.get("/can-bo/ho-so/", {"q": "082190005678"}).content.decode()) == [received.code]
        by_phone = codes_in(client.get("/can-bo/ho-so/", {"q": PERSON.phone, "xem": "tat-ca"}).content.decode())
        assert received.code not in by_phone and len(by_phone) == 8  # the others were filed with PERSON's phone
        part = received.code.rsplit("-", 2)[-2:]
        assert received.code in codes_in(client.get("/can-bo/ho-so/", {"q": "-".join(part)}).content.decode())


def test_filters_by_procedure_and_received_dates(seeded: dict[str, list[Dossier]]) -> None:
    with clock.frozen(TUESDAY_10AM):
        client = officer()
        page = client.get("/can-bo/ho-so/").content.decode()
        assert '<option value="2.000815">' in page and '<option value="1.001193">' in page
        certification = codes_in(client.get("/can-bo/ho-so/", {"thu-tuc": "2.000815"}).content.decode())
        assert certification == [seeded["ready"][0].code]
        monday = codes_in(
            client.get("/can-bo/ho-so/", {"tu-ngay": "09/03/2026", "den-ngay": "09/03/2026"}).content.decode()
        )
        assert monday == [seeded["late"][0].code]
        since_tuesday = codes_in(client.get("/can-bo/ho-so/", {"tu-ngay": "2026-03-10"}).content.decode())
        assert len(since_tuesday) == 7 and seeded["late"][0].code not in since_tuesday
        wrong = client.get("/can-bo/ho-so/", {"tu-ngay": "31/02/2026"}).content.decode()
        assert "Nhập ngày theo dạng dd/mm/yyyy." in wrong
        assert len(codes_in(wrong)) == 8  # an invalid filter is shown beside its field and not applied
        reversed_range = client.get("/can-bo/ho-so/", {"tu-ngay": "10/03/2026", "den-ngay": "09/03/2026"})
        assert "Ngày kết thúc phải sau ngày bắt đầu." in reversed_range.content.decode()


def test_scope_another_units_officer_sees_none_and_a_citizen_is_refused(seeded: dict[str, list[Dossier]]) -> None:
    with clock.frozen(TUESDAY_10AM):
        for tab in ("mo", "tat-ca", "qua-han"):
            html = officer("stp.motcua").get("/can-bo/ho-so/", {"xem": tab}).content.decode()
            assert codes_in(html) == []
        assert set(tab_counts(html).values()) == {"0"}
        assert codes_in(officer("stp.motcua").get("/can-bo/ho-so/", {"q": "tran thi bich"}).content.decode()) == []
        assert officer("0912345678").get("/can-bo/ho-so/").status_code == 403
        assert Client().get("/can-bo/ho-so/").status_code == 302


def test_counts_above_the_cap_say_so(seeded: dict[str, list[Dossier]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("motcua.office.list_views.COUNT_CAP", 2)
    with clock.frozen(TUESDAY_10AM):
        counts = tab_counts(officer().get("/can-bo/ho-so/").content.decode())
    assert counts["mo"] == "2+" and counts["cho-tiep-nhan"] == "2" and counts["qua-han"] == "1"


def test_the_list_reads_a_fixed_number_of_queries(
    seeded: dict[str, list[Dossier]], django_assert_max_num_queries: object
) -> None:
    client = officer()
    with clock.frozen(TUESDAY_10AM):
        client.get("/can-bo/ho-so/")  # the session and the calendar are read once per process
        queries = []
        for more in (0, 20):
            with clock.frozen(TUESDAY_9AM + timedelta(minutes=1)):
                for _ in range(more):
                    receive()
            with django_assert_max_num_queries(12) as captured:  # type: ignore[operator]
                html = client.get("/can-bo/ho-so/", {"q": "nguyen van"}).content.decode()
            queries.append(len(captured))
            assert len(codes_in(html)) == min(25, 7 + more)
    assert queries[0] == queries[1]


def test_a_name_typed_with_combining_marks_is_found_too(seeded: dict[str, list[Dossier]]) -> None:
    decomposed = unicodedata.normalize("NFD", "Lê Thị Hồng Đào")
    with clock.frozen(TUESDAY_9AM):
        dossier = receive(birth_filing(applicant=replace(PERSON, name=decomposed, citizen_id="", phone="")))
    with clock.frozen(TUESDAY_10AM):
        for query in ("le thi hong dao", "Hồng Đào"):
            assert codes_in(officer().get("/can-bo/ho-so/", {"q": query}).content.decode()) == [dossier.code]


def test_a_unit_that_receives_and_decides_counts_each_dossier_once(db: None) -> None:
    cache.clear()
    load_processing_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossiers = [file("1.999015", officer="stp.motcua", at="82.STP") for _ in range(3)]
        perform(dossiers[0], Action.START, actor=user("stp.motcua"))
    assert {(d.receiving_unit.code, d.competent_unit.code) for d in dossiers} == {("82.STP", "82.STP")}
    with clock.frozen(TUESDAY_10AM):
        html = officer("stp.motcua").get("/can-bo/ho-so/").content.decode()
    assert tab_counts(html) == {
        "mo": "3",
        "cho-tiep-nhan": "0",
        "dang-xu-ly": "3",
        "sap-den-han": "0",
        "qua-han": "0",
        "cho-bo-sung": "0",
        "cho-tra-ket-qua": "0",
    }
    assert sorted(codes_in(html)) == sorted(d.code for d in dossiers)


def test_the_list_speaks_english_when_asked(seeded: dict[str, list[Dossier]]) -> None:
    client = officer()
    client.cookies["django_language"] = "en"
    with clock.frozen(TUESDAY_10AM):
        html = client.get("/can-bo/ho-so/").content.decode()
    assert "Awaiting acceptance (2)" in html and "All procedures" in html and "Find a dossier" in html
