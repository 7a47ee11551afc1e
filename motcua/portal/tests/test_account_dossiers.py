"""The citizen's "my dossiers" page: tabs with counts, overdue flags, and the drafts to continue."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import Client

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, Draft
from motcua.dossiers.services import SupplementRequest, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, user
from motcua.portal.dossier_tabs import TABS

pytestmark = pytest.mark.django_db
MONTH_LATER = TUESDAY_9AM + timedelta(days=30)


@pytest.fixture
def dossiers() -> Iterator[dict[str, Dossier]]:
    """One dossier in each situation, all the demo citizen's, filed on a Tuesday morning."""
    load_catalogue()
    officer, citizen = user("mytho.motcua"), user("0912345678")
    with clock.frozen(TUESDAY_9AM):
        made = {name: online() for name in ("new", "received", "supplement", "refused", "withdrawn")}
        perform(made["received"], Action.ACCEPT, actor=officer)
        certificate = Component.objects.filter(case=made["supplement"].case).order_by("position").last()
        assert certificate is not None
        perform(
            made["supplement"],
            Action.REQUEST_SUPPLEMENT,
            actor=officer,
            reason="Bản quét mờ",
            supplements=(SupplementRequest(certificate.pk, "Quét lại rõ hơn"),),
        )
        perform(made["refused"], Action.REFUSE, actor=officer, reason="Không thuộc thẩm quyền")
        perform(made["withdrawn"], Action.WITHDRAW, actor=citizen, reason="Nộp nhầm")
    yield {name: Dossier.objects.get(pk=d.pk) for name, d in made.items()}


@pytest.fixture
def citizen(client: Client) -> Client:
    client.force_login(user("0912345678"))
    return client


def tabs(html: str) -> list[tuple[str, bool]]:
    nav = re.search(r'<nav class="tabs".*?</nav>', html, re.S)
    assert nav is not None
    return [
        (label, bool(current))
        for current, label in re.findall(r'<a href="[^"]*"( aria-current="page")?>([^<]+)</a>', nav.group(0))
    ]


def test_every_status_is_in_exactly_one_tab() -> None:
    groups = [tab.statuses for tab in TABS[1:]]
    assert set().union(*groups) == set(Status) == TABS[0].statuses
    assert sum(len(group) for group in groups) == len(Status)


def test_tabs_count_the_citizens_dossiers(citizen: Client, dossiers: dict[str, Dossier]) -> None:
    with clock.frozen(TUESDAY_9AM + timedelta(hours=1)):
        html = citizen.get("/ca-nhan/").content.decode()
    assert tabs(html) == [
        ("Tất cả (5)", True),
        ("Đang giải quyết (2)", False),
        ("Cần bổ sung (1)", False),
        ("Đã có kết quả (0)", False),
        ("Đã kết thúc (2)", False),
    ]
    assert all(d.code in html for d in dossiers.values()) and "Quá hạn" not in html


@pytest.mark.parametrize(
    ("slug", "shown"),
    [
        ("dang-giai-quyet", {"new", "received"}),
        ("can-bo-sung", {"supplement"}),
        ("da-ket-thuc", {"refused", "withdrawn"}),
    ],
)
def test_a_tab_shows_only_its_dossiers(
    citizen: Client, dossiers: dict[str, Dossier], slug: str, shown: set[str]
) -> None:
    html = citizen.get("/ca-nhan/", {"nhom": slug}).content.decode()
    assert {name for name, d in dossiers.items() if d.code in html} == shown
    assert next(label for label, current in tabs(html) if current).startswith(
        str(next(t.label for t in TABS if t.slug == slug))
    )


def test_an_empty_tab_says_so(citizen: Client, dossiers: dict[str, Dossier]) -> None:
    html = citizen.get("/ca-nhan/", {"nhom": "da-co-ket-qua"}).content.decode()
    assert "Không có hồ sơ nào trong nhóm này." in html


def test_a_running_dossier_past_its_due_time_is_flagged_overdue(citizen: Client, dossiers: dict[str, Dossier]) -> None:
    received, supplement = dossiers["received"], dossiers["supplement"]
    assert received.due_at is not None and received.due_at < MONTH_LATER
    with clock.frozen(MONTH_LATER):
        html = citizen.get("/ca-nhan/").content.decode()
    rows = re.findall(r'<tr( class="overdue")?><td><a href="/ca-nhan/ho-so/([^/]+)/"', html)
    assert {code for flag, code in rows if flag} == {received.code}  # the paused one waits on the citizen
    assert supplement.code in html and html.count('<strong class="tag-late">Quá hạn</strong>') == 1


def test_drafts_are_listed_with_a_link_to_continue(citizen: Client) -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        citizen.get("/nop-ho-so/1.001193/")
    draft = Draft.objects.get()
    html = citizen.get("/ca-nhan/").content.decode()
    assert "Hồ sơ đang soạn, chưa nộp" in html
    assert re.search(r'<td>09:00 10/03/2026</td><td><a href="/nop-ho-so/1\.001193/">Tiếp tục soạn', html)
    assert draft.version.name in html and "Bạn chưa nộp hồ sơ nào" in html


def test_the_page_costs_a_fixed_number_of_queries(
    citizen: Client, dossiers: dict[str, Dossier], django_assert_max_num_queries: object
) -> None:
    citizen.get("/ca-nhan/")  # warm the province name
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        citizen.get("/ca-nhan/")
