"""What gets an audit row: sign-in and its failures, dossier events, personal data shown, admin edits."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from motcua.audit.middleware import PERSONAL_DATA_VIEWS
from motcua.audit.models import AuditRecord, Kind
from motcua.core import clock
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, receive, user

pytestmark = pytest.mark.django_db


def last_sequence() -> int:
    return AuditRecord.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def rows_after(sequence: int) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(sequence__gt=sequence).order_by("sequence"))


def test_a_sign_in_is_recorded_with_who_and_from_where() -> None:
    before = last_sequence()
    response = Client(REMOTE_ADDR="203.0.113.7").post(
        "/dang-nhap/", {"username": "mytho.motcua", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    [row] = rows_after(before)
    assert (row.kind, row.actor, row.actor_id) == (Kind.SIGN_IN, "mytho.motcua", user("mytho.motcua").pk)
    assert row.client_address == "203.0.113.7"


def test_a_failed_sign_in_is_recorded_with_the_name_tried_and_no_password() -> None:
    before = last_sequence()
    response = Client(REMOTE_ADDR="198.51.100.9").post(
        "/dang-nhap/", {"username": "quantri", "password": "sai-mat-khau"}
    )
    assert response.status_code == 200
    [row] = rows_after(before)
    assert (row.kind, row.actor, row.actor_id, row.client_address) == (Kind.SIGN_IN_FAILED, "", None, "198.51.100.9")
    assert row.details["username"] == "quantri"
    assert "sai-mat-khau" not in str(row.details)


def test_a_sign_out_is_recorded() -> None:
    client = Client()
    client.force_login(user("mytho.motcua"))
    before = last_sequence()
    client.post("/dang-xuat/")
    [row] = rows_after(before)
    assert (row.kind, row.actor) == (Kind.SIGN_OUT, "mytho.motcua")


def test_every_dossier_event_gets_a_row_in_its_transaction() -> None:
    load_catalogue()
    before = last_sequence()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    event = DossierEvent.objects.get(dossier=dossier)
    [row] = rows_after(before)
    assert (row.kind, row.object_type, row.object_id, row.actor) == (
        Kind.DOSSIER_EVENT,
        "dossier",
        dossier.code,
        "mytho.motcua",
    )
    assert row.details == {"event": 1, "action": event.action, "status_before": None, "status_after": dossier.status}
    assert row.at == event.at == TUESDAY_9AM


def test_a_refused_intake_leaves_no_audit_row() -> None:
    """The row is written in the event's transaction: what rolls back the event rolls back the row."""
    load_catalogue()
    before = last_sequence()
    with pytest.raises(RuntimeError), clock.frozen(TUESDAY_9AM), transaction.atomic():
        receive()
        raise RuntimeError("rolled back after the event")
    assert rows_after(before) == []


def test_the_office_dossier_page_records_one_view_with_the_officer_and_address() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    officer = Client(REMOTE_ADDR="192.0.2.44")
    officer.force_login(user("mytho.motcua"))
    before = last_sequence()
    with clock.frozen(TUESDAY_9AM):
        assert officer.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 200
    [row] = rows_after(before)  # one insert per request, no more
    assert (row.kind, row.object_type, row.object_id, row.actor, row.client_address) == (
        Kind.PERSONAL_DATA_VIEW,
        "dossier",
        dossier.code,
        "mytho.motcua",
        "192.0.2.44",
    )
    assert row.details["view"] == "office:dossier"


def test_a_refused_dossier_page_records_nothing() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    other_unit = Client()
    other_unit.force_login(user("stp.motcua"))
    before = last_sequence()
    assert other_unit.get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404
    assert rows_after(before) == []


def test_the_api_dossier_detail_records_a_view() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    api = APIClient(REMOTE_ADDR="192.0.2.45")
    api.force_authenticate(user("mytho.motcua"))
    before = last_sequence()
    assert api.get(f"/api/v1/dossiers/{dossier.code}").status_code == 200
    [row] = rows_after(before)
    assert (row.kind, row.object_id, row.actor, row.details["view"]) == (
        Kind.PERSONAL_DATA_VIEW,
        dossier.code,
        "mytho.motcua",
        "api:dossier",
    )


def test_admin_additions_and_bulk_deletions_are_recorded() -> None:
    admin = Client(REMOTE_ADDR="192.0.2.50")
    admin.force_login(user("quantri"))
    before = last_sequence()
    assert admin.post("/quan-tri/auth/group/add/", {"name": "Kiểm toán viên"}).status_code == 302
    [added] = rows_after(before)
    group = Group.objects.get(name="Kiểm toán viên")
    assert (added.kind, added.object_type, added.object_id, added.actor) == (
        Kind.ADMIN_ADDITION,
        "auth.Group",
        str(group.pk),
        "quantri",
    )
    second = Group.objects.create(name="Nhóm thứ hai")
    before = last_sequence()
    chosen = {"action": "delete_selected", "_selected_action": [group.pk, second.pk], "post": "yes"}
    assert admin.post("/quan-tri/auth/group/", chosen).status_code == 302
    [deleted] = rows_after(before)
    assert deleted.kind == Kind.ADMIN_DELETION
    assert sorted(d["id"] for d in deleted.details["deleted"]) == sorted([str(group.pk), str(second.pk)])


def test_accounts_keep_their_history() -> None:
    account = user("mytho.motcua")
    kept = account.history.count()  # type: ignore[attr-defined]
    account.full_name = "Tên mới"
    account.save()
    assert account.history.count() == kept + 1  # type: ignore[attr-defined]
    assert not hasattr(account.history.first(), "password")  # type: ignore[attr-defined]
    Client().post("/dang-nhap/", {"username": "mytho.motcua", "password": DEMO_PASSWORD})
    assert account.history.count() == kept + 1  # type: ignore[attr-defined]  # a sign-in is no new version


# Dossier URLs that show nothing by a GET: their POSTs are dossier events, audited as such. The lists show a line
# per dossier, not a citizen's file (left out so that a busy list page does not write a row per look).
NOT_READS = {"office:dossier-action", "api:dossier-action", "office:dossiers", "api:dossiers"}


def test_every_dossier_url_for_officers_is_classified() -> None:
    """A new page or file under a dossier must be added to PERSONAL_DATA_VIEWS (or here, with the reason)."""

    def names(resolver: URLResolver, prefix: str = "") -> set[tuple[str, str]]:
        found = set()
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                found |= names(entry, f"{entry.namespace}:" if entry.namespace else prefix)
            elif isinstance(entry, URLPattern) and entry.name:
                found.add((prefix + entry.name, str(entry.pattern)))
        return found

    under_dossiers = ("api:dossiers/", "office:ho-so/")
    dossier_urls = {
        name for name, route in names(get_resolver()) if f"{name.split(':')[0]}:{route}".startswith(under_dossiers)
    }
    assert {"api:dossier-national-record", "office:dossier-file"} <= dossier_urls
    assert dossier_urls - NOT_READS - set(PERSONAL_DATA_VIEWS) == set()


def test_an_api_token_sign_in_and_its_sign_out_are_recorded() -> None:
    api = APIClient(REMOTE_ADDR="192.0.2.60")
    before = last_sequence()
    answer = api.post("/api/v1/auth/token", {"username": "0912345678", "password": DEMO_PASSWORD}, format="json")
    assert answer.status_code == 200
    [signed_in] = rows_after(before)
    assert (signed_in.kind, signed_in.actor, signed_in.client_address) == (Kind.SIGN_IN, "0912345678", "192.0.2.60")
    api.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    assert api.post("/api/v1/auth/logout").status_code == 204
    [signed_out] = rows_after(signed_in.sequence)
    assert (signed_out.kind, signed_out.actor) == (Kind.SIGN_OUT, "0912345678")
